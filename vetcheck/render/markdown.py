"""Report model → markdown text (CommonMark with GFM tables)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from vetcheck.model import (
    AnswerValue,
    Checklist,
    Question,
    QuestionResult,
    Report,
    Role,
    ScoringRules,
    SectionResult,
    Status,
)
from vetcheck.recheck import recheck
from vetcheck.render import words as w
from vetcheck.render.common import (
    MANY_PROVIDERS,
    answer_words,
    cited_sources,
    coverage_text,
    difference_cell,
    expired,
    finding,
    found_line,
    grade_headline,
    percent,
    plain,
    role_word,
    section_coverage,
)
from vetcheck.render.method import RULES, example_text, method_lines

if TYPE_CHECKING:
    from vetcheck.compare import Comparison
    from vetcheck.diff import Diff
    from vetcheck.places import Place
    from vetcheck.render.sheet import Sheet

# Characters that could start markup inline; a backslash before each keeps any text literal.
# `!` needs none (an image needs a `[`, which is escaped); `~` only where a pair could strike
# text through, and `&` only where it could start an entity (`&amp;`, `&#38;`), so that
# "~900 patients" and "Psychotherapists & Practitioners" stay as written in the raw file.
_MARKUP = "\\`*_[]<>|#"
_ESCAPES = str.maketrans({c: "\\" + c for c in _MARKUP})
_TILDES = str.maketrans({"~": "\\~"})
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")


@lru_cache(maxsize=8192)  # checklist text repeats in every report of a batch
def escape(text: str) -> str:
    """Any text as literal inline markdown: one line, no control characters, markup escaped."""
    text = plain(text)
    if any(c in text for c in _MARKUP):  # most text has none: a scan is cheaper than translate
        text = text.translate(_ESCAPES)
    if text.count("~") > 1:
        text = text.translate(_TILDES)
    return _ENTITY.sub(r"\\&", text) if "&" in text else text


def say(sentence: str, **values: object) -> str:
    """A sentence from `words` with its blanks filled by escaped values."""
    return sentence.format(**{k: escape(str(v)) for k, v in values.items()})


def link(url: str) -> str:
    """An autolink for a plain http(s) URL; anything else is shown as escaped text."""
    url = plain(url)
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else escape(url)


def render_markdown(report: Report, today: date) -> str:
    sub = report.answers.subject
    cl = report.checklist
    role = report.role
    numbers = {s.id: i for i, s in enumerate(cited_sources(report.results, cl.sources), 1)}

    out = [f"# {say(w.REPORT_TITLE, name=sub.name)}", "", f"> {w.REPORT_BANNER[role]}", ""]
    # The verdict first: on a phone, the grade and the first red flag come before any metadata.
    out += [f"## {w.SUMMARY}", ""]
    grade = say(w.GRADE_LINE, headline=grade_headline(report))
    out += [f"**{grade}** {escape(w.verdict(report))}", ""]
    due = recheck(report, today)
    if due.overdue:
        out += [f"**{w.RECHECK}:** {escape(w.recheck_text(due, role))}", ""]
    red, must, other = report.red_flags, report.must_ask, report.open_questions
    out += _table(
        [w.MEASURE, w.RESULT],
        [
            [w.GRADE, w.grade_letter(report)],
            [w.SCORE, escape(w.score_text(report))],
            [w.COVERAGE, say(w.COVERAGE_OF, coverage=coverage_text(report.coverage))],
            [w.RED_FLAGS, str(len(red))],
            [w.MUST_ASK_COUNT, str(len(must))],
            [w.OTHER_OPEN_COUNT, str(len(other))],
        ],
    )

    out += [f"## {w.RED_FLAGS}", ""]
    if red:
        out += [w.RED_FLAGS_INTRO[role], ""]
        for i, r in enumerate(red, 1):
            q = r.question
            head, details = _found(r, role)
            red_flag = q.red_flag[role] if q.red_flag else ""
            details += [f"{w.WHY} {escape(q.why[role])}", f"{w.WHAT_TO_DO} {escape(red_flag)}"]
            details += look_line(w.look_ups(report.where, q, role))
            out += numbered(i, head, details)
        out.append("")
    else:
        out += [w.NO_RED_FLAGS, ""]

    ended = expired(report, today)
    if ended:
        out += [f"## {w.EXPIRED}", "", w.EXPIRED_INTRO[role], ""]
        for i, (source, citing) in enumerate(ended, 1):
            item = say(
                w.EXPIRED_ITEM, citation=source.citation.rstrip("."), until=source.valid_until
            )
            asked = "; ".join(escape(r.question.wording(role)) for r in citing)
            out += numbered(i, item, [f"{w.EXPIRED_QUESTIONS} {asked}"])
        out.append("")

    gaps = report.known_gaps
    if gaps:
        out += [f"## {w.KNOWN_GAPS}", "", w.KNOWN_GAPS_INTRO[role], ""]
        for i, r in enumerate(gaps[: w.KNOWN_GAPS_SHOWN], 1):
            head, details = _found(r, role)
            details.append(f"{w.GOOD_CARE} {escape(r.question.good_answer[role])}")
            out += numbered(i, head, details)
        out.append("")
        if len(gaps) > w.KNOWN_GAPS_SHOWN:
            out += [w.more_gaps(len(gaps) - w.KNOWN_GAPS_SHOWN), ""]

    out += [f"## {w.ASK_NEXT}", ""]
    if not must and not other:
        out += [w.ALL_ANSWERED, ""]
    if must:
        out += [f"### {w.MUST_ASK}", "", w.MUST_ASK_INTRO, "", *_ask_list(must, role, report)]
    if other:
        out += [f"### {w.ALSO_ASK}", "", w.ALSO_ASK_INTRO, "", *_ask_list(other, role, report)]

    out += [f"## {w.ABOUT}", ""]
    if sub.location:
        out.append(f"- **{w.LOCATION}:** {escape(sub.location)}")
    if sub.website:
        out.append(f"- **{w.WEBSITE}:** {link(sub.website)}")
    if report.where is not None:
        fact = w.state_fact(report.where, today, role)
        out.append(f"- **{w.STATE_FOR_LOOKUPS}:** {escape(fact)}")
    gathered = sub.evaluated.isoformat() if sub.evaluated else w.NO_DATE
    out.append(f"- **{w.GATHERED}:** {gathered}")
    out.append(f"- **{w.WRITTEN}:** {today.isoformat()}")
    out.append(f"- **{w.RECHECK}:** {escape(w.recheck_text(due, role))}")
    out.append(f"- **{w.WRITTEN_FOR}:** {role_word(role)}")
    reviewed = cl.last_reviewed.isoformat()
    fact = say(w.CHECKLIST_FACT, title=cl.title, id=cl.id, version=cl.version, reviewed=reviewed)
    out += [f"- **{w.CHECKLIST}:** {fact}", ""]

    out += [f"## {w.SECTION_SCORES}", ""]
    out += _table(
        [w.SECTION, w.SCORE, w.COVERAGE, w.RED_FLAGS, w.OPEN],
        [
            [
                escape(s.section.title),
                w.section_score(s),
                section_coverage(s),
                str(s.red_flag_count),
                str(s.open_count),
            ]
            for s in report.sections
        ],
    )

    out += [f"## {w.ANSWERS_BY_SECTION}", ""]
    for s in report.sections:
        out += _section_detail(s, role, numbers)

    out += [f"## {w.METHOD}", ""]
    out += [f"- {line}" for line in method_lines(cl.scoring)]
    out += [f"- {w.report_method(report)}", ""]

    out += [f"## {w.SOURCES}", ""]
    for source in cl.sources:
        if source.id in numbers:
            tail = f" {link(source.url)}" if source.url else ""
            out.append(f"{numbers[source.id]}. {escape(source.citation)}{tail}")
    if not numbers:
        out.append(w.NO_SOURCES)
    out += ["", f"## {w.DISCLAIMER_HEADING}", "", w.DISCLAIMER[role], ""]
    return "\n".join(out)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table of cells already escaped, and the blank line after it."""
    lines = [f"| {' | '.join(header)} |", "|" + " --- |" * len(header)]
    return [*lines, *(f"| {' | '.join(row)} |" for row in rows), ""]


