"""When a provider's answers should be checked again, and why. Pure: no I/O, no wording.

A clinic changes owners, staff and protocols, and the rules it is held to change too. Answers
are due for a re-check a set number of months after they were gathered (12 unless the reader
says otherwise: `Report.recheck_months`, `--recheck-after`), or on the day after a rule a
shown question relies on ends, whichever comes first. Answers with no date, or dated after
today, cannot be dated: that is said, not guessed.
"""

from __future__ import annotations

from datetime import date, timedelta

from vetcheck.model import Report


class Recheck:
    """`due` is the first day a re-check is due (None: the answers carry no date and no rule
    ends); `overdue` when that day is today or past. `aged_on` is the day the answers become
    too old (None without a date); `rule_ends` the day after the first cited rule ends.

    A plain class: a NamedTuple or dataclass costs ~1.5 M instructions to define, at every
    report (docs/performance.md)."""

    __slots__ = ("aged_on", "due", "evaluated", "future", "months", "overdue", "rule_ends")

    def __init__(
        self,
        due: date | None,
        overdue: bool,
        months: int,
        evaluated: date | None,
        aged_on: date | None,
        rule_ends: date | None,
        future: bool = False,
    ) -> None:
        self.due, self.overdue, self.months = due, overdue, months
        self.evaluated, self.aged_on, self.rule_ends = evaluated, aged_on, rule_ends
        self.future = future  # the answers' date is after today: a typo, not a date to trust


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (Feb 29 → 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):  # the first that exists in that month
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")  # pragma: no cover


def recheck(report: Report, today: date, months: int | None = None) -> Recheck:
    """When the answers are due for a re-check: after `months` (the report's own
    `recheck_months` unless given) or when a rule they rely on ends."""
    months = report.recheck_months if months is None else months
    evaluated = report.answers.subject.evaluated
    future = evaluated is not None and evaluated > today
    aged_on = None if evaluated is None or future else add_months(evaluated, months)
    cited = {sid for r in report.results if r.shown for sid in r.question.sources}
    ends = [
        s.valid_until + timedelta(days=1)
        for s in report.checklist.sources
        if s.valid_until is not None and s.id in cited
    ]
    rule_ends = min(ends) if ends else None
    due = min((d for d in (aged_on, rule_ends) if d is not None), default=None)
    overdue = due is not None and due <= today
    return Recheck(due, overdue, months, evaluated, aged_on, rule_ends, future)
