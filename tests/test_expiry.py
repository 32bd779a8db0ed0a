"""Issue 15: a rule with an end date (`valid_until` on a source) is flagged once that date passes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import MINI, make_answers
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_checklist
from vetcheck.model import Checklist
from vetcheck.render.html import render_html
from vetcheck.render.json import render_json
from vetcheck.render.markdown import render_markdown
from vetcheck.scoring import score

ENDS = date(2026, 12, 31)


@pytest.fixture
def dated(tmp_path: Path) -> Checklist:
    """The mini checklist with src-b, cited by the licence question, ending on ENDS."""
    text = MINI.read_text().replace(
        "    citation: Body B. Consumer advice. 2021.\n",
        f"    citation: Body B. Consumer advice. 2021.\n    valid_until: {ENDS}\n",
    )
    path = tmp_path / "dated.yaml"
    path.write_text(text)
    return load_checklist(path)


def _renders(checklist: Checklist, today: date) -> tuple[str, dict[str, object], str]:
    report = score(checklist, make_answers(checklist, {"setting": "clinic", "licensed": "yes"}))
    return (
        render_markdown(report, today),
        json.loads(render_json(report, today)),
        render_html(report, today),
    )


def test_a_report_written_after_the_last_day_warns(dated: Checklist) -> None:
    md, data, html = _renders(dated, date(2027, 1, 1))
    assert "## Rules that may have changed" in md
    assert "in force until 2026-12-31" in md and "Is the doctor licensed?" in md
    assert data["expired_sources"] == [
        {
            "source": "src-b",
            "valid_until": "2026-12-31",
            "questions": ["licensed", "experience", "calm_room"],
        }
    ]
    assert 'id="expired"' in html and "in force until 2026-12-31" in html
    assert ".: in force" not in md + html  # a citation's own full stop is not doubled


@pytest.mark.parametrize("today", [date(2026, 12, 3), ENDS])
def test_no_warning_while_the_rule_is_in_force(dated: Checklist, today: date) -> None:
    md, data, html = _renders(dated, today)
    assert "Rules that may have changed" not in md and "Rules that may have changed" not in html
    assert data["expired_sources"] == []


def test_review_is_due_by_the_day_after_a_rule_ends(dated: Checklist) -> None:
    assert dated.review_due == date(2027, 1, 1)
    plain = load_checklist(MINI)
    assert plain.review_due == plain.last_reviewed.replace(year=plain.last_reviewed.year + 1)


def test_checklists_shows_when_the_review_is_due() -> None:
    result = CliRunner().invoke(app, ["checklists"])
    assert result.exit_code == 0
    assert "review due 20" in result.stdout


def test_the_builtin_checklist_warns_when_the_dea_telemedicine_rule_ends() -> None:
    """The DEA's temporary telemedicine rule runs through 2026-12-31 (90 FR 61301)."""
    from vetcheck.loader import check_answers, load_answers, load_checklist_ref

    checklist = load_checklist_ref("ketamine-provider")
    path = Path(__file__).parent.parent / "examples" / "risky-telehealth.vetcheck.yaml"
    answers, _ = check_answers(load_answers(path), checklist)
    report = score(checklist, answers)
    assert "Rules that may have changed" not in render_markdown(report, date(2026, 12, 31))
    after = render_markdown(report, date(2027, 1, 1))
    assert "## Rules that may have changed" in after and "90 FR 61301" in after


def test_a_retired_question_is_named_with_where_its_point_went(tmp_path: Path) -> None:
    """Issue 15: a 1.x answer to a question 2.0 retired is kept, not counted, and explained."""
    from conftest import FIXTURES

    from vetcheck.loader import check_answers, load_answers, load_checklist_ref

    path = FIXTURES / "answers-1.2.0" / "risky-telehealth.yaml"
    answers, warnings = check_answers(load_answers(path), load_checklist_ref("ketamine-provider"))
    (said,) = [w for w in warnings if "'ride_home'" in w]
    assert "no longer asked" in said and "discharge_criteria" in said and "kept" in said
    assert "ride_home" in answers.set_aside and "ride_home" not in answers.entries
    assert not any("unknown question id" in w for w in warnings)
    # An old "don't know" with no note beside an answer to its replacement says nothing.
    assert not any("old answer 'unknown'" in w for w in warnings)


def test_a_retired_id_must_not_still_be_asked(tmp_path: Path) -> None:
    from vetcheck.errors import InvalidInputError

    path = tmp_path / "c.yaml"
    path.write_text(MINI.read_text() + "retired:\n  licensed: Asked elsewhere now.\n")
    with pytest.raises(InvalidInputError) as refused:
        load_checklist(path)
    assert "retired: 'licensed' is still a question" in str(refused.value)
