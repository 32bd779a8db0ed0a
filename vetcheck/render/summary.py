"""The one-page summary (`report --format summary` and `summary-html`): what a referral letter
or a chart needs, and no more. Clinic, date, route, the grade and what it rests on, the red
flags, the critical items not settled, the three most important open questions, when to check
again, and the checklist version. Lists are cut at a length that keeps the printed page to one
sheet of A4 or Letter; what is cut is counted and left to the full report.
"""

from __future__ import annotations

from datetime import date

from vetcheck.model import Cap, QuestionResult, Report, Role
from vetcheck.recheck import recheck
from vetcheck.render import words as w
from vetcheck.render.common import (
    answer_words,
    count,
    coverage_text,
    found_line,
    grade_headline,
    incomplete_reason,
)

RED_SHOWN, MUST_SHOWN, OPEN_SHOWN = 6, 5, 3  # the most one printed page holds, with room to spare

TITLE = "vetcheck summary: {name}"
HEADINGS = {
    "red": {Role.PATIENT: "Red flags", Role.REFERRER: "Red flags"},
    "must": {
        Role.PATIENT: "Safety points not settled yet",
        Role.REFERRER: "Critical items not settled",
    },
    "open": {
        Role.PATIENT: "Most important questions still to ask",
        Role.REFERRER: "Most important open items",
    },
}
LABELS = {
    "clinic": "Clinic",
    "gathered": "Answers gathered",
    "route": "Treatment",
    "grade": "Grade",
    "rests_on": "Rests on",
    "recheck": w.RECHECK,
    "checklist": "Checklist",
}
MORE = "…and {more} in the full report (vetcheck report)."
NONE = "None."


class Summary:
    """What the summary says, in the reader's wording; each format adds only markup."""

    def __init__(self, report: Report, today: date) -> None:
        sub, cl, role = report.answers.subject, report.checklist, report.role
        self.role = role
        self.title = TITLE.format(name=sub.name)
        self.clinic = f"{sub.name} ({sub.location})" if sub.location else sub.name
        self.gathered = sub.evaluated.isoformat() if sub.evaluated else w.NO_DATE
        self.route = route_text(report)
        self.grade = grade_headline(report)
        self.rests_on = rests_on(report)
        self.recheck = w.recheck_text(recheck(report, today), role)
        self.checklist = f"{cl.title} ({cl.id} {cl.version})"
        self.disclaimer = w.SHORT_DISCLAIMER[role]
        self.lists = [
            _listed("red", report.red_flags, RED_SHOWN, role, found=True),
            _listed("must", report.must_ask, MUST_SHOWN, role),
            _listed("open", report.open_questions, OPEN_SHOWN, role, more=False),
        ]

    def facts(self) -> list[tuple[str, str]]:
        keys = ("clinic", "gathered", "route", "grade", "rests_on", "recheck", "checklist")
        return [(LABELS[k], getattr(self, k)) for k in keys]


def route_text(report: Report) -> str:
    question, value = report.checklist.route, report.route_answer
    if question is None:
        return "-"
    return "not known yet" if value is None else answer_words(question, value, report.role)


def rests_on(report: Report) -> str:
    """What the grade rests on: how much is answered, and what caps it."""
    if report.grade.letter is None:
        return incomplete_reason(report) + "."
    parts = [f"{coverage_text(report.coverage)} of what applies is answered"]
    rules = report.checklist.scoring
    if report.grade.capped_by is Cap.RED_FLAG:
        n = len(report.red_flags)
        parts.append(
            f"{count(n, 'red flag')} cap{'s' * (n == 1)} the grade at {rules.red_flag_cap}"
        )
    elif report.grade.capped_by is Cap.MUST_ASK:
        n = len(report.must_ask)
        items = count(n, "critical question")
        parts.append(f"{items} not settled cap{'s' * (n == 1)} it at {rules.must_ask_cap}")
    gaps = len(report.known_gaps)
    if gaps:
        parts.append(f"{count(gaps, 'known gap')} (answers that fall short)")
    return "; ".join(parts) + "."


def _listed(
    kind: str,
    results: tuple[QuestionResult, ...],
    limit: int,
    role: Role,
    found: bool = False,
    more: bool = True,
) -> tuple[str, list[str], int, str]:
    """(heading, lines, how many in all, a line for those left out): the first `limit`
    results, each as one line. Open questions are a pick of the top three, not a cut list."""
    shown = results[:limit]
    lines = [found_line(r, role) if found else r.question.wording(role) for r in shown]
    left = len(results) - len(shown)
    total = len(results) if more else len(shown)
    return HEADINGS[kind][role], lines, total, MORE.format(more=left) if left and more else ""


def render_summary_markdown(report: Report, today: date) -> str:
    """The short form, to paste into a referral letter or a chart."""
    from vetcheck.render.markdown import escape

    s = Summary(report, today)
    out = [f"# {escape(s.title)}", ""]
    out += [f"- **{label}:** {escape(value)}" for label, value in s.facts()]
    for heading, lines, total, left in s.lists:
        out += ["", f"## {heading} ({total})" if lines else f"## {heading}", ""]
        out += [f"- {escape(line)}" for line in lines] if lines else [NONE]
        out += [f"- {left}"] if left else []
    out += ["", f"*{escape(s.disclaimer)}*", ""]
    return "\n".join(out)


def render_summary_html(report: Report, today: date) -> str:
    """One printed page on A4 or Letter (tests/test_html_browser.py prints it in Chromium)."""
    from vetcheck.render.html import _environment

    template = _environment().get_template("summary.html.j2")
    return template.render(s=Summary(report, today), role=report.role, none=NONE)
