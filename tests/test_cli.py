"""The command line: every command, its output, its errors and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from conftest import MINI, write_answers
from typer.testing import CliRunner

from vetcheck import __version__
from vetcheck.cli import app

runner = CliRunner()
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_version() -> None:
    """--version prints the version and exits 0."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"vetcheck {__version__}\n"


# Taken from the app itself, so that a new command is covered without editing this list.
COMMANDS = {
    name: command
    for name, command in typer.main.get_command(app).commands.items()
    if not command.hidden
}


def _words(text: str) -> str:
    """Text without wrapping or box drawing, to find a sentence in help however it is laid out."""
    return " ".join(re.sub(r"[│╭╮╰╯─┃┏┓┗┛━|+]", " ", text).split())


def _first_line(name: str) -> str:
    help_text = (COMMANDS[name].help or "").strip()
    return help_text.splitlines()[0] if help_text else ""


def test_the_app_has_the_documented_commands() -> None:
    """The command list the help tests walk is the real one (not empty, not a stale subset)."""
    assert set(COMMANDS) >= {"interview", "report", "compare", "template", "validate", "schema"}


def test_no_args_shows_help() -> None:
    """Running with no arguments shows the help: every command with its one-line summary."""
    shown = _words(run().output)
    for name in COMMANDS:
        assert re.search(rf"\b{name}\b", shown), name
        assert _words(_first_line(name)) in shown, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    """`vetcheck COMMAND --help` exits 0 and shows its help; the first line is an imperative sentence."""
    first = _first_line(name)
    verb = first.split(" ", 1)[0]
    assert first[:1].isupper() and first.endswith("."), f"{name}: first line {first!r}"
    # An imperative ("Write the report"), not a description ("Writes the report", "This
    # command writes"): a third-person verb ends in a single s.
    assert not (verb.endswith("s") and not verb.endswith("ss")), (
        f"{name}: {verb!r} is not imperative"
    )
    assert verb not in {"This", "The", "A", "An", "It", "Command"}, f"{name}: starts {verb!r}"
    result = run(name, "--help")
    assert result.exit_code == 0, result.output
    assert _words(first) in _words(result.stdout)


def test_template_fill_report_round_trip(tmp_path: Path) -> None:
    """template → fill in → report gives a graded report; the file is owner-only."""
    answers = tmp_path / "clinic.yaml"
    result = run("template", "--checklist", MINI, "--subject", "Harbor Clinic", "-o", answers)
    assert result.exit_code == 0, result.output
    assert answers.stat().st_mode & 0o777 == 0o600
    text = answers.read_text()
    for qid, value in {
        "setting": "clinic",
        "licensed": "yes",
        "experience": "yes",
        "monitoring": "yes",
        "calm_room": "partly",
    }.items():
        text = text.replace(f"  {qid}: unknown", f"  {qid}: {value}")
    answers.write_text(text)
    report = tmp_path / "report.md"
    result = run("report", answers, "--checklist", MINI, "-o", report)
    assert result.exit_code == 0, result.output
    body = report.read_text()
    assert body.startswith("# vetcheck report: Harbor Clinic\n")
    assert "**Grade: A (91 / 100).**" in body  # 10 of 11 weight: calm_room (2) earns 1
    assert report.stat().st_mode & 0o777 == 0o600


def test_report_to_stdout(tmp_path: Path) -> None:
    """Without -o (or with -o -) the report goes to stdout and nothing is written."""
    answers = write_answers(tmp_path, "  licensed: yes")
    for extra in ([], ["-o", "-"]):
        result = run("report", answers, "--checklist", MINI, *extra)
        assert result.exit_code == 0
        assert result.stdout.startswith("# vetcheck report: Test Clinic")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_template_never_overwrites_without_force(tmp_path: Path) -> None:
    """template refuses to replace an existing file (it may hold answers) unless --force."""
    target = tmp_path / "a.yaml"
    target.write_text("precious")
    result = run("template", "--checklist", MINI, "-o", target)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_text() == "precious"
    assert run("template", "--checklist", MINI, "-o", target, "--force").exit_code == 0


def test_fail_under(tmp_path: Path) -> None:
    """--fail-under exits 1 below the threshold, on red flags or when incomplete, else 0."""
    good = write_answers(
        tmp_path,
        "  setting: clinic\n  licensed: yes\n  experience: yes\n  monitoring: yes\n  calm_room: yes",
        "good.yaml",
    )
    flagged = write_answers(
        tmp_path,
        "  setting: clinic\n  licensed: no\n  experience: yes\n  monitoring: yes\n  calm_room: yes",
        "flag.yaml",
    )
    sparse = write_answers(tmp_path, "  licensed: yes", "sparse.yaml")
    passed = run("report", good, "-c", MINI, "--fail-under", "90")
    assert passed.exit_code == 0 and "--fail-under" not in passed.stderr
    for path, threshold, why in [
        (flagged, "10", "--fail-under 10: 1 red flag"),
        (sparse, "10", "--fail-under 10: not gradable yet: 20% of what applies is answered"),
        (good, "101", ""),
    ]:
        result = run("report", path, "-c", MINI, "--fail-under", threshold)
        if threshold == "101":  # outside 0-100: a usage error, not a verdict
            assert result.exit_code == 2
            continue
        assert result.exit_code == 1
        assert why in result.stderr, result.stderr  # one line on stderr says why


