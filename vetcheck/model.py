"""The data vetcheck works on: checklists, answers and scored reports. No I/O here.

Each class that a file holds is also the description of that file's format: a field's type,
default and `spec(...)` (its file key, limits and help text) are all that `vetcheck.schema`
needs to validate the YAML, build these objects and publish the JSON Schema. To add a field
to a question, add it to `Question` below (docs/checklist-format.md, "How to add a field").
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from vetcheck.places import Where


class Role(StrEnum):
    """Who is answering: the wording of questions and reports follows it."""

    PATIENT = "patient"
    REFERRER = "referrer"


class Kind(StrEnum):
    """How a question is answered."""

    YES_NO = "yes_no"  # yes / partly / no, scored
    CHOICE = "choice"  # one option from a list, context only (never scored)


class Polarity(StrEnum):
    """Which answer to a yes/no question is the good one."""

    YES_IS_GOOD = "yes_is_good"
    YES_IS_BAD = "yes_is_bad"  # asked in its natural direction: "Does the clinic promise a cure?"


class LookUp(StrEnum):
    """An official look-up that helps check a question; a report names it for the state that
    counts (vetcheck/places.py, checklists/lookups/)."""

    LICENSE = "license"  # the state's medical, osteopathic and nursing boards; DocInfo, Nursys
    COMPLAINT = "complaint"  # where to report a provider to the state's boards
    PDMP = "pdmp"  # the state's prescription-drug-monitoring program
    CERTIFICATION = "certification"  # board certification: ABMS, AOA
    REMS = "rems"  # the Spravato REMS treatment-center finder
    DEA = "dea"  # what a patient can and cannot check of a DEA registration


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
# An answer: one word, or for a question that allows several options at once, a tuple of them.
AnswerValue = str | tuple[str, ...]
YES_NO_VALUES = tuple(a.value for a in Answer)

_Date = date  # a name that a field called `date` does not shadow

# Not `null`: YAML reads that word as "no value", so an id written plainly must not be it.
ID_PATTERN = r"^(?!null$)[a-z][a-z0-9_]*(-[a-z0-9_]+)*$"
ID_HINT = "use lower-case letters, digits, _ and -, starting with a letter (not the word null)"
LETTER_PATTERN = r"^[A-Z][+-]?$"


def spec(default: Any = ..., **rules: Any) -> Any:
    """A field of a file format: its default (none: required) and its rules for vetcheck.schema.

    Rules: `key` (the name in the file, when it differs), `description`, `pattern`, `hint`,
    `max_length`, `minimum`, `maximum`, `min_items`, `max_items`, `numbers_ok` (an unquoted
    number is read as its text), `item` (rules for each item of a list, or each key/value of a
    mapping: `key_pattern`, `key_hint`), `required` (in the file even though the class has a
    default), `file=False` (not in the file at all).
    """
    if default is ...:
        return field(metadata=rules)
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=rules)
    if hasattr(default, "__dataclass_fields__"):  # one shared model object; it is never changed
        return field(default_factory=lambda: default, metadata=rules)
    return field(default=default, metadata=rules)


_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def value(*, slots: bool = False) -> Any:
    """A model class: a dataclass that compares by its fields, immutable by contract.

    Made for a quick start: on Python 3.11 a dataclass compiles each method it writes with
    `exec`, about 0.5 M instructions each, at every start. Only `__init__` is compiled per class
    here; equality and repr are written once, below; and instances are not frozen at run time
    (three more methods per class). Together that is ~45 M instructions (~9 ms) less on every
    command (docs/performance.md). mypy, which CI runs in strict mode on the package, still
    rejects any assignment to a field: `dataclasses.replace` makes changed copies. Like a
    frozen dataclass's, instances compare by type and fields; unlike one's, they are not
    hashable. A class with `cached_property` cannot have slots.
    """

    def make(cls: type[_T]) -> type[_T]:
        cls.__eq__ = _equal  # type: ignore[method-assign]
        cls.__repr__ = _repr  # type: ignore[method-assign]
        cls.__hash__ = None  # type: ignore[assignment]  # equal by value: not hashable by id
        return dataclass(slots=slots, eq=False, repr=False)(cls)

    return make


def _equal(self: Any, other: object) -> bool:
    names: tuple[str, ...] = self.__match_args__
    return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in names)


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
    return f"{type(self).__qualname__}({fields})"


_ID = {"pattern": ID_PATTERN, "max_length": 80, "hint": ID_HINT}
_UNIQUE_ID = {
    "description": "Unique id: lower-case letters, digits, _ and -, starting with a letter; not the word null.",
    **_ID,
}
_TEXT = {"max_length": 4000}


@value(slots=True)
class Wording:
    """Wording per role: plain text is the patient's and the referrer's alike, or a mapping
    with each role's wording."""

    SCALAR: ClassVar[str] = "patient"  # a bare string is the wording for both roles

    patient: str = spec(description="Plain words for patients (reading grade 8 or lower).", **_TEXT)
    referrer: str | None = spec(
        None,
        description="Precise clinical wording for referring clinicians; falls back to patient.",
        **_TEXT,
    )

    def __getitem__(self, role: Role) -> str:
        """The wording for this role; the referrer's falls back to the patient's."""
        return (self.referrer if role is Role.REFERRER else None) or self.patient