def _ask_list(results: tuple[QuestionResult, ...], role: Role, report: Report) -> list[str]:
    lines = []
    for i, r in enumerate(results, 1):
        q = r.question
        details = [f"{w.YOUR_NOTE[role]} {escape(r.note)}"] if r.note else []
        details += [
            f"{w.GOOD_ANSWER} {escape(q.good_answer[role])}",
            f"{w.HOW_TO_CHECK} {escape(q.verify[role])}",
            *look_line(w.look_ups(report.where, q, role)),
        ]
        lines += numbered(i, f"{escape(q.wording(role))} ({w.ask_state(r)})", details)
    return [*lines, ""]


def look_line(line: w.LookLine | None) -> list[str]:
    """A question's official look-ups as one detail line (none when it names none)."""
    if line is None:
        return []

    def place(p: Place) -> str:
        if p.url is None:
            return f"{escape(w.place_text(p))} ({w.NO_LINK})"
        unsure = "" if p.confirmed else f" ({w.UNCONFIRMED_PLACE})"
        return f"{escape(w.place_text(p))} {link(p.url)}{unsure}"

    parts = [f"{lead} {'; '.join(map(place, places))}." for lead, places in line.groups()]
    return [" ".join([*parts, *map(escape, line.notes)])]


@lru_cache(maxsize=256)  # a handful of answer words, in every report of a batch
def _answer_line(words: str) -> str:
    return say(w.ANSWER, answer=words)


