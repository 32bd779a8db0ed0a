"""Read checklists and answers files: YAML text → validated model, with every problem located."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from vetcheck import schema
from vetcheck.document import MappingNode, Node, compose, read_text
from vetcheck.errors import InvalidInputError, Problem
from vetcheck.model import (
    DEFAULT_SCORING,
    Answer,
    AnswerEntry,
    Answers,
    Checklist,
    Condition,
    GradeBand,
    Kind,
    Option,
    Question,
    Role,
    ScoringRules,
    Section,
    Source,
    Subject,
)

# Words people write for answers, some of which YAML 1.1 would have turned into booleans.
_ANSWER_SYNONYMS = {
    "true": Answer.YES.value,
    "on": Answer.YES.value,
    "false": Answer.NO.value,
    "off": Answer.NO.value,
    "na": Answer.NA.value,
    "n/a": Answer.NA.value,
    "not applicable": Answer.NA.value,
    "don't know": Answer.UNKNOWN.value,
    "dont know": Answer.UNKNOWN.value,
    "?": Answer.UNKNOWN.value,
}


def document_kind(node: Node) -> str | None:
    """'checklist' or 'answers' by the top-level keys, or None when it is neither."""
    if not isinstance(node, MappingNode):
        return None
    keys = {getattr(k, "value", None) for k, _ in node.value}
    if "questions" in keys:
        return "checklist"
    if "answers" in keys or "vetcheck" in keys:
        return "answers"
    return None


# --- Checklists ----------------------------------------------------------------------------


def load_checklist(path: Path) -> Checklist:
    """Load and fully validate a checklist file."""
    text = read_text(path)
    return parse_checklist(text, str(path))


def load_checklist_ref(ref: str | None) -> Checklist:
    """Load a checklist by built-in id or path (None: the default checklist)."""
    from vetcheck.resources import checklist_path

    return load_checklist(checklist_path(ref))


def parse_checklist(text: str, path: str = "<checklist>") -> Checklist:
    return checklist_from_node(compose(text, path), path)


def checklist_from_node(node: Node, path: str) -> Checklist:
    ctx = schema.Context(path)
    raw = schema.validate(schema.CHECKLIST, node, ctx, "")
    checklist = None
    if isinstance(raw, schema.Record):
        checklist = _build_checklist(raw, ctx)
    if ctx.problems or checklist is None:
        raise InvalidInputError(ctx.problems or [Problem(path, "not a checklist")])
    return checklist


def _build_checklist(raw: schema.Record, ctx: schema.Context) -> Checklist | None:
    sources = [_source(r) for r in raw.get("sources", [])]
    sections = [
        Section(r["id"], r["title"], r["intro"])
        for r in raw.get("sections", [])
        if _has(r, "id", "title", "intro")
    ]
    _check_unique(ctx, "source", raw.get("sources", []))
    _check_unique(ctx, "section", raw.get("sections", []))
    source_ids = {s.id for s in sources}
    section_ids = {s.id for s in sections}
    scoring = _scoring(raw.get("scoring"), ctx)

    questions: list[Question] = []
    earlier: dict[str, schema.Record] = {}  # raw, so one bad question does not cascade
    seen_ids: dict[str, int] = {}
    all_ids = {r["id"] for r in raw.get("questions", []) if "id" in r}
    # Questions are asked section by section, so "earlier" (for show_if) means in that order.
    order = {s.id: i for i, s in enumerate(sections)}
    ordered = sorted(
        raw.get("questions", []), key=lambda r: order.get(r.get("section", ""), len(order))
    )
    for rec in ordered:
        qid = rec.get("id")
        if isinstance(qid, str):
            if qid in seen_ids:
                ctx.add_at(
                    rec.line_of("id"),
                    f"question '{qid}': duplicate id (first used on line {seen_ids[qid]})",
                )
                continue
            seen_ids[qid] = rec.line_of("id")
        question = _question(rec, ctx, source_ids, section_ids, earlier, all_ids)
        if question is not None:
            questions.append(question)
        if isinstance(qid, str):
            earlier[qid] = rec

    for section in sections:
        if not any(q.section == section.id for q in questions):
            line = next(r.line for r in raw["sections"] if r.get("id") == section.id)
            ctx.add_at(line, f"section '{section.id}' has no questions; remove it or add some")
    if (
        ctx.problems
        or scoring is None
        or not {"id", "title", "version", "last_reviewed", "audience"} <= raw.keys()
    ):
        return None
    audience = raw["audience"]
    return Checklist(
        id=raw["id"],
        title=raw["title"],
        version=raw["version"],
        last_reviewed=raw["last_reviewed"],
        audience={Role(k): v for k, v in audience.items()},
        sources=tuple(sources),
        sections=tuple(sections),
        questions=tuple(questions),
        scoring=scoring,
        path=ctx.path,
    )


def _has(rec: schema.Record, *keys: str) -> bool:
    return all(k in rec for k in keys)


def _source(rec: schema.Record) -> Source:
    return Source(rec.get("id", ""), rec.get("citation", ""), rec.get("url"))


def _check_unique(ctx: schema.Context, what: str, records: list[schema.Record]) -> None:
    first: dict[str, int] = {}
    for rec in records:
        rid = rec.get("id")
        if not isinstance(rid, str):
            continue
        if rid in first:
            ctx.add_at(
                rec.line_of("id"), f"{what} '{rid}': duplicate id (first used on line {first[rid]})"
            )
        else:
            first[rid] = rec.line_of("id")


def _scoring(rec: schema.Record | None, ctx: schema.Context) -> ScoringRules | None:
    if rec is None:
        return DEFAULT_SCORING
    if not _has(rec, "grades", "min_coverage", "red_flag_cap"):
        return None
    bands = [
        GradeBand(g["letter"], g["min"], g["verdict"])
        for g in rec["grades"]
        if _has(g, "letter", "min", "verdict")
    ]
    if len(bands) != len(rec["grades"]):
        return None
    ok = True
    for prev, (band, grec) in zip(
        bands, zip(bands[1:], rec["grades"][1:], strict=True), strict=False
    ):
        if band.min_score >= prev.min_score:
            ctx.add_at(
                grec.line_of("min"),
                f"grade {band.letter}: min must be lower than {prev.letter}'s ({prev.min_score})",
            )
            ok = False
    if bands and bands[-1].min_score != 0:
        ctx.add_at(
            rec["grades"][-1].line_of("min"),
            f"grade {bands[-1].letter}: the last grade must have min 0",
        )
        ok = False
    letters = [b.letter for b in bands]
    if len(set(letters)) != len(letters):
        ctx.add_at(rec.line_of("grades"), "grades: each letter may appear only once")
        ok = False
    if rec["red_flag_cap"] not in letters:
        ctx.add_at(
            rec.line_of("red_flag_cap"),
            f"red_flag_cap '{rec['red_flag_cap']}' is not one of the grades ({', '.join(letters)})",
        )
        ok = False
    if not ok:
        return None
    extra = {k: rec[k] for k in ("incomplete_verdict", "red_flag_verdict") if k in rec}
    return ScoringRules(tuple(bands), rec["min_coverage"], rec["red_flag_cap"], **extra)


def _question(
    rec: schema.Record,
    ctx: schema.Context,
    source_ids: set[str],
    section_ids: set[str],
    earlier: dict[str, schema.Record],
    all_ids: set[str],
) -> Question | None:
    qid = rec.get("id", "?")
    label = f"question '{qid}'"
    start = len(ctx.problems)
    kind = Kind(rec.get("kind", Kind.YES_NO.value))

    if "section" in rec and rec["section"] not in section_ids:
        ctx.add_at(
            rec.line_of("section"),
            f"{label}: unknown section '{rec['section']}'; add it under sections or fix the id",
        )
    for sid in rec.get("sources", []):
        if sid not in source_ids:
            ctx.add_at(
                rec.line_of("sources"),
                f"{label}: unknown source '{sid}'; add it under sources or fix the id",
            )

    options: tuple[Option, ...] = ()
    if kind is Kind.CHOICE:
        if "options" not in rec:
            ctx.add_at(rec.line, f"{label}: a choice question needs options")
        else:
            options = tuple(
                Option(o["id"], o["label"]) for o in rec["options"] if _has(o, "id", "label")
            )
            ids = [o.id for o in options]
            reserved = {a.value for a in Answer}
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                ctx.add_at(rec.line_of("options"), f"{label}: option '{dup}' appears twice")
            for bad in sorted(set(ids) & reserved):
                ctx.add_at(
                    rec.line_of("options"),
                    f"{label}: option id '{bad}' is reserved for yes/no answers; pick another",
                )
        for key in ("weight", "critical", "red_flag"):
            if key in rec:
                ctx.add_at(
                    rec.line_of(key),
                    f"{label}: {key} does not apply to a choice question (choices are not scored)",
                )
    elif "options" in rec:
        ctx.add_at(rec.line_of("options"), f"{label}: options only apply to kind: choice")

    critical = bool(rec.get("critical", False))
    critical_unreadable = "critical" in rec.lines and "critical" not in rec
    if critical and "red_flag" not in rec.lines:
        ctx.add_at(
            rec.line_of("critical"),
            f"{label}: a critical question needs red_flag text saying what to do",
        )
    if not critical and not critical_unreadable and "red_flag" in rec:
        ctx.add_at(rec.line_of("red_flag"), f"{label}: red_flag is only used with critical: true")

    condition = _condition(rec, ctx, label, earlier, all_ids)
    if len(ctx.problems) > start or not _has(
        rec, "id", "section", "text", "why", "good_answer", "verify", "sources"
    ):
        return None
    return Question(
        id=rec["id"],
        section=rec["section"],
        text={Role(k): v for k, v in rec["text"].items()},
        why=rec["why"],
        good_answer=rec["good_answer"],
        verify=rec["verify"],
        sources=tuple(rec["sources"]),
        kind=kind,
        weight=rec.get("weight", 1),
        critical=critical,
        red_flag=rec.get("red_flag"),
        show_if=condition,
        options=options,
    )


def _condition(
    rec: schema.Record,
    ctx: schema.Context,
    label: str,
    earlier: dict[str, schema.Record],
    all_ids: set[str],
) -> Condition | None:
    cond = rec.get("show_if")
    if cond is None:
        return None
    line = rec.line_of("show_if")
    has_any, has_none = "any_of" in cond, "none_of" in cond
    if has_any == has_none:
        ctx.add_at(line, f"{label}: show_if needs exactly one of any_of and none_of")
        return None
    target_id = cond.get("question")
    if target_id is None:
        return None
    target = earlier.get(target_id)
    if target is None:
        reason = "a later question" if target_id in all_ids else "no such question"
        ctx.add_at(
            cond.line_of("question"),
            f"{label}: show_if names '{target_id}' ({reason}); a condition may only refer to an earlier question",
        )
        return None
    if target.get("kind") != Kind.CHOICE.value:
        if target.get("kind", Kind.YES_NO.value) == Kind.YES_NO.value:
            ctx.add_at(
                cond.line_of("question"),
                f"{label}: show_if must refer to a choice question; '{target_id}' is yes/no",
            )
        return None
    values = tuple(cond["any_of"] if has_any else cond["none_of"])
    known = {o["id"] for o in target.get("options", []) if "id" in o}
    for value in values:
        if known and value not in known:
            ctx.add_at(
                cond.line_of("any_of" if has_any else "none_of"),
                f"{label}: '{value}' is not an option of '{target_id}' ({', '.join(sorted(known))})",
            )
    return Condition(target_id, values, negate=has_none)


# --- Answers -------------------------------------------------------------------------------


def load_answers(path: Path) -> Answers:
    """Load an answers file and check its shape (not yet against a checklist)."""
    text = read_text(path)
    return answers_from_node(compose(text, str(path)), str(path))


def answers_from_node(node: Node, path: str) -> Answers:
    ctx = schema.Context(path)
    raw = schema.validate(schema.ANSWERS, node, ctx, "")
    if ctx.problems or not isinstance(raw, schema.Record):
        raise InvalidInputError(ctx.problems or [Problem(path, "not an answers file")])
    return _build_answers(raw, path)


def _build_answers(raw: schema.Record, path: str) -> Answers:
    sub = raw["subject"]
    entries = {}
    for qid, value in raw["answers"].items():
        if isinstance(value, dict):
            entries[qid] = AnswerEntry(value["answer"], value.get("note"))
        else:
            entries[qid] = AnswerEntry(value)
    checklist = raw["checklist"]
    return Answers(
        checklist_id=checklist["id"],
        checklist_version=checklist.get("version"),
        checklist_hash=checklist.get("hash"),
        subject=Subject(sub["name"], sub.get("location"), sub.get("website"), sub.get("evaluated")),
        role=Role(raw["role"]),
        entries=entries,
        path=path,
        lines=dict(raw["answers"].lines),
    )


def normalise_value(question: Question, value: str) -> str | None:
    """The answer the person meant, or None when the question does not accept it."""
    word = value.strip()
    if question.kind is Kind.CHOICE:
        return (
            word
            if word in question.accepts()
            else (
                Answer.UNKNOWN.value
                if _ANSWER_SYNONYMS.get(word.lower()) == Answer.UNKNOWN.value
                else None
            )
        )
    lower = word.lower()
    lower = _ANSWER_SYNONYMS.get(lower, lower)
    return lower if lower in question.accepts() else None


def check_answers(answers: Answers, checklist: Checklist) -> tuple[Answers, list[str]]:
    """Match answers to a checklist: returns normalised answers and warnings, or raises.

    A different checklist id is always an error. Against the same version, unknown question
    ids and unaccepted values are errors with their line (usually typos). Against another
    version they are dropped with a warning: the questions were removed or changed, and the
    answers that still fit keep counting.
    """
    path = answers.path or "<answers>"
    if answers.checklist_id != checklist.id:
        raise InvalidInputError(
            [
                Problem(
                    path,
                    f"these answers are for checklist '{answers.checklist_id}', not '{checklist.id}'; pass --checklist with the right one",
                )
            ]
        )
    other_version = answers.checklist_version not in (None, checklist.version)
    problems: list[Problem] = []
    entries: dict[str, AnswerEntry] = {}
    for qid, entry in answers.entries.items():
        question = checklist.question_by_id.get(qid)
        if question is None:
            problems.append(
                Problem(
                    path,
                    f"unknown question id '{qid}' (not in {checklist.id} {checklist.version}); remove it or fix the id",
                    answers.lines.get(qid),
                )
            )
            continue
        value = normalise_value(question, entry.value)
        if value is None:
            problems.append(
                Problem(
                    path,
                    f"'{qid}': '{entry.value}' is not an answer it accepts; use one of: {', '.join(question.accepts())}",
                    answers.lines.get(qid),
                )
            )
            continue
        entries[qid] = AnswerEntry(value, entry.note)
    if problems and not other_version:
        raise InvalidInputError(problems)
    warnings = [f"{p} (ignored)" for p in problems]
    if other_version:
        warnings.append(
            f"{path}: answered against {checklist.id} version {answers.checklist_version}; "
            f"scoring with version {checklist.version} (questions it does not answer count as unknown)"
        )
    elif answers.checklist_hash is not None and answers.checklist_hash != checklist.content_hash:
        warnings.append(
            f"{path}: the checklist's questions changed since these answers were started; unanswered ones count as unknown"
        )
    return replace(answers, entries=entries), warnings
