"""Hostile and broken input: every command that reads a file fails cleanly and changes nothing.

Each case is run against every command that reads that kind of file. For each: the documented
exit code, one clear `error:` line naming the file, no traceback, and every file that existed
before the run byte-for-byte unchanged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MINI
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.document import MAX_FILE_BYTES

runner = CliRunner()
GOOD_ANSWERS = """\
vetcheck: 1
checklist: {id: mini, version: "1.0"}
subject: {name: Good Clinic}
role: patient
answers:
  setting: clinic
  licensed: yes
"""


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # builds the bad input in a folder, returns its path
    code: int
    fragment: str  # words of vetcheck's own message, never of a dependency's
    line: int | None = None  # the line the message must name, where the problem has one


def _file(content: bytes | str, name: str = "bad.yaml") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return make


def _large(folder: Path) -> Path:
    path = folder / "large.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: refused from its size, never read
    return path


def _bomb() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\nanswers: *a9\nquestions: *a9\n"


def _missing(folder: Path) -> Path:
    return folder / "missing.yaml"


def _folder(folder: Path) -> Path:
    path = folder / "a-folder.yaml"
    path.mkdir()
    return path


COMMON = [
    Case("empty", _file(b""), 3, "the file is empty"),
    Case("binary", _file(bytes(range(256)) * 4), 3, "binary file"),
    Case("not_utf8", _file(b"subject:\n  name: Caf\xe9 Clinic\n"), 3, "not valid UTF-8", 2),
    Case("utf16", _file(GOOD_ANSWERS.encode("utf-16")), 3, "saved as UTF-16; save it as UTF-8"),
    Case("utf32", _file(GOOD_ANSWERS.encode("utf-32")), 3, "saved as UTF-32; save it as UTF-8"),
    Case(
        "syntax",
        _file("vetcheck: 1\nanswers: [yes, no\nrole: patient\n"),
        3,
        "YAML syntax error",
        3,
    ),
    Case("top_list", _file("- one\n- two\n"), 3, "top level must be a mapping|not a vetcheck file"),
    Case("top_scalar", _file("just words\n"), 3, "top level must be a mapping|not a vetcheck file"),
    Case("alias_bomb", _file(_bomb()), 3, "anchors and aliases", 2),
    Case("too_large", _large, 3, "larger than 8 MB"),
    Case(
        "deep",
        _file("answers: " + "[" * 5000 + "]" * 5000 + "\n"),
        3,
        "nested more than 40 levels",
        1,
    ),
    Case(
        "two_documents",
        _file("vetcheck: 1\n---\nvetcheck: 1\n"),
        3,
        "more than one YAML document",
        2,
    ),
    Case("missing", _missing, 4, "no such file"),
    Case("folder", _folder, 4, "is a folder"),
]

ANSWERS_ONLY = [
    Case(
        "unknown_id",
        _file(GOOD_ANSWERS + "  ghost_question: yes\n"),
        3,
        "unknown question id 'ghost_question'",
        8,
    ),
    Case(
        "unknown_value",
        _file(GOOD_ANSWERS + "  experience: maybe\n"),
        3,
        "'maybe' is not an answer it accepts",
        8,
    ),
    Case(
        "other_checklist",
        _file(GOOD_ANSWERS.replace("id: mini", "id: other")),
        3,
        "for checklist 'other', not 'mini'",
    ),
    Case(
        "wrong_shape",
        _file("vetcheck: 1\nchecklist: mini\nsubject: {}\nrole: nurse\nanswers: []\n"),
        3,
        "must be a mapping",
    ),
]

CHECKLIST_ONLY = [
    Case(
        "unknown_key",
        _file(MINI.read_text().replace("    weight: 1\n", "    wieght: 1\n")),
        3,
        "unknown key 'wieght'",
        MINI.read_text().splitlines().index("    weight: 1") + 1,
    ),
    Case(
        "duplicate_id",
        _file(MINI.read_text().replace("  - id: calm_room\n", "  - id: experience\n")),
        3,
        "duplicate id",
        MINI.read_text().splitlines().index("  - id: calm_room") + 1,
    ),
]


def _answers_commands(bad: Path, folder: Path) -> list[list[str]]:
    good = folder / "good.yaml"
    return [
        ["validate", str(bad), "--checklist", str(MINI)],
        ["report", str(bad), "--checklist", str(MINI), "-o", str(folder / "report.md")],
        ["compare", str(good), str(bad), "--checklist", str(MINI)],
        ["interview", "--answers", str(bad), "--checklist", str(MINI)],
    ]


def _checklist_commands(bad: Path, folder: Path) -> list[list[str]]:
    good = folder / "good.yaml"
    return [
        ["validate", str(bad)],
        ["report", str(good), "--checklist", str(bad)],
        ["template", "--checklist", str(bad), "-o", str(folder / "new.yaml")],
        ["questions", "--checklist", str(bad)],
        ["methodology", "--checklist", str(bad)],
        ["interview", "--checklist", str(bad)],
    ]


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.stat().st_size > 1_000_000:
            out[str(path.relative_to(folder))] = None
        else:
            with open(path, "rb") as handle:  # noqa: PTH123 - not Path.open, which a test patches
                out[str(path.relative_to(folder))] = handle.read()
    return out


def _check(args: list[str], folder: Path, case: Case, bad: Path) -> None:
    before = _snapshot(folder)
    result = runner.invoke(app, args)
    assert result.exit_code == case.code, (args, result.output)
    # CliRunner never prints a traceback, so look at what ended the run: vetcheck's exit.
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("error: ")
    assert any(fragment in result.stderr for fragment in case.fragment.split("|")), result.stderr
    if case.name not in ("missing",):
        assert str(bad) in lines[0], lines[0]
    if case.line is not None:
        assert f"{bad.name}:{case.line}:" in lines[0], lines[0]
    assert result.stdout == ""
    assert _snapshot(folder) == before  # nothing changed, nothing created


@pytest.mark.parametrize("case", COMMON + ANSWERS_ONLY, ids=lambda c: c.name)
def test_bad_answers_file_every_command(tmp_path: Path, case: Case) -> None:
    """A broken answers file: same clean failure from validate, report, compare and interview."""
    (tmp_path / "good.yaml").write_text(GOOD_ANSWERS)
    bad = case.make(tmp_path)
    for args in _answers_commands(bad, tmp_path):
        if case.name == "missing" and args[0] == "interview":
            continue  # a missing --answers file is where a new interview is saved
        _check(args, tmp_path, case, bad)


@pytest.mark.parametrize("case", COMMON + CHECKLIST_ONLY, ids=lambda c: c.name)
def test_bad_checklist_file_every_command(tmp_path: Path, case: Case) -> None:
    """A broken --checklist PATH: same clean failure from every command that takes one."""
    (tmp_path / "good.yaml").write_text(GOOD_ANSWERS)
    bad = case.make(tmp_path)
    for args in _checklist_commands(bad, tmp_path):
        _check(args, tmp_path, case, bad)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file we may not read is exit 4 for every command (simulated: tests may run as root)."""
    bad = tmp_path / "secret.yaml"
    bad.write_text(GOOD_ANSWERS)
    (tmp_path / "good.yaml").write_text(GOOD_ANSWERS)
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "secret.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded)
    case = Case("unreadable", _missing, 4, "permission denied")
    for args in _answers_commands(bad, tmp_path) + _checklist_commands(bad, tmp_path):
        _check(args, tmp_path, case, bad)