def _found(r: QuestionResult, role: Role) -> tuple[str, list[str]]:
    """A red flag's or known gap's first line and first details: the finding, where the
    checklist words one, with the question and answer it comes from; else the question."""
    question, words = r.question.wording(role), answer_words(r.question, r.answer, role)
    fact = finding(r, role)
    details = [f"{w.NOTE} {escape(r.note)}"] if r.note else []
    if fact is None:
        return f"**{escape(question)}** {_answer_line(words)}", details
    return f"**{escape(fact)}**", [
        escape(say(w.ASKED[role], question=question, answer=words)),
        *details,
    ]


def numbered(number: int, head: str, details: list[str]) -> list[str]:
    """An ordered-list item with a nested bullet list, indented to stay nested past item 9."""
    item = f"{number}. "
    return [item + head, *(f"{' ' * len(item)}- {d}" for d in details)]


def _section_detail(s: SectionResult, role: Role, numbers: dict[str, int]) -> list[str]:
    line = w.section_line(s)
    out = [f"### {escape(s.section.title)}", "", f"{line} {escape(s.section.intro[role])}", ""]
    shown = [r for r in s.results if r.shown]
    for r in shown:
        q = r.question
        mark = f" {w.CRITICAL}" if q.critical else ""
        answer = _answer_line(answer_words(q, r.answer, role))
        out.append(f"- **{escape(q.wording(role))}**{mark} {answer}")
        if r.note:
            out.append(f"  - {w.NOTE} {escape(r.note)}")
        out.append(f"  - {w.WHY} {escape(q.why[role])} {w.source_refs(q.sources, numbers)}")
    if len(shown) < len(s.results):
        out.append(f"- {w.did_not_apply(len(s.results) - len(shown))}")
    return [*out, ""]