@value(slots=True)
class Source:
    """A source that questions cite."""

    NOUN: ClassVar[str] = "source"
    id: str = spec(**_UNIQUE_ID)
    citation: str = spec(
        description="Full citation: authors, title, publisher or journal, year.", max_length=2000
    )
    url: str | None = spec(
        None,
        description="A link to the source, when one exists.",
        pattern=r"^https?://\S+$",
        hint="a link starts with https:// or http://",
        max_length=2000,
    )
    valid_until: date | None = spec(
        None,
        description="For a rule in force only for a time (e.g. a temporary regulation): its last day. A report written later warns that the rule may have changed, and the checklist is due for review by then.",
    )


@value(slots=True)
class Section:
    """A group of questions on one theme, asked together."""

    NOUN: ClassVar[str] = "section"
    id: str = spec(**_UNIQUE_ID)
    title: str = spec(description="Shown as a heading in reports.", max_length=200)
    intro: Wording = spec(description="One or two sentences on what the section checks.")


@value(slots=True)
class Option:
    """One choice of a choice question."""

    NOUN: ClassVar[str] = "option"
    id: str = spec(**_UNIQUE_ID)
    label: Wording = spec(
        description="The option as shown; with `referrer`, a clinician's wording."
    )
    remote: bool = spec(
        False,
        description="The patient is not at the clinic for this route (a telehealth visit, a home visit): the prescriber must be licensed where the patient is, which reports then remind the reader.",
    )


@value(slots=True)
class Condition:
    """Show the question only for some answers of an earlier choice question.

    Give exactly one of any_of and none_of. While that question is unanswered or unknown, the
    question applies: not knowing never hides a question.
    """

    question: str = spec(description="An earlier choice question.", **_ID)
    any_of: tuple[str, ...] = spec(
        (), description="Show when the answer is one of these options.", min_items=1, item=_ID
    )
    none_of: tuple[str, ...] = spec(
        (), description="Show when the answer is none of these options.", min_items=1, item=_ID
    )

    @property
    def values(self) -> tuple[str, ...]:
        return self.any_of or self.none_of

    @property
    def negate(self) -> bool:
        return bool(self.none_of)

    def holds(self, value: AnswerValue | None) -> bool:
        """Whether the question may apply, given the controlling question's answer.

        An unanswered or unknown controlling question rules nothing out: the question stays,
        so that not knowing how the treatment is given never hides a safety question.
        """
        if value is None or value == UNKNOWN:
            return True
        if isinstance(value, tuple):  # several options at once: it applies if any one brings it in
            return any(self.holds(v) for v in value)
        return (value in self.values) != self.negate


@value(slots=True)
class Replaced:
    """An older question that a new one replaces, for answers files written before the change."""

    question: str = spec(description="The old question's id.", **_ID)
    flip: bool = spec(
        False,
        description="The new question is asked the other way round: an old yes is read as no, and no as yes.",
    )
    widened: bool = spec(
        False,
        description="The new question asks for more than the old one did: an old good answer cannot settle it (it is kept in the file, not counted, and the question is asked again); a bad or partial answer still counts.",
    )

    def carry(self, answer: AnswerValue) -> AnswerValue:
        """An answer to the old question, as an answer to the new one."""
        if self.flip and answer in (Answer.YES, Answer.NO):
            return Answer.NO.value if answer == Answer.YES else Answer.YES.value
        return answer