def test_fail_under_names_a_low_score(tmp_path: Path) -> None:
    """Below the threshold, stderr gives the score and the threshold."""
    answers = write_answers(
        tmp_path,
        "  setting: clinic\n  licensed: yes\n  experience: no\n  monitoring: yes\n  calm_room: no",
        "low.yaml",
    )
    result = run("report", answers, "-c", MINI, "--fail-under", "95")
    assert result.exit_code == 1
    assert "--fail-under 95: the score 73 is below 95" in result.stderr


def test_validate_good_files(tmp_path: Path) -> None:
    """validate exits 0 and says what it checked, for a checklist and for answers."""
    result = run("validate", MINI)
    assert result.exit_code == 0
    assert "valid checklist 'mini' 1.0: 6 questions (5 scored) in 2 sections" in result.stdout
    answers = write_answers(tmp_path, "  licensed: yes")
    result = run("validate", answers, "--checklist", MINI)
    assert result.exit_code == 0
    assert "valid answers for 'mini' 1.0: 1 of 6 questions answered" in result.stdout


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  licensed: maybe", "answers.yaml:8: 'licensed': 'maybe' is not an answer it accepts"),
        ("  ghost: yes", "answers.yaml:8: unknown question id 'ghost'"),
        # After the line: the column where the parser noticed, then its own words; not pinned.
        ("  licensed: [yes", "answers.yaml:9:"),
    ],
)
def test_bad_answers_exit_3_with_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    """Invalid answers give one `error:` line naming the file and line, exit 3, no traceback."""
    answers = write_answers(tmp_path, body)
    before = answers.read_bytes()
    out = tmp_path / "out.md"
    out.write_text("old report")
    for args in (["validate", answers, "-c", MINI], ["report", answers, "-c", MINI, "-o", out]):
        result = run(*args)
        assert result.exit_code == 3
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {answers.parent}/") and message in line, line
        if "[" in body:
            assert re.fullmatch(r"error: .*answers\.yaml:9:\d+: YAML syntax error: .+", line), line
        # CliRunner never prints a traceback, so look at what ended the run: vetcheck's exit.
        assert isinstance(result.exception, SystemExit)
    assert answers.read_bytes() == before
    assert out.read_text() == "old report"


def test_broken_checklist_lists_all_problems(tmp_path: Path) -> None:
    """validate on a checklist with several problems lists each and counts them."""
    result = run("validate", ROOT / "tests" / "fixtures" / "broken" / "many_problems.yaml")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and lines[-1] == "3 problems found; fix them and run again."


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda d: d / "missing.yaml", 4, "no such file"),
        (lambda d: d, 4, "is a folder"),
    ],
)
def test_file_errors_exit_4(tmp_path: Path, make, code: int, message: str) -> None:
    """A missing path or a folder exits 4 with one clear line."""
    for command in ("report", "validate"):
        result = run(command, make(tmp_path))
        assert result.exit_code == code
        assert message in result.stderr


def test_unwritable_output_exits_4_and_keeps_files(tmp_path: Path) -> None:
    """An output path in a missing folder exits 4; nothing is created."""
    answers = write_answers(tmp_path, "  licensed: yes")
    result = run("report", answers, "-c", MINI, "-o", tmp_path / "no" / "r.md")
    assert result.exit_code == 4
    assert "does not exist" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """Bad options and unknown checklists are usage errors (exit 2)."""
    assert run("template", "--role", "nurse").exit_code == 2
    result = run("template", "--checklist", "no-such-list")
    assert result.exit_code == 2 and "no built-in checklist 'no-such-list'" in result.stderr
    assert run("schema", "nonsense").exit_code == 2
    assert run("report").exit_code == 2


def test_not_a_vetcheck_file(tmp_path: Path) -> None:
    """A YAML mapping that is neither format is exit 3 with a hint."""
    path = tmp_path / "x.yaml"
    path.write_text("hello: world\n")
    result = run("validate", path)
    assert result.exit_code == 3 and "not a vetcheck file" in result.stderr


def test_schema_is_json() -> None:
    """schema prints a JSON Schema for each format."""
    for kind in ("checklist", "answers"):
        result = run("schema", kind)
        assert result.exit_code == 0
        assert json.loads(result.stdout)["title"] == f"vetcheck {kind}"


