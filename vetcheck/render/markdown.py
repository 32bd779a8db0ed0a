"""Report model → markdown text (CommonMark with GFM tables)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from vetcheck.model import (
    Checklist,
    QuestionResult,
    Report,
    Role,
    ScoringRules,
    SectionResult,
    Status,
)
from vetcheck.render.common import (
    DISCLAIMER,
    MANY_PROVIDERS,
    answer_words,
    cited_sources,
    comparison_rows,
    coverage_text,
    difference_cell,
    grade_headline,
    method_lines,
    percent,
    plain,
    role_word,
    section_coverage,
)

if TYPE_CHECKING:
    from vetcheck.compare import Comparison

# Characters that could start markup inline; a backslash before each keeps any text literal.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~&!"})
_SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")


@lru_cache(maxsize=8192)  # checklist text repeats in every report of a batch
def escape(text: str) -> str:
    """Any text as literal inline markdown: one line, no control characters, markup escaped."""
    return plain(text).translate(_ESCAPES)


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
            details = [f"Note: {escape(r.note)}"] if r.note else []
            details += [
                f"Why it matters: {escape(q.why)}",
                f"What to do: {escape(q.red_flag or '')}",
            ]
            head = f"**{escape(q.wording(role))}** Answer: {escape(answer_words(q, r.answer))}."
            out += numbered(i, head, details)
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
        flags = s.red_flag_count
        open_ = s.open_count
        out.append(
            f"| {escape(s.section.title)} | {percent(s.score)} | {section_coverage(s)} | {flags} | {open_} |"
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
        details = [f"Your note: {escape(r.note)}"] if r.note else []
        details += [f"A good answer: {escape(q.good_answer)}", f"How to check: {escape(q.verify)}"]
        lines += numbered(i, f"{escape(q.wording(role))} ({state})", details)
    lines.append("")
    return lines


def numbered(number: int, head: str, details: list[str]) -> list[str]:
    """An ordered-list item with a nested bullet list, indented to stay nested past item 9."""
    item = f"{number}. "
    return [item + head, *(f"{' ' * len(item)}- {d}" for d in details)]


def _section_detail(s: SectionResult, report: Report, numbers: dict[str, int]) -> list[str]:
    role = report.role
    out = [f"### {escape(s.section.title)}", ""]
    out += [
        f"Score {percent(s.score)} / 100, coverage {section_coverage(s)}. {escape(s.section.intro)}",
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


def render_comparison_markdown(comparison: Comparison, today: date) -> str:
    """Providers side by side: overview, red flags, sections, then only where they differ."""
    labels = comparison.labels
    many = len(labels) >= MANY_PROVIDERS
    cl = comparison.checklist
    out = [f"# vetcheck comparison of {len(labels)} providers", ""]
    out += ["> A checklist summary to help you compare providers. It is not medical advice.", ""]
    out += [
        f"Checklist: {escape(cl.title)} ({escape(cl.id)} {escape(cl.version)}). Written {today.isoformat()}.",
        "",
    ]
    if comparison.shared_only:
        out += [
            f"These answers were started on different checklist versions ({escape(', '.join(comparison.versions))}), "
            f"so they are compared on the {comparison.compared} questions they share.",
            "",
        ]

    out += ["## Overview", ""]
    out += [
        "| Provider | Grade | Score | Coverage | Red flags | Must ask |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in comparison_rows(comparison):
        out.append(
            f"| {escape(row.label)} | {row.grade} | {row.score} | {row.coverage} | {row.red_flags} | {row.must_ask} |"
        )
    out.append("")

    out += ["## Red flags", ""]
    flagged = [
        (label, r) for label, r in zip(labels, comparison.reports, strict=True) if r.red_flags
    ]
    if not flagged:
        out += ["None of these providers has a red flag among the questions answered.", ""]
    for label, report in flagged:
        count = len(report.red_flags)
        out.append(f"- **{escape(label)}** ({count} red flag{'s' if count != 1 else ''})")
        out += [f"  - {escape(r.question.wording(report.role))}" for r in report.red_flags]
    if flagged:
        out.append("")

    out += ["## Section by section", ""]
    if many:
        for i, section in enumerate(cl.sections):
            out += [
                f"### {escape(section.title)}",
                "",
                "| Provider | Score | Coverage | Red flags |",
                "| --- | --- | --- | --- |",
            ]
            for label, report in zip(labels, comparison.reports, strict=True):
                s = report.sections[i]
                flags = s.red_flag_count
                out.append(
                    f"| {escape(label)} | {percent(s.score)} | {section_coverage(s)} | {flags} |"
                )
            out.append("")
    else:
        out.append("| Section | " + " | ".join(escape(label) for label in labels) + " |")
        out.append("| --- |" + " --- |" * len(labels))
        for i, section in enumerate(cl.sections):
            cells = []
            for report in comparison.reports:
                s = report.sections[i]
                flags = s.red_flag_count
                cells.append(
                    percent(s.score)
                    + (f", {flags} red flag{'s' if flags != 1 else ''}" if flags else "")
                )
            out.append(f"| {escape(section.title)} | " + " | ".join(cells) + " |")
        out += ["", "Each cell is the section score out of 100.", ""]

    out += ["## Where they differ", ""]
    role = comparison.reports[0].role
    if not comparison.differences:
        out += ["The providers gave the same answers to every question compared.", ""]
    elif many:
        for n, d in enumerate(comparison.differences, 1):
            mark = " (a red flag for some)" if d.has_red_flag else ""
            groups: dict[str, list[str]] = {}
            for label, r in zip(labels, d.results, strict=True):
                groups.setdefault(difference_cell(r), []).append(label)
            ordered = sorted(groups.items(), key=lambda kv: "(red flag)" not in kv[0])
            details = [
                f"**{escape(answer)}**: " + ", ".join(escape(name) for name in names)
                for answer, names in ordered
            ]
            out += numbered(n, f"{escape(d.results[0].question.wording(role))}{mark}", details)
        out += ["", "Red flags come first."]
        out.append("")
    else:
        out.append("| Question | " + " | ".join(escape(label) for label in labels) + " |")
        out.append("| --- |" + " --- |" * len(labels))
        for d in comparison.differences:
            cells = [escape(difference_cell(r)) for r in d.results]
            cells = [
                f"**{c}**" if r.status is Status.RED_FLAG else c
                for c, r in zip(cells, d.results, strict=True)
            ]
            out.append(
                f"| {escape(d.results[0].question.wording(role))} | " + " | ".join(cells) + " |"
            )
        out += ["", "Red flags come first."]
        out.append("")

    out += ["## Disclaimer", "", DISCLAIMER, ""]
    return "\n".join(out)


def render_question_sheet(checklist: Checklist, role: Role, setting: str | None = None) -> str:
    """A printable list of questions to take into a consultation, with room for notes.

    With `setting` (an option of the checklist's `setting` question) only the questions that
    apply to that kind of treatment are listed; without it every question is, conditional ones
    marked with when they apply.
    """
    from vetcheck.model import AnswerEntry, Answers, Subject
    from vetcheck.scoring import visible

    values = {} if setting is None else {"setting": AnswerEntry(setting)}
    applies = visible(checklist, Answers.new(checklist, Subject("-"), role, values))
    out = [f"# Questions to ask: {escape(checklist.title)}", ""]
    out += [
        "> Take this sheet to your visit or phone call. Tick each question as you ask it and write down what they say.",
        "",
    ]
    out += [
        "- Clinic or provider: ........................................",
        "- Date: ....................",
        "",
    ]
    if setting is not None:
        label = checklist.question_by_id["setting"].option_label(setting)
        out += [
            f"Treatment: {escape(label)}. Only the questions for this kind of treatment are listed.",
            "",
        ]
    out += [
        "Questions marked **critical** matter most for safety: a no to any of them is a red flag.",
        "",
    ]
    number = 0
    for section in checklist.sections:
        questions = [
            q
            for q in checklist.questions_in(section.id)
            if q.scored and (setting is None or applies[q.id])
        ]
        if not questions:
            continue
        out += [f"## {escape(section.title)}", "", escape(section.intro), ""]
        for q in questions:
            number += 1
            critical = " **critical**" if q.critical else ""
            out.append(f"- ☐ {number}. {escape(q.wording(role))}{critical}")
            if setting is None and q.show_if is not None:
                target = checklist.question_by_id[q.show_if.question]
                labels = " or ".join(target.option_label(v) for v in q.show_if.values)
                out.append(f"  - Only {'if not' if q.show_if.negate else 'for'}: {escape(labels)}")
            out.append(f"  - A good answer: {escape(q.good_answer)}")
            out.append(
                "  - Notes: ...................................................................."
            )
        out.append("")
    out += ["## Entering your answers later", ""]
    out += [
        "1. Run `vetcheck interview` and answer from your notes, or",
        "2. Run `vetcheck template -o clinic.vetcheck.yaml`, write each answer in the file, then run "
        "`vetcheck report clinic.vetcheck.yaml`.",
        "",
        "To carry on with answers you already started, run `vetcheck interview --answers clinic.vetcheck.yaml`.",
        "",
        "## Disclaimer",
        "",
        DISCLAIMER,
        "",
    ]
    return "\n".join(out)


def render_methodology(checklist: Checklist) -> str:
    """How `checklist` scores: the rules, the grades and the weight of each section."""
    out = [f"# How vetcheck scores: {escape(checklist.title)} {escape(checklist.version)}", ""]
    out += [methodology_rules(checklist.scoring), "## Weight by section", ""]
    out += [
        "| Section | Scored questions | Total weight | Critical questions |",
        "| --- | --- | --- | --- |",
    ]
    for section in checklist.sections:
        scored = [q for q in checklist.questions_in(section.id) if q.scored]
        critical = sum(q.critical for q in scored)
        out.append(
            f"| {escape(section.title)} | {len(scored)} | {sum(q.weight for q in scored)} | {critical} |"
        )
    out += [
        "",
        "Questions in conditional sections count only when they apply to the treatment offered.",
        "",
    ]
    return "\n".join(out)


def methodology_rules(rules: ScoringRules) -> str:
    """The scoring rules and the grade table, as markdown (docs/methodology.md embeds it)."""
    lines = [f"- {line}" for line in method_lines(rules)]
    table = ["", "| Grade | Lowest score | Verdict shown |", "| --- | --- | --- |"]
    table += [f"| {b.letter} | {b.min_score} | {escape(b.verdict)} |" for b in rules.grades]
    return "\n".join(lines + table) + "\n"
