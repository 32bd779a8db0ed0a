"""Composing untrusted YAML: vetcheck's own limits speak first, whichever libyaml is installed."""

from __future__ import annotations

import re

import pytest
import yaml
from yaml.error import Mark
from yaml.scanner import ScannerError

from vetcheck import document
from vetcheck.document import MAX_DEPTH, compose
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
