"""Shared fixtures: the small test checklist and helpers to write answers files."""

from __future__ import annotations

from pathlib import Path

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