@value(slots=True)
class Question:
    """One question, with everything needed to ask, explain and score it."""

    NOUN: ClassVar[str] = "question"
    id: str = spec(
        description="Stable id; answers files refer to it. Never reuse an id for a different question.",
        **_ID,
    )
    section: str = spec(description="The id of a section.", **_ID)
    text: Wording = spec()
    why: Wording = spec(description="Why it matters.")
    good_answer: Wording = spec(description="What a good answer sounds like.")
    verify: Wording = spec(description="How to check it rather than take the clinic's word.")
    sources: tuple[str, ...] = spec(
        description="Ids of the sources that support the question.", min_items=1, item=_ID
    )
    look_up: tuple[LookUp, ...] = spec(
        (),
        description="Official look-ups that help check it (license, complaint, pdmp, certification, rems, dea): reports, the question sheet and the interview name them for the state that counts.",
        max_items=6,
    )
    kind: Kind = spec(
        Kind.YES_NO,
        description="yes_no (default): answered yes/partly/no/unknown/n/a and scored. choice: one of `options`, unscored context that conditions refer to.",
    )
    weight: int = spec(
        1,
        description="Safety importance, 1 (nice to have) to 5 (essential). yes_no questions only; default 1.",
        minimum=1,
        maximum=5,
    )
    critical: bool = spec(
        False,
        description="A `no` is a red flag that caps the grade; `unknown` makes it a must-ask. Needs red_flag.",
    )
    red_flag: Wording | None = spec(
        None, description="What to do when a critical question gets its bad answer."
    )
    polarity: Polarity = spec(
        Polarity.YES_IS_GOOD,
        description="yes_is_good (default), or yes_is_bad for a question asked in its natural direction, where yes is the bad answer (`Does the clinic promise a cure?`).",
    )
    finding: Wording | None = spec(
        None,
        description="The bad answer said as a fact found, e.g. `They do not check your breathing during the dose.`; red flags and known gaps lead with it.",
    )
    replaces: Replaced | None = spec(
        None,
        description="An older question this one replaces: answers files that answered it are read as answers to this one (and told so).",
    )
    show_if: Condition | None = spec(None)
    options: tuple[Option, ...] = spec(
        (), description="The choices of a choice question.", min_items=2
    )
    multiple: bool = spec(
        False,
        description="A choice question where several options can be true at once (a programme that starts in a clinic and goes on at home); answered with a list. A question whose show_if names it applies if any chosen option brings it in.",
    )

    def wording(self, role: Role) -> str:
        """The question as put to this role; referrer wording falls back to the patient's."""
        return self.text[role]

    def credit(self, answer: AnswerValue | None) -> float | None:
        """Credit toward the score: 1 for the good answer, 0.5 for partly, 0 for the bad one;
        None for unknown, n/a and anything unscored."""
        earned = CREDIT.get(answer) if isinstance(answer, str) else None
        if earned is None or self.polarity is Polarity.YES_IS_GOOD:
            return earned
        return 1.0 - earned

    @property
    def bad_answer(self) -> Answer:
        return Answer.YES if self.polarity is Polarity.YES_IS_BAD else Answer.NO

    @property
    def scored(self) -> bool:
        return self.kind is Kind.YES_NO

    def accepts(self) -> tuple[str, ...]:
        """Every answer value this question accepts, in display order."""
        if self.kind is Kind.CHOICE:
            return (*(o.id for o in self.options), UNKNOWN)
        return YES_NO_VALUES

    def option_label(self, value: str, role: Role) -> str:
        for option in self.options:
            if option.id == value:
                return option.label[role]
        return value


@value(slots=True)
class GradeBand:
    """A letter grade and the lowest score (0-100) that earns it."""

    NOUN: ClassVar[str] = "grade"
    NAME_KEY: ClassVar[str] = "letter"
    letter: str = spec(pattern=LETTER_PATTERN, max_length=2)
    min_score: int = spec(
        key="min",
        description="Lowest score (0-100) that earns this letter.",
        minimum=0,
        maximum=100,
    )
    verdict: Wording = spec(description="One sentence shown with this grade.")