def render_comparison_markdown(comparison: Comparison, today: date) -> str:
    """Providers side by side: overview, red flags, sections, then only where they differ."""
    labels, reports = comparison.labels, comparison.reports
    providers = list(zip(labels, reports, strict=True))
    many = len(labels) >= MANY_PROVIDERS
    cl, role = comparison.checklist, comparison.role
    out = [
        f"# {say(w.COMPARISON_TITLE, count=len(labels))}",
        "",
        f"> {w.COMPARISON_BANNER[role]}",
        "",
    ]
    out += [
        say(w.COMPARISON_CHECKLIST, title=cl.title, id=cl.id, version=cl.version, today=today),
        "",
    ]
    if comparison.shared_only:
        versions = ", ".join(comparison.versions)
        out += [say(w.SHARED_ONLY, versions=versions, count=comparison.compared), ""]

    out += [f"## {w.OVERVIEW}", "", escape(w.lead_text(comparison)), ""]
    out += _table(
        [w.PROVIDER, w.GRADE, w.SCORE, w.COVERAGE, w.RED_FLAGS, w.MUST_ASK],
        [
            [
                escape(label),
                w.grade_letter(r),
                percent(r.score),
                coverage_text(r.coverage),
                str(len(r.red_flags)),
                str(len(r.must_ask)),
            ]
            for label, r in providers
        ],
    )

    out += [f"## {w.RED_FLAGS}", ""]
    flagged = [(label, r) for label, r in providers if r.red_flags]
    if not flagged:
        out.append(w.NO_PROVIDER_RED_FLAGS)
    for label, report in flagged:
        out.append(f"- **{escape(label)}** ({w.count(len(report.red_flags), 'red flag')})")
        out += [f"  - {escape(found_line(r, role))}" for r in report.red_flags]
    out.append("")

    out += [f"## {w.SECTION_BY_SECTION}", ""]
    if many:
        for i, section in enumerate(cl.sections):
            out += [f"### {escape(section.title)}", ""]
            out += _table(
                [w.PROVIDER, w.SCORE, w.COVERAGE, w.RED_FLAGS],
                [
                    [escape(label), percent(s.score), section_coverage(s), str(s.red_flag_count)]
                    for label, s in zip(labels, (r.sections[i] for r in reports), strict=True)
                ],
            )
    else:
        rows = []
        for i, section in enumerate(cl.sections):
            cells = [escape(section.title)]
            for report in reports:
                s = report.sections[i]
                flags = s.red_flag_count
                cells.append(
                    percent(s.score) + (f", {w.count(flags, 'red flag')}" if flags else "")
                )
            rows.append(cells)
        out += _table([w.SECTION, *map(escape, labels)], rows)
        out += [w.CELL_IS_SCORE, ""]

    out += [f"## {w.WHERE_THEY_DIFFER}", ""]
    if not comparison.differences:
        out += [w.SAME_ANSWERS, ""]
    elif many:
        for n, d in enumerate(comparison.differences, 1):
            mark = f" ({w.RED_FLAG_FOR_SOME})" if d.has_red_flag else ""
            groups: dict[str, list[str]] = {}
            for label, r in zip(labels, d.results, strict=True):
                groups.setdefault(difference_cell(r, role), []).append(label)
            ordered = sorted(groups.items(), key=lambda kv: "(red flag)" not in kv[0])
            details = [
                f"**{escape(answer)}**: " + ", ".join(escape(name) for name in names)
                for answer, names in ordered
            ]
            out += numbered(n, f"{escape(d.results[0].question.wording(role))}{mark}", details)
        out += ["", w.RED_FLAGS_FIRST, ""]
    else:
        rows = []
        for d in comparison.differences:
            cells = [escape(d.results[0].question.wording(role))]
            for r in d.results:
                cell = escape(difference_cell(r, role))
                cells.append(f"**{cell}**" if r.status is Status.RED_FLAG else cell)
            rows.append(cells)
        out += _table([w.QUESTION, *map(escape, labels)], rows)
        out += [w.RED_FLAGS_FIRST, ""]

    out += [f"## {w.DISCLAIMER_HEADING}", "", w.DISCLAIMER[role], ""]
    return "\n".join(out)


