"""Wording shared by every report format, so they all say the same thing."""

import re
from collections.abc import Iterable
from datetime import date

from vetcheck.model import (
    Answer,
    AnswerValue,
    Cap,
    Question,
    QuestionResult,
    Report,
    Role,
    SectionResult,
    Source,
    Status,
)
from vetcheck.scoring import round_half_up

ANSWER_WORDS = {
    Answer.YES.value: "Yes",
    Answer.PARTLY.value: "Partly",
    Answer.NO.value: "No",
    Answer.UNKNOWN.value: "Don't know yet",
    Answer.NA.value: "Not applicable",
}

# C0/C1 control characters (terminal escapes among them); tabs and newlines become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
# The bidirectional embeddings, overrides and isolates, which make a terminal or page show text
# in another order than it is written (a note could show its words reversed). Removed with
# str.translate: in the pattern above, these code points cost ~2 M instructions to compile.
_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def plain(text: str) -> str:
    """One line of text with control characters removed, safe to place in any format."""
    if text.isprintable() and "  " not in text:  # the common case, without regexes
        return text.strip()
    return _SPACE.sub(" ", _CONTROL.sub("", text.translate(_BIDI))).strip()


def answer_words(question: Question, answer: AnswerValue, role: Role) -> str:
    if isinstance(answer, tuple):  # several options at once
        return " and ".join(answer_words(question, a, role) for a in answer)
    if question.options:
        return (
            question.option_label(answer, role)
            if answer in {o.id for o in question.options}
            else ANSWER_WORDS.get(answer, answer)
        )
    return ANSWER_WORDS.get(answer, answer)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round_half_up(value)}"


def coverage_text(coverage: float) -> str:
    return f"{round_half_up(coverage * 100)}%"


def section_coverage(section: SectionResult) -> str:
    """A section's coverage, or a dash when nothing in it applies."""
    return "—" if section.applicable_weight == 0 else coverage_text(section.coverage)


def grade_headline(report: Report) -> str:
    """'B (84 / 100)', 'F (84 / 100, capped from B by 1 red flag)' or 'Incomplete (…)'."""
    grade = report.grade
    score = "no score" if report.score is None else f"{percent(report.score)} / 100"
    unsettled = count(len(report.must_ask), "safety point")
    if grade.letter is None:
        return f"Incomplete ({short_incomplete_reason(report)})"
    if grade.capped_by is Cap.RED_FLAG:
        flags = count(len(report.red_flags), "red flag")
        if report.score is None:
            return f"{grade.letter} ({flags}; too few answers for a score)"
        if grade.capped_from:
            return f"{grade.letter} ({score}, capped from {grade.capped_from} by {flags})"
        return f"{grade.letter} ({score}, {flags})"
    if grade.capped_by is Cap.MUST_ASK:
        return f"{grade.letter} ({score}, capped from {grade.capped_from}: {unsettled} not settled)"
    if report.must_ask:
        return f"{grade.letter} ({score}; {unsettled} not settled)"
    return f"{grade.letter} ({score})"


def short_incomplete_reason(report: Report) -> str:
    """A few words for a headline; incomplete_reason says it in full."""
    if not any(s.applicable_weight for s in report.sections) or report.coverage == 0:
        return incomplete_reason(report)
    needed = report.checklist.scoring.min_coverage
    return f"{coverage_text(report.coverage)} answered, {needed}% needed"


def incomplete_reason(report: Report) -> str:
    """Why there is no score or letter yet, and what would give one."""
    if not any(s.applicable_weight for s in report.sections):
        return "no scored question applies to these answers"
    if report.coverage == 0:
        return "nothing answered yet"
    needed = report.checklist.scoring.min_coverage
    more = count(report.answers_needed, "more answer")
    return (
        f"{coverage_text(report.coverage)} of what applies is answered and {needed}% is needed "
        f"for a score: at least {more}, most important first{answer_first(report)}"
    )


def answer_first(report: Report) -> str:
    """While the route (or reason) is unknown: answer it first, since it rules questions out."""
    choices = [r for r in report.must_ask if not r.question.scored]
    if not choices:
        return ""
    return f'. Answer "{choices[0].question.wording(report.role)}" first: the list will get shorter'


def finding(result: QuestionResult, role: Role) -> str | None:
    """A bad answer said as the fact found, where the checklist words it; else None."""
    q = result.question
    return q.finding[role] if q.finding and result.answer == q.bad_answer else None


def found_line(result: QuestionResult, role: Role) -> str:
    """One line for a red flag or known gap in a short list: the finding, else question (answer)."""
    q = result.question
    return finding(result, role) or f"{q.wording(role)} ({answer_words(q, result.answer, role)})"


def count(n: int, noun: str) -> str:
    """'1 red flag', '2 red flags'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def cited_sources(results: Iterable[QuestionResult], sources: Iterable[Source]) -> list[Source]:
    """Sources cited by the given questions, in the checklist's order."""
    wanted = {sid for r in results for sid in r.question.sources}
    return [s for s in sources if s.id in wanted]


def expired(report: Report, today: date) -> list[tuple[Source, list[QuestionResult]]]:
    """Cited sources whose rule ended before `today`, with the questions shown that cite them."""
    found = []
    for source in report.checklist.expired_sources(today):
        citing = [r for r in report.results if r.shown and source.id in r.question.sources]
        if citing:
            found.append((source, citing))
    return found


def role_word(role: Role) -> str:
    return "patient" if role is Role.PATIENT else "referring clinician"


# Providers at which a comparison switches to a layout that stays readable (tables per section).
MANY_PROVIDERS = 10


def difference_cell(result: QuestionResult, role: Role) -> str:
    """One provider's answer in a comparison, with its red flag named in words."""
    if not result.shown:
        return "Does not apply"
    words = answer_words(result.question, result.answer, role)
    return f"{words} (red flag)" if result.status is Status.RED_FLAG else words