@value(slots=True)
class ScoringRules:
    """How answers become a grade. Defaults apply when omitted."""

    grades: tuple[GradeBand, ...] = spec(
        description="Letter grades, best first, with strictly falling `min`; the last must have min 0.",
        min_items=2,
    )
    min_coverage: int = spec(
        description="Percent of applicable weight that must be answered before a letter is given.",
        minimum=0,
        maximum=100,
    )
    red_flag_cap: str = spec(
        description="The best letter a provider with any red flag can get.",
        pattern=LETTER_PATTERN,
        max_length=2,
    )
    incomplete_verdict: Wording = spec(
        Wording(
            "Not enough answers to grade yet. Ask the open questions below, then run the report again.",
            "Insufficient information to grade. Obtain answers to the open questions below, then rerun the report.",
        ),
        description="The sentence shown when coverage is too low for a letter.",
    )
    red_flag_verdict: Wording = spec(
        Wording(
            "Red flags found: do not book until each one below is resolved.",
            "Red flags found: do not refer until each one below is resolved.",
        ),
        description="The sentence shown when there is any red flag.",
    )
    must_ask_cap: str = spec(
        "B",
        description="The best letter while any critical question is unknown or only partly met.",
        pattern=LETTER_PATTERN,
        max_length=2,
    )
    must_ask_verdict: Wording = spec(
        Wording(
            "Good answers so far, but points that matter most for safety are not settled yet. Ask the must-ask questions below before you book.",
            "Adequate so far, but critical safety items remain unverified. Resolve the must-ask items below before referring.",
        ),
        description="The sentence shown when unsettled critical questions cap the grade.",
    )

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
        GradeBand("A", 90, Wording("Strong answers on the points that matter most.")),
        GradeBand("B", 80, Wording("Good overall, with a few gaps to ask about.")),
        GradeBand("C", 70, Wording("Mixed: several important gaps to resolve before you decide.")),
        GradeBand("D", 60, Wording("Weak: many safety and quality gaps.")),
        GradeBand("F", 0, Wording("Poor: this provider falls short on basic safety and quality.")),
    ),
    min_coverage=70,
    red_flag_cap="F",
)


@value(slots=True)
class Change:
    """One release of the checklist."""

    NOUN: ClassVar[str] = "change"
    version: str = spec(numbers_ok=True, max_length=40)
    date: _Date = spec()
    changes: str = spec(**_TEXT)


def content_hash(questions: tuple["Question", ...]) -> str:
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
            None if q.show_if is None else [q.show_if.question, q.show_if.values, q.show_if.negate],
            # Only when not the default, so that the hashes of older checklists stay the same.
            *([q.polarity.value] if q.polarity is not Polarity.YES_IS_GOOD else []),
        ]
        for q in questions
    ]
    digest = hashlib.sha256(json.dumps(canon, separators=(",", ":")).encode())
    return "sha256:" + digest.hexdigest()[:16]


