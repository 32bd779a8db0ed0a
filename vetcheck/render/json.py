"""Report model → JSON for other programs: a stable, versioned structure with a JSON Schema.

Version 1. Fields are only ever added within a version; a removal or change of meaning bumps
`format_version`. Scores are unrounded numbers (0-100) next to their shown integer.

The records below declare the output once: `to_data` turns a record into JSON values and
`report_schema` derives the JSON Schema from the same declarations, so the two cannot drift.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from vetcheck.model import AnswerValue, Cap, Kind, Polarity, QuestionResult, Report, Role, Status
from vetcheck.recheck import recheck
from vetcheck.render import words as w
from vetcheck.render.common import cited_sources, expired, finding, incomplete_reason
from vetcheck.scoring import round_half_up

if TYPE_CHECKING:  # annotations only: a report in JSON loads neither module
    from vetcheck.compare import Comparison
    from vetcheck.diff import Changed, Diff
    from vetcheck.places import Where

FORMAT_VERSION: Final = 1
JSON = dict[str, Any]


def spec(description: str = "", *, optional: bool = False, **keywords: Any) -> JSON:
    """Field metadata: extra JSON Schema keywords; an optional field is left out when None."""
    if description:
        keywords["description"] = description
    return {"schema": keywords, "optional": optional}


SCORE: JSON = {"minimum": 0, "maximum": 100}
FRACTION: JSON = {"minimum": 0, "maximum": 1}
COUNT = spec(minimum=0)


@dataclass(frozen=True, kw_only=True)
class ChecklistData:
    id: str
    version: str
    last_reviewed: date
    title: str


@dataclass(frozen=True, kw_only=True)
class SubjectData:
    name: str
    location: str | None
    website: str | None
    evaluated: date | None
    patient_state: str | None = field(
        default=None,
        metadata=spec(
            "Where the patient is during visits, as the answers file says; left out when not given.",
            optional=True,
        ),
    )


@dataclass(frozen=True, kw_only=True)
class GradeData:
    letter: str | None = field(
        metadata=spec("null when coverage is too low for a letter (incomplete).")
    )
    capped_from: str | None = field(
        metadata=spec(
            "The letter the score alone earned, when red flags or must-ask questions capped it."
        )
    )
    capped_by: Cap | None = field(
        metadata=spec("red_flag or must_ask: what capped the letter; null when nothing did.")
    )
    verdict: str


@dataclass(frozen=True, kw_only=True)
class CountsData:
    red_flags: int = field(metadata=COUNT)
    must_ask: int = field(metadata=COUNT)
    known_gaps: int = field(metadata=COUNT)
    open: int = field(metadata=COUNT)


@dataclass(frozen=True, kw_only=True)
class SectionData:
    id: str
    title: str
    score: float | None = field(metadata=spec(**SCORE))
    coverage: float = field(metadata=spec(**FRACTION))
    answered_weight: int
    applicable_weight: int


@dataclass(frozen=True, kw_only=True)
class PlaceData:
    name: str
    what: str = field(
        metadata=spec(
            "What to do there (license look-up, complaints); empty when the name says it."
        )
    )
    url: str | None
    confirmed: bool = field(
        metadata=spec("false: the address could not be checked against an official source.")
    )
    national: bool = field(metadata=spec("Serves every state (DocInfo, Nursys, the REMS finder)."))


@dataclass(frozen=True, kw_only=True)
class LookLineData:
    heading: str
    places: list[PlaceData]
    notes: list[str] = field(
        metadata=spec(
            "What to keep in mind: what cannot be checked there (PDMP, DEA, REMS); the telehealth license rule."
        )
    )


@dataclass(frozen=True, kw_only=True)
class RecheckData:
    due: date | None = field(
        metadata=spec(
            "The first day the answers are due for a re-check: a set number of months after they were gathered, or the day after a rule a shown question relies on ends, whichever is first. null when the answers carry no date and no rule ends."
        )
    )
    overdue: bool = field(metadata=spec("The due day is the report's day or before it."))
    months: int = field(
        metadata=spec("The age in months at which answers are due (--recheck-after).", minimum=1)
    )
    text: str = field(metadata=spec("When and why, in the reader's wording."))


@dataclass(frozen=True, kw_only=True)
class LookUpsData:
    state: str | None = field(
        metadata=spec(
            "The two-letter code of the state whose look-ups are named; null: national only."
        )
    )
    state_name: str | None
    basis: Literal["option", "patient_state", "location", "none"] = field(
        metadata=spec(
            "How the state was found: --state, where the patient is during visits, the location."
        )
    )
    given: str | None = field(metadata=spec("The words the state was read from."))
    remote: bool = field(
        metadata=spec(
            "The program sees the patient away from the clinic (telehealth, home visits)."
        )
    )
    verified_on: date = field(metadata=spec("When the named look-ups were last checked."))
    stale: bool = field(metadata=spec("Checked more than a year before this report."))
    text: str = field(metadata=spec("The report's sentence about it."))


@dataclass(frozen=True, kw_only=True)
class QuestionData:
    id: str
    section: str
    text: str
    kind: Kind
    weight: int = field(metadata=COUNT)
    critical: bool
    shown: bool
    answer: str | list[str] = field(
        metadata=spec("yes, partly, no, unknown or n/a; an option id; or a list of option ids.")
    )
    note: str | None
    status: Status
    polarity: Polarity = field(
        metadata=spec(
            "Which answer is the good one: yes_is_bad for a question asked in its natural direction (`Does the clinic promise a cure?`)."
        )
    )
    finding: str | None = field(
        metadata=spec(
            "The bad answer said as the fact found, when the question got it and the checklist words one."
        )
    )
    look_up: LookLineData | None = field(
        default=None,
        metadata=spec(
            "Official places to check it, for the state in `look_ups`; left out when the question names none.",
            optional=True,
        ),
    )


@dataclass(frozen=True, kw_only=True)
class SourceData:
    id: str
    citation: str
    url: str | None


@dataclass(frozen=True, kw_only=True)
class ExpiredData:
    source: str = field(metadata=spec("The id of a source in `sources`."))
    valid_until: date = field(metadata=spec("The rule's last day, as the checklist records it."))
    questions: list[str] = field(metadata=spec("Ids of the questions shown that cite it."))


@dataclass(frozen=True, kw_only=True)
class ReportData:
    label: str | None = field(
        default=None, metadata=spec("Unique display name (comparisons only).", optional=True)
    )
    format: Literal["vetcheck-report"] = "vetcheck-report"
    format_version: Literal[1] = FORMAT_VERSION
    generated: date
    checklist: ChecklistData
    subject: SubjectData
    role: Role
    score: float | None = field(
        metadata=spec(
            "Weight earned / weight answered x 100, unrounded; null when coverage is below the checklist's minimum (answers_needed says how many more answers would give one).",
            **SCORE,
        )
    )
    score_reason: str | None = field(
        metadata=spec("Why there is no score, in the report's words; null when there is one.")
    )
    answers_needed: int = field(
        metadata=spec(
            "The fewest further answers (most important first) that would reach the coverage minimum; 0 when the result is gradable.",
            minimum=0,
        )
    )
    score_shown: int | None = field(metadata=spec("The score rounded half up, as shown to people."))
    coverage: float = field(metadata=spec("Weight answered / weight applicable.", **FRACTION))
    grade: GradeData
    counts: CountsData
    red_flags: list[str]
    must_ask: list[str]
    known_gaps: list[str] = field(
        metadata=spec("Answered no or only partly, not red flags or must-asks: heaviest first.")
    )
    open_questions: list[str]
    sections: list[SectionData]
    questions: list[QuestionData]
    sources: list[SourceData]
    expired_sources: list[ExpiredData] = field(
        default_factory=list,
        metadata=spec(
            "Cited sources for a rule whose last day passed before this report was written: "
            "the rule may have changed. Empty when none."
        ),
    )
    look_ups: LookUpsData | None = field(
        default=None,
        metadata=spec(
            "The state whose official look-ups the questions name; left out when the checklist names none.",
            optional=True,
        ),
    )
    recheck: RecheckData
    disclaimer: str = field(metadata=spec("In the reader's wording, as the report's role."))


@dataclass(frozen=True, kw_only=True)
class ChecklistRefData:
    id: str
    version: str


@dataclass(frozen=True, kw_only=True)
class DifferenceData:
    question: str
    red_flag: bool
    answers: list[str | list[str] | None] = field(
        metadata=spec("One per provider; null where the question does not apply.")
    )


@dataclass(frozen=True, kw_only=True)
class ComparisonData:
    format: Literal["vetcheck-comparison"] = "vetcheck-comparison"
    format_version: Literal[1] = FORMAT_VERSION
    generated: date
    checklist: ChecklistRefData
    answer_versions: list[str]
    shared_questions_only: bool
    questions_compared: int = field(metadata=COUNT)
    providers: list[ReportData] = field(metadata=spec(items={"required": ["label"]}))
    differences: list[DifferenceData]
    disclaimer: str


@dataclass(frozen=True, kw_only=True)
class ChangedData:
    question: str
    text: str = field(metadata=spec("The question, in the reader's wording."))
    before: str | list[str] | None = field(
        metadata=spec("The older file's answer; null where it does not answer the question.")
    )
    after: str | list[str] | None = field(
        metadata=spec("The newer file's answer; null where it does not answer the question.")
    )
    note_before: str | None
    note_after: str | None


@dataclass(frozen=True, kw_only=True)
class DiffData:
    format: Literal["vetcheck-diff"] = "vetcheck-diff"
    format_version: Literal[1] = FORMAT_VERSION
    generated: date
    checklist: ChecklistRefData
    same_file: bool = field(metadata=spec("Both paths name one file: nothing can have changed."))
    same_clinic: bool = field(
        metadata=spec("The two files name the same clinic, as a reader would see the names.")
    )
    out_of_order: bool = field(
        metadata=spec(
            "The first file is the newer: its answers are dated later, or (on the same date) answered on a later checklist version."
        )
    )
    answer_versions: list[str] = field(
        metadata=spec(
            "The checklist versions the two files were answered on, before then after; both are scored on `checklist`."
        )
    )
    before: ReportData
    after: ReportData
    movement: Literal["better", "same", "worse"] = field(
        metadata=spec("The grade from before to after: red flags first, then letter, then score.")
    )
    red_flags_raised: list[str] = field(metadata=spec("Question ids: red flags only after."))
    red_flags_cleared: list[str] = field(metadata=spec("Question ids: red flags only before."))
    answers_changed: list[ChangedData]
    notes_changed: list[ChangedData] = field(
        metadata=spec("A note added, changed or removed, whether or not the answer changed too.")
    )
    new_questions: list[str] = field(
        metadata=spec("Question ids the newer checklist version asks and the older did not.")
    )
    disclaimer: str


# Records published as named definitions, referred to with $ref; the others are inlined.
_DEFS: dict[type, str] = {ReportData: "report", ComparisonData: "comparison", DiffData: "diff"}


def _answer(value: AnswerValue) -> str | list[str]:
    return list(value) if isinstance(value, tuple) else value


def _score_reason(report: Report) -> str | None:
    if report.score is not None:
        return None
    if report.grade.letter is None:
        return incomplete_reason(report)
    return "too few answers for a score; red flags set the grade"


def report_data(report: Report, today: date, label: str | None = None) -> ReportData:
    """The report as a record (also embedded, one per provider and labelled, in a comparison)."""
    sub = report.answers.subject
    cl = report.checklist
    return ReportData(
        label=label,
        generated=today,
        checklist=ChecklistData(
            id=cl.id, version=cl.version, last_reviewed=cl.last_reviewed, title=cl.title
        ),
        subject=SubjectData(
            name=sub.name,
            location=sub.location,
            website=sub.website,
            evaluated=sub.evaluated,
            patient_state=sub.patient_state,
        ),
        role=report.role,
        score=report.score,
        score_shown=None if report.score is None else round_half_up(report.score),
        score_reason=_score_reason(report),
        answers_needed=report.answers_needed,
        coverage=report.coverage,
        grade=GradeData(
            letter=report.grade.letter,
            capped_from=report.grade.capped_from,
            capped_by=report.grade.capped_by,
            verdict=report.grade.verdict[report.role],
        ),
        counts=CountsData(
            red_flags=len(report.red_flags),
            must_ask=len(report.must_ask),
            known_gaps=len(report.known_gaps),
            open=len(report.open_questions),
        ),
        red_flags=[r.question.id for r in report.red_flags],
        must_ask=[r.question.id for r in report.must_ask],
        known_gaps=[r.question.id for r in report.known_gaps],
        open_questions=[r.question.id for r in report.open_questions],
        sections=[
            SectionData(
                id=s.section.id,
                title=s.section.title,
                score=s.score,
                coverage=s.coverage,
                answered_weight=s.answered_weight,
                applicable_weight=s.applicable_weight,
            )
            for s in report.sections
        ],
        questions=[_question(r, report) for r in report.results],
        sources=[
            SourceData(id=s.id, citation=s.citation, url=s.url)
            for s in cited_sources(report.results, cl.sources)
        ],
        expired_sources=[
            ExpiredData(
                source=source.id,
                valid_until=cast(date, source.valid_until),
                questions=[r.question.id for r in citing],
            )
            for source, citing in expired(report, today)
        ],
        look_ups=None if report.where is None else _look_ups(report.where, today, report.role),
        recheck=_recheck(report, today),
        disclaimer=w.DISCLAIMER[report.role],
    )


def _recheck(report: Report, today: date) -> RecheckData:
    due = recheck(report, today)
    text = w.recheck_text(due, report.role)
    return RecheckData(due=due.due, overdue=due.overdue, months=due.months, text=text)


def _look_ups(where: Where, today: date, role: Role) -> LookUpsData:
    return LookUpsData(
        state=where.code,
        state_name=where.state_name,
        basis=where.basis,
        given=where.given,
        remote=where.remote,
        verified_on=where.verified_on,
        stale=where.stale(today),
        text=w.state_fact(where, today, role),
    )


def _look_line(line: w.LookLine | None) -> LookLineData | None:
    if line is None:
        return None
    places = [
        PlaceData(name=p.name, what=p.what, url=p.url, confirmed=p.confirmed, national=p.national)
        for p in (*line.local, *line.national)
    ]
    return LookLineData(heading=line.heading, places=places, notes=list(line.notes))


def _question(r: QuestionResult, report: Report) -> QuestionData:
    q, role = r.question, report.role
    return QuestionData(
        id=q.id,
        section=q.section,
        text=q.wording(role),
        kind=q.kind,
        weight=q.weight if q.scored else 0,
        critical=q.critical,
        shown=r.shown,
        answer=_answer(r.answer),
        note=r.note,
        status=r.status,
        polarity=q.polarity,
        finding=finding(r, role),
        look_up=_look_line(w.look_ups(report.where, q, role)),
    )


def comparison_data(comparison: Comparison, today: date) -> ComparisonData:
    return ComparisonData(
        generated=today,
        checklist=ChecklistRefData(
            id=comparison.checklist.id, version=comparison.checklist.version
        ),
        answer_versions=list(comparison.versions),
        shared_questions_only=comparison.shared_only,
        questions_compared=comparison.compared,
        providers=[
            report_data(report, today, label)
            for label, report in zip(comparison.labels, comparison.reports, strict=True)
        ],
        differences=[
            DifferenceData(
                question=d.question_id,
                red_flag=d.has_red_flag,
                answers=[_answer(r.answer) if r.shown else None for r in d.results],
            )
            for d in comparison.differences
        ],
        disclaimer=w.DISCLAIMER[comparison.role],
    )


def render_json(report: Report, today: date) -> str:
    return _dump(report_data(report, today))


def render_comparison_json(comparison: Comparison, today: date) -> str:
    return _dump(comparison_data(comparison, today))


def render_diff_json(diff: Diff, today: date) -> str:
    role = diff.new.role

    def changed(c: Changed) -> ChangedData:
        return ChangedData(
            question=c.question.id,
            text=c.question.wording(role),
            before=None if c.old is None else _answer(c.old),
            after=None if c.new is None else _answer(c.new),
            note_before=c.old_note,
            note_after=c.new_note,
        )

    cl = diff.new.checklist
    data = DiffData(
        generated=today,
        checklist=ChecklistRefData(id=cl.id, version=cl.version),
        same_file=diff.same_file,
        same_clinic=diff.same_clinic,
        out_of_order=diff.out_of_order,
        answer_versions=list(diff.versions),
        before=report_data(diff.old, today),
        after=report_data(diff.new, today),
        movement=("worse", "same", "better")[diff.movement + 1],
        red_flags_raised=[r.question.id for r in diff.raised],
        red_flags_cleared=[r.question.id for r in diff.cleared],
        answers_changed=[changed(c) for c in diff.answers_changed],
        notes_changed=[changed(c) for c in diff.notes_changed],
        new_questions=[q.id for q in diff.new_questions],
        disclaimer=w.DISCLAIMER[role],
    )
    return _dump(data)


def _dump(data: ReportData | ComparisonData | DiffData) -> str:
    return json.dumps(to_data(data), indent=2, ensure_ascii=False) + "\n"


def to_data(data: Any) -> JSON:
    """A record as JSON values, fields in declaration order."""
    out = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if value is None and f.metadata.get("optional"):
            continue
        out[f.name] = _value(value)
    return out


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return to_data(value)
    return value


def report_schema() -> JSON:
    """JSON Schema for `--format json` output of `report` and `compare`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vetcheck.invalid/schema/report.schema.json",
        "title": "vetcheck report",
        "description": "Output of `vetcheck report --format json` (format vetcheck-report), `vetcheck compare --format json` (format vetcheck-comparison) or `vetcheck diff --format json` (format vetcheck-diff).",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in _DEFS.values()],
        "$defs": {name: _object_schema(cls) for cls, name in _DEFS.items()},
    }