def render_question_sheet(sheet: Sheet) -> str:
    """A printable list of questions to take into a consultation, with room for notes
    (render/sheet.py chooses the questions: by route, or critical only)."""
    from vetcheck.render.sheet import BLANKS, CRITICAL_NOTE

    role = sheet.role
    out = [f"# {escape(sheet.title)}", "", f"> {escape(sheet.lead)}", ""]
    out += [f"- {label}: {'.' * dots}" for label, dots in BLANKS] + [""]
    if sheet.route_label is not None:
        out += [
            f"Treatment: {escape(sheet.route_label)}. Only the questions for this kind of treatment are listed.",
            "",
        ]
    if sheet.state_fact is not None:
        out += [f"{w.STATE_FOR_LOOKUPS}: {escape(sheet.state_fact)}", ""]
    if not sheet.critical_only:
        out += [CRITICAL_NOTE.replace("critical", "**critical**", 1), ""]
    for title, intro, items in sheet.sections:
        out += [f"## {escape(title)}", "", escape(intro), ""]
        for item in items:  # numbered as in the interview and the answers file
            critical = " **critical**" if item.question.critical and not sheet.critical_only else ""
            bad = f" ({w.YES_IS_BAD})" if item.yes_is_bad else ""
            out.append(f"- ☐ Q{item.number}. {escape(item.text)}{critical}{bad}")
            if item.only is not None:
                out.append(f"  - {escape(item.only)}")
            if item.options:
                out.append("  - " + " ".join(f"☐ {escape(label)}" for label in item.options))
            if not sheet.critical_only:
                out.append(f"  - {w.GOOD_ANSWER} {escape(item.good_answer)}")
                out += [f"  - {line}" for line in look_line(item.look)]
            out.append("  - Notes: " + "." * 68)
        out.append("")
    heading, interview, template, resume = w.SHEET_LATER[role]
    out += [f"## {heading}", ""]
    out += [
        "Each question has the same number (like Q3) here, in `vetcheck interview` and in the answers file.",
        "",
        interview,
        template,
        "",
        resume,
        "",
        "## Disclaimer",
        "",
        w.DISCLAIMER[role],
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
    """The scoring rules, each with its worked example, and the grade table, as markdown.

    docs/methodology.md embeds it.
    """
    lines = []
    for line, rule in zip(method_lines(rules), RULES, strict=True):
        lines += [f"- {line}", f"  - {example_text(rule.example, rules)}"]
    table = ["", "| Grade | Lowest score | Verdict shown |", "| --- | --- | --- |"]
    table += [f"| {b.letter} | {b.min_score} | {escape(b.verdict.patient)} |" for b in rules.grades]
    return "\n".join(lines + table) + "\n"


def render_diff_markdown(diff: Diff, today: date) -> str:
    """What changed between two answers files for one clinic: grade, red flags raised and
    cleared, answers and notes, and questions new in the newer checklist."""
    from vetcheck.compare import shown_name

    old, new = diff.old, diff.new
    role, cl = new.role, new.checklist
    names = {
        "old": shown_name(old.answers.subject.name),
        "new": shown_name(new.answers.subject.name),
    }
    title = (
        say(w.DIFF_TITLE, name=names["new"]) if diff.same_clinic else say(w.DIFF_TITLE_TWO, **names)
    )
    out = [f"# {title}", ""]
    out += [f"> {w.DIFF_BANNER[role]}", ""]
    before, after = diff.versions
    for lead, report, version in ((w.BEFORE, old, before), (w.AFTER, new, after)):
        sub = report.answers
        fact = say(
            w.DIFF_FILE,
            file=sub.path or "-",
            evaluated=sub.subject.evaluated or w.NO_DATE,
            version=version,
        )
        out.append(f"- **{lead}:** {fact}")
    out.append("")
    if not diff.same_clinic:
        out += [say(w.DIFF_OTHER_CLINIC, **names), ""]
    if diff.same_file:
        out += [w.DIFF_SAME_FILE, ""]
    if diff.out_of_order:
        out += [w.DIFF_OUT_OF_ORDER, ""]
    if before != after:
        out += [say(w.DIFF_VERSIONS, old=before, new=after, now=cl.version), ""]

    out += [f"## {w.GRADE_MOVED}", ""]
    moved = f"{grade_headline(old)} → {grade_headline(new)}"
    out += [f"**{escape(moved)}** ({w.MOVEMENT[diff.movement]}).", ""]

    for heading, results in ((w.RAISED, diff.raised), (w.CLEARED, diff.cleared)):
        out += [f"## {heading} ({len(results)})", ""]
        lines = [f"- {escape(found_line(r, role))}" for r in results]
        out += [*(lines or [w.NO_CHANGES]), ""]

    changed = diff.answers_changed
    out += [f"## {w.ANSWERS_CHANGED} ({len(changed)})", ""]
    if changed:
        rows = [
            [
                f"Q{cl.number(c.question.id)}",
                escape(c.question.wording(role)),
                escape(_was(c.question, c.old, role)),
                escape(_was(c.question, c.new, role)),
            ]
            for c in changed
        ]
        out += _table(["Q", w.QUESTION, w.BEFORE, w.AFTER], rows)
    else:
        out += [w.NO_CHANGES, ""]

    notes = diff.notes_changed
    out += [f"## {w.NOTES_CHANGED} ({len(notes)})", ""]
    for c in notes:
        head = f"Q{cl.number(c.question.id)}. {escape(c.question.wording(role))}"
        out += [f"- **{head}**"]
        out.append(f"  - {w.BEFORE}: {escape(c.old_note) if c.old_note else w.NO_NOTE}")
        out.append(f"  - {w.AFTER}: {escape(c.new_note) if c.new_note else w.NO_NOTE}")
    out += ([] if notes else [w.NO_CHANGES]) + [""]

    fresh = diff.new_questions
    if before != after:  # only files on two versions can differ in what they were asked
        out += [f"## {w.NEW_QUESTIONS} ({len(fresh)})", ""]
    if fresh:
        out += [w.NEW_QUESTIONS_INTRO[role], ""]
        for q in fresh:
            entry = new.answers.entries[q.id]
            line = f"Q{cl.number(q.id)}. {escape(q.wording(role))} {_answer_line(answer_words(q, entry.value, role))}"
            out.append(f"- {line}")
        out.append("")
    elif before != after:
        out += [w.NO_CHANGES, ""]
    out += [f"## {w.DISCLAIMER_HEADING}", "", w.DISCLAIMER[role], ""]
    return "\n".join(out)


def _was(question: Question, value: AnswerValue | None, role: Role) -> str:
    return w.NOT_ANSWERED if value is None else answer_words(question, value, role)