@value()
class Checklist:
    """A vetcheck checklist: the questions, their sources and the scoring rules. See docs/checklist-format.md."""

    TITLE: ClassVar[str] = "vetcheck checklist"
    id: str = spec(description="Stable id of the checklist; answers files name it.", **_ID)
    title: str = spec(description="Shown in reports.", max_length=200)
    version: str = spec(
        description="Bump on every change, e.g. 1.2.0.", numbers_ok=True, max_length=40
    )
    last_reviewed: date = spec(description="When the content was last checked against its sources.")
    audience: Wording = spec()
    sources: tuple[Source, ...] = spec(min_items=1)
    sections: tuple[Section, ...] = spec(
        description="Sections, in the order they are asked.", min_items=1
    )
    questions: tuple[Question, ...] = spec(min_items=1)
    scoring: ScoringRules = spec(DEFAULT_SCORING)
    route_question: str | None = spec(
        None,
        description="The id of the choice question that says how and where the treatment is given; `vetcheck questions --route` lists the questions for one of its options.",
        **_ID,
    )
    retired: Mapping[str, str] = spec(
        {},
        description="Question ids no longer asked, each with a plain sentence saying where its point went; an answer to one is kept in the file, not counted, and named with that sentence.",
        item={
            "key_pattern": ID_PATTERN,
            "key_hint": "question ids use lower-case letters, digits, _ and -",
            "max_length": 400,
        },
    )
    changelog: tuple[Change, ...] = spec((), description="Newest first.")
    path: str = spec("", file=False)
    # Set by the loader: the `content_hash` of the questions (the built-in data copy keeps it).
    content_hash: str = spec("", file=False)

    @cached_property
    def question_by_id(self) -> Mapping[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def source_by_id(self) -> Mapping[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def _by_section(self) -> Mapping[str, tuple[Question, ...]]:
        groups: dict[str, list[Question]] = {s.id: [] for s in self.sections}
        for q in self.questions:
            groups.setdefault(q.section, []).append(q)
        return {k: tuple(v) for k, v in groups.items()}

    def questions_in(self, section_id: str) -> tuple[Question, ...]:
        return self._by_section.get(section_id, ())

    @cached_property
    def _numbers(self) -> Mapping[str, int]:
        return {q.id: n for n, q in enumerate(self.questions, 1)}

    def number(self, question_id: str) -> int:
        """The question's number (3 for Q3): its place in the checklist, counted from 1.

        The interview, the answers file and the question sheet all show this number, so a
        question keeps it whichever questions apply to the treatment chosen.
        """
        return self._numbers[question_id]

    @cached_property
    def controlling_ids(self) -> frozenset[str]:
        """The choice questions that other questions' show_if depends on."""
        return frozenset(q.show_if.question for q in self.questions if q.show_if is not None)

    @property
    def route(self) -> Question | None:
        """The choice question that selects the treatment route, when the checklist has one."""
        return None if self.route_question is None else self.question_by_id[self.route_question]

    @property
    def review_due(self) -> date:
        """A year after the last review, or sooner: the day after a cited rule's last day."""
        due = self.last_reviewed.replace(
            year=self.last_reviewed.year + 1, day=min(self.last_reviewed.day, 28)
        )
        ends = [s.valid_until + timedelta(days=1) for s in self.sources if s.valid_until]
        return min([due, *ends])

    def expired_sources(self, today: date) -> tuple[Source, ...]:
        """Sources whose rule ended before `today`: what they say may have changed since."""
        return tuple(s for s in self.sources if s.valid_until is not None and s.valid_until < today)


@value(slots=True)
class ChecklistRef:
    """Which checklist the answers are for."""

    id: str = spec(**_ID)
    version: str | None = spec(None, numbers_ok=True, max_length=40)
    hash: str | None = spec(
        None,
        description="Written by vetcheck; tells whether the questions changed.",
        pattern=r"^sha256:[0-9a-f]{16}$",
        max_length=23,
    )


@value(slots=True)
class Subject:
    """The clinic or provider being evaluated."""

    name: str = spec(description="Clinic or provider name.", max_length=300)
    location: str | None = spec(None, max_length=300)
    website: str | None = spec(None, max_length=500)
    evaluated: date | None = spec(None, description="When the answers were gathered.")
    patient_state: str | None = spec(
        None,
        description="Where the patient is during visits, for a telehealth or home program (a state code or name): the state whose license counts.",
        max_length=300,
    )


# The most options one answer may list; a question with `multiple: true` offers no more.
MAX_PICKS = 20


@value(slots=True)
class AnswerEntry:
    """An answer, alone (`q: yes`) or with a note (`q: {answer: partly, note: …}`)."""

    SCALAR: ClassVar[str] = "value"  # the field a bare scalar fills
    value: AnswerValue = spec(
        key="answer",
        description="yes, partly, no, unknown or n/a; for a choice question, one of its option ids, or for one with `multiple: true`, a list of them.",
        max_length=80,
        max_items=MAX_PICKS,
    )
    # Long enough for a pasted e-mail thread; the 8 MB file limit is what guards against
    # hostile files. The interview checks a note against it as it is typed.
    note: str | None = spec(
        None, description="Free text; shown as text, never as markup.", max_length=20_000
    )


@value(slots=True)
class Answers:
    """Answers about one provider. Holds health information: keep it private."""

    TITLE: ClassVar[str] = "vetcheck answers"
    checklist: ChecklistRef
    subject: Subject
    role: Role
    entries: Mapping[str, AnswerEntry] = spec(
        {},
        key="answers",
        required=True,
        item={
            "key_pattern": ID_PATTERN,
            "key_hint": "question ids use lower-case letters, digits, _ and -",
        },
    )
    # Answers a newer checklist had no place for, kept (not scored) so a resumed interview
    # never deletes what the person wrote; see loader.check_answers.
    set_aside: Mapping[str, AnswerEntry] = spec(
        {},
        description="Answers the checklist version in use has no place for (a removed question, or an answer it no longer accepts). Kept so nothing is lost; not scored.",
        item={
            "key_pattern": ID_PATTERN,
            "key_hint": "question ids use lower-case letters, digits, _ and -",
        },
    )
    format: int = spec(
        1,
        key="vetcheck",
        description="Answers-file format version.",
        minimum=1,
        maximum=1,
        required=True,
    )
    path: str = spec("", file=False)
    # Line of each entry in the file, so problems found against a checklist can point at it.
    lines: Mapping[str, int] = spec({}, file=False)

    @classmethod
    def new(
        cls,
        checklist: Checklist,
        subject: Subject,
        role: Role,
        entries: Mapping[str, AnswerEntry] | None = None,
        path: str = "",
        set_aside: Mapping[str, AnswerEntry] | None = None,
    ) -> "Answers":
        """Answers started on this checklist: its id, version and content hash."""
        ref = ChecklistRef(checklist.id, checklist.version, checklist.content_hash)
        return cls(ref, subject, role, dict(entries or {}), dict(set_aside or {}), path=path)

    @property
    def checklist_id(self) -> str:
        return self.checklist.id

    @property
    def checklist_version(self) -> str | None:
        return self.checklist.version

    @property
    def checklist_hash(self) -> str | None:
        return self.checklist.hash

    def value(self, question_id: str) -> AnswerValue | None:
        entry = self.entries.get(question_id)
        return None if entry is None else entry.value


class Status(StrEnum):
    """Where a question's result lands in the report."""

    RED_FLAG = "red_flag"  # critical question answered no
    MUST_ASK = (
        "must_ask"  # critical question unknown or partly met; or an unknown choice others depend on
    )
    OPEN = "open"  # other question not yet answered
    ANSWERED = "answered"
    NOT_APPLICABLE = "n/a"  # answered n/a, or hidden by a condition
    CONTEXT = "context"  # a choice question


@value(slots=True)
class QuestionResult:
    question: Question
    answer: AnswerValue  # "unknown" when the answers file has no entry
    note: str | None
    shown: bool
    status: Status


@value(slots=True)
class SectionResult:
    section: Section
    score: float | None  # 0-100 over answered questions, None when none are answered
    coverage: float  # 0-1, answered weight over applicable weight
    earned: float
    answered_weight: int
    applicable_weight: int
    results: tuple[QuestionResult, ...]
    red_flag_count: int = 0
    open_count: int = 0  # must-ask and other open questions


class Cap(StrEnum):
    """What held a grade below the letter its score earned."""

    RED_FLAG = "red_flag"  # a critical question answered no
    MUST_ASK = "must_ask"  # a critical question unknown or only partly met


@value(slots=True)
class Grade:
    """A letter, or None when coverage is too low to grade; capped_from names the uncapped letter."""

    letter: str | None
    verdict: Wording
    capped_from: str | None = None
    capped_by: Cap | None = None


@value()
class Report:
    """Everything a renderer needs; computed by scoring.score, free of formatting."""

    checklist: Checklist
    answers: Answers
    score: float | None  # None when nothing is answered or coverage is below the minimum
    coverage: float
    grade: Grade
    sections: tuple[SectionResult, ...]
    # Below the coverage minimum there is no score: how many more answers (heaviest first)
    # would make the result gradable; 0 when it is.
    answers_needed: int = 0
    # The official look-ups its "how to check" lines name (the state that counts); None when
    # the checklist names none. Set by the caller (it reads a file), not by scoring.
    where: "Where | None" = None
    # Answers older than this many months are due for a re-check (vetcheck/recheck.py); set
    # by the caller from --recheck-after.
    recheck_months: int = 12

    @cached_property
    def results(self) -> tuple[QuestionResult, ...]:
        return tuple(r for s in self.sections for r in s.results)

    def with_status(self, status: Status) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.status is status)

    @cached_property
    def red_flags(self) -> tuple[QuestionResult, ...]:
        return self.with_status(Status.RED_FLAG)

    @cached_property
    def must_ask(self) -> tuple[QuestionResult, ...]:
        """Unsettled critical questions, after the unknown choices they depend on (the route)."""
        found = self.with_status(Status.MUST_ASK)
        return tuple(sorted(found, key=lambda r: r.question.scored))

    @cached_property
    def known_gaps(self) -> tuple[QuestionResult, ...]:
        """Answered badly or only partly, not red flags or must-asks: most weight lost first."""
        lost = [
            (r.question.weight * (1 - credit), r)
            for r in self.results
            if r.status is Status.ANSWERED and (credit := r.question.credit(r.answer)) is not None
        ]
        found = sorted((t for t in lost if t[0]), key=lambda t: (-t[0], -t[1].question.weight))
        return tuple(r for _, r in found)

    @cached_property
    def open_questions(self) -> tuple[QuestionResult, ...]:
        """Non-critical unanswered questions, heaviest first."""
        found = self.with_status(Status.OPEN)
        return tuple(sorted(found, key=lambda r: -r.question.weight))

    @property
    def role(self) -> Role:
        return self.answers.role

    @property
    def route_answer(self) -> AnswerValue | None:
        """How the treatment is given, as answered: an option id or several; None without a
        route question, or while the answer is not known."""
        question = self.checklist.route
        value = None if question is None else self.answers.value(question.id)
        return None if value == UNKNOWN else value