def test_examples_report_with_builtin_checklist() -> None:
    """Both shipped examples validate and report against the built-in checklist."""
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) == 2
    for path in files:
        assert run("validate", path).exit_code == 0
        assert run("report", path).exit_code == 0


def test_unexpected_errors_are_not_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug shows one line and exit 70; --debug lets the traceback through."""
    import vetcheck.scoring

    def boom(*_: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(vetcheck.scoring, "score", boom)
    answers = write_answers(tmp_path, "  licensed: yes")
    result = run("report", answers, "-c", MINI)
    assert result.exit_code == 70
    assert "unexpected failure (RuntimeError: kaboom)" in result.stderr
    result = run("--debug", "report", answers, "-c", MINI)
    assert isinstance(result.exception, RuntimeError)


def test_import_is_lean() -> None:
    """Importing the CLI loads neither YAML, rich, Jinja2 nor the core modules (they load per command)."""
    code = "import sys, vetcheck.cli; print(sorted(m for m in ('yaml', 'rich', 'jinja2', 'vetcheck.loader', 'vetcheck.scoring') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m() -> None:
    """`python -m vetcheck --version` works."""
    out = subprocess.run(
        [sys.executable, "-m", "vetcheck", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout == f"vetcheck {__version__}\n"


def test_report_path_imports_only_what_it_needs() -> None:
    """`report` (markdown) loads neither the interview, the terminal UI, rich, nor other formats."""
    code = (
        "import contextlib, io, sys\n"
        "from vetcheck.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try: app(['report', {str(EXAMPLES / 'risky-telehealth.vetcheck.yaml')!r}], prog_name='vetcheck')\n"
        "    except SystemExit: pass\n"
        "heavy = ['vetcheck.interview', 'vetcheck.console', 'vetcheck.render.html', 'vetcheck.render.json',\n"
        "         'vetcheck.compare', 'vetcheck.storage', 'rich', 'pexpect', 'jinja2']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api() -> None:
    """The package exposes the core functions by name, loading them only when asked."""
    import vetcheck

    checklist = vetcheck.load_checklist_ref(None)
    answers, _ = vetcheck.check_answers(
        vetcheck.load_answers(EXAMPLES / "careful-clinic.vetcheck.yaml"), checklist
    )
    assert vetcheck.score(checklist, answers).grade.letter == "A"
    assert set(vetcheck.__all__) >= {"score", "render_markdown", "load_answers"}
    with pytest.raises(AttributeError):
        vetcheck.no_such_thing  # noqa: B018


@pytest.mark.parametrize("on_path", [True, False])
def test_printed_commands_start_this_vetcheck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_path: bool
) -> None:
    """A resume command says `vetcheck` only when that name finds this one; else its full path."""
    from vetcheck.cli import _program

    script = tmp_path / "venv" / "bin" / "vetcheck"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "interview"])
    monkeypatch.setenv("PATH", str(script.parent) if on_path else str(tmp_path))
    assert _program() == (("vetcheck",) if on_path else (str(script),))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "__main__.py"), "interview"])
    assert _program() == (sys.executable, "-m", "vetcheck")


def test_typos_in_commands_and_options_are_usage_errors() -> None:
    """An unknown command or option exits 2 with Click's usage message, never 'a bug' (70)."""
    from typer.main import get_command

    commands = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    for args in [["nosuchcommand"], *([name, "--no-such-option"] for name in commands)]:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "bug" not in result.output and "Usage:" in result.output


def test_output_into_a_closed_pipe_stops_quietly() -> None:
    """`vetcheck … | head -1`: no traceback and no 'this is a bug' when the reader goes away."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "vetcheck", "questions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": ""},
    )
    assert proc.stdout is not None and proc.stderr is not None
    if sys.platform == "linux":  # a one-page pipe, so the 20 KB sheet cannot fit before we close
        import fcntl

        fcntl.fcntl(proc.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ
    proc.stdout.readline()
    proc.stdout.close()  # like head, after its first line
    error = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=30) in (0, 4)  # 4: cannot write (quietly: the reader chose to stop)
    assert "Traceback" not in error and "bug" not in error, error


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_run_builds_only_its_command_and_behaves_the_same(name: str) -> None:
    """`vetcheck NAME …` runs an app with that one command (a faster start, docs/performance.md):
    its help, and its answer to a bad option, are those of the full app."""
    from vetcheck.cli import app_for

    one = app_for([name])
    assert one is not app
    for args in ([name, "--help"], [name, "--no-such-option"]):
        full, alone = runner.invoke(app, args), runner.invoke(one, args)
        assert (alone.exit_code, alone.stdout, alone.stderr) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        )


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["reprot"], ["--debug"]])
def test_without_a_command_name_the_full_app_runs(args: list[str]) -> None:
    from vetcheck.cli import app_for

    assert app_for(args) is app