def test_too_many_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document with more values than the limit is refused as it is read (limit lowered here)."""
    import vetcheck.document

    monkeypatch.setattr(vetcheck.document, "MAX_NODES", 1000)
    (tmp_path / "good.yaml").write_text(GOOD_ANSWERS)
    case = Case("wide", _file("answers: [" + "x, " * 2000 + "x]\n"), 3, "more than 1000 values")
    bad = case.make(tmp_path)
    for args in _answers_commands(bad, tmp_path) + _checklist_commands(bad, tmp_path):
        _check(args, tmp_path, case, bad)


def test_yes_no_on_off_unquoted_are_answers(tmp_path: Path) -> None:
    """Unquoted yes/no/on/off are read as the answers meant, by every reading command."""
    path = tmp_path / "a.yaml"
    path.write_text(GOOD_ANSWERS + "  experience: on\n  monitoring: off\n  calm_room: no\n")
    result = runner.invoke(app, ["report", str(path), "--checklist", str(MINI), "--format", "json"])
    assert result.exit_code == 0
    assert '"red_flags": [\n    "monitoring"\n  ]' in result.stdout
    assert runner.invoke(app, ["validate", str(path), "--checklist", str(MINI)]).exit_code == 0


def test_other_version_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """Answers from another version of the checklist: shared questions count, with a warning."""
    path = tmp_path / "old.yaml"
    path.write_text(
        GOOD_ANSWERS.replace('version: "1.0"', 'version: "0.9"') + "  removed_question: yes\n"
    )
    result = runner.invoke(app, ["report", str(path), "--checklist", str(MINI)])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "version 0.9" in result.stderr
    assert (
        "unknown question id 'removed_question'" in result.stderr and "not counted" in result.stderr
    )


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{good}", "--checklist", str(MINI), "-o", "{out}"],
        ["compare", "{good}", "{good}", "--checklist", str(MINI), "-o", "{out}"],
        ["template", "--checklist", str(MINI), "-o", "{out}", "--force"],
        ["questions", "--checklist", str(MINI), "-o", "{out}"],
        ["schema", "report", "-o", "{out}"],
    ],
    ids=lambda a: a[0],
)
@pytest.mark.parametrize("target", ["dev_full", "read_only_folder"])
def test_unwritable_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], target: str
) -> None:
    """Output to a full device or a read-only folder: exit 4, one line, old output untouched."""
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_ANSWERS)
    if target == "dev_full":
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        out = "/dev/full"
    else:
        out = str(tmp_path / "out.md")
        Path(out).write_text("previous output")

        def denied(*_: object, **__: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", denied)  # root ignores real folder permissions
    before = _snapshot(tmp_path)
    result = runner.invoke(app, [a.format(good=good, out=out) for a in args])
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert isinstance(result.exception, SystemExit)  # not an exception that escaped vetcheck
    assert _snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_really_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - non-root only
    """With real permissions (as a normal user) a read-only folder is exit 4 too."""
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_ANSWERS)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = runner.invoke(
            app, ["report", str(good), "--checklist", str(MINI), "-o", str(folder / "r.md")]
        )
        assert result.exit_code == 4
    finally:
        folder.chmod(0o700)
