"""Issue 14: an ordinary environment failure is never called a bug.

A full or closed standard output, a reader that stops reading, a terminal without UTF-8, a
deleted current folder, Ctrl-C while vetcheck loads: each ends with at most one clear line and a
documented exit code (docs/commands.md), never a traceback and never "This is a bug". The
conditions are real: shell redirections, pipes, /dev/full, pseudo-terminals and signals.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from conftest import MINI, spawn, start, write_answers
from typer.testing import CliRunner

import vetcheck
from vetcheck.cli import app
from vetcheck.errors import ExitCode, FileAccessError, environment_error
from vetcheck.streams import encodable

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shells, pipes and signals")

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "risky-telehealth.vetcheck.yaml"
VETCHECK = [sys.executable, "-m", "vetcheck"]
# The console script an install makes ([project.scripts]), beside the interpreter.
SCRIPT = Path(sys.executable).with_name("vetcheck")
needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
NO_SPACE = os.strerror(errno.ENOSPC)
runner = CliRunner()


def shell(
    script: str, *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `script` in sh with `args` as "$@" (the command), so redirections are the real thing."""
    return subprocess.run(
        ["sh", "-c", script, "sh", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def one_error_line(stderr: str) -> str:
    """The one line a failure prints: `error: …`, no traceback, and not called a bug."""
    assert "Traceback" not in stderr and "bug" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


# --- standard output -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("redirect", "args", "says"),
    [
        pytest.param(">/dev/full", ["questions"], "standard output", marks=needs_dev_full),
        pytest.param(">/dev/full", ["report", EXAMPLE], "standard output", marks=needs_dev_full),
        pytest.param(">/dev/full", ["--version"], "standard output", marks=needs_dev_full),
        pytest.param(">/dev/full", ["validate", EXAMPLE], "standard output", marks=needs_dev_full),
        # Help is written by Typer, not by vetcheck: the line says what the system said.
        pytest.param(">/dev/full", ["--help"], NO_SPACE, marks=needs_dev_full),
        pytest.param(">/dev/full", ["questions", "--help"], NO_SPACE, marks=needs_dev_full),
        (">&-", ["questions"], "standard output: it is closed"),
        ("1</dev/null", ["questions"], "standard output"),  # open, but for reading only
        # Help is Typer's to write: read-only and closed output are named all the same.
        ("1</dev/null", ["--help"], "standard output: it is open for reading only"),
        ("1</dev/null", ["report", "--help"], "standard output: it is open for reading only"),
        (">&-", ["--help"], "standard output: it is closed"),
        (">&-", ["report", "-h"], "standard output: it is closed"),
    ],
)
def test_standard_output_that_cannot_be_written_is_exit_4(
    redirect: str, args: list[str | Path], says: str
) -> None:
    """Output to a full device, a closed stdout or a read-only one: one line naming it, exit 4."""
    result = shell(f'exec "$@" {redirect}', *VETCHECK, *args)
    assert result.returncode == ExitCode.FILE_ACCESS, result.stderr
    assert says in one_error_line(result.stderr.decode())


@pytest.mark.parametrize(
    "args", [["questions"], ["report", str(EXAMPLE), "--format", "html"], ["checklists"]]
)
def test_a_reader_that_stops_reading_ends_the_run_quietly(args: list[str]) -> None:
    """`vetcheck … | true`: a pipe whose reader has gone, from the first byte: nothing on stderr
    (not even Python's "Exception ignored" as it flushes at exit) and exit 4, never 1 (--fail-under)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before vetcheck writes anything
    try:
        result = subprocess.run(
            [*VETCHECK, *args], stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert result.returncode == ExitCode.FILE_ACCESS
    assert result.stderr == b""


@needs_dev_full
def test_messages_standard_error_cannot_take_are_dropped(tmp_path: Path) -> None:
    """A full or closed stderr loses only the message: the exit code and the files still tell."""
    for redirect in ("2>/dev/full", "2>&-"):
        refused = shell(f'exec "$@" {redirect}', *VETCHECK, "questions", "--checklist", "no-such")
        assert refused.returncode == ExitCode.USAGE and refused.stdout == b"", redirect
        out = tmp_path / f"report{len(redirect)}.md"
        written = shell(f'exec "$@" {redirect}', *VETCHECK, "report", EXAMPLE, "-o", out)
        assert written.returncode == ExitCode.OK, redirect
        assert out.read_text(encoding="utf-8").startswith("# vetcheck report")


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "encoding"),
    [
        ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
        ({"PYTHONIOENCODING": "ascii"}, "ascii"),
        # A C locale without Python's UTF-8 mode: what an old server or a cron job may give.
        ({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, "ascii"),
    ],
)
def test_output_in_an_encoding_without_vetchecks_characters(
    env: dict[str, str], encoding: str
) -> None:
    """The question sheet on a Latin-1 or ASCII stdout: all of it, its boxes ☐ as [ ], exit 0."""
    utf8 = runner.invoke(app, ["questions"]).stdout  # as on UTF-8
    result = shell('exec "$@"', *VETCHECK, "questions", env=env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stderr == b""
    assert "☐" in utf8  # the sheet does use a character these encodings lack
    assert result.stdout.decode(encoding) == encodable(utf8, encoding)
    assert "\n- [ ] " in result.stdout.decode(encoding)  # each question's box to tick


def test_messages_in_an_encoding_without_their_characters() -> None:
    """An error message on a Latin-1 stderr shows what it quotes in look-alikes, not \\u escapes."""
    result = shell(
        'exec "$@"', *VETCHECK, "questions", "-c", "☐→é", env={"PYTHONIOENCODING": "latin-1"}
    )
    assert result.returncode == ExitCode.USAGE
    assert "'[ ]->é'" in one_error_line(result.stderr.decode("latin-1"))


def test_look_alikes() -> None:
    """What an encoding lacks becomes its usual ASCII stand-in, the letter without its accent, or ?."""
    text = "☐ “quoted” — ≥ 5 … → café ² 中"
    assert encodable(text, "ascii") == '[ ] "quoted" -- >= 5 ... -> cafe 2 ?'
    assert encodable(text, "latin-1") == '[ ] "quoted" -- >= 5 ... -> café ² ?'
    assert encodable(text, "utf-8") == text


# --- the current folder --------------------------------------------------------------------

IN_A_DELETED_FOLDER = 'mkdir gone && cd gone && rmdir ../gone && exec "$@"'


@pytest.mark.parametrize(
    "args",
    [
        ["questions", "-o", "sheet.md"],
        ["report", "answers.yaml"],
        ["report", str(EXAMPLE), "-o", "report.md"],
        ["template", "-o", "answers.yaml"],
    ],
)
def test_a_deleted_current_folder_is_named(tmp_path: Path, args: list[str]) -> None:
    """Relative paths in a folder deleted under the shell: one line saying so, exit 4."""
    result = shell(IN_A_DELETED_FOLDER, *VETCHECK, *args, cwd=tmp_path)
    assert result.returncode == ExitCode.FILE_ACCESS
    assert "current folder no longer exists" in one_error_line(result.stderr.decode())


# --- the interview's terminal --------------------------------------------------------------


def _interview_in_a_terminal(tmp_path: Path, script: str) -> tuple[int, str]:
    """`vetcheck interview` with a pseudo-terminal as stdin, stdout as `script` redirects it."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    child = pexpect.spawn(
        "sh",
        ["-c", script, "sh", *VETCHECK, "interview", "--checklist", str(MINI)],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("script", "says"),
    [
        pytest.param('exec "$@" >/dev/full', "standard output", marks=needs_dev_full),
        ('exec "$@" >&-', "standard output: it is closed"),
        (IN_A_DELETED_FOLDER, "current folder no longer exists"),
    ],
)
def test_an_interview_that_cannot_show_or_keep_answers_stops_at_once(
    tmp_path: Path, script: str, says: str
) -> None:
    """A screen that is full, closed, or a deleted folder to save in: one line before any question."""
    status, screen = _interview_in_a_terminal(tmp_path, script)
    assert status == ExitCode.FILE_ACCESS
    assert says in one_error_line(screen)
    assert list(tmp_path.iterdir()) == []  # asked nothing, saved nothing


