"""Read checklists and answers files: YAML text → validated model, with every problem located."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from vetcheck import schema
from vetcheck.document import MappingNode, Node, ScalarNode, SequenceNode, compose, read_text
from vetcheck.errors import InvalidInputError, Problem, listed
from vetcheck.model import (
    MAX_PICKS,
    UNKNOWN,
    YES_NO_VALUES,
    Answer,
    AnswerEntry,
    Answers,
    AnswerValue,
    Checklist,
    Kind,
    Question,
    Report,
    ScoringRules,
    Section,
    Source,
    content_hash,
)

if TYPE_CHECKING:
    from vetcheck.claims import ClaimRules
    from vetcheck.lookups import Lookups
    from vetcheck.places import Places

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


def document_format(node: Node) -> str | None:
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
    from vetcheck.resources import builtin_dir, checklist_path

    path = checklist_path(ref)
    if path.parent == builtin_dir():
        copy = load_data_copy(path)
        if copy is not None:
            return copy
    return load_checklist(path)


# --- The built-in files' data copies ---------------------------------------------------------
# Reading and validating the built-in checklist's YAML costs ~55 M instructions (~11 ms) on
# every command that scores, and the look-ups' ~60 M on every report that names them. Beside
# each lies a JSON copy of the checked file, written by `python3 docs/generate.py` (CI checks
# it is current), which builds the same objects in a few M. It is data, never code, and it is
# used only while its key matches the YAML and the code that reads it: an edited file or model
# falls back to reading the YAML.

_READERS = ("model.py", "schema.py", "loader.py", "document.py", "lookups.py", "states.py")


def data_copy_path(yaml_path: Path) -> Path:
    return yaml_path.with_suffix(".data.json")


def data_copy_key(yaml_path: Path) -> str:
    """A checksum of the YAML and of the code that turns it into objects."""
    import zlib  # already loaded by Python's import system: no cost

    return f"crc32:{zlib.crc32(yaml_path.read_bytes()):08x}-{_readers_crc():08x}"


@cache  # the same for every copy a run reads
def _readers_crc() -> int:
    import zlib

    here = Path(__file__).parent
    crc = 0
    for name in _READERS:
        crc = zlib.crc32((here / name).read_bytes(), crc)
    return crc


def _is_lookups(yaml_path: Path) -> bool:
    return yaml_path.parent.name == "lookups"


def data_copy(yaml_path: Path) -> str:
    """The text of a built-in file's data copy, made by reading and checking its YAML.

    The look-ups' copy is one JSON value a line: first the key and the national look-ups,
    then one line per state (`{"TX": {…}}`), so that a report parses only the lines it needs
    (about 2 M instructions of JSON fewer; the checklist's copy is one JSON value).
    """
    import json

    key = data_copy_key(yaml_path)
    if _is_lookups(yaml_path):
        from vetcheck.lookups import index

        fields = index(read_lookups(yaml_path))
        states = fields.pop("states")
        lines = [json.dumps({"key": key, **fields}, ensure_ascii=False)]
        lines += [json.dumps({code: row}, ensure_ascii=False) for code, row in states.items()]
        return "\n".join(lines) + "\n"
    checklist = load_checklist(yaml_path)
    data = {
        "key": key,
        "content_hash": checklist.content_hash,
        "checklist": schema.spec_of(Checklist).dump(checklist),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _lookups_copy(yaml_path: Path, states: Collection[str] | None) -> dict[str, Any] | None:
    """The look-ups' index from its data copy while current, with only `states`' rows (all
    when None); None when there is no current copy."""
    import json

    try:
        lines = data_copy_path(yaml_path).read_text(encoding="utf-8").splitlines()
        fields = json.loads(lines[0])
        if fields.pop("key") != data_copy_key(yaml_path):
            return None
        wanted = (line for line in lines[1:] if states is None or line[2:4] in states)
        fields["states"] = {code: row for line in wanted for code, row in json.loads(line).items()}
    except (OSError, ValueError, LookupError, TypeError, AttributeError):
        return None  # no copy, or not one this code wrote: the YAML is the truth
    return cast(dict[str, Any], fields)


def _copy_data(yaml_path: Path) -> dict[str, object] | None:
    """A data copy's fields while it is current; None when there is none or it is stale."""
    import json

    try:
        data = json.loads(data_copy_path(yaml_path).read_bytes())
        return data if data["key"] == data_copy_key(yaml_path) else None
    except (OSError, ValueError, LookupError, TypeError):
        return None  # no copy, or not one this code wrote: the YAML is the truth


def load_data_copy(yaml_path: Path) -> Checklist | None:
    """The checklist from its data copy, or None when there is none or it is not current."""
    data = _copy_data(yaml_path)
    if data is None:
        return None
    try:
        checklist: Checklist = schema.spec_of(Checklist).build(data["checklist"])
        content_hash = cast(str, data["content_hash"])
    except (ValueError, LookupError, TypeError):
        return None
    return replace(checklist, path=str(yaml_path), content_hash=content_hash)


def parse_checklist(text: str, path: str = "<checklist>") -> Checklist:
    return checklist_from_node(compose(text, path), path)


def checklist_from_node(node: Node, path: str) -> Checklist:
    """Validate a checklist's nodes: each value (schema), then how the parts refer to each other."""
    ctx = schema.Context(path)
    checklist: Checklist | None = schema.validate(Checklist, node, ctx)
    if checklist is not None:
        checklist = _cross_check(checklist, ctx, _question_ids(node))
    if ctx.problems or checklist is None:
        raise InvalidInputError(ctx.problems or [Problem(path, "not a checklist")])
    return checklist


def _question_ids(node: Node) -> set[str]:
    """Every question id written in the file, including those of questions that are invalid."""
    assert isinstance(node, MappingNode)  # schema.validate has checked the top level
    for key, value in node.value:
        if getattr(key, "value", None) == "questions" and isinstance(value, SequenceNode):
            return {
                v.value
                for q in value.value
                if isinstance(q, MappingNode)
                for k, v in q.value
                if getattr(k, "value", None) == "id" and isinstance(v, ScalarNode)
            }
    return set()


def _cross_check(checklist: Checklist, ctx: schema.Context, all_ids: set[str]) -> Checklist:
    """Ids, references and scoring rules across the checklist; returns it in asking order."""
    _check_unique(ctx, "source", checklist.sources)
    _check_unique(ctx, "section", checklist.sections)
    _check_scoring(checklist.scoring, ctx)
    known = {
        "source": {s.id for s in checklist.sources},
        "section": {s.id for s in checklist.sections},
        "valid question": {q.id for q in checklist.questions},
        "question": all_ids,  # every id written under questions, valid or not
    }
    # Questions are asked section by section, so "earlier" (for show_if) means in that order.
    order = {s.id: i for i, s in enumerate(checklist.sections)}
    ordered = sorted(checklist.questions, key=lambda q: order.get(q.section, len(order)))
    earlier: dict[str, Question] = {}
    seen: dict[str, int | None] = {}
    for question in ordered:
        if question.id in seen:
            ctx.add_at(
                ctx.line_of(question, "id"),
                f"question '{question.id}': duplicate id (first used on line {seen[question.id]})",
            )
            continue
        seen[question.id] = ctx.line_of(question, "id")
        _check_question(question, ctx, known, earlier)
        earlier[question.id] = question
    replaced: dict[str, str] = {}
    for question in ordered:
        old = question.replaces
        if old is None:
            continue
        line = ctx.line_of(question, "replaces")
        if old.question in all_ids:
            ctx.add_at(
                line,
                f"question '{question.id}': replaces '{old.question}', which is still a question; give the new question a new id",
            )
        elif old.question in replaced:
            ctx.add_at(
                line,
                f"question '{question.id}': '{old.question}' is already replaced by '{replaced[old.question]}'",
            )
        replaced[old.question] = question.id
    for old_id in checklist.retired:
        if old_id in all_ids or old_id in replaced:
            asked = "still a question" if old_id in all_ids else f"replaced by '{replaced[old_id]}'"
            ctx.add_at(
                ctx.line_of(checklist, "retired"),
                f"retired: '{old_id}' is {asked}; list only ids no longer asked",
            )
    route = checklist.route_question
    if route is not None and (route not in earlier or earlier[route].kind is not Kind.CHOICE):
        ctx.add_at(
            ctx.line_of(checklist, "route_question"),
            f"route_question '{route}' is not a choice question of this checklist",
        )
    for section in checklist.sections:
        if not checklist.questions_in(section.id):
            ctx.add_at(
                ctx.line_of(section),
                f"section '{section.id}' has no questions; remove it or add some",
            )
    questions = tuple(ordered)
    return replace(
        checklist, questions=questions, path=ctx.path, content_hash=content_hash(questions)
    )


def _check_unique(
    ctx: schema.Context, what: str, items: tuple[Source, ...] | tuple[Section, ...]
) -> None:
    first: dict[str, int | None] = {}
    for item in items:
        if item.id in first:
            ctx.add_at(
                ctx.line_of(item, "id"),
                f"{what} '{item.id}': duplicate id (first used on line {first[item.id]})",
            )
        else:
            first[item.id] = ctx.line_of(item, "id")


def _check_scoring(rules: ScoringRules, ctx: schema.Context) -> None:
    bands = rules.grades
    for prev, band in itertools.pairwise(bands):
        if band.min_score >= prev.min_score:
            ctx.add_at(
                ctx.line_of(band, "min"),
                f"grade {band.letter}: min must be lower than {prev.letter}'s ({prev.min_score})",
            )
    if bands and bands[-1].min_score != 0:
        ctx.add_at(
            ctx.line_of(bands[-1], "min"),
            f"grade {bands[-1].letter}: the last grade must have min 0",
        )
    letters = [b.letter for b in bands]
    if len(set(letters)) != len(letters):
        ctx.add_at(ctx.line_of(rules, "grades"), "grades: each letter may appear only once")
    for key in ("red_flag_cap", "must_ask_cap"):
        letter = getattr(rules, key)
        if letter not in letters:
            ctx.add_at(
                ctx.line_of(rules, key),
                f"{key} '{letter}' is not one of the grades ({', '.join(letters)})",
            )


def _check_question(
    q: Question,
    ctx: schema.Context,
    known: dict[str, set[str]],
    earlier: dict[str, Question],
) -> None:
    label = f"question '{q.id}'"

    def add(line: int | None, message: str) -> None:
        ctx.add_at(line, f"{label}: {message}")

    if q.section not in known["section"]:
        add(
            ctx.line_of(q, "section"),
            f"unknown section '{q.section}'; add it under sections or fix the id",
        )
    for sid in q.sources:
        if sid not in known["source"]:
            add(
                ctx.line_of(q, "sources"),
                f"unknown source '{sid}'; add it under sources or fix the id",
            )
    if q.kind is Kind.CHOICE:
        if not q.options:
            add(ctx.line_of(q), "a choice question needs options")
        ids = [o.id for o in q.options]
        for dup in sorted(i for i, n in Counter(ids).items() if n > 1):  # linear, not ids.count
            add(ctx.line_of(q, "options"), f"option '{dup}' appears twice")
        if q.multiple and len(ids) > MAX_PICKS:  # all of them must fit in one answer
            add(
                ctx.line_of(q, "options"),
                f"a question with multiple: true may have at most {MAX_PICKS} options (an answer lists at most {MAX_PICKS}); split it",
            )
        for bad in sorted(set(ids) & set(YES_NO_VALUES)):
            add(
                ctx.line_of(q, "options"),
                f"option id '{bad}' is reserved for yes/no answers; pick another",
            )
        for key in ("weight", "critical", "red_flag", "polarity", "finding", "replaces"):
            if ctx.wrote(q, key):
                add(
                    ctx.line_of(q, key),
                    f"{key} does not apply to a choice question (choices are not scored)",
                )
    else:
        for key in ("options", "multiple"):
            if ctx.wrote(q, key):
                add(ctx.line_of(q, key), f"{key} only applies to kind: choice")
    if q.critical and q.red_flag is None:
        add(ctx.line_of(q, "critical"), "a critical question needs red_flag text saying what to do")
    if not q.critical and q.red_flag is not None:
        add(ctx.line_of(q, "red_flag"), "red_flag is only used with critical: true")

    cond = q.show_if
    if cond is None:
        return
    if bool(cond.any_of) == bool(cond.none_of):
        add(ctx.line_of(q, "show_if"), "show_if needs exactly one of any_of and none_of")
        return
    target = earlier.get(cond.question)
    at = ctx.line_of(cond, "question")
    if target is None:
        if cond.question in known["question"] and cond.question not in known["valid question"]:
            return  # that question is itself invalid, and reported
        reason = "a later question" if cond.question in known["question"] else "no such question"
        add(
            at,
            f"show_if names '{cond.question}' ({reason}); a condition may only refer to an earlier question",
        )
        return
    if target.kind is not Kind.CHOICE:
        add(at, f"show_if must refer to a choice question; '{cond.question}' is yes/no")
        return
    options = {o.id for o in target.options}
    for value in cond.values:
        if value not in options:
            add(
                ctx.line_of(cond, "any_of" if cond.any_of else "none_of"),
                f"'{value}' is not an option of '{cond.question}' ({listed(sorted(options))})",
            )


# --- Answers -------------------------------------------------------------------------------


def load_answers(path: Path) -> Answers:
    """Load an answers file and check its shape (not yet against a checklist)."""
    text = read_text(path)
    return answers_from_node(compose(text, str(path)), str(path))


def answers_from_node(node: Node, path: str) -> Answers:
    ctx = schema.Context(path)
    answers: Answers | None = schema.validate(Answers, node, ctx)
    if ctx.problems or answers is None:
        raise InvalidInputError(ctx.problems or [Problem(path, "not an answers file")])
    return replace(answers, path=path, lines=ctx.keys_lines(answers.entries))


def normalise_value(question: Question, value: AnswerValue) -> AnswerValue | None:
    """The answer the person meant, or None when the question does not accept it.

    A question with `multiple: true` takes its options as a tuple, even one alone (a 1.x file's
    `setting: clinic_iv` reads as `(clinic_iv,)`), or the word unknown.
    """
    if isinstance(value, tuple) or question.multiple:
        return _several(question, value if isinstance(value, tuple) else (value,))
    return _one(question, value)


def _one(question: Question, value: str) -> str | None:
    word = value.strip()
    if question.kind is Kind.CHOICE:
        if word in question.accepts():
            return word
        unknown = _ANSWER_SYNONYMS.get(word.lower()) == Answer.UNKNOWN.value
        return Answer.UNKNOWN.value if unknown else None
    lower = word.lower()
    lower = _ANSWER_SYNONYMS.get(lower, lower)
    return lower if lower in question.accepts() else None


def _several(question: Question, values: tuple[str, ...]) -> AnswerValue | None:
    if not question.multiple:
        return None  # a list for a question that takes one answer
    chosen = [_one(question, v) for v in values]
    if chosen == [UNKNOWN]:
        return UNKNOWN
    if None in chosen or UNKNOWN in chosen:
        return None  # not an option, or "unknown" beside options
    return tuple(dict.fromkeys(cast(list[str], chosen)))  # in the order given, once each


def answer_text(value: AnswerValue) -> str:
    """An answer as written in a message: `yes`, or `clinic_iv, at_home`."""
    return value if isinstance(value, str) else ", ".join(value)


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
    # A new version whose questions are the same (its hash matches: a reworded text, a new
    # look-up) is read like the same version: nothing to warn about.
    same_questions = answers.checklist_hash == checklist.content_hash
    other_version = (
        answers.checklist_version not in (None, checklist.version) and not same_questions
    )
    problems: list[Problem] = []
    moved: list[str] = []
    entries: dict[str, AnswerEntry] = {}
    aside = dict(answers.set_aside)
    replaced_by = {q.replaces.question: q for q in checklist.questions if q.replaces}
    for qid, entry in answers.entries.items():
        question = checklist.question_by_id.get(qid)
        if question is None and qid in replaced_by:
            said = _carry(qid, entry, replaced_by[qid], answers, entries, aside)
            if said:
                moved.append(said)
            continue
        if question is None and qid in checklist.retired:
            moved.append(f"'{qid}' is no longer asked: {checklist.retired[qid]}{_NOT_COUNTED}")
            _set_aside(aside, qid, entry)
            continue
        if question is None:
            _set_aside(aside, qid, entry)
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
            _set_aside(aside, qid, entry)
            problems.append(
                Problem(
                    path,
                    f"'{qid}': takes one answer, not a list; use {_accepted(question)}"
                    if isinstance(entry.value, tuple) and not question.multiple
                    else f"'{qid}': '{answer_text(entry.value)}' is not an answer it accepts; use {_accepted(question)}",
                    answers.lines.get(qid),
                )
            )
            continue
        entries[qid] = entry if value == entry.value else AnswerEntry(value, entry.note)
    if problems and not other_version:
        raise InvalidInputError(problems)
    warnings = [f"{p}{_NOT_COUNTED}" for p in problems] + [f"{path}: {m}" for m in moved]
    told = answers.subject.patient_state
    if told:
        from vetcheck.states import state_in

        if state_in(told, asked_for_a_state=True) is None:
            warnings.append(
                f"{path}: patient_state '{told}' names no US state, DC or Puerto Rico; write a "
                "code such as TX (until then, look-ups follow the location)"
            )
    if other_version:
        warnings.append(
            f"{path}: answered against {checklist.id} version {answers.checklist_version}; "
            f"scoring with version {checklist.version} (questions it does not answer count as unknown)"
        )
    elif answers.checklist_hash is not None and answers.checklist_hash != checklist.content_hash:
        warnings.append(
            f"{path}: the checklist's questions changed since these answers were started; unanswered ones count as unknown"
        )
    return replace(answers, entries=entries, set_aside=aside), warnings


# After a checklist change, what no longer fits is kept (set aside in the file when an
# interview next saves it), never deleted: only the person may remove what they wrote.
_NOT_COUNTED = " (not counted, but kept in the file)"


def _set_aside(aside: dict[str, AnswerEntry], qid: str, entry: AnswerEntry) -> None:
    """Keep `entry` under `qid`, or `qid-2`, `qid-3`… when an earlier answer holds that name."""
    key, n = qid, 1
    while key in aside and aside[key] != entry:
        n += 1
        key = f"{qid}-{n}"
    aside[key] = entry


def _accepted(question: Question) -> str:
    ids = (o.id for o in question.options)
    if question.multiple:
        return f"one or more of: {listed(ids)} (a list, e.g. [{question.options[0].id}, {question.options[1].id}]), or unknown"
    return f"one of: {listed(question.accepts())}"


def _carry(
    old_id: str,
    entry: AnswerEntry,
    question: Question,
    answers: Answers,
    entries: dict[str, AnswerEntry],
    aside: dict[str, AnswerEntry],
) -> str:
    """Read an answer to a replaced question as one to its replacement, or set it aside; say
    what was done ("" when there is nothing worth saying)."""
    assert question.replaces is not None
    head = f"'{old_id}' is now asked as '{question.id}'"
    value = normalise_value(question, entry.value)
    carried = None if value is None else question.replaces.carry(value)
    if question.id in answers.entries:
        if entry == AnswerEntry(UNKNOWN):
            return ""  # "don't know", no note: the newer answer loses nothing by it
        why = f", which the file also answers: the old answer '{answer_text(entry.value)}' is not used"
    elif value is None or carried is None:
        why = f"; the old answer '{answer_text(entry.value)}' does not fit it"
    elif question.replaces.widened and question.credit(carried) == 1:
        why = f", which asks for more: the old answer '{answer_text(value)}' cannot settle it, so it is asked again"
    else:
        entries[question.id] = AnswerEntry(carried, entry.note)
        if carried != value:
            return f"{head}, the other way round: the answer '{answer_text(value)}' counts as '{answer_text(carried)}' (the file is unchanged)"
        return f"{head}: the answer '{answer_text(value)}' counts for it (the file is unchanged)"
    _set_aside(aside, old_id, entry)
    return f"{head}{why}{_NOT_COUNTED}"


# --- Claim rules (vetcheck claims) -----------------------------------------------------------


def load_claim_rules(ref: str | None) -> ClaimRules:
    """Load and check claim rules by built-in id or path (None: the built-in rules).

    A rules file of one's own is checked in full: its patterns compiled and its examples tried.
    The built-in rules are checked so by the test suite instead (tests/test_claims.py), which
    saves ~0.3 s of compiling patterns at every run.
    """
    from vetcheck.resources import builtin_dir, claim_rules_path

    path = claim_rules_path(ref)
    full = path.parent != builtin_dir() / "claims"
    return claim_rules_from_node(compose(read_text(path), str(path)), str(path), full)


def claim_rules_from_node(node: Node, path: str, full: bool = True) -> ClaimRules:
    """Check a claim-rules file: its shape and citations; when `full`, also that its patterns
    compile and that every rule flags its `fires` sentences and not its `passes`."""
    from vetcheck.claims import ClaimRules, rule_problems
    from vetcheck.resources import builtin_ids

    ctx = schema.Context(path)
    rules: ClaimRules | None = schema.validate(ClaimRules, node, ctx)
    if rules is not None and not ctx.problems:
        if rules.checklist not in builtin_ids():
            ctx.add_at(
                ctx.line_of(rules, "checklist"),
                f"checklist '{rules.checklist}' is not built in; rules cite a built-in checklist",
            )
        else:
            checklist = load_checklist_ref(rules.checklist)
            sources = {s.id for s in checklist.sources}
            questions = {q.id for q in checklist.questions}
            for obj, key, message in rule_problems(rules, sources, questions, full):
                ctx.add_at(ctx.line_of(obj, key), message)
    if ctx.problems or rules is None:
        raise InvalidInputError(ctx.problems or [Problem(path, "not a claim-rules file")])
    return replace(rules, path=path)


# --- Official look-ups per state (vetcheck lookup) -------------------------------------------


def with_lookups(report: Report, state_code: str | None = None) -> Report:
    """The report with the official look-ups its questions name, for the state that counts
    (`state_code` first, else from its answers); unchanged when its checklist names none."""
    from vetcheck.places import named_states, needs_lookups, where_for

    if not needs_lookups(report.checklist):
        return report  # a custom checklist without look-ups never reads the file
    subject = report.answers.subject
    index = load_places(named_states(state_code, subject.location, subject.patient_state))
    return replace(report, where=where_for(index, report.checklist, report.answers, state_code))


def load_places(states: Collection[str] | None = None) -> Places:
    """The look-ups as reports use them (places per kind of check), from the look-ups file's
    data copy while it is current, else from its YAML. With `states` (codes), only those
    states: a report needs one, not all 52."""
    from vetcheck.places import Places

    fields = _lookups_copy(_lookups_path(), states)
    if fields is None:
        from vetcheck.lookups import index

        fields = index(read_lookups(_lookups_path()))
        if states is not None:
            fields["states"] = {c: r for c, r in fields["states"].items() if c in states}
    return Places(fields)


def load_lookups() -> Lookups:
    """The built-in look-ups file, every field of it (`vetcheck lookup`), checked."""
    return read_lookups(_lookups_path())


def _lookups_path() -> Path:
    from vetcheck.resources import builtin_dir

    return builtin_dir() / "lookups" / "us-states.yaml"


def read_lookups(path: Path) -> Lookups:
    """A look-ups file read from its YAML and checked: each row a real state, once."""
    from vetcheck.lookups import Lookups
    from vetcheck.states import STATES

    ctx = schema.Context(str(path))
    lookups: Lookups | None = schema.validate(Lookups, compose(read_text(path), str(path)), ctx)
    if lookups is not None:
        codes: dict[str, int | None] = {}
        for state in lookups.states:
            line = ctx.line_of(state, "code")
            if state.code in codes:
                ctx.add_at(
                    line, f"state '{state.code}': listed twice (first on line {codes[state.code]})"
                )
            elif STATES.get(state.code) != state.name:
                ctx.add_at(
                    line,
                    f"state '{state.code}' '{state.name}': not a US state, DC or Puerto Rico by this code and name",
                )
            codes.setdefault(state.code, line)
    if ctx.problems or lookups is None:
        raise InvalidInputError(ctx.problems or [Problem(str(path), "not a look-ups file")])
    return lookups
