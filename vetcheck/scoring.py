"""Turn a checklist and its answers into a scored report. Pure functions, no I/O.

The method is explained in docs/methodology.md and printed by `vetcheck methodology`.
"""

from __future__ import annotations

import math

from vetcheck.model import (
    UNKNOWN,
    Answer,
    Answers,
    AnswerValue,
    Cap,
    Checklist,
    Grade,
    Kind,
    Question,
    QuestionResult,
    Report,
    ScoringRules,
    SectionResult,
    Status,
)


def round_half_up(value: float) -> int:
    """Round as people do (84.5 → 85); Python's round() would give 84."""
    return math.floor(value + 0.5)


def visible(checklist: Checklist, answers: Answers) -> dict[str, bool]:
    """Which questions apply, given the answers to the choice questions they depend on.

    A question whose controlling question is itself hidden is hidden too.
    """
    shown: dict[str, bool] = {}
    for q in checklist.questions:  # asking order: conditions only look back
        cond = q.show_if
        shown[q.id] = cond is None or (
            shown[cond.question] and cond.holds(answers.value(cond.question))
        )
    return shown


def status_of(
    question: Question, answer: AnswerValue, shown: bool, controls: bool = False
) -> Status:
    """Where a question's result lands. `controls`: other questions depend on its answer.

    A question another known answer rules out does not apply, whatever it was answered (a
    patient may answer every line of a template: "no, they do not offer Spravato"). One that
    may apply is never hidden by an unknown: an unknown choice that others depend on (how the
    treatment is given) is a must-ask, and a critical question that applies cannot be waved
    away as n/a: that is a must-ask too.
    """
    if not shown:
        return Status.NOT_APPLICABLE
    if not question.scored:
        return Status.MUST_ASK if controls and answer == UNKNOWN else Status.CONTEXT
    if question.critical:
        if answer == question.bad_answer:
            return Status.RED_FLAG
        if answer in (UNKNOWN, Answer.PARTLY, Answer.NA):
            return Status.MUST_ASK
    if answer == Answer.NA:
        return Status.NOT_APPLICABLE
    if answer == UNKNOWN:
        return Status.OPEN
    return Status.ANSWERED


def score(checklist: Checklist, answers: Answers) -> Report:
    """Score answers (already checked against this checklist) into a report model."""
    shown = visible(checklist, answers)
    rules = checklist.scoring
    controlling = checklist.controlling_ids
    entries = answers.entries
    sections = []
    earned = 0.0
    answered_weight = applicable_weight = red_flags = unsettled = 0
    for section in checklist.sections:
        results = []
        s_earned = 0.0
        s_answered = s_applicable = s_flags = s_open = 0
        for q in checklist.questions_in(section.id):
            entry = entries.get(q.id)
            answer = UNKNOWN if entry is None else entry.value
            applies = shown[q.id]
            status = status_of(q, answer, applies, q.id in controlling)
            results.append(
                QuestionResult(q, answer, None if entry is None else entry.note, applies, status)
            )
            if status is Status.RED_FLAG:
                s_flags += 1
            elif status is Status.MUST_ASK:
                unsettled += 1
                s_open += 1
            elif status is Status.OPEN:
                s_open += 1
            if q.kind is not Kind.YES_NO or status is Status.NOT_APPLICABLE:
                continue
            s_applicable += q.weight
            credit = q.credit(answer)
            if credit is not None:
                s_answered += q.weight
                s_earned += q.weight * credit
        sections.append(
            SectionResult(
                section=section,
                # As for the whole report: no number from too few answers.
                score=_percent(s_earned, s_answered)
                if s_answered * 100 >= rules.min_coverage * s_applicable
                else None,
                coverage=s_answered / s_applicable if s_applicable else 0.0,
                earned=s_earned,
                answered_weight=s_answered,
                applicable_weight=s_applicable,
                results=tuple(results),
                red_flag_count=s_flags,
                open_count=s_open,
            )
        )
        red_flags += s_flags
        earned += s_earned
        answered_weight += s_answered
        applicable_weight += s_applicable
    coverage = answered_weight / applicable_weight if applicable_weight else 0.0
    enough = (
        applicable_weight > 0 and answered_weight * 100 >= rules.min_coverage * applicable_weight
    )
    # No number from too few answers: one "partly" out of fifty is not a score of 50.
    total = _percent(earned, answered_weight) if enough else None
    return Report(
        checklist=checklist,
        answers=answers,
        score=total,
        coverage=coverage,
        grade=grade(rules, total, enough, red_flags, unsettled),
        sections=tuple(sections),
        answers_needed=0
        if enough
        else _answers_needed(sections, rules, answered_weight, applicable_weight),
    )


def _answers_needed(
    sections: list[SectionResult], rules: ScoringRules, answered: int, applicable: int
) -> int:
    """The fewest further answers (heaviest questions first) that reach the coverage minimum."""
    open_weights = sorted(
        (
            r.question.weight
            for s in sections
            for r in s.results
            if r.question.scored
            and r.status is not Status.NOT_APPLICABLE
            and r.question.credit(r.answer) is None
        ),
        reverse=True,
    )
    needed = 0
    for weight in open_weights:
        if answered * 100 >= rules.min_coverage * applicable:
            break
        answered += weight
        needed += 1
    return needed


def _percent(earned: float, weight: int) -> float | None:
    return None if weight == 0 else 100.0 * earned / weight


def grade(
    rules: ScoringRules,
    score: float | None,
    enough_coverage: bool,
    red_flags: int,
    unsettled: int = 0,
) -> Grade:
    """The letter for a score, capped by red flags and by unsettled critical questions.

    Red flags override low coverage: a known failure is enough to say the result is poor.
    Below the coverage minimum there is otherwise no letter. While a critical question is
    unknown or only partly met (`unsettled`), the letter is at best the must-ask cap.
    """
    if red_flags:
        by_score = (
            rules.red_flag_cap if score is None else rules.band_for(round_half_up(score)).letter
        )
        letter = max(by_score, rules.red_flag_cap, key=rules.rank)
        capped_from = by_score if letter != by_score else None
        return Grade(letter, rules.red_flag_verdict, capped_from, Cap.RED_FLAG)
    if score is None or not enough_coverage:
        return Grade(None, rules.incomplete_verdict)
    band = rules.band_for(round_half_up(score))
    if unsettled and rules.rank(band.letter) < rules.rank(rules.must_ask_cap):
        return Grade(rules.must_ask_cap, rules.must_ask_verdict, band.letter, Cap.MUST_ASK)
    return Grade(band.letter, band.verdict)
