"""Validate YAML nodes into the model's objects, and publish JSON Schema, from one description.

The description is the model itself (vetcheck/model.py): each field's type, default and
`spec(...)` rules. From them this module derives a `Spec` per value that checks a composed
YAML node (which keeps line and column, so every problem is reported with its position, all
at once) and builds the typed object, and that writes the same rules as JSON Schema, so the
two cannot drift apart. Scalars are read from their source text, never through YAML 1.1 type
guessing, so `yes`, `no`, `on`, `off` and `1.0` stay what the person wrote.
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar, Union, cast, get_args, get_origin

from vetcheck.document import MappingNode, Node, ScalarNode, SequenceNode
from vetcheck.errors import Problem, listed
from vetcheck.model import Answers, Checklist

JSON = dict[str, Any]
_YAML_TAG = "tag:yaml.org,2002:"
_NULL_TEXT = frozenset({"", "~", "null", "Null", "NULL"})
_NULL_TAG = _YAML_TAG + "null"
TRUE_WORDS = frozenset({"true", "yes", "on"})
FALSE_WORDS = frozenset({"false", "no", "off"})
T = TypeVar("T")
Label = str | tuple[Any, str | int]  # see _say
_INVALID: Any = object()  # returned where a value could not be read; a problem is recorded


class Context:
    """Collects problems while one file is checked, and where each object's keys were."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        # id(object built from a mapping) -> (the object, line of the mapping, {key: line}).
        # Holding the object keeps its id from being reused by another while this context lives.
        self._lines: dict[int, tuple[object, int, dict[str, int]]] = {}

    def record(self, obj: object, line: int, lines: dict[str, int]) -> None:
        """Remember where an object built from a mapping, and each of its keys, were."""
        self._lines[id(obj)] = (obj, line, lines)

    def line_of(self, obj: object, key: str | None = None) -> int | None:
        """The line of a key of an object built from this file (of the object, for None)."""
        found = self._lines.get(id(obj))
        if found is None:
            return None
        return found[2].get(key, found[1]) if key else found[1]

    def wrote(self, obj: object, key: str) -> bool:
        """Whether the file gave this key (a value equal to the default still counts)."""
        found = self._lines.get(id(obj))
        return found is not None and key in found[2]

    def keys_lines(self, obj: object) -> dict[str, int]:
        found = self._lines.get(id(obj))
        return {} if found is None else dict(found[2])

    def add(self, node: Node | None, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.path, message))
        else:
            mark = node.start_mark
            self.problems.append(Problem(self.path, message, mark.line + 1, mark.column + 1))

    def add_at(self, line: int | None, message: str) -> None:
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


def _describe(node: Node) -> str:
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

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        raise NotImplementedError

    def json_schema(self) -> JSON:
        raise NotImplementedError

    # Trusted data: a checked value as plain JSON data, and back (the built-in data copies).
    def dump(self, value: Any) -> Any:
        return value

    def build(self, data: Any) -> Any:
        return data

    def _described(self, schema: JSON) -> JSON:
        if self.description:
            schema["description"] = self.description
        return schema


