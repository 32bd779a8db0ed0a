"""One description of each file format: it validates YAML nodes and it exports JSON Schema.

Validation walks the composed YAML node tree (which keeps line and column), so every problem
is reported with its position, all at once. Scalars are read from their source text, never
through YAML 1.1 type guessing, so `yes`, `no`, `on`, `off` and `1.0` stay what the person wrote.
The same objects generate the published JSON Schema, so the two cannot drift apart.
Plain classes rather than dataclasses: this module loads on every command, and each
dataclass costs ~0.85 ms to create.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from vetcheck.document import MappingNode, Node, ScalarNode, SequenceNode
from vetcheck.errors import Problem

JSON = dict[str, Any]
_YAML_TAG = "tag:yaml.org,2002:"
_NULL_TEXT = frozenset({"", "~", "null", "Null", "NULL"})
_NULL_TAG = _YAML_TAG + "null"
TRUE_WORDS = frozenset({"true", "yes", "on"})
FALSE_WORDS = frozenset({"false", "no", "off"})
ID_PATTERN = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$"
_INVALID: Any = object()  # returned where a value could not be read; a problem is recorded


class Record(dict[str, Any]):
    """A validated mapping that remembers where it and each of its keys were in the file."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class Context:
    """Collects problems while one file is checked."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, node: Node | None, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.path, message))
        else:
            mark = node.start_mark
            self.problems.append(Problem(self.path, message, mark.line + 1, mark.column + 1))

    def add_at(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, message, line))


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _is_plain(node: ScalarNode) -> bool:
    return not node.style  # None from the Python parser, "" from libyaml


def _is_null(node: Node) -> bool:
    # Cheapest test first: this runs several times per node. Tags are left unresolved by our
    # composer: "" means none was written.
    return (
        type(node) is ScalarNode
        and node.value in _NULL_TEXT
        and not node.style
        and node.tag in ("", _NULL_TAG)
    )


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if _is_null(node):
        return "empty"
    return f"'{_clip(node.value)}'"


def _clip(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Spec:
    """A value's rules: check a node, or describe itself as JSON Schema."""

    description: str = ""

    def check(self, node: Node, ctx: Context, what: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> JSON:
        raise NotImplementedError

    def _described(self, schema: JSON) -> JSON:
        if self.description:
            schema["description"] = self.description
        return schema


class _Scalar(Spec):
    def check(self, node: Node, ctx: Context, what: str) -> Any:
        if not isinstance(node, ScalarNode) or _is_null(node):
            ctx.add(node, f"{what} must be {self.expected}, not {_kind(node)}")
            return _INVALID
        if node.tag and not node.tag.startswith(_YAML_TAG) and node.tag != "!":
            ctx.add(node, f"{what}: the YAML tag {node.tag} is not supported; remove it")
            return _INVALID
        return self.read(node, ctx, what)

    expected = "a value"

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        raise NotImplementedError


class Str(_Scalar):
    expected = "text"

    def __init__(
        self,
        description: str = "",
        pattern: str | None = None,
        max_length: int = 10_000,
        hint: str = "",
        numbers_ok: bool = False,  # accept an unquoted number such as `version: 1.0` as its text
    ) -> None:
        self.description = description
        self.pattern = pattern
        self.max_length = max_length
        self.hint = hint
        self.numbers_ok = numbers_ok

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        text = str(node.value)
        if not text.strip():
            ctx.add(node, f"{what} must not be blank")
            return _INVALID
        if len(text) > self.max_length:
            ctx.add(node, f"{what} is longer than {self.max_length} characters")
            return _INVALID
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            ctx.add(
                node, f"{what} '{_clip(text)}' is not valid{': ' + self.hint if self.hint else ''}"
            )
            return _INVALID
        return text

    def json_schema(self) -> JSON:
        schema: JSON = {"type": ["string", "number"] if self.numbers_ok else "string"}
        if not self.numbers_ok:
            schema["minLength"] = 1
            schema["maxLength"] = self.max_length
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        return self._described(schema)


class Int(_Scalar):
    expected = "a whole number"

    def __init__(self, description: str = "", minimum: int = 0, maximum: int = 1_000_000) -> None:
        self.description = description
        self.minimum = minimum
        self.maximum = maximum

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        text = str(node.value).strip()
        if not _is_plain(node) or not re.fullmatch(r"[+-]?\d{1,9}", text):
            ctx.add(node, f"{what} must be a whole number, not '{_clip(text)}'")
            return _INVALID
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            ctx.add(node, f"{what} must be from {self.minimum} to {self.maximum}, not {value}")
            return _INVALID
        return value

    def json_schema(self) -> JSON:
        return self._described(
            {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        )


class Bool(_Scalar):
    expected = "true or false"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        word = str(node.value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        ctx.add(node, f"{what} must be true or false, not '{_clip(node.value)}'")
        return _INVALID

    def json_schema(self) -> JSON:
        return self._described({"type": "boolean"})


class Date(_Scalar):
    expected = "a date (YYYY-MM-DD)"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        text = str(node.value).strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            ctx.add(node, f"{what} must be a date written YYYY-MM-DD, not '{_clip(text)}'")
            return _INVALID

    def json_schema(self) -> JSON:
        return self._described({"type": "string", "format": "date"})


class Enum(_Scalar):
    expected = "one of the listed words"

    def __init__(self, values: Sequence[str], description: str = "") -> None:
        self.values = values
        self.description = description

    def read(self, node: ScalarNode, ctx: Context, what: str) -> Any:
        text = str(node.value).strip()
        if text not in self.values:
            ctx.add(node, f"{what} must be one of {', '.join(self.values)}; not '{_clip(text)}'")
            return _INVALID
        return text

    def json_schema(self) -> JSON:
        return self._described({"enum": list(self.values)})


class ListOf(Spec):
    def __init__(
        self, item: Spec, description: str = "", min_items: int = 0, max_items: int = 100_000
    ) -> None:
        self.item = item
        self.description = description
        self.min_items = min_items
        self.max_items = max_items

    def check(self, node: Node, ctx: Context, what: str) -> Any:
        if not isinstance(node, SequenceNode):
            if self.min_items == 0 and _is_null(node):
                return []
            ctx.add(node, f"{what} must be a list, not {_kind(node)}")
            return _INVALID
        if len(node.value) < self.min_items:
            ctx.add(node, f"{what} needs at least {self.min_items} item(s)")
        if len(node.value) > self.max_items:
            ctx.add(node, f"{what} has more than {self.max_items} items")
            return _INVALID
        values = [
            self.item.check(child, ctx, f"{what}[{i + 1}]") for i, child in enumerate(node.value)
        ]
        return [v for v in values if v is not _INVALID]

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return self._described(schema)


class Field:
    def __init__(self, spec: Spec, required: bool = False) -> None:
        self.spec = spec
        self.required = required


class Obj(Spec):
    """A mapping with known keys; unknown keys are reported (they are usually typos)."""

    def __init__(
        self,
        fields: Mapping[str, Field],
        description: str = "",
        title: str = "",
        name_key: str | None = None,  # a key whose value names the record in messages
        noun: str = "",  # what to call the record in messages, e.g. "question"
    ) -> None:
        self.fields = fields
        self.description = description
        self.title = title
        self.name_key = name_key
        self.noun = noun

    def check(self, node: Node, ctx: Context, what: str) -> Any:
        if not isinstance(node, MappingNode):
            ctx.add(node, f"{what} must be a mapping of keys to values, not {_kind(node)}")
            return _INVALID
        record = Record(line_of(node))
        label = what
        if self.name_key is not None:
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == self.name_key and isinstance(
                    value_node, ScalarNode
                ):
                    label = f"{self.noun or what} '{_clip(value_node.value)}'"
        for key_node, value_node in node.value:
            key = _key(key_node, ctx, label)
            if key is None:
                continue
            if key in record.lines:
                ctx.add(key_node, f"{_join(label, 'key')} '{key}' appears twice")
                continue
            record.lines[key] = line_of(key_node)
            spec_field = self.fields.get(key)
            if spec_field is None:
                close = _closest(key, self.fields)
                hint = (
                    f"; did you mean '{close}'?"
                    if close
                    else f"; allowed: {', '.join(self.fields)}"
                )
                ctx.add(key_node, f"{_join(label, 'unknown key')} '{key}'{hint}")
                continue
            if (
                _is_null(value_node)
                and not spec_field.required
                and not isinstance(spec_field.spec, ListOf)
            ):
                continue
            value = spec_field.spec.check(value_node, ctx, _join(label, key))
            if value is not _INVALID:
                record[key] = value
        for key, spec_field in self.fields.items():
            if spec_field.required and key not in record.lines:
                ctx.add(node, f"{_join(label, 'missing required key')} '{key}'")
        return record

    def json_schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "properties": {k: f.spec.json_schema() for k, f in self.fields.items()},
            "additionalProperties": False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        if self.title:
            schema["title"] = self.title
        return self._described(schema)


class MapOf(Spec):
    """A mapping from free keys (matching a pattern) to values of one spec."""

    def __init__(
        self, value: Spec, key_pattern: str, description: str = "", key_hint: str = ""
    ) -> None:
        self.value = value
        self.key_pattern = key_pattern
        self.description = description
        self.key_hint = key_hint

    def check(self, node: Node, ctx: Context, what: str) -> Any:
        if not isinstance(node, MappingNode):
            if _is_null(node):
                return Record(line_of(node))
            ctx.add(node, f"{what} must be a mapping, not {_kind(node)}")
            return _INVALID
        record = Record(line_of(node))
        for key_node, value_node in node.value:
            key = _key(key_node, ctx, what)
            if key is None:
                continue
            if key in record.lines:
                ctx.add(key_node, f"{what}: '{key}' appears twice")
                continue
            record.lines[key] = line_of(key_node)
            if not re.fullmatch(self.key_pattern, key):
                ctx.add(
                    key_node,
                    f"{what}: '{_clip(key)}' is not a valid key{': ' + self.key_hint if self.key_hint else ''}",
                )
                continue
            value = self.value.check(value_node, ctx, _join(what, key))
            if value is not _INVALID:
                record[key] = value
        return record

    def json_schema(self) -> JSON:
        return self._described(
            {
                "type": "object",
                "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": self.value.json_schema(),
            }
        )


class Either(Spec):
    """A scalar in one form or a mapping in another (e.g. `q: yes` or `q: {answer: yes, note: …}`)."""

    def __init__(self, scalar: Spec, mapping: Spec, description: str = "") -> None:
        self.scalar = scalar
        self.mapping = mapping
        self.description = description

    def check(self, node: Node, ctx: Context, what: str) -> Any:
        spec = self.mapping if isinstance(node, MappingNode) else self.scalar
        return spec.check(node, ctx, what)

    def json_schema(self) -> JSON:
        return self._described({"oneOf": [self.scalar.json_schema(), self.mapping.json_schema()]})


def _join(what: str, key: str) -> str:
    return f"{what}: {key}" if what else key


def _key(node: Node, ctx: Context, what: str) -> str | None:
    if not isinstance(node, ScalarNode) or _is_null(node):
        ctx.add(node, f"{what}: a key must be plain text, not {_kind(node)}")
        return None
    return str(node.value)


def _closest(word: str, choices: Mapping[str, Any]) -> str | None:
    import difflib  # only on the error path

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


def validate(spec: Spec, node: Node, ctx: Context, what: str) -> Any:
    """Check a document's root node; returns the value, or None when it could not be read."""
    if isinstance(spec, Obj) and not isinstance(node, MappingNode):
        ctx.add(node, f"the top level must be a mapping of keys to values, not {_kind(node)}")
        return None
    value = spec.check(node, ctx, what)
    return None if value is _INVALID else value


# --- The formats -------------------------------------------------------------------------

_TEXT = Str(max_length=4000)
_ID = Str(
    pattern=ID_PATTERN,
    max_length=80,
    hint="use lower-case letters, digits, _ and -, starting with a letter",
    description="Unique id: lower-case letters, digits, _ and -, starting with a letter.",
)

_ROLE_TEXT = Obj(
    {
        "patient": Field(
            Str(
                description="Plain words for patients (reading grade 8 or lower).", max_length=4000
            ),
            required=True,
        ),
        "referrer": Field(
            Str(
                description="Precise clinical wording for referring clinicians; falls back to patient.",
                max_length=4000,
            )
        ),
    },
    description="Wording per role.",
)

_SOURCE = Obj(
    {
        "id": Field(_ID, required=True),
        "citation": Field(
            Str(
                description="Full citation: authors, title, publisher or journal, year.",
                max_length=2000,
            ),
            required=True,
        ),
        "url": Field(
            Str(
                pattern=r"^https?://\S+$",
                description="A link to the source, when one exists.",
                max_length=2000,
                hint="a link starts with https:// or http://",
            )
        ),
    },
    description="A source that questions cite.",
    noun="source",
    name_key="id",
)

_SECTION = Obj(
    {
        "id": Field(_ID, required=True),
        "title": Field(
            Str(max_length=200, description="Shown as a heading in reports."), required=True
        ),
        "intro": Field(
            Str(
                description="One or two plain sentences on what the section checks.",
                max_length=2000,
            ),
            required=True,
        ),
    },
    noun="section",
    name_key="id",
)

_OPTION = Obj(
    {
        "id": Field(_ID, required=True),
        "label": Field(Str(max_length=300), required=True),
    },
    description="One choice of a choice question.",
    noun="option",
    name_key="id",
)

_CONDITION = Obj(
    {
        "question": Field(
            Str(pattern=ID_PATTERN, max_length=80, description="An earlier choice question."),
            required=True,
        ),
        "any_of": Field(
            ListOf(
                Str(pattern=ID_PATTERN, max_length=80),
                min_items=1,
                description="Show when the answer is one of these options.",
            )
        ),
        "none_of": Field(
            ListOf(
                Str(pattern=ID_PATTERN, max_length=80),
                min_items=1,
                description="Show when the answer is none of these options.",
            )
        ),
    },
    description="Show the question only for some answers of an earlier choice question. Give exactly one of any_of and none_of. When that question is unanswered or unknown, the question is hidden.",
)

QUESTION = Obj(
    {
        "id": Field(
            Str(
                pattern=ID_PATTERN,
                max_length=80,
                description="Stable id; answers files refer to it. Never reuse an id for a different question.",
                hint="use lower-case letters, digits, _ and -, starting with a letter",
            ),
            required=True,
        ),
        "section": Field(
            Str(pattern=ID_PATTERN, max_length=80, description="The id of a section."),
            required=True,
        ),
        "kind": Field(
            Enum(
                ("yes_no", "choice"),
                description="yes_no (default): answered yes/partly/no/unknown/n/a and scored. choice: one of `options`, unscored context that conditions refer to.",
            )
        ),
        "text": Field(_ROLE_TEXT, required=True),
        "why": Field(
            Str(description="Why it matters, in plain words.", max_length=4000), required=True
        ),
        "good_answer": Field(
            Str(description="What a good answer sounds like.", max_length=4000), required=True
        ),
        "verify": Field(
            Str(description="How to check it rather than take the clinic's word.", max_length=4000),
            required=True,
        ),
        "weight": Field(
            Int(
                minimum=1,
                maximum=5,
                description="Safety importance, 1 (nice to have) to 5 (essential). yes_no questions only; default 1.",
            )
        ),
        "critical": Field(
            Bool(
                description="A `no` is a red flag that caps the grade; `unknown` makes it a must-ask. Needs red_flag."
            )
        ),
        "red_flag": Field(
            Str(description="What to do when a critical question is answered no.", max_length=4000)
        ),
        "sources": Field(
            ListOf(
                Str(pattern=ID_PATTERN, max_length=80),
                min_items=1,
                description="Ids of the sources that support the question.",
            ),
            required=True,
        ),
        "show_if": Field(_CONDITION),
        "options": Field(
            ListOf(_OPTION, min_items=2, description="The choices of a choice question.")
        ),
    },
    description="One question.",
    noun="question",
    name_key="id",
)

_GRADE = Obj(
    {
        "letter": Field(Str(pattern=r"^[A-Z][+-]?$", max_length=2), required=True),
        "min": Field(
            Int(minimum=0, maximum=100, description="Lowest score (0-100) that earns this letter."),
            required=True,
        ),
        "verdict": Field(
            Str(description="One plain sentence shown with this grade.", max_length=500),
            required=True,
        ),
    },
    noun="grade",
    name_key="letter",
)

_SCORING = Obj(
    {
        "grades": Field(
            ListOf(
                _GRADE,
                min_items=2,
                description="Letter grades, best first, with strictly falling `min`; the last must have min 0.",
            ),
            required=True,
        ),
        "min_coverage": Field(
            Int(
                minimum=0,
                maximum=100,
                description="Percent of applicable weight that must be answered before a letter is given.",
            ),
            required=True,
        ),
        "red_flag_cap": Field(
            Str(
                pattern=r"^[A-Z][+-]?$",
                max_length=2,
                description="The best letter a provider with any red flag can get.",
            ),
            required=True,
        ),
        "incomplete_verdict": Field(
            Str(
                max_length=500,
                description="The sentence shown when coverage is too low for a letter.",
            )
        ),
        "red_flag_verdict": Field(
            Str(max_length=500, description="The sentence shown when there is any red flag.")
        ),
    },
    description="How answers become a grade. Defaults apply when omitted.",
)

_CHANGE = Obj(
    {
        "version": Field(Str(numbers_ok=True, max_length=40), required=True),
        "date": Field(Date(), required=True),
        "changes": Field(Str(max_length=4000), required=True),
    },
    description="One release of the checklist.",
    noun="change",
)

CHECKLIST = Obj(
    {
        "id": Field(
            Str(
                pattern=ID_PATTERN,
                max_length=80,
                description="Stable id of the checklist; answers files name it.",
                hint="use lower-case letters, digits, _ and -, starting with a letter",
            ),
            required=True,
        ),
        "title": Field(Str(max_length=200, description="Shown in reports."), required=True),
        "version": Field(
            Str(numbers_ok=True, max_length=40, description="Bump on every change, e.g. 1.2.0."),
            required=True,
        ),
        "last_reviewed": Field(
            Date(description="When the content was last checked against its sources."),
            required=True,
        ),
        "audience": Field(_ROLE_TEXT, required=True),
        "sources": Field(ListOf(_SOURCE, min_items=1), required=True),
        "sections": Field(
            ListOf(_SECTION, min_items=1, description="Sections, in the order they are asked."),
            required=True,
        ),
        "questions": Field(ListOf(QUESTION, min_items=1), required=True),
        "scoring": Field(_SCORING),
        "changelog": Field(ListOf(_CHANGE, description="Newest first.")),
    },
    title="vetcheck checklist",
    description="A vetcheck question bank. See docs/checklist-format.md.",
)

_NOTE = Str(max_length=4000, description="Free text; shown as text, never as markup.")
_VALUE = Str(
    max_length=80,
    description="yes, partly, no, unknown or n/a; for a choice question, one of its option ids.",
)

ANSWER = Either(
    scalar=_VALUE,
    mapping=Obj({"answer": Field(_VALUE, required=True), "note": Field(_NOTE)}),
    description="An answer, alone or with a note.",
)

ANSWERS = Obj(
    {
        "vetcheck": Field(
            Int(minimum=1, maximum=1, description="Answers-file format version."), required=True
        ),
        "checklist": Field(
            Obj(
                {
                    "id": Field(Str(pattern=ID_PATTERN, max_length=80), required=True),
                    "version": Field(Str(numbers_ok=True, max_length=40)),
                    "hash": Field(
                        Str(
                            pattern=r"^sha256:[0-9a-f]{16}$",
                            max_length=23,
                            description="Written by vetcheck; tells whether the questions changed.",
                        )
                    ),
                }
            ),
            required=True,
        ),
        "subject": Field(
            Obj(
                {
                    "name": Field(
                        Str(max_length=300, description="Clinic or provider name."), required=True
                    ),
                    "location": Field(Str(max_length=300)),
                    "website": Field(Str(max_length=500)),
                    "evaluated": Field(Date(description="When the answers were gathered.")),
                }
            ),
            required=True,
        ),
        "role": Field(Enum(("patient", "referrer")), required=True),
        "answers": Field(
            MapOf(
                ANSWER,
                key_pattern=ID_PATTERN,
                key_hint="question ids use lower-case letters, digits, _ and -",
            ),
            required=True,
        ),
    },
    title="vetcheck answers",
    description="Answers about one provider. Holds health information: keep it private.",
)


def json_schema(kind: str) -> JSON:
    """The published JSON Schema of a format ('checklist' or 'answers')."""
    spec = {"checklist": CHECKLIST, "answers": ANSWERS}[kind]
    schema: JSON = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://vetcheck.invalid/schema/{kind}.schema.json",
    }
    schema.update(spec.json_schema())
    return schema
