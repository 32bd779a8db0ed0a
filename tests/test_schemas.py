"""Every file vetcheck ships or writes validates against its published JSON Schema.

The check uses an independent validator (the `jsonschema` package, with format checking) on
the YAML read as editors' YAML 1.2 language servers read it, so the schemas that editors use
agree with what vetcheck itself accepts.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import MINI, make_answers
from test_checklist_content import Yaml12Loader
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.errors import InvalidInputError
from vetcheck.interview import Session
from vetcheck.loader import load_checklist, parse_checklist
from vetcheck.model import AnswerEntry, Role, Subject
from vetcheck.render.answers import render_answers
from vetcheck.resources import builtin_dir
from vetcheck.schema import json_schema

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def _check(data: Any, file_format: str) -> None:
    schema = json_schema(file_format)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(data)


def _read(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


@pytest.mark.parametrize(
    "path", [*sorted(builtin_dir().glob("*.yaml")), MINI], ids=lambda p: p.name
)
def test_shipped_checklists_match_the_schema(path: Path) -> None:
    """Built-in checklists and the test fixture validate against the checklist schema."""
    _check(_read(path.read_text()), "checklist")


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_examples_match_the_schema(path: Path) -> None:
    """The example answers files validate against the answers schema."""
    _check(_read(path.read_text()), "answers")


@pytest.mark.parametrize("extra", [[], ["--subject", "Harbor Light"], ["--role", "referrer"]])
def test_templates_vetcheck_writes_match_the_schema(tmp_path: Path, extra: list[str]) -> None:
    """A template straight from `vetcheck template` (empty location and website) validates."""
    out = tmp_path / "blank.vetcheck.yaml"
    for checklist in ("ketamine-provider", str(MINI)):
        result = runner.invoke(
            app, ["template", "-c", checklist, "-o", str(out), "--force", *extra]
        )
        assert result.exit_code == 0, result.output
        _check(_read(out.read_text()), "answers")


def test_interview_saves_match_the_schema(tmp_path: Path) -> None:
    """What the interview saves after each answer, notes and pending questions included."""
    mini = load_checklist(MINI)
    session = Session(
        mini,
        tmp_path / "a.vetcheck.yaml",
        Role.PATIENT,
        Subject("Harbor: Clinic #1", "Portland, OR", None, date(2026, 11, 20)),
    )
    session.save()
    _check(_read(session.path.read_text()), "answers")
    session.entries["licensed"] = AnswerEntry("yes", 'They said: "yes" — see\nline two')
    session.entries["setting"] = AnswerEntry("home")
    session.save()
    _check(_read(session.path.read_text()), "answers")


def test_answers_with_every_kind_of_answer_match_the_schema() -> None:
    """Answers files written from any answers, with and without notes, validate."""
    mini = load_checklist(MINI)
    values = {"setting": "clinic", "licensed": "n/a", "experience": "partly", "calm_room": "no"}
    text = render_answers(mini, make_answers(mini, values, {"licensed": "note: not # a comment"}))
    _check(_read(text), "answers")


def test_json_reports_match_the_report_schema() -> None:
    """`report --format json` on each example validates against `vetcheck schema report`."""
    schema = json.loads(runner.invoke(app, ["schema", "report"]).stdout)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        result = runner.invoke(app, ["report", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        jsonschema.validate(json.loads(result.stdout), schema)


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("top level", lambda d: d.update(colour="blue")),
        ("a question", lambda d: d["questions"][0].update(colour="blue")),
        ("a source", lambda d: d["sources"][0].update(colour="blue")),
    ],
)
def test_schema_and_vetcheck_both_refuse_an_unknown_key(where: str, edit: Any) -> None:
    """An unexpected key fails the published schema, and vetcheck refuses it too."""
    data = _read(MINI.read_text())
    edit(data)
    with pytest.raises(jsonschema.ValidationError):
        _check(data, "checklist")
    with pytest.raises(InvalidInputError, match="unknown key 'colour'"):
        parse_checklist(yaml.safe_dump(data, sort_keys=False), where)
