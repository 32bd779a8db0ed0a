"""Checklist + answers → an answers file (YAML) with each question's wording as comments."""

from __future__ import annotations

import json
import re
import textwrap

from vetcheck.model import (
    UNKNOWN,
    Answer,
    AnswerEntry,
    Answers,
    AnswerValue,
    Checklist,
    Question,
    Role,
)

FORMAT_VERSION = 1

# Characters YAML would refuse or fold inside a double-quoted scalar, written as escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# Characters YAML refuses anywhere in a file, comments included (its "printable" set's complement).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Plain words that read back as themselves (no YAML 1.1 or 1.2 type surprises for our loader);
# not `null`, which reads as no value.
_PLAIN = re.compile(r"(?!null$)[a-z][a-z0-9_/-]*")


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _value(value: AnswerValue) -> str:
    if isinstance(value, tuple):  # several options of a `multiple` question: a flow list
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return value if _PLAIN.fullmatch(value) else yaml_str(value)


def _one_line(text: str) -> str:
    """Text for a comment: one line, without what YAML refuses (a name's control characters,
    a checklist's escapes); the values themselves are written exactly, as quoted scalars."""
    return " ".join(_NOT_YAML.sub("", text).split())


def _comment(text: str, indent: str, width: int = 96) -> list[str]:
    one_line = _one_line(text)
    return [f"{indent}# {line}" for line in textwrap.wrap(one_line, width - len(indent) - 2)] or [
        f"{indent}#"
    ]


def _condition_note(question: Question, checklist: Checklist, role: Role) -> str | None:
    cond = question.show_if
    if cond is None:
        return None
    target = checklist.question_by_id[cond.question]
    labels = " or ".join(target.option_label(v, role) for v in cond.values)
    return f"Applies if the answer to Q{checklist.number(cond.question)} is {'not ' if cond.negate else ''}{labels}, or not known yet; otherwise not counted."


def render_answers(
    checklist: Checklist, answers: Answers, *, pending_as_comments: bool = False
) -> str:
    """The whole answers file; every question appears, unanswered ones as `unknown`.

    With `pending_as_comments` (an interview in progress), questions not asked yet are written
    as comments instead, so a resumed interview can tell them from questions answered "unknown".
    """
    role = answers.role
    sub = answers.subject
    out = [
        f"# vetcheck answers for: {_one_line(sub.name)}",
        "# This file holds health information. Keep it private.",
        "#",
        "# Answer each question with: yes, partly, no, unknown (don't know yet) or n/a.",
        "# A choice question takes one of the options listed above it; one that says",
        "# 'pick all that apply' takes a list:  setting: [clinic_iv, at_home]",
        '# To add a note:  question_id: {answer: partly, note: "what they said"}',
        "# Then run:  vetcheck report THIS-FILE",
        f"vetcheck: {FORMAT_VERSION}",
        "checklist:",
        f"  id: {checklist.id}",
        f"  version: {yaml_str(checklist.version)}",
        f"  hash: {yaml_str(checklist.content_hash)}",
        "subject:",
        f"  name: {yaml_str(sub.name)}",
        f"  location: {'' if sub.location is None else yaml_str(sub.location)}".rstrip(),
        *_patient_state(checklist, sub.patient_state, role),
        f"  website: {'' if sub.website is None else yaml_str(sub.website)}".rstrip(),
        f"  evaluated: {'' if sub.evaluated is None else sub.evaluated.isoformat()}".rstrip(),
        f"role: {role.value}",
        "answers:",
    ]
    for section in checklist.sections:
        out += ["", f"  # === {_one_line(section.title)} ==="]
        for q in checklist.questions_in(section.id):
            out += _question_block(q, checklist, answers, role, pending_as_comments)
    if answers.set_aside:
        out += [
            "",
            "# === Set aside: answers this checklist version has no place for ===",
            "# The question was removed or changed, so these are not counted. They are kept so",
            "# nothing you wrote is lost: copy one back under answers: if it still fits, or delete it.",
            "set_aside:",
        ]
        out += [f"  {qid}: {_entry(entry)}" for qid, entry in answers.set_aside.items()]
    return "\n".join(out) + "\n"


def _entry(entry: AnswerEntry) -> str:
    if entry.note:
        return f"{{answer: {_value(entry.value)}, note: {yaml_str(entry.note)}}}"
    return _value(entry.value)


def _question_block(
    q: Question,
    checklist: Checklist,
    answers: Answers,
    role: Role,
    pending_as_comments: bool,
) -> list[str]:
    pad = "  "
    lines = [""]
    critical = " [critical]" if q.critical else ""
    lines += _comment(f"Q{checklist.number(q.id)}.{critical} {q.wording(role)}", pad)
    lines += _comment(f"Why: {q.why[role]}", pad)
    note = _condition_note(q, checklist, role)
    if note:
        lines += _comment(note, pad)
    if q.options:
        pick = "Options (pick all that apply, as a list: [a, b])" if q.multiple else "Options"
        listed = "; ".join(f"{o.id} = {o.label[role]}" for o in q.options)
        lines += _comment(f"{pick}: {listed}; unknown", pad)
    else:
        bad = " (here yes is the bad answer)" if q.bad_answer == Answer.YES else ""
        lines += _comment(f"Answer: yes | partly | no | unknown | n/a{bad}", pad)
    entry = answers.entries.get(q.id)
    if entry is None and pending_as_comments:
        lines.append(f"{pad}# {q.id}: (not asked yet)")
        return lines
    lines.append(f"{pad}{q.id}: {_entry(entry or AnswerEntry(UNKNOWN))}")
    return lines


def _patient_state(checklist: Checklist, value: str | None, role: Role) -> list[str]:
    """The patient_state line: where it can matter (a route where the patient is away from the
    clinic) or where the person filled it in."""
    route = checklist.route
    if value is None and (route is None or not any(o.remote for o in route.options)):
        return []
    who = "you are" if role is Role.PATIENT else "the patient is"
    return [
        f"  # For a telehealth or home program: the state {who} in during visits (e.g. TX).",
        f"  patient_state: {'' if value is None else yaml_str(value)}".rstrip(),
    ]