def test_an_interview_without_standard_input_says_it_needs_a_terminal() -> None:
    """`vetcheck interview <&-`: the usage error that points to template and report, exit 2."""
    result = shell('exec "$@" <&-', *VETCHECK, "interview")
    assert result.returncode == ExitCode.USAGE
    assert "needs a terminal" in one_error_line(result.stderr.decode())


def test_an_interview_on_a_latin_1_terminal(tmp_path: Path) -> None:
    """The interview's screen in Latin-1: progress bars and all, in look-alikes; q saves, exit 0."""
    child = spawn(
        tmp_path,
        "--checklist",
        str(MINI),
        env={"PYTHONIOENCODING": "latin-1"},
        encoding="latin-1",
        timeout=30,
    )
    start(child, location="")
    child.expect("Your answer:")
    assert re.search(r"-{10} 0/\d", child.before)  # the section's progress bar: ░ as -
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK, child.before
    assert "Traceback" not in child.before and "bug" not in child.before
    assert (tmp_path / "harbor-clinic.vetcheck.yaml").exists()


# --- Ctrl-C --------------------------------------------------------------------------------


def _before_vetcheck_started(stderr: str) -> bool:
    """A Ctrl-C that landed before vetcheck's first line ran, where no program can catch it:
    Python's own start-up (its site module, or runpy for `-m`: exit 1), or the launcher an
    installer writes, which imports `re` before it imports and calls `vetcheck.main` (exit
    -SIGINT; or exit 0 when importlib's own clean-up swallowed it). Python's report of it
    passes through no code of vetcheck's: not `vetcheck.main`, inside which all of vetcheck
    runs, nor any module of vetcheck's but the module code of `vetcheck/__init__.py` and
    `__main__.py`, which loads nothing."""
    if not re.search(r"KeyboardInterrupt:?\s*$", stderr):
        return False
    package = Path(vetcheck.__file__).parent

    def vetchecks(path: str, function: str) -> bool:
        file = Path(path)
        if file.parent == package and file.name in {"__init__.py", "__main__.py"}:
            return function != "<module>"
        return package in file.parents

    frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', stderr)
    return not any(vetchecks(*frame) for frame in frames)


