"""Issue 14: every interview prompt is paste-safe and survives bytes that are not UTF-8."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import MINI, spawn
from test_interview_pty import PROMPT

from vetcheck.loader import load_answers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def test_a_paste_at_the_name_prompt_fills_no_other_prompt(tmp_path: Path) -> None:
    """Name, location and website pasted at once become one name; location is still asked."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    child.expect("provider name:")
    child.send("Harbor Clinic\nPortland, OR\nhttps://harbor.example\n")  # one paste
    child.expect("Location")
    child.sendline("Salem, OR")
    child.expect("Website")
    child.sendline("")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    (saved,) = tmp_path.glob("*.vetcheck.yaml")
    subject = load_answers(saved).subject
    assert subject.name == "Harbor Clinic Portland, OR https://harbor.example"
    assert (subject.location, subject.website) == ("Salem, OR", None)


@pytest.mark.parametrize("where", ["name", "answer"])
def test_latin1_bytes_typed_at_a_prompt_are_asked_again(tmp_path: Path, where: str) -> None:
    """A terminal set to Latin-1 sends é as one byte: the line is asked again, nothing crashes."""
    # The terminal echoes the byte back: read it as "?" rather than fail.
    child = spawn(tmp_path, "--checklist", str(MINI), codec_errors="replace")
    child.expect("provider name:")
    if where == "name":
        os.write(child.child_fd, b"Caf\xe9 Clinic\n")
        child.expect("provider name:")  # asked again, never stored half-read
    child.sendline("Harbor Clinic")
    child.expect("Location")
    child.sendline("")
    child.expect("Website")
    child.sendline("")
    child.expect(PROMPT)
    if where == "answer":
        os.write(child.child_fd, b"s\xe9\n")  # not "s" (skip): asked again
        child.expect(PROMPT)
    child.sendline("1")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    entries = load_answers(tmp_path / "harbor-clinic.vetcheck.yaml").entries
    assert {k: e.value for k, e in entries.items()} == {"setting": "clinic"}
