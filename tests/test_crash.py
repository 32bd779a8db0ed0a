"""Crash consistency: SIGKILL at random moments never leaves a truncated or empty file.

The file on disk is always a complete earlier version or the complete new one, and an
interview killed at any moment keeps every answer it had acknowledged.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, spawn, start

from vetcheck.loader import check_answers, load_answers, load_checklist

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "risky-telehealth.vetcheck.yaml"
SEED = int(os.environ.get("VETCHECK_CRASH_SEED", "20261122"))


def _kill_after(proc: subprocess.Popen[bytes], delay: float) -> None:
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_atomic_write_survives_sigkill(tmp_path: Path) -> None:
    """A process rewriting a file in a loop, killed at random moments: the file is always whole."""
    target = tmp_path / "answers.yaml"
    a, b = b"A" * 150_000, b"B" * 400_000
    loop = (
        "import sys; from pathlib import Path; from vetcheck.storage import write_atomic\n"
        "p = Path(sys.argv[1]); i = 0\n"
        "while True:\n"
        "    write_atomic(p, ('A' * 150_000) if i % 2 else ('B' * 400_000)); i += 1\n"
    )
    rng = random.Random(SEED)
    seen: list[bytes] = []
    for _ in range(40):
        target.write_bytes(a)
        proc = subprocess.Popen([sys.executable, "-c", loop, str(target)])
        # The kill must land inside the loop, not during start-up: wait for its first write (B).
        while target.read_bytes() != b:
            assert proc.poll() is None, "the write loop died"
            time.sleep(0.001)
        _kill_after(proc, rng.uniform(0, 0.05))
        content = target.read_bytes()
        assert content in (a, b), f"partial file: {len(content)} bytes"
        assert target.stat().st_mode & 0o777 == 0o600
        seen.append(content)
        if len(seen) >= 12 and set(seen) == {a, b}:
            break
    # Both versions seen after kills: kills landed after several replaces, at either phase.
    assert set(seen) == {a, b}


def _report_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "vetcheck", "report", str(EXAMPLE), "-o", str(out)]


def _stray_temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".report.md.")]


def _check_after_kill(out: Path, old: bytes, new: bytes) -> str:
    """The file is the old or the new report; name the moment the kill landed in."""
    content = out.read_bytes()
    assert content in (old, new), f"partial report: {len(content)} bytes"
    strays = _stray_temp_files(out.parent)
    for stray in strays:  # left behind by a kill between writing the temp file and replacing
        assert stray.stat().st_mode & 0o777 == 0o600  # it holds the report too
        stray.unlink()
    if strays:
        assert content == old, "killed before the replace, yet the report changed"
        return "during the write"
    return "before the write" if content == old else "after the write"


def test_report_output_survives_sigkill(tmp_path: Path) -> None:
    """`report -o` over an existing report, killed before, during or after its write: never partial."""
    out = tmp_path / "report.md"
    started = time.monotonic()
    subprocess.run(_report_command(out), capture_output=True, check=True)
    run_time = time.monotonic() - started  # calibrates the kill moments to this machine
    new = out.read_bytes()
    old = b"# an older report\n" * 500
    rng = random.Random(SEED)
    seen: list[str] = []
    # Random moments from start-up to well past a whole run: until a kill has landed both
    # before and after the replace (typically a handful of runs), so the check ran on each side.
    for _ in range(40):
        out.write_bytes(old)
        proc = subprocess.Popen(_report_command(out), stderr=subprocess.DEVNULL)
        _kill_after(proc, rng.uniform(0, 1.5 * run_time))
        seen.append(_check_after_kill(out, old, new))
        if len(seen) >= 4 and {"before the write", "after the write"} <= set(seen):
            break
    # Random moments rarely hit the few milliseconds of the write itself, so aim for them: kill
    # the moment the temp file appears, until one kill lands before the replace.
    for _ in range(20):
        out.write_bytes(old)
        proc = subprocess.Popen(_report_command(out), stderr=subprocess.DEVNULL)
        while proc.poll() is None and not _stray_temp_files(tmp_path):
            time.sleep(0.0002)  # lets the report process run on a busy machine
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append(_check_after_kill(out, old, new))
        if seen[-1] == "during the write":
            break
    assert {"before the write", "during the write", "after the write"} <= set(seen), seen


def _answers(path: Path) -> dict[str, str]:
    answers, _ = check_answers(load_answers(path), load_checklist(MINI))
    return {k: e.value for k, e in answers.entries.items()}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_interview_killed_at_random_moments_keeps_acknowledged_answers(tmp_path: Path) -> None:
    """SIGKILL mid-interview (sometimes mid-save): the file is valid and holds every acknowledged answer."""
    rng = random.Random(SEED)
    keys = ["2", "1", "3", "2", "1", "4"]  # setting home, then yes/no answers
    meaning = ["home", "yes", "no", "partly", "yes", "unknown"]
    order = ["setting", "licensed", "experience", "monitoring", "sitter", "calm_room"]
    for attempt in range(4):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        child = spawn(folder, "--checklist", str(MINI), "--plain", env={"NO_COLOR": "1"})
        start(child, location="")
        acknowledged = rng.randint(0, 4)
        for i in range(acknowledged):
            child.expect("Your answer:")
            child.sendline(keys[i])
        child.expect("Your answer:")  # everything sent so far is saved once this prompt shows
        child.sendline(keys[acknowledged])
        time.sleep(rng.uniform(0, 0.03))
        child.kill(signal.SIGKILL)
        child.close(force=True)
        path = folder / "harbor-clinic.vetcheck.yaml"
        saved = _answers(path)  # always loads and validates: never truncated or empty
        expected = dict(zip(order[:acknowledged], meaning[:acknowledged], strict=True))
        assert {k: saved[k] for k in expected} == expected
        extra = set(saved) - set(expected)
        assert extra <= {order[acknowledged]}
        if extra:
            assert saved[order[acknowledged]] == meaning[acknowledged]
