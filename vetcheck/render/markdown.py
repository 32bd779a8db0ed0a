"""Report model → markdown text (CommonMark with GFM tables)."""

from __future__ import annotations

import re
from datetime import date

from vetcheck.model import QuestionResult, Report, Role, SectionResult, Status
from vetcheck.render.common import (
    DISCLAIMER,
    answer_words,
    cited_sources,
    coverage_text,
    grade_headline,
    method_lines,
    percent,
    plain,
    role_word,
)

# Characters that could start markup inline; escaping them keeps any text literal.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")
_SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")


def escape(text: str) -> str:
    """Any text as literal inline markdown: one line, no control characters, markup escaped."""
    return _SPECIAL.sub(r"\\\1", plain(text))


def link(url: str) -> str:
    """An autolink for a plain http(s) URL; anything else is shown as escaped text."""
    url = plain(url)
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else escape(url)


def render_markdown(report: Report, today: date) -> str:
    out: list[str] = []
    sub = report.answers.subject
    checklist = report.checklist
    role = report.role
    numbers = {s.id: i for i, s in enumerate(cited_sources(report.results, checklist.sources), 1)}

    out += [f"# vetcheck report: {escape(sub.name)}", ""]
    out += ["> A checklist summary to help you ask good questions. It is not medical advice.", ""]
    facts = []
    if sub.location:
        facts.append(f"- **Location:** {escape(sub.location)}")
    if sub.website:
        facts.append(f"- **Website:** {link(sub.website)}")
    facts.append(
        f"- **Answers gathered:** {sub.evaluated.isoformat() if sub.evaluated else 'date not given'}"
    )
    facts.append(f"- **Report written:** {today.isoformat()}")
    facts.append(f"- **Answered by:** {role_word(role)}")
    facts.append(
        f"- **Checklist:** {escape(checklist.title)} ({escape(checklist.id)} {escape(checklist.version)}, "
        f"reviewed {checklist.last_reviewed.isoformat()})"
    )
    out += [*facts, ""]

    out += ["## Summary", ""]
    out += [f"**Grade: {grade_headline(report)}.** {escape(report.grade.verdict)}", ""]
    red, must, other = report.red_flags, report.must_ask, report.open_questions
    out += [
        "| Measure | Result |",
        "| --- | --- |",
        f"| Grade | {report.grade.letter or 'Incomplete'} |",
        f"| Score | {percent(report.score)} / 100 |",
        f"| Coverage | {coverage_text(report.coverage)} of what applies is answered |",
        f"| Red flags | {len(red)} |",
        f"| Must-ask questions | {len(must)} |",
        f"| Other open questions | {len(other)} |",
        "",
    ]

    out += ["## Red flags", ""]
    if red:
        out += ["Each of these is a serious safety gap. Resolve it before you book.", ""]
        for i, r in enumerate(red, 1):
            q = r.question
            out.append(
                f"{i}. **{escape(q.wording(role))}** Answer: {escape(answer_words(q, r.answer))}."
            )
            if r.note:
                out.append(f"   - Note: {escape(r.note)}")
            out.append(f"   - Why it matters: {escape(q.why)}")
            out.append(f"   - What to do: {escape(q.red_flag or '')}")
        out.append("")
    else:
        out += ["None found among the questions answered.", ""]

    out += ["## Questions to ask next", ""]
    if not must and not other:
        out += ["Every question that applies has an answer.", ""]
    if must:
        out += ["### Must ask", "", "These matter most for safety and are not settled yet.", ""]
        out += _ask_list(must, role)
    if other:
        out += ["### Also ask", "", "Most important first.", ""]
        out += _ask_list(other, role)

    out += ["## Section scores", ""]
    out += ["| Section | Score | Coverage | Red flags | Open |", "| --- | --- | --- | --- | --- |"]
    for s in report.sections:
        flags = sum(r.status is Status.RED_FLAG for r in s.results)
        open_ = sum(r.status in (Status.MUST_ASK, Status.OPEN) for r in s.results)
        out.append(
            f"| {escape(s.section.title)} | {percent(s.score)} | {_section_coverage(s)} | {flags} | {open_} |"
        )
    out.append("")

    out += ["## Answers by section", ""]
    for s in report.sections:
        out += _section_detail(s, report, numbers)

    out += ["## How the score was computed", ""]
    out += [f"- {line}" for line in method_lines(checklist.scoring)]
    out.append(
        f"- This report: {_num(sum(s.earned for s in report.sections))} of "
        f"{sum(s.answered_weight for s in report.sections)} answered weight earned "
        f"(score {percent(report.score)}); {sum(s.answered_weight for s in report.sections)} of "
        f"{sum(s.applicable_weight for s in report.sections)} applicable weight answered "
        f"(coverage {coverage_text(report.coverage)})."
    )
    out.append("")

    out += ["## Sources", ""]
    if numbers:
        for source in checklist.sources:
            if source.id in numbers:
                tail = f" {link(source.url)}" if source.url else ""
                out.append(f"{numbers[source.id]}. {escape(source.citation)}{tail}")
    else:
        out.append("No sources are cited by the questions in this report.")
    out.append("")

    out += ["## Disclaimer", "", DISCLAIMER, ""]
    return "\n".join(out)


def _ask_list(results: tuple[QuestionResult, ...], role: Role) -> list[str]:
    lines = []
    for i, r in enumerate(results, 1):
        q = r.question
        state = "only partly met so far" if r.answer == "partly" else "not answered yet"
        lines.append(f"{i}. {escape(q.wording(role))} ({state})")
        if r.note:
            lines.append(f"   - Your note: {escape(r.note)}")
        lines.append(f"   - A good answer: {escape(q.good_answer)}")
        lines.append(f"   - How to check: {escape(q.verify)}")
    lines.append("")
    return lines


def _section_coverage(s: SectionResult) -> str:
    return "—" if s.applicable_weight == 0 else coverage_text(s.coverage)


def _section_detail(s: SectionResult, report: Report, numbers: dict[str, int]) -> list[str]:
    role = report.role
    out = [f"### {escape(s.section.title)}", ""]
    out += [
        f"Score {percent(s.score)} / 100, coverage {_section_coverage(s)}. {escape(s.section.intro)}",
        "",
    ]
    shown = [r for r in s.results if r.shown]
    hidden = len(s.results) - len(shown)
    for r in shown:
        q = r.question
        mark = " (critical)" if q.critical else ""
        out.append(
            f"- **{escape(q.wording(role))}**{mark} Answer: {escape(answer_words(q, r.answer))}."
        )
        if r.note:
            out.append(f"  - Note: {escape(r.note)}")
        refs = [str(numbers[sid]) for sid in q.sources if sid in numbers]
        out.append(
            f"  - Why it matters: {escape(q.why)} (source{'s' if len(refs) > 1 else ''} {', '.join(refs)})"
        )
    if hidden:
        out.append(
            f"- {hidden} question{'s' if hidden != 1 else ''} did not apply to this kind of treatment."
        )
    out.append("")
    return out


def _num(value: float) -> str:
    return f"{value:g}"
