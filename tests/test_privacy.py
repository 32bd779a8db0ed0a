"""Privacy: no network, nothing written outside the paths the user chose, owner-only files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import MINI, start

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Loaded into every vetcheck process below: any attempt to open a socket or resolve a name
# is recorded in a file and refused.
SITECUSTOMIZE = """
import os, socket
_log = os.environ["VETCHECK_NET_LOG"]
def _refuse(*args, **kwargs):
    with open(_log, "a") as handle:
        handle.write(repr(args)[:200] + "\\n")
    raise OSError("network access is not allowed in this test")
class _NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        _refuse(*args)
socket.socket = _NoSocket
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture
def sandbox(tmp_path: Path) -> dict[str, object]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(hook),
        "VETCHECK_NET_LOG": str(tmp_path / "net.log"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local"),
        "TMPDIR": str(home / "tmp"),
        "COLUMNS": "100",
        "NO_COLOR": "1",
    }
    (home / "tmp").mkdir()
    return {"env": env, "root": tmp_path, "work": work, "home": home}


def _files(folder: Path) -> set[str]:
    """The files under `folder`, but the test's own network guard (Python may cache its
    compiled form beside it where PYTHONDONTWRITEBYTECODE is not set)."""
    hook = folder / "hook"
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and hook not in p.parents
    }


COMMANDS: list[tuple[list[str], set[str]]] = [
    (["--version"], set()),
    (["--help"], set()),
    (["checklists"], set()),
    (["methodology"], set()),
    (["schema", "report"], set()),
    (["validate", str(EXAMPLES[0])], set()),
    (["report", str(EXAMPLES[1])], set()),
    (["report", str(EXAMPLES[1]), "--format", "html", "-o", "r.html"], {"r.html"}),
    (["report", str(EXAMPLES[1]), "--format", "json", "-o", "r.json"], {"r.json"}),
    (["compare", *map(str, EXAMPLES), "-o", "c.md"], {"c.md"}),
    (["questions", "-o", "q.md"], {"q.md"}),
    (["lookup", "Austin, TX", "-f", "html", "-o", "l.html"], {"l.html"}),
    (
        ["claims", str(ROOT / "tests/fixtures/claims/brochure.pdf"), "-o", "c.html", "-f", "html"],
        {"c.html"},
    ),
    (["template", "-o", "t.yaml"], {"t.yaml"}),
    (["interview"], set()),  # no terminal: refuses, writes nothing
]


@pytest.mark.parametrize(
    ("args", "created"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_commands_stay_offline_and_in_their_lane(
    sandbox: dict[str, object], args: list[str], created: set[str]
) -> None:
    """Each command opens no socket and writes only the file it was asked to, owner-only."""
    work, root = sandbox["work"], sandbox["root"]
    assert isinstance(work, Path) and isinstance(root, Path)
    before = _files(root)
    result = subprocess.run(
        [sys.executable, "-m", "vetcheck", *args],
        cwd=work,
        env=sandbox["env"],  # type: ignore[arg-type]
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == (2 if args == ["interview"] else 0), result.stderr
    assert not (root / "net.log").exists(), (root / "net.log").read_text()
    assert _files(root) - before == {f"work/{name}" for name in created}
    for name in created:
        assert (work / name).stat().st_mode & 0o777 == 0o600


def test_interview_stays_offline_and_in_its_lane(sandbox: dict[str, object]) -> None:
    """A whole interview opens no socket and writes only its answers file and report, owner-only."""
    work, root = sandbox["work"], sandbox["root"]
    assert isinstance(work, Path) and isinstance(root, Path)
    before = _files(root)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "vetcheck", "interview", "--checklist", str(MINI), "--plain"],
        cwd=str(work),
        env=sandbox["env"],
        encoding="utf-8",
        timeout=15,  # type: ignore[arg-type]
    )
    start(child, "Quiet Clinic", location="")
    for key in ("1", "1", "1", "1", "1"):
        child.expect("Your answer:")
        child.sendline(key)
    child.expect("press Enter to finish:")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (root / "net.log").exists()
    assert _files(root) - before == {
        "work/quiet-clinic.vetcheck.yaml",
        "work/quiet-clinic.report.md",
    }
    for name in ("quiet-clinic.vetcheck.yaml", "quiet-clinic.report.md"):
        assert (work / name).stat().st_mode & 0o777 == 0o600


def test_the_network_guard_works(sandbox: dict[str, object]) -> None:
    """The guard above really catches a connection attempt (so a silent pass means something)."""
    root = sandbox["root"]
    assert isinstance(root, Path)
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], env=sandbox["env"], check=True)  # type: ignore[arg-type]
    assert (root / "net.log").exists()
