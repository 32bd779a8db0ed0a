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

import pexpect
import pytest
from conftest import MINI

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
    versions = {b"A" * 150_000, b"B" * 400_000}
    target.write_bytes(b"A" * 150_000)
    loop = (
        "import sys; from pathlib import Path; from vetcheck.storage import write_atomic\n"
        "p = Path(sys.argv[1]); i = 0\n"
        "while True:\n"
        "    write_atomic(p, ('A' * 150_000) if i % 2 else ('B' * 400_000)); i += 1\n"
    )
    rng = random.Random(SEED)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", loop, str(target)])
        _kill_after(proc, rng.uniform(0.08, 0.2))
        assert target.read_bytes() in versions
        assert target.stat().st_mode & 0o777 == 0o600


def test_report_output_survives_sigkill(tmp_path: Path) -> None:
    """`report -o` over an existing report, killed at random: the old report or the whole new one."""
    out = tmp_path / "report.md"
    done = subprocess.run(
        [sys.executable, "-m", "vetcheck", "report", str(EXAMPLE), "-o", str(out)],
        capture_output=True,
        check=True,
    )
    assert done.returncode == 0
    new = out.read_bytes()
    old = b"# an older report\n" * 500
    rng = random.Random(SEED)
    outcomes = set()
    for _ in range(8):
        out.write_bytes(old)
        proc = subprocess.Popen(
            [sys.executable, "-m", "vetcheck", "report", str(EXAMPLE), "-o", str(out)],
            stderr=subprocess.DEVNULL,
        )
        _kill_after(proc, rng.uniform(0.05, 0.45))
        content = out.read_bytes()
        assert content in (old, new)
        outcomes.add(content == new)
    assert outcomes  # at least one run observed


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
        env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
        child = pexpect.spawn(
            sys.executable,
            ["-m", "vetcheck", "interview", "--checklist", str(MINI), "--plain"],
            cwd=str(folder),
            env=env,
            encoding="utf-8",
            timeout=15,
        )
        child.expect("provider name:")
        child.sendline("Harbor Clinic")
        child.expect("Location")
        child.sendline("")
        child.expect("Website")
        child.sendline("")
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