class _Scalar(Spec):
    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        if not isinstance(node, ScalarNode) or _is_null(node):
            ctx.add(node, f"{_say(what)} must be {self.expected}, not {_describe(node)}")
            return _INVALID
        if node.tag and not node.tag.startswith(_YAML_TAG) and node.tag != "!":
            ctx.add(node, f"{_say(what)}: the YAML tag {node.tag} is not supported; remove it")
            return _INVALID
        return self.read(node, ctx, what)

    expected = "a value"

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
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

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
        text = str(node.value)
        if not text.strip():
            ctx.add(node, f"{_say(what)} must not be blank")
            return _INVALID
        if len(text) > self.max_length:
            ctx.add(node, f"{_say(what)} is longer than {self.max_length} characters")
            return _INVALID
        if self._pattern is not None and not self._pattern.fullmatch(text):
            ctx.add(
                node,
                f"{_say(what)} '{_clip(text)}' is not valid{': ' + self.hint if self.hint else ''}",
            )
            return _INVALID
        return text

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        # Compiled when a file is first checked: building from the data copy needs none.
        return None if self.pattern is None else re.compile(self.pattern)

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

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
        text = str(node.value).strip()
        digits = text[1:] if text.startswith(("+", "-")) else text
        # [+-]?\d{1,9} (str.isdecimal is \d), without compiling a pattern at every start
        if not _is_plain(node) or not (0 < len(digits) <= 9 and digits.isdecimal()):
            ctx.add(node, f"{_say(what)} must be a whole number, not '{_clip(text)}'")
            return _INVALID
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            ctx.add(
                node, f"{_say(what)} must be from {self.minimum} to {self.maximum}, not {value}"
            )
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

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
        word = str(node.value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        ctx.add(node, f"{_say(what)} must be true or false, not '{_clip(node.value)}'")
        return _INVALID

    def json_schema(self) -> JSON:
        return self._described({"type": "boolean"})


class Date(_Scalar):
    expected = "a date (YYYY-MM-DD)"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
        text = str(node.value).strip()
        try:
            # \d{4}-\d{2}-\d{2}: fromisoformat alone would also take 20261203 and 2026-W49
            digits = text[:4] + text[5:7] + text[8:]
            if not (len(text) == 10 and text[4] == text[7] == "-" and digits.isdecimal()):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            ctx.add(node, f"{_say(what)} must be a date written YYYY-MM-DD, not '{_clip(text)}'")
            return _INVALID

    def dump(self, value: Any) -> Any:
        return value.isoformat()

    def build(self, data: Any) -> Any:
        return date.fromisoformat(data)

    def json_schema(self) -> JSON:
        return self._described({"type": "string", "format": "date"})


class Choice(_Scalar):
    expected = "one of the listed words"

    def __init__(self, enum: type[StrEnum], description: str = "") -> None:
        self.enum = enum
        self.values = [member.value for member in enum]
        self.description = description

    def read(self, node: ScalarNode, ctx: Context, what: Label) -> Any:
        text = str(node.value).strip()
        if text not in self.values:
            ctx.add(node, f"{_say(what)} must be one of {listed(self.values)}; not '{_clip(text)}'")
            return _INVALID
        return self.enum(text)

    def build(self, data: Any) -> Any:
        return self.enum(data)

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

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        if not isinstance(node, SequenceNode):
            if self.min_items == 0 and _is_null(node):
                return ()
            ctx.add(node, f"{_say(what)} must be a list, not {_describe(node)}")
            return _INVALID
        if len(node.value) < self.min_items:
            ctx.add(node, f"{_say(what)} needs at least {self.min_items} item(s)")
        if len(node.value) > self.max_items:
            ctx.add(node, f"{_say(what)} has more than {self.max_items} items")
            return _INVALID
        values = [self.item.check(child, ctx, (what, i + 1)) for i, child in enumerate(node.value)]
        return tuple(v for v in values if v is not _INVALID)

    def dump(self, value: Any) -> Any:
        return [self.item.dump(v) for v in value]

    def build(self, data: Any) -> Any:
        build = _builder(self.item)
        return tuple(data) if build is None else tuple(map(build, data))

    def json_schema(self) -> JSON:
        # An empty value reads as an empty list where none are required, so null is allowed.
        schema: JSON = {"type": "array" if self.min_items else ["array", "null"]}
        schema["items"] = self.item.json_schema()
        if self.min_items:
            schema["minItems"] = self.min_items
        return self._described(schema)


class OneOrMany(Spec):
    """One value, or a list of them (an answer to a question that allows several options)."""

    def __init__(self, item: Spec, max_items: int) -> None:
        self.item = item
        self.many = ListOf(item, min_items=1, max_items=max_items)
        self.description = item.description

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        spec = self.many if isinstance(node, SequenceNode) else self.item
        return spec.check(node, ctx, what)

    def json_schema(self) -> JSON:
        item = self.item.json_schema()
        item.pop("description", None)
        many = {"type": "array", "items": item, "minItems": 1, "maxItems": self.many.max_items}
        return self._described({"anyOf": [item, many]})

    def dump(self, value: Any) -> Any:
        return self.many.dump(value) if isinstance(value, tuple) else self.item.dump(value)

    def build(self, data: Any) -> Any:
        return self.many.build(data) if isinstance(data, list) else self.item.build(data)


def _builder(spec: Spec) -> Callable[[Any], Any] | None:
    """How `spec` builds a value from the data copy; None when it takes the value as it is."""
    return None if type(spec).build is Spec.build else spec.build


class Field:
    """One key of a mapping: the attribute it fills, its value's spec, whether it must be given."""

    def __init__(self, attribute: str, spec: Spec, required: bool, nullable: bool) -> None:
        self.attribute = attribute
        self.spec = spec
        self.required = required
        self.nullable = nullable  # an empty value means "not given" (lists: empty)


class Obj(Spec):
    """A mapping with known keys that builds one model object; unknown keys are reported."""

    def __init__(self, cls: type[Any], fields: Mapping[str, Field]) -> None:
        self.cls = cls
        self.fields = fields
        self.description = " ".join((cls.__doc__ or "").split())
        self.title: str = getattr(cls, "TITLE", "")
        self.noun: str = getattr(cls, "NOUN", "")
        self.name_key: str | None = getattr(cls, "NAME_KEY", "id") if self.noun else None
        # Per key: its attribute and how to build its value from the data copy (None: as it
        # is). When every key is its attribute and every value is taken as it is, the copy's
        # mapping is the keyword arguments (Wording, built ~300 times per checklist).
        self.builders = {key: (f.attribute, _builder(f.spec)) for key, f in fields.items()}
        self.as_is = all(key == a and b is None for key, (a, b) in self.builders.items())

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        if not isinstance(node, MappingNode):
            ctx.add(
                node, f"{_say(what)} must be a mapping of keys to values, not {_describe(node)}"
            )
            return _INVALID
        label = what
        if self.name_key is not None:
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == self.name_key and isinstance(
                    value_node, ScalarNode
                ):
                    label = f"{self.noun} '{_clip(value_node.value)}'"
        lines: dict[str, int] = {}
        values: dict[str, Any] = {}
        complete = True
        for key_node, value_node in node.value:
            key = _key(key_node, ctx, label)
            if key is None:
                continue
            if key in lines:
                ctx.add(key_node, f"{_say((label, 'key'))} '{key}' appears twice")
                continue
            lines[key] = line_of(key_node)
            spec_field = self.fields.get(key)
            if spec_field is None:
                close = _closest(key, self.fields)
                hint = (
                    f"; did you mean '{close}'?" if close else f"; allowed: {listed(self.fields)}"
                )
                ctx.add(key_node, f"{_say((label, 'unknown key'))} '{key}'{hint}")
                continue
            if spec_field.nullable and _is_null(value_node):
                continue
            value = spec_field.spec.check(value_node, ctx, (label, key))
            if value is _INVALID:
                complete = False
            else:
                values[spec_field.attribute] = value
        for key, spec_field in self.fields.items():
            if spec_field.required and key not in lines:
                ctx.add(node, f"{_say((label, 'missing required key'))} '{key}'")
                complete = False
        if not complete:
            return _INVALID
        built = self.cls(**values)
        ctx.record(built, line_of(node), lines)
        return built

    def dump(self, value: Any) -> Any:
        data = {key: getattr(value, f.attribute) for key, f in self.fields.items()}
        return {key: self.fields[key].spec.dump(v) for key, v in data.items() if v is not None}

    def build(self, data: Any) -> Any:
        if self.as_is:
            return self.cls(**data)
        values = {}
        for key, value in data.items():
            attribute, build = self.builders[key]
            values[attribute] = value if build is None else build(value)
        return self.cls(**values)

    def json_schema(self) -> JSON:
        properties = {}
        for key, f in self.fields.items():
            schema = f.spec.json_schema()
            if f.nullable and "null" not in schema.get("type", ()):
                schema = {"anyOf": [schema, {"type": "null"}]}
            properties[key] = schema
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
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

    @cached_property
    def _key_re(self) -> re.Pattern[str]:
        return re.compile(self.key_pattern)  # when a file is checked, as Str._pattern

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        if not isinstance(node, MappingNode):
            if _is_null(node):
                return {}
            ctx.add(node, f"{_say(what)} must be a mapping, not {_describe(node)}")
            return _INVALID
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key(key_node, ctx, what)
            if key is None:
                continue
            if key in lines:
                ctx.add(key_node, f"{_say(what)}: '{key}' appears twice")
                continue
            lines[key] = line_of(key_node)
            if not self._key_re.fullmatch(key):
                ctx.add(
                    key_node,
                    f"{_say(what)}: '{_clip(key)}' is not a valid key{': ' + self.key_hint if self.key_hint else ''}",
                )
                continue
            value = self.value.check(value_node, ctx, (what, key))
            if value is not _INVALID:
                values[key] = value
        ctx.record(values, line_of(node), lines)
        return values

    def dump(self, value: Any) -> Any:
        return {k: self.value.dump(v) for k, v in value.items()}

    def build(self, data: Any) -> Any:
        return {k: self.value.build(v) for k, v in data.items()}

    def json_schema(self) -> JSON:
        return self._described(
            {
                "type": ["object", "null"],  # an empty value reads as an empty mapping
                "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": self.value.json_schema(),
            }
        )


class Either(Spec):
    """A scalar that fills one field of an object, or the object as a mapping."""

    def __init__(self, obj: Obj, attribute: str) -> None:
        self.obj = obj
        self.attribute = attribute
        self.scalar = next(f.spec for f in obj.fields.values() if f.attribute == attribute)
        self.description = obj.description

    def check(self, node: Node, ctx: Context, what: Label) -> Any:
        if isinstance(node, MappingNode):
            return self.obj.check(node, ctx, what)
        value = self.scalar.check(node, ctx, what)
        return value if value is _INVALID else self.obj.cls(**{self.attribute: value})

    def dump(self, value: Any) -> Any:
        return self.obj.dump(value)

    def build(self, data: Any) -> Any:
        return self.obj.build(data)

    def json_schema(self) -> JSON:
        obj = self.obj.json_schema()
        obj.pop("description", None)
        return self._described({"oneOf": [self.scalar.json_schema(), obj]})


def _say(what: Label) -> str:
    """A value's place in a file, as messages name it: `question 'x': weight`, `sources[2]`.

    Checks pass places as nested (parent, key) pairs and spell them only for a problem.
    """
    if isinstance(what, str):
        return what
    parent, key = what
    head = _say(parent)
    if isinstance(key, int):
        return f"{head}[{key}]"
    return f"{head}: {key}" if head else key


def _key(node: Node, ctx: Context, what: Label) -> str | None:
    if not isinstance(node, ScalarNode) or _is_null(node):
        ctx.add(node, f"{_say(what)}: a key must be plain text, not {_describe(node)}")
        return None
    return str(node.value)


def _closest(word: str, choices: Mapping[str, Any]) -> str | None:
    import difflib  # only on the error path

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


# --- Specs derived from the model ------------------------------------------------------------

_SPECS: dict[type[Any], Obj] = {}


def spec_of(cls: type[Any]) -> Obj:
    """The spec of a model class: one Field per dataclass field that the file holds."""
    if cls in _SPECS:
        return _SPECS[cls]
    fields: dict[str, Field] = {}
    for f in dataclasses.fields(cls):
        rules = dict(f.metadata)
        if not rules.pop("file", True):
            continue
        key = rules.pop("key", f.name)
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        required = rules.pop("required", not has_default)
        tp, optional = _unwrap_optional(f.type)
        value_spec = _spec_for(tp, rules)
        empty_list_ok = isinstance(value_spec, ListOf) and value_spec.min_items == 0
        nullable = not required and (optional or has_default or empty_list_ok)
        fields[key] = Field(f.name, value_spec, required, nullable)
    _SPECS[cls] = Obj(cls, fields)
    return _SPECS[cls]


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _spec_for(tp: Any, rules: dict[str, Any]) -> Spec:
    origin = get_origin(tp)
    if tp is str:
        return Str(**rules)
    if tp is int:
        return Int(**rules)
    if tp is bool:
        return Bool(**rules)
    if tp is date:
        return Date(**rules)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return Choice(tp, **rules)
    if origin in (Union, types.UnionType):  # `str | tuple[str, ...]`: one value or a list
        one, _many = get_args(tp)
        max_items = rules.pop("max_items")
        return OneOrMany(_spec_for(one, rules), max_items)
    if origin is tuple:
        item_rules = rules.pop("item", {})
        return ListOf(_spec_for(get_args(tp)[0], item_rules), **rules)
    if origin in (Mapping, dict):
        item_rules = dict(rules.pop("item", {}))
        key_pattern = item_rules.pop("key_pattern")
        key_hint = item_rules.pop("key_hint", "")
        value = _spec_for(get_args(tp)[1], item_rules)
        return MapOf(value, key_pattern, key_hint=key_hint, **rules)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        obj = spec_of(tp)
        scalar = getattr(tp, "SCALAR", None)
        return Either(obj, scalar) if scalar else obj
    raise TypeError(f"no spec for {tp!r}")  # a model field of a type this module cannot read


def max_length(cls: type[Any], key: str) -> int:
    """The most characters a text field of a file format may hold (what its reader accepts)."""
    rule = spec_of(cls).fields[key].spec
    assert isinstance(rule, Str), f"{cls.__name__}.{key} is not text"
    return rule.max_length


def validate(cls: type[T], node: Node, ctx: Context) -> T | None:
    """Check a document's root node; returns the model object, or None when it is not whole."""
    if not isinstance(node, MappingNode):
        ctx.add(node, f"the top level must be a mapping of keys to values, not {_describe(node)}")
        return None
    value = spec_of(cls).check(node, ctx, "")
    return None if value is _INVALID else cast(T, value)


def json_schema(file_format: str) -> JSON:
    """The published JSON Schema of a format read by this module: checklist, answers or
    claim-rules."""
    if file_format == "claim-rules":
        from vetcheck.claims import ClaimRules

        cls: type[Any] = ClaimRules
    elif file_format == "lookups":
        from vetcheck.lookups import Lookups

        cls = Lookups
    else:
        cls = {"checklist": Checklist, "answers": Answers}[file_format]
    schema: JSON = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://vetcheck.invalid/schema/{file_format}.schema.json",
    }
    schema.update(spec_of(cls).json_schema())
    return schema
