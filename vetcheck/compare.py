"""Side-by-side comparison of several providers scored on one checklist. Pure, no I/O."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

from vetcheck.model import (
    Answer,
    AnswerEntry,
    Answers,
    AnswerValue,
    Checklist,
    QuestionResult,
    Report,
    Role,
    Status,
)
from vetcheck.scoring import score


class Difference(NamedTuple):
    """One question on which the providers' answers differ."""

    question_id: str
    results: tuple[QuestionResult, ...]  # one per provider, in provider order

    @property
    def has_red_flag(self) -> bool:
        return any(r.status is Status.RED_FLAG for r in self.results)


@dataclass(frozen=True)
class Comparison:
    checklist: Checklist
    reports: tuple[Report, ...]
    labels: tuple[str, ...]  # unique display names, in the order the files were given
    versions: tuple[str, ...]  # distinct checklist versions the answers were started on
    shared_only: bool  # True when versions differ and only shared questions are compared
    compared: int  # number of questions compared

    @property
    def role(self) -> Role:
        """Whose wording the comparison uses: the role every file shares; else the patient's."""
        roles = {r.role for r in self.reports}
        return roles.pop() if len(roles) == 1 else Role.PATIENT

    @cached_property
    def differences(self) -> tuple[Difference, ...]:
        """Questions whose answers differ between providers, red flags first, then checklist order."""
        found = []
        for i, question in enumerate(self.checklist.questions):
            results = tuple(r.results[i] for r in self.reports)
            if (
                results[0].question.id != question.id
            ):  # pragma: no cover - reports share a checklist
                raise AssertionError("reports are not in checklist order")
            if not any(r.shown for r in results) or len({_shown_answer(r) for r in results}) == 1:
                continue
            found.append(Difference(question.id, results))
        return tuple(sorted(found, key=lambda d: not d.has_red_flag))


def _shown_answer(result: QuestionResult) -> AnswerValue:
    return result.answer if result.shown else "(does not apply)"


def label_for(answers: Answers) -> str:
    return answers.subject.name


def compare(
    checklist: Checklist, answers: Sequence[Answers], role: Role | None = None
) -> Comparison:
    """Score every provider on the same checklist; restrict to shared questions across versions.

    Answers started on different checklist versions are compared only on the questions that
    every file answers (its entries); the others count nowhere, for every provider, so no one
    is marked down for a question their version did not ask. With `role`, every report is
    worded for that reader, whoever answered.
    """
    if role is not None:
        answers = [replace(a, role=role) for a in answers]
    versions = tuple(sorted({a.checklist_version or checklist.version for a in answers}))
    shared_only = len(versions) > 1
    if shared_only:
        common = set(checklist.question_by_id)
        for a in answers:
            common &= set(a.entries)
        # Questions not shared count nowhere, for everyone (as if not applicable).
        outside = {
            qid: AnswerEntry(Answer.NA.value)
            for qid in checklist.question_by_id
            if qid not in common
        }
        answers = [
            replace(a, entries={**{k: v for k, v in a.entries.items() if k in common}, **outside})
            for a in answers
        ]
        compared = len(common)
    else:
        compared = len(checklist.questions)
    reports = tuple(score(checklist, a) for a in answers)
    return Comparison(checklist, reports, _unique_labels(answers), versions, shared_only, compared)


def _unique_labels(answers: Sequence[Answers]) -> tuple[str, ...]:
    names = [label_for(a) for a in answers]
    out = []
    for i, name in enumerate(names):
        if names.count(name) > 1:
            name = f"{name} ({i + 1})"
        out.append(name)
    return tuple(out)
