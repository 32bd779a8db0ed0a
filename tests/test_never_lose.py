"""Issue 14: never lose, invent or misplace what a person saved (the parts fixed so far)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.errors import ExitCode
from vetcheck.resources import builtin_dir
from vetcheck.storage import write_atomic

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "careful-clinic.vetcheck.yaml"
runner = CliRunner()


def _same_file(kind: str, original: Path, folder: Path) -> str:
    """Another name for `original`: itself, ./itself, a symbolic link or a hard link."""
    if kind == "same":
        return str(original)
    if kind == "dot":
        return str(folder / "." / original.name)
    other = folder / f"{original.stem}-{kind}.yaml"
    (other.symlink_to if kind == "symlink" else other.hardlink_to)(original)
    return str(other)


@pytest.mark.parametrize("kind", ["same", "dot", "symlink", "hardlink"])
@pytest.mark.parametrize(
    "command",
    [
        ["report", "{a}", "-o", "{out}"],
        ["report", "{a}", "--checklist", "{c}", "-o", "{out_c}"],
        ["compare", "{a}", "{b}", "-o", "{out}"],
        ["questions", "--checklist", "{c}", "-o", "{out_c}"],
        ["template", "--checklist", "{c}", "-o", "{out_c}", "--force"],
        ["methodology", "--checklist", "{c}", "-o", "{out_c}"],
    ],
    ids=lambda c: " ".join(c[:2]) if isinstance(c, list) else c,
)
def test_no_command_writes_over_its_own_input(
    tmp_path: Path, command: list[str], kind: str
) -> None:
    """Any of an input's names given as the output is refused (exit 2), and the input is kept."""
    answers, other = tmp_path / "a.yaml", tmp_path / "b.yaml"
    checklist = tmp_path / "c.yaml"
    for path, source in (
        (answers, EXAMPLE),
        (other, EXAMPLE),
        (checklist, builtin_dir() / "ketamine-provider.yaml"),
    ):
        shutil.copy(source, path)
    before = {p: p.read_bytes() for p in (answers, other, checklist)}
    names = {
        "a": str(answers),
        "b": str(other),
        "c": str(checklist),
        "out": _same_file(kind, answers, tmp_path),
        "out_c": _same_file(kind, checklist, tmp_path),
    }
    result = runner.invoke(app, [part.format(**names) for part in command])
    assert result.exit_code == 2, result.output
    assert "is also an input of this command" in result.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert not answers.is_symlink() and not checklist.is_symlink()


def test_the_interview_refuses_a_report_over_its_answers_before_asking(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    shutil.copy(EXAMPLE, answers)
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--report", str(answers)])
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert answers.read_bytes() == EXAMPLE.read_bytes()


def test_a_symlinked_file_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    """Health data stays where the person keeps it: the link's target is replaced, in its folder."""
    private = tmp_path / "private"
    private.mkdir()
    target = private / "answers.yaml"
    target.write_text("old\n")
    link = tmp_path / "answers.yaml"
    link.symlink_to(target)
    write_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "private"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_a_file_named_like_a_builtin_checklist_never_replaces_it(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """`--checklist ketamine-provider` is the built-in one even beside a modified copy of that
    name; the copy is reached as ./ketamine-provider."""
    monkeypatch.chdir(tmp_path)
    copy = builtin_dir().joinpath("ketamine-provider.yaml").read_text()
    Path("ketamine-provider").write_text(copy.replace("critical: true", "critical: false"))
    risky = ROOT / "examples" / "risky-telehealth.vetcheck.yaml"
    result = runner.invoke(
        app, ["report", str(risky), "--checklist", "ketamine-provider", "-f", "json"]
    )
    assert result.exit_code == 0 and '"red_flags": [\n    "' in result.stdout
    local = runner.invoke(app, ["report", str(risky), "--checklist", "./ketamine-provider"])
    assert local.exit_code == 3  # the modified copy is read as what it is: invalid


@pytest.mark.parametrize(
    "hostile", ["\x1b]52;c;aGk=\x07", "\x1b[2J", "\u202eevil", "\x9b31m", "\x00"]
)
def test_text_from_a_file_never_reaches_the_terminal_raw(tmp_path: Path, hostile: str) -> None:
    """Errors and warnings quote what a file held with its control characters made visible."""
    path = tmp_path / "a.yaml"
    path.write_text(
        "vetcheck: 1\nchecklist: {id: ketamine-provider, version: '0.9'}\nsubject: {name: X}\n"
        f'role: patient\nanswers:\n  "x{hostile}": yes\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code in (0, 3)
    for ch in hostile:
        if not ch.isprintable():
            assert ch not in result.stderr


@pytest.mark.parametrize("typed", ["²", "①", "\u0661", "1²", "99999999999999999999"])
def test_odd_digits_at_a_number_prompt_are_invalid_not_a_crash(mini, typed: str) -> None:  # type: ignore[no-untyped-def]
    from vetcheck.interview import Act, parse_key

    for question in mini.questions:
        assert parse_key(typed, question).act is Act.INVALID


def test_messages_about_huge_lists_stay_short(tmp_path: Path) -> None:
    """A choice question with 20,000 options (within every limit; 83,000 in the report that found
    a quadratic check) is checked in one pass, and a message naming its options names a few."""
    text = MINI.read_text()
    start = text.index("    options:\n", text.index("id: setting"))
    end = text.index("\n  - id:", start)
    options = "".join(f"      - id: o{i}\n        label: Option {i}\n" for i in range(20_000))
    path = tmp_path / "big.yaml"
    path.write_text(text[:start] + "    options:\n" + options.rstrip("\n") + text[end:])
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 3
    assert max(len(line) for line in result.stderr.splitlines()) < 400


@pytest.mark.parametrize(
    "command",
    [
        ["report", str(EXAMPLE), "-o"],
        ["compare", str(EXAMPLE), str(EXAMPLE), "-o"],
        ["questions", "-o"],
        ["template", "--force", "-o"],
        ["methodology", "-o"],
        ["lookup", "TX", "-o"],
        ["claims", str(ROOT / "tests" / "fixtures" / "claims" / "brochure.pdf"), "-o"],
        ["interview", "--report"],
        ["interview", "--answers"],
    ],
    ids=lambda c: " ".join(c[:1] + c[-1:]),
)
@pytest.mark.parametrize(
    "name",
    # The refusal is by folder: one file every command reads, one the look-ups command reads,
    # and a new name (nothing may be added there either).
    ["ketamine-provider.data.json", "lookups/us-states.yaml", "new-file.md"],
)
def test_no_command_writes_into_vetchecks_own_data(command: list[str], name: str) -> None:
    """Issue 14: the files every command reads without naming them (the built-in checklist and
    its data copy, the look-ups, the claim rules) cannot be replaced by any output option."""
    target = builtin_dir() / name
    before = {p: p.read_bytes() for p in builtin_dir().rglob("*") if p.is_file()}
    result = runner.invoke(app, [*command, str(target)])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "vetcheck's own data folder" in result.stderr
    assert {p: p.read_bytes() for p in builtin_dir().rglob("*") if p.is_file()} == before
