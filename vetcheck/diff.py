"""What changed between two answers files for one clinic: answers, notes, red flags, grade,
and questions that are new in the newer checklist. Pure: the caller loads, checks and scores.

Both files are scored on one checklist (the newer one's, normally the built-in), each as its
own report would be: an answer to a question a newer version replaced counts for its
replacement, as `vetcheck report` says when it reads the older file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from vetcheck.compare import rank_key, shown_name
from vetcheck.model import AnswerValue, Question, QuestionResult, Report, Status


class Changed(NamedTuple):
    """One question whose answer or note differs; `old`/`new` are None where the file does
    not answer it (a question new in the newer checklist, or one left out by hand)."""

    question: Question
    old: AnswerValue | None
    new: AnswerValue | None
    old_note: str | None
    new_note: str | None

    @property
    def answer_changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class Diff:
    old: Report
    new: Report
    same_file: bool = False  # the caller's to say: both paths name one file (links, ./, ..)

    @property
    def same_clinic(self) -> bool:
        """Whether the names look the same to a reader (spacing, invisible characters, case)."""
        names = (self.old.answers.subject.name, self.new.answers.subject.name)
        return len({shown_name(n).casefold() for n in names}) == 1

    @property
    def versions(self) -> tuple[str, str]:
        """The checklist versions the two files were answered on."""
        now = self.new.checklist.version
        return (
            self.old.answers.checklist_version or now,
            self.new.answers.checklist_version or now,
        )

    @property
    def out_of_order(self) -> bool:
        """The 'old' file was gathered after the 'new' one, or answered on a later checklist."""
        old, new = self.old.answers.subject.evaluated, self.new.answers.subject.evaluated
        if old is not None and new is not None and old != new:
            return old > new
        return _version(self.versions[0]) > _version(self.versions[1])

    @cached_property
    def new_questions(self) -> tuple[Question, ...]:
        """Questions the newer file's checklist version asks that the older file's did not:
        written in the newer file, absent from the older (after replaced ids are carried)."""
        if self.old.answers.checklist_version == self.new.answers.checklist_version:
            return ()
        old, new = self.old.answers.entries, self.new.answers.entries
        return tuple(q for q in self.new.checklist.questions if q.id in new and q.id not in old)

    @cached_property
    def changes(self) -> tuple[Changed, ...]:
        """Questions whose answer or note differs, in checklist order; new questions are listed
        on their own (`new_questions`), not here."""
        fresh = {q.id for q in self.new_questions}
        out = []
        for q in self.new.checklist.questions:
            if q.id in fresh:
                continue
            a, b = self.old.answers.entries.get(q.id), self.new.answers.entries.get(q.id)
            old = None if a is None else a.value
            new = None if b is None else b.value
            old_note = None if a is None else a.note
            new_note = None if b is None else b.note
            if old != new or (old_note or "") != (new_note or ""):
                out.append(Changed(q, old, new, old_note, new_note))
        return tuple(out)

    @property
    def answers_changed(self) -> tuple[Changed, ...]:
        return tuple(c for c in self.changes if c.answer_changed)

    @property
    def notes_changed(self) -> tuple[Changed, ...]:
        """A note added, changed or removed, whether or not the answer changed too."""
        return tuple(c for c in self.changes if (c.old_note or "") != (c.new_note or ""))

    @cached_property
    def raised(self) -> tuple[QuestionResult, ...]:
        """Red flags in the newer file that the older did not have."""
        before = {r.question.id for r in self.old.results if r.status is Status.RED_FLAG}
        return tuple(r for r in self.new.red_flags if r.question.id not in before)

    @cached_property
    def cleared(self) -> tuple[QuestionResult, ...]:
        """Red flags of the older file that the newer no longer has (the older's results)."""
        after = {r.question.id for r in self.new.results if r.status is Status.RED_FLAG}
        return tuple(r for r in self.old.red_flags if r.question.id not in after)

    @property
    def movement(self) -> int:
        """-1 worse, 0 the same, 1 better: by letter first (no letter is worst), then score."""
        old, new = rank_key(self.old)[:3], rank_key(self.new)[:3]
        return (old > new) - (old < new)


def _version(text: str) -> tuple[int, ...]:
    """'2.10.0' as (2, 10, 0), to order versions; what is not a number counts as 0."""
    return tuple(int(part) if part.isdecimal() else 0 for part in text.split("."))