_SCALARS: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _object_schema(cls: type) -> JSON:
    hints = typing.get_type_hints(cls)
    properties = {}
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if f.metadata.get("optional"):  # None stands for absent, never written as null
            (tp,) = (a for a in typing.get_args(tp) if a is not type(None))
        properties[f.name] = _merge(_type_schema(tp), f.metadata.get("schema", {}))
    return {
        "type": "object",
        "required": [f.name for f in dataclasses.fields(cls) if not f.metadata.get("optional")],
        "properties": properties,
        "additionalProperties": False,
    }


def _type_schema(tp: Any) -> JSON:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is types.UnionType and len(args) > 1 + (type(None) in args):  # `str | list[str]`
        return {"anyOf": [_type_schema(a) for a in args]}
    if origin is types.UnionType:  # X | None
        (inner,) = (a for a in args if a is not type(None))
        schema = _type_schema(inner)
        if "enum" in schema:  # an optional choice: null is one more value
            return {"enum": [*schema["enum"], None]}
        return {**schema, "type": [schema["type"], "null"]}
    if origin is Literal:
        return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0])}
    if tp is date:
        return {"type": "string", "format": "date"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if tp in _DEFS:
        return {"$ref": f"#/$defs/{_DEFS[tp]}"}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _object_schema(tp)
    return {"type": _SCALARS[tp]}


def _merge(base: JSON, extra: JSON) -> JSON:
    """`base` with `extra`'s keywords added, nested objects merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merge(out[key], value) if both else value
    return out
