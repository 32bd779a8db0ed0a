"""Shared fixtures: the small test checklist, helpers to write answers files, and a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pexpect
import pytest

from vetcheck.loader import load_checklist
from vetcheck.model import Answer, AnswerEntry, Answers, Checklist, Question, Role, Subject

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture(scope="session")
def mini() -> Checklist:
    return load_checklist(MINI)


def good_answer(question: Question) -> str:
    """The answer that earns full credit: no for a question asked the yes-is-bad way round."""
    return Answer.NO.value if question.bad_answer is Answer.YES else Answer.YES.value


def make_answers(
    checklist: Checklist,
    values: dict[str, str],
    notes: dict[str, str] | None = None,
    role: Role = Role.PATIENT,
) -> Answers:
    notes = notes or {}
    return Answers.new(
        checklist,
        Subject("Test Clinic"),
        role,
        {qid: AnswerEntry(v, notes.get(qid)) for qid, v in values.items()},
    )


ANSWERS_TEXT = """\
vetcheck: 1
checklist: {{id: mini, version: "1.0"}}
subject:
  name: Test Clinic
  evaluated: 2026-11-20
role: patient
answers:
{body}
"""


def write_answers(folder: Path, body: str, name: str = "answers.yaml") -> Path:
    path = folder / name
    path.write_text(ANSWERS_TEXT.format(body=body), encoding="utf-8")
    return path


def spawn(
    folder: Path,
    *args: str,
    command: list[str] | None = None,
    rows: int = 40,
    columns: int = 100,
    env: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    codec_errors: str = "strict",
    timeout: int = 15,
) -> pexpect.spawn:
    """`vetcheck interview ARGS` (or `command`) in a pseudo-terminal of rows x columns, with
    colour unless `env` says otherwise; `env` adds to (or overrides) the process environment."""
    full = {**os.environ, "COLUMNS": str(columns), "LINES": str(rows), "TERM": "xterm"}
    full.pop("NO_COLOR", None)
    full.update(env or {})
    cmd = command or [sys.executable, "-m", "vetcheck", "interview", *args]
    child = pexpect.spawn(
        cmd[0],
        cmd[1:],
        cwd=str(folder),
        env=full,
        encoding=encoding,
        codec_errors=codec_errors,
        timeout=timeout,
        dimensions=(rows, columns),
    )
    # pexpect waits 50 ms before every send, for programs that flush input after a prompt;
    # vetcheck does not, and the tests wait for each prompt before they type.
    child.delaybeforesend = None
    return child


def start(
    child: pexpect.spawn, name: str = "Harbor Clinic", location: str = "Portland, OR"
) -> None:
    """Answer an interview's first prompts: the provider's name, location and (no) website."""
    child.expect("provider name:")
    child.sendline(name)
    child.expect("Location")
    child.sendline(location)
    child.expect("Website")
    child.sendline("")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than there are CPUs. A third of the suite waits on child
    processes and pseudo-terminals (a vetcheck run, a 50 ms paste window, Chromium), and the
    extra worker uses that time: about 12% less wall time on 2 CPUs."""
    return (os.cpu_count() or 1) + 1
