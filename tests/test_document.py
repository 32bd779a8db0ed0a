"""Composing untrusted YAML: vetcheck's own limits speak first, whichever libyaml is installed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from yaml.error import Mark
from yaml.scanner import ScannerError

from vetcheck import document
from vetcheck.document import MAX_DEPTH, compose, read_text
from vetcheck.errors import InvalidInputError


class StricterParser(yaml.SafeLoader):
    """A parser like libyaml's newer releases: it reads ahead and stops at a limit of its own.

    Here the limit is 50 opening brackets on one line, noticed before any event is handed
    over, with a message in the dependency's own words.
    """

    LIMIT = 50

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._refusal: Mark | None = None
        for number, line in enumerate(stream.split("\n")):
            opened = [i for i, char in enumerate(line) if char in "[{"]
            if len(opened) >= self.LIMIT:
                column = opened[self.LIMIT - 1]
                self._refusal = Mark("<text>", 0, number, column, None, None)
                break

    def get_event(self):  # type: ignore[no-untyped-def]
        if self._refusal is not None:
            raise ScannerError(None, None, "words a dependency chose", self._refusal)
        return super().get_event()


PARSERS = {
    "libyaml": getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    "pure-python": yaml.SafeLoader,
    "stricter": StricterParser,
}

# Each text, and the line on which its 41st level opens (the top-level mapping is the first).
DEEP = {
    "flow, one line": ("answers: " + "[" * 5000 + "]" * 5000 + "\n", 1),
    "flow, after other keys": ("a: 1\nb: 2\nanswers: " + "{x: " * 3000 + "}" * 3000 + "\n", 3),
    "flow, one bracket a line": ("answers:\n" + " [\n" * 60 + " " + "]" * 60 + "\n", 41),
    "block": ("".join(" " * i + "k:\n" for i in range(60)) + " " * 60 + "v\n", 41),
}


@pytest.fixture(params=sorted(PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(document, "_Parser", PARSERS[request.param])
    return str(request.param)


@pytest.mark.parametrize(("text", "line"), DEEP.values(), ids=list(DEEP))
def test_deep_nesting_gets_vetcheck_limit_whatever_the_parser(
    parser: str, text: str, line: int
) -> None:
    """Too deep a file: one problem naming the file, its line and vetcheck's limit, per parser."""
    with pytest.raises(InvalidInputError) as info:
        compose(text, "deep.yaml")
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("deep.yaml", line)
    assert f"more than {MAX_DEPTH} levels" in problem.message
    assert "dependency" not in problem.message


def test_syntax_error_keeps_its_position_whatever_the_parser(parser: str) -> None:
    """A plain syntax error is reported at its line and column, in one problem."""
    with pytest.raises(InvalidInputError) as info:
        compose("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml")
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("broken.yaml", 3)
    assert problem.column is not None
    assert re.fullmatch(r"broken\.yaml:3:\d+: YAML syntax error: .+", str(problem))


def test_parser_limit_on_other_grounds_is_reported_as_the_parser_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the parser stops for a reason vetcheck has no limit for, its error stands."""
    monkeypatch.setattr(StricterParser, "LIMIT", 3)
    monkeypatch.setattr(document, "_Parser", StricterParser)
    with pytest.raises(InvalidInputError) as info:
        compose("a: 1\nb: [[[x]]]\n", "shallow.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 6)
    assert problem.message.startswith("YAML syntax error: ")


def test_syntax_error_names_where_an_unclosed_construct_began() -> None:
    """An unclosed [ is noticed lines later: the message also names the line it opened on."""
    text = "a: 1\nb: [yes, no\n\n\nc: 3\nd: 4\n"
    with pytest.raises(InvalidInputError) as info:
        compose(text, "open.yaml")
    (problem,) = info.value.problems
    assert problem.line is not None and problem.line > 2
    assert "line 2" in problem.message


EXAMPLE = (Path(__file__).parent.parent / "examples" / "careful-clinic.vetcheck.yaml").read_text()
WIDE = [
    ("utf-16", "UTF-16"),  # with a byte order mark: Notepad's "Unicode"
    ("utf-16-le", "UTF-16"),  # without one
    ("utf-16-be", "UTF-16"),
    ("utf-32", "UTF-32"),
    ("utf-32-le", "UTF-32"),
    ("utf-32-be", "UTF-32"),
]


@pytest.mark.parametrize(("codec", "named"), WIDE)
def test_a_file_saved_as_utf16_or_utf32_is_named_as_such(
    tmp_path: Path, codec: str, named: str
) -> None:
    """Issue 14: a UTF-16 or UTF-32 file is not called binary; the message says how to fix it."""
    path = tmp_path / "answers.yaml"
    path.write_bytes(EXAMPLE.encode(codec))
    with pytest.raises(InvalidInputError) as info:
        read_text(path)
    assert [p.message for p in info.value.problems] == [
        f"this file is saved as {named}; save it as UTF-8"
    ]


def test_utf16_with_no_ascii_is_named_by_its_byte_order_mark(tmp_path: Path) -> None:
    """Text with no ASCII has no zero bytes in UTF-16: the byte order mark still names it."""
    path = tmp_path / "answers.yaml"
    path.write_bytes("診療所はい".encode("utf-16"))
    with pytest.raises(InvalidInputError) as info:
        read_text(path)
    assert info.value.problems[0].message == "this file is saved as UTF-16; save it as UTF-8"


BINARY = {
    "every byte": bytes(range(256)) * 4,
    "zeros": bytes(100),
    "png": bytes.fromhex("89504e470d0a1a0a0000000d4948445200000100000001000806000000"),
    "this python": Path(sys.executable).resolve().read_bytes()[:65536],
    "utf-16 mark then bytes": b"\xff\xfe" + bytes(range(256)) * 4,  # not text after the mark
}


@pytest.mark.parametrize("data", BINARY.values(), ids=list(BINARY))
def test_a_binary_file_is_still_called_binary(tmp_path: Path, data: bytes) -> None:
    """Binary files stay "binary": zero bytes alone do not make a file UTF-16."""
    path = tmp_path / "answers.yaml"
    path.write_bytes(data)
    with pytest.raises(InvalidInputError) as info:
        read_text(path)
    assert info.value.problems[0].message == "this is a binary file, not YAML text"


@pytest.mark.parametrize("char", ["\x1b", "\x7f", "\x01", "\ufffe", "\uffff"])
def test_a_character_yaml_refuses_is_named_with_its_line_and_column(
    tmp_path: Path, char: str
) -> None:
    """Issue 14: one line, `FILE:LINE:COL:`, never PyYAML's two-line message with a position
    in "<unicode string>", wherever the character is (after non-ASCII text too)."""
    from typer.testing import CliRunner

    from vetcheck.cli import app

    path = tmp_path / "a.yaml"
    path.write_text(f'vetcheck: 1\nsubject:\n  name: "Café {char}x"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path)])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "unicode string" not in result.stderr
    assert f"{path}:3:15: the character U+{ord(char):04X} is not allowed" in result.stderr
