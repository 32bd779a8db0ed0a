"""Side-by-side comparison of several providers scored on one checklist. Pure, no I/O."""

import unicodedata
from collections import Counter
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
    Subject,
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


def shown_name(name: str) -> str:
    """A name as a reader sees it: invisible format characters (zero-width spaces, direction
    marks) and controls dropped, runs of spaces, tabs and line breaks made one space."""
    kept = "".join(c if c.isprintable() else " " if c.isspace() else "" for c in name)
    return " ".join(kept.split())


def _same_name_key(name: str) -> str:
    """Names a reader would take for the same clinic: the same once shown, whatever the case
    or the Unicode form."""
    return unicodedata.normalize("NFKC", shown_name(name)).casefold()


def unique_labels(subjects: Sequence[Subject]) -> tuple[str, ...]:
    """A label per file that no other file's label looks like: its name as shown; where names
    look alike, the date the answers were gathered; where that does not tell them apart either,
    the file's place in the list (given order, from 1)."""
    names = [shown_name(s.name) or "(no name)" for s in subjects]
    alike = Counter(map(_same_name_key, names))
    labels = [
        f"{name} ({s.evaluated or 'no date'})" if alike[_same_name_key(name)] > 1 else name
        for name, s in zip(names, subjects, strict=True)
    ]
    alike = Counter(map(_same_name_key, labels))
    labels = [
        label
        if alike[_same_name_key(label)] == 1
        else f"{label[:-1]}, file {i})"
        if label.endswith(")")
        else f"{label} (file {i})"
        for i, label in enumerate(labels, 1)
    ]
    # A name that is itself written like a label ("A (no date, file 2)") can still collide:
    # each such one gets its place again until none does (the places differ, so it ends).
    alike = Counter(map(_same_name_key, labels))
    while len(alike) < len(labels):
        labels = [
            f"{label} [{i}]" if alike[_same_name_key(label)] > 1 else label
            for i, label in enumerate(labels, 1)
        ]
        alike = Counter(map(_same_name_key, labels))
    return tuple(labels)


def rank_key(report: Report) -> tuple[bool, int, float, int, float]:
    """Best first: no red flag, then the better letter (no letter last), the higher score, fewer
    must-ask questions, then more answered."""
    letter = report.grade.letter
    rank = (
        len(report.checklist.scoring.grades)
        if letter is None
        else report.checklist.scoring.rank(letter)
    )
    score_ = -1.0 if report.score is None else report.score
    return (bool(report.red_flags), rank, -score_, len(report.must_ask), -report.coverage)


class Lead(NamedTuple):
    """Which provider of a comparison leads: `best` is its index; `level` the indexes of any
    others that rank the same; `runner_up` the next one below them, if any."""

    best: int
    level: tuple[int, ...]
    runner_up: int | None


def lead(reports: Sequence[Report]) -> Lead | None:
    """The provider that leads, by `rank_key`; None when none can lead: every one has a red
    flag, or none has a letter yet."""
    keys = [rank_key(r) for r in reports]
    order = sorted(range(len(reports)), key=lambda i: keys[i])
    best = order[0]
    if keys[best][0] or reports[best].grade.letter is None:
        return None
    level = tuple(i for i in order[1:] if keys[i] == keys[best])
    below = [i for i in order[1:] if keys[i] != keys[best]]
    return Lead(best, level, below[0] if below else None)


def compare(
    checklist: Checklist,
    answers: Sequence[Answers],
    role: Role | None = None,
    best_first: bool = False,
) -> Comparison:
    """Score every provider on the same checklist; restrict to shared questions across versions.

    Answers started on different checklist versions are compared only on the questions that
    every file answers (its entries); the others count nowhere, for every provider, so no one
    is marked down for a question their version did not ask. With `role`, every report is
    worded for that reader, whoever answered; with `best_first`, providers are listed by
    `rank_key` rather than in the order given.
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
    labels = unique_labels([a.subject for a in answers])
    if best_first:  # a stable sort: equals keep the order they were given in
        order = sorted(range(len(reports)), key=lambda i: rank_key(reports[i]))
        reports, labels = tuple(reports[i] for i in order), tuple(labels[i] for i in order)
    return Comparison(checklist, reports, labels, versions, shared_only, compared)
