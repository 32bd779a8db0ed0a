"""The data vetcheck works on: checklists, answers and scored reports. No I/O here.

Small immutable values are NamedTuples: a frozen dataclass costs ~0.85 ms to create at import,
a NamedTuple ~0.13 ms, and every command pays for these at start-up (docs/performance.md).
The three aggregates that cache derived data stay frozen dataclasses.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple


class Role(StrEnum):
    """Who is answering: the wording of questions and reports follows it."""

    PATIENT = "patient"
    REFERRER = "referrer"


class Kind(StrEnum):
    """How a question is answered."""

    YES_NO = "yes_no"  # yes / partly / no, scored
    CHOICE = "choice"  # one option from a list, context only (never scored)


class Answer(StrEnum):
    """The answers a yes/no question accepts."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNKNOWN = "unknown"
    NA = "n/a"


# Credit toward the score; unknown and n/a earn none and are kept out of the score.
CREDIT: Mapping[str, float] = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}

UNKNOWN = Answer.UNKNOWN.value
YES_NO_VALUES = tuple(a.value for a in Answer)


class Source(NamedTuple):
    """A citable source that questions point to."""

    id: str
    citation: str
    url: str | None = None


class Section(NamedTuple):
    """A group of questions on one theme."""

    id: str
    title: str
    intro: str


class Option(NamedTuple):
    """One value a choice question accepts."""

    id: str
    label: str


class Condition(NamedTuple):
    """Show a question only when an earlier choice question's answer is (or is not) listed."""

    question: str
    values: tuple[str, ...]
    negate: bool = False

    def holds(self, value: str | None) -> bool:
        """Whether the condition is met by the controlling question's answer.

        An unanswered or unknown controlling question hides the dependent question:
        we cannot tell whether it applies.
        """
        if value is None or value == UNKNOWN:
            return False
        return (value in self.values) != self.negate


class Question(NamedTuple):
    """One question of a checklist, with everything needed to ask, explain and score it."""

    id: str
    section: str
    text: Mapping[Role, str]
    why: str
    good_answer: str
    verify: str
    sources: tuple[str, ...]
    kind: Kind = Kind.YES_NO
    weight: int = 1
    critical: bool = False
    red_flag: str | None = None
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()

    def wording(self, role: Role) -> str:
        """The question as put to this role; referrer wording falls back to the patient's."""
        return self.text.get(role) or self.text[Role.PATIENT]

    @property
    def scored(self) -> bool:
        return self.kind is Kind.YES_NO

    def accepts(self) -> tuple[str, ...]:
        """Every answer value this question accepts, in display order."""
        if self.kind is Kind.CHOICE:
            return (*(o.id for o in self.options), UNKNOWN)
        return YES_NO_VALUES

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.id == value:
                return option.label
        return value


class GradeBand(NamedTuple):
    """A letter grade and the lowest score (0-100) that earns it."""

    letter: str
    min_score: int
    verdict: str


class ScoringRules(NamedTuple):
    """Cut points and caps; they live in the checklist so clinicians can review them."""

    grades: tuple[GradeBand, ...]
    min_coverage: int  # percent of applicable weight that must be answered for a letter
    red_flag_cap: str  # the best letter a provider with any red flag can get
    incomplete_verdict: str = (
        "Not enough answers to grade yet. Ask the open questions below, then run the report again."
    )
    red_flag_verdict: str = "Red flags found: do not book until each one below is resolved."

    def band_for(self, score: int) -> GradeBand:
        for band in self.grades:  # ordered best first, validated by the loader
            if score >= band.min_score:
                return band
        return self.grades[-1]

    def rank(self, letter: str) -> int:
        """0 for the best letter; larger is worse."""
        return [b.letter for b in self.grades].index(letter)


DEFAULT_SCORING = ScoringRules(
    grades=(
        GradeBand("A", 90, "Strong answers on the points that matter most."),
        GradeBand("B", 80, "Good overall, with a few gaps to ask about."),
        GradeBand("C", 70, "Mixed: several important gaps to resolve before you decide."),
        GradeBand("D", 60, "Weak: many safety and quality gaps."),
        GradeBand("F", 0, "Poor: this provider falls short on basic safety and quality."),
    ),
    min_coverage=70,
    red_flag_cap="F",
)


