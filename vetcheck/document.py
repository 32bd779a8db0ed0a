"""Read an untrusted file and compose its YAML into nodes, safely and within limits.

Nothing is constructed (no Python objects, so no code can run), and the composer is our own
loop over libyaml's events rather than PyYAML's recursive composer: hostile nesting cannot
crash the process (PyYAML's C composer segfaults at ~50,000 levels), aliases are refused as
soon as they appear ("billion laughs"), and oversized documents are stopped early.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from vetcheck.errors import FileAccessError, InvalidInputError, Problem

_PURE_PYTHON: type[Any] = yaml.SafeLoader
_Parser: type[Any] = getattr(yaml, "CSafeLoader", _PURE_PYTHON)  # libyaml's is ~20x faster

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose",
    "read_text",
]

# The built-in checklist is ~60 KB and a 2,000-question checklist ~2 MB: these limits leave ample
# room for real files while keeping a hostile one from exhausting memory or time.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40  # no vetcheck format nests more than ~6 levels
MAX_NODES = 500_000


def read_bytes(path: Path, limit: int, what: str, too_large: str) -> bytes:
    """A file's bytes, at most `limit` of them; every OS failure becomes a FileAccessError and a
    larger file an InvalidInputError saying `too_large`. `what` names the file expected, for a
    folder given instead."""
    try:
        if path.is_dir():
            raise FileAccessError(f"{path}: is a folder, not a file; give the path of {what}")
        if path.stat().st_size > limit:
            raise InvalidInputError([Problem(str(path), too_large)])
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a pipe or a growing file has no honest size
    except FileNotFoundError:
        raise FileAccessError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise FileAccessError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise FileAccessError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InvalidInputError([Problem(str(path), too_large)])
    return data


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; every OS failure becomes a FileAccessError, bad content an InvalidInputError."""
    limit = MAX_FILE_BYTES // (1024 * 1024)
    data = read_bytes(
        path,
        MAX_FILE_BYTES,
        "a .yaml file",
        f"file is larger than {limit} MB; vetcheck files are far smaller",
    )
    if b"\x00" in data:
        wide = _wide_encoding(data)
        if wide is not None:
            raise _saved_as(path, wide)
        raise InvalidInputError([Problem(str(path), "this is a binary file, not YAML text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        wide = _wide_encoding(data)  # UTF-16 of text with no ASCII in it has no NUL bytes
        if wide is not None:
            raise _saved_as(path, wide) from None
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            [Problem(str(path), "not valid UTF-8 text; save the file as UTF-8", line)]
        ) from None


# Windows editors (Notepad's "Unicode", PowerShell's > before version 6) save text as UTF-16.
_WIDE = (  # (name, codec, its byte order mark); UTF-32's marks begin like UTF-16's: first
    ("UTF-32", "utf-32-le", b"\xff\xfe\x00\x00"),
    ("UTF-32", "utf-32-be", b"\x00\x00\xfe\xff"),
    ("UTF-16", "utf-16-le", b"\xff\xfe"),
    ("UTF-16", "utf-16-be", b"\xfe\xff"),
)


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes are text in that encoding, else None (binary)."""
    found = wide_text(data)
    return None if found is None else found[0]


def wide_text(data: bytes) -> tuple[str, str] | None:
    """(encoding name, text) when the bytes are UTF-16 or UTF-32 text, else None (binary).

    With a byte order mark, the rest must decode. Without one, the bytes must decode to text
    with no NUL that is mostly ASCII, as a YAML file's keys or a web page's tags are:
    mostly-ASCII text has a pattern of zero bytes in these encodings that binary files do not
    follow.
    """
    for name, codec, mark in _WIDE:
        if data.startswith(mark):
            text = _decoded(data[len(mark) :], codec)
            return None if text is None else (name, text)
    for name, codec, _ in _WIDE:
        text = _decoded(data, codec)
        if text is not None and "\x00" not in text and _mostly_ascii(text[:4096]):
            return name, text
    return None


def _decoded(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _mostly_ascii(text: str) -> bool:
    return sum(map(str.isascii, text)) * 2 > len(text)


def _saved_as(path: Path, encoding: str) -> InvalidInputError:
    return InvalidInputError(
        [Problem(str(path), f"this file is saved as {encoding}; save it as UTF-8")]
    )


def compose(text: str, path: str) -> Node:
    """YAML text → one document's node tree, with positions; raises InvalidInputError."""
    try:
        return _compose_with(_Parser, text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _Parser is not _PURE_PYTHON:
            _recheck_before(text, mark.line, path)
        reason = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if exc.problem and exc.context and start is not None and mark is not None:
            began = start.line + 1
            if began < mark.line + 1:  # e.g. a [ opened lines above: say where it began
                reason += f" ({exc.context} that starts on line {began})"
        line = None if mark is None else mark.line + 1
        column = None if mark is None else mark.column + 1
        problem = Problem(
            path, f"YAML syntax error: {reason}; check indentation and quotes", line, column
        )
        raise InvalidInputError([problem]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: say where it is
        raise InvalidInputError([_refused_character(text, path, exc.character)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError([Problem(path, f"YAML error: {exc}")]) from None


def _refused_character(text: str, path: str, character: int | str) -> Problem:
    """The first character YAML does not allow in a file, by its line and column."""
    char = character if isinstance(character, str) else chr(character)
    at = text.find(char)
    if at < 0:  # not found as such: say what it is, without a place
        line = column = None
    else:
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
    what = f"U+{ord(char):04X}" if len(char) == 1 else repr(char)
    return Problem(
        path,
        f"the character {what} is not allowed in a YAML file; delete it",
        line,
        column,
    )


def _compose_with(parser_class: type[Any], text: str, path: str) -> Node:
    parser = parser_class(text)
    try:
        return _compose(parser, path)
    finally:
        parser.dispose()


def _recheck_before(text: str, line: int, path: str) -> None:
    """Raise vetcheck's own refusal if one applies to the text up to the end of `line` (0-based).

    libyaml reads up to a line ahead of the events it hands over, and newer releases stop at
    limits of their own (1,000 nesting levels in the one PyYAML 6.0.4 ships), so a hostile file can reach
    one of those before ours. PyYAML's pure-Python parser has no such limits: reading the same
    text with it lets vetcheck's checks speak first, so the message does not depend on which
    libyaml is installed. This runs only for a file that is already broken.
    """
    end = -1
    for _ in range(line + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    try:
        _compose_with(yaml.SafeLoader, text[:end], path)
    except _LimitError:
        raise
    except (yaml.YAMLError, InvalidInputError):
        pass  # the pure-Python parser found no more than libyaml: report libyaml's error


def _compose(parser: Any, path: str) -> Node:
    # The open collections, and the nodes read so far inside each (a mapping's as key, value,
    # key, value…, paired when it closes): one append a node keeps this hot loop short.
    opened: list[MappingNode | SequenceNode] = []
    contents: list[list[Node]] = []
    inside: list[Node] | None = None  # contents[-1], or None at the top level
    root: Node | None = None
    documents = nodes = 0
    get_event = parser.get_event
    scalar_event, scalar_node = ScalarEvent, ScalarNode  # locals: this loop is the hot path
    while True:
        event: Any = get_event()  # PyYAML's stubs type events too loosely to use
        event_type = type(event)
        if event_type is scalar_event:
            node: Node = scalar_node(
                event.tag or "", event.value, event.start_mark, event.end_mark, event.style
            )
        elif event_type is MappingStartEvent or event_type is SequenceStartEvent:
            if len(opened) >= MAX_DEPTH:
                raise _refuse(
                    path,
                    f"nested more than {MAX_DEPTH} levels deep, far more than any vetcheck file; check that this is the right file",
                    event,
                )
            cls = MappingNode if event_type is MappingStartEvent else SequenceNode
            opened.append(cls(event.tag or "", [], event.start_mark, None, event.flow_style))
            inside = []
            contents.append(inside)
            nodes += 1
            continue
        elif event_type is MappingEndEvent or event_type is SequenceEndEvent:
            node = opened.pop()
            items = contents.pop()
            node.value = (
                items
                if event_type is SequenceEndEvent
                else list(zip(items[::2], items[1::2], strict=True))
            )
            node.end_mark = event.end_mark
            inside = contents[-1] if contents else None
            if inside is None:
                root = node
            else:
                inside.append(node)
            continue
        elif event_type is AliasEvent:
            raise _refuse(
                path,
                "YAML anchors and aliases (&, *) are not supported; write the value out",
                event,
            )
        elif event_type is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _refuse(
                    path, "more than one YAML document (---) in the file; keep one", event
                )
            continue
        elif event is None:
            break
        else:  # stream and document start and end
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise _refuse(
                path,
                f"more than {MAX_NODES} values, far more than any vetcheck file; check that this is the right file",
                event,
            )
        if inside is None:
            root = node
        else:
            inside.append(node)
    if root is None:
        raise InvalidInputError([Problem(path, "the file is empty")])
    return root


class _LimitError(InvalidInputError):
    """One of vetcheck's own limits on what a file may hold (depth, size, aliases, documents)."""


def _refuse(path: str, message: str, event: Any) -> InvalidInputError:
    mark = event.start_mark
    return _LimitError([Problem(path, message, None if mark is None else mark.line + 1)])