def test_ctrl_c_at_any_moment_is_interrupted_never_a_traceback() -> None:
    """SIGINT at random moments in a run's first 150 ms, mostly while vetcheck loads (before
    Typer's handler exists): the process ends as interrupted (130 to a shell), or it had
    finished; never a traceback."""
    rng = random.Random(int(os.environ.get("VETCHECK_CRASH_SEED", "20261122")))
    starts = [[str(SCRIPT)], VETCHECK] if SCRIPT.exists() else [VETCHECK]
    interrupted = 0
    for attempt in range(80):
        if attempt >= 16 and interrupted >= 5:
            break  # on a fast machine many runs finish first: go on until enough were stopped
        command = [*starts[attempt % len(starts)], "report", str(EXAMPLE)]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGINT)
        _, raw = proc.communicate(timeout=60)
        stderr = raw.decode()
        # Ended by the signal (what a shell shows as 130: vetcheck lets Ctrl-C end a report at
        # once), exit 130 if it landed where vetcheck catches it, 0 if the report was done, 1
        # in Python's own start-up.
        assert proc.returncode in (-signal.SIGINT, ExitCode.INTERRUPTED, 0, 1), proc.returncode
        if proc.returncode == ExitCode.INTERRUPTED:
            assert stderr == "interrupted\n", stderr
        else:
            assert stderr == "" or _before_vetcheck_started(stderr), stderr
        interrupted += proc.returncode in (-signal.SIGINT, ExitCode.INTERRUPTED)
    assert interrupted >= 5  # most signals land while the run is going on