@dataclass(frozen=True)
class Checklist:
    """A question bank: sections, questions, sources and scoring rules."""

    id: str
    title: str
    version: str
    last_reviewed: date
    audience: Mapping[Role, str]
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    scoring: ScoringRules = DEFAULT_SCORING
    path: str = field(default="", compare=False)

    @cached_property
    def question_by_id(self) -> Mapping[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def source_by_id(self) -> Mapping[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def content_hash(self) -> str:
        """A short digest of what questions mean and how they score, not of their prose.

        Rewording a `why` keeps answers valid; changing ids, options, conditions or weights
        changes the hash, so an answers file can tell it was started on different questions.
        """
        import hashlib  # only when a hash is needed
        import json

        canon = [
            [
                q.id,
                q.section,
                q.kind.value,
                q.weight,
                q.critical,
                [o.id for o in q.options],
                None
                if q.show_if is None
                else [q.show_if.question, q.show_if.values, q.show_if.negate],
            ]
            for q in self.questions
        ]
        digest = hashlib.sha256(json.dumps(canon, separators=(",", ":")).encode())
        return "sha256:" + digest.hexdigest()[:16]

    @cached_property
    def _by_section(self) -> Mapping[str, tuple[Question, ...]]:
        groups: dict[str, list[Question]] = {s.id: [] for s in self.sections}
        for q in self.questions:
            groups.setdefault(q.section, []).append(q)
        return {k: tuple(v) for k, v in groups.items()}

    def questions_in(self, section_id: str) -> tuple[Question, ...]:
        return self._by_section.get(section_id, ())


class Subject(NamedTuple):
    """The clinic or provider being evaluated."""

    name: str
    location: str | None = None
    website: str | None = None
    evaluated: date | None = None


class AnswerEntry(NamedTuple):
    """One answer as the person gave it, with an optional note."""

    value: str
    note: str | None = None


@dataclass(frozen=True)
class Answers:
    """A filled (or partly filled) answers file."""

    checklist_id: str
    checklist_version: str | None
    checklist_hash: str | None
    subject: Subject
    role: Role
    entries: Mapping[str, AnswerEntry]
    path: str = field(default="", compare=False)
    # Line of each entry in the file, so problems found against a checklist can point at it.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def value(self, question_id: str) -> str | None:
        entry = self.entries.get(question_id)
        return None if entry is None else entry.value


class Status(StrEnum):
    """Where a question's result lands in the report."""

    RED_FLAG = "red_flag"  # critical question answered no
    MUST_ASK = "must_ask"  # critical question unknown or only partly met
    OPEN = "open"  # other question not yet answered
    ANSWERED = "answered"
    NOT_APPLICABLE = "n/a"  # answered n/a, or hidden by a condition
    CONTEXT = "context"  # a choice question


class QuestionResult(NamedTuple):
    question: Question
    answer: str  # "unknown" when the answers file has no entry
    note: str | None
    shown: bool
    status: Status


class SectionResult(NamedTuple):
    section: Section
    score: float | None  # 0-100 over answered questions, None when none are answered
    coverage: float  # 0-1, answered weight over applicable weight
    earned: float
    answered_weight: int
    applicable_weight: int
    results: tuple[QuestionResult, ...]

    @property
    def red_flag_count(self) -> int:
        return sum(r.status is Status.RED_FLAG for r in self.results)

    @property
    def open_count(self) -> int:
        return sum(r.status in (Status.MUST_ASK, Status.OPEN) for r in self.results)


class Grade(NamedTuple):
    """A letter, or None when coverage is too low to grade; capped_from names the uncapped letter."""

    letter: str | None
    verdict: str
    capped_from: str | None = None


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs; computed by scoring.score, free of formatting."""

    checklist: Checklist
    answers: Answers
    score: float | None
    coverage: float
    grade: Grade
    sections: tuple[SectionResult, ...]

    @cached_property
    def results(self) -> tuple[QuestionResult, ...]:
        return tuple(r for s in self.sections for r in s.results)

    def with_status(self, status: Status) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.status is status)

    @property
    def red_flags(self) -> tuple[QuestionResult, ...]:
        return self.with_status(Status.RED_FLAG)

    @property
    def must_ask(self) -> tuple[QuestionResult, ...]:
        return self.with_status(Status.MUST_ASK)

    @property
    def open_questions(self) -> tuple[QuestionResult, ...]:
        """Non-critical unanswered questions, heaviest first."""
        found = self.with_status(Status.OPEN)
        return tuple(sorted(found, key=lambda r: -r.question.weight))

    @property
    def role(self) -> Role:
        return self.answers.role
