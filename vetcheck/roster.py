"""A roster: one row per answers file, for a list of clinics kept and re-checked over time.

Each row is what that file's own report says (its grade on its own checklist version, not on
the questions a comparison shares), so a roster and `vetcheck report` never disagree. A row
keeps a few values, not the report, so a roster over thousands of files holds no more per
file than its row. Pure: the caller reads the files and writes the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from vetcheck.compare import rank_key, shown_name, unique_labels
from vetcheck.model import UNKNOWN, Report, Subject
from vetcheck.recheck import recheck
from vetcheck.scoring import round_half_up


class Row(NamedTuple):
    label: str  # unique among the rows: see compare.unique_labels
    name: str  # as shown: invisible characters dropped, spaces collapsed
    location: str
    evaluated: date | None
    route: str  # the route question's option ids, "+"-joined; "unknown" when not known
    grade: str  # a letter, or "incomplete"
    score: int | None
    coverage: int  # percent of the weight that applies, answered
    red_flags: int
    must_ask: int
    known_gaps: int
    recheck_due: date | None
    recheck_overdue: bool
    checklist_version: str
    file: str
    rank: tuple[bool, int, float, int, float]  # compare.rank_key: not a column


def route_of(report: Report) -> str:
    value = report.route_answer
    if value is None:
        return UNKNOWN
    return "+".join(value) if isinstance(value, tuple) else value


def row(report: Report, file: str, today: date, months: int) -> Row:
    """One file's row; its label is set when the roster is complete (`labelled`)."""
    sub = report.answers.subject
    due = recheck(report, today, months)
    return Row(
        label="",
        name=shown_name(sub.name),
        location=shown_name(sub.location or ""),
        evaluated=sub.evaluated,
        route=route_of(report),
        grade=report.grade.letter or "incomplete",
        score=None if report.score is None else round_half_up(report.score),
        coverage=round_half_up(report.coverage * 100),
        red_flags=len(report.red_flags),
        must_ask=len(report.must_ask),
        known_gaps=len(report.known_gaps),
        recheck_due=due.due,
        recheck_overdue=due.overdue,
        checklist_version=report.answers.checklist_version or report.checklist.version,
        file=file,
        rank=rank_key(report),
    )


def labelled(rows: Sequence[Row], best_first: bool = False) -> list[Row]:
    """The rows with their labels, best first (by `compare.rank_key`) or as given."""
    labels = unique_labels([Subject(r.name, evaluated=r.evaluated) for r in rows])
    out = [r._replace(label=label) for r, label in zip(rows, labels, strict=True)]
    return sorted(out, key=lambda r: r.rank) if best_first else out