def test_ctrl_c_while_a_file_is_written_waits_for_the_write(tmp_path: Path) -> None:
    """`report -o` over an existing report, SIGINT the moment its temporary file appears: the
    write ends first (the new report whole, no temporary file left), then it says "interrupted",
    exit 130. (Elsewhere Ctrl-C ends vetcheck at once; a write must not be cut short.)"""
    out = tmp_path / "report.md"
    seen = set()
    for _ in range(10):
        out.write_bytes(b"# an older report\n")
        proc = subprocess.Popen(
            [*VETCHECK, "report", str(EXAMPLE), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        while proc.poll() is None and not any(tmp_path.glob(".report.md.*")):
            time.sleep(0.0002)
        proc.send_signal(signal.SIGINT)
        _, raw = proc.communicate(timeout=60)
        assert list(tmp_path.glob(".report.md.*")) == []
        assert out.read_bytes().startswith(b"# vetcheck report")
        written = b"report written to " + bytes(out) + b"\n"
        # 130 if it landed during the write; 0 if the run had ended; ended by the signal (130
        # to a shell) if it landed just after the write.
        assert (proc.returncode, raw) in {
            (ExitCode.INTERRUPTED, b"interrupted\n"),
            (ExitCode.OK, written),
            (-signal.SIGINT, written),
            (-signal.SIGINT, b""),
        }, (proc.returncode, raw)
        seen.add(proc.returncode)
        if ExitCode.INTERRUPTED in seen:
            break
    assert ExitCode.INTERRUPTED in seen  # a signal landed during the write at least once


# --- what counts as the environment --------------------------------------------------------


def test_what_is_the_environment_and_what_is_a_bug() -> None:
    """A system refusal (disk full, I/O error, no such file) is the environment's; a call made
    wrongly (a bad descriptor, a bad argument), an OSError without errno and any other error are bugs."""
    full = environment_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert isinstance(full, FileAccessError) and NO_SPACE in full.message
    named = environment_error(PermissionError(errno.EACCES, "Permission denied", "out.md"))
    assert named is not None and named.message.startswith("out.md: ")
    for bug in (
        OSError(errno.EBADF, "Bad file descriptor"),
        OSError(errno.EINVAL, "Invalid argument"),
        OSError("no errno"),
        RuntimeError("kaboom"),
        RecursionError(),
    ):
        assert environment_error(bug) is None, bug


def test_failures_inside_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a command: an OSError from the system is one line and exit 4; one from a call made
    wrongly is still a bug (70); Ctrl-C wrapped by Python 3.11 (in a class's __set_name__) is 130."""
    import vetcheck.scoring

    wrapped = RuntimeError("Error calling __set_name__")
    wrapped.__cause__ = KeyboardInterrupt()
    answers = str(write_answers(tmp_path, "  licensed: yes"))
    for raised, code, says in [
        (
            OSError(errno.EIO, "Input/output error"),
            ExitCode.FILE_ACCESS,
            "error: input or output failed (Input/output error)\n",
        ),
        (OSError(errno.EINVAL, "Invalid argument"), ExitCode.INTERNAL, "This is a bug in vetcheck"),
        (wrapped, ExitCode.INTERRUPTED, "interrupted\n"),
    ]:

        def fail(*_: object, raised: Exception = raised) -> None:
            raise raised

        monkeypatch.setattr(vetcheck.scoring, "score", fail)
        result = runner.invoke(app, ["report", answers, "-c", str(MINI)])
        assert result.exit_code == code, raised
        assert says in result.stderr and "Traceback" not in result.stderr
