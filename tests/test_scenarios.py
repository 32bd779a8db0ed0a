"""Answers files for the situations issue 13 starts from, written as patients fill them in
(only what they know; the rest left out), each checked end to end through `vetcheck report`:
grade, verdict wording, red flags, must-ask order, score and what the first screen says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetcheck.cli import app

SCENARIOS = Path(__file__).parent / "scenarios"
runner = CliRunner()


def report(name: str, fmt: str = "json") -> str:
    result = runner.invoke(app, ["report", str(SCENARIOS / f"{name}.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def data(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads(report(name))  # type: ignore[no-any-return]


def first_screen(name: str, lines: int = 25) -> str:
    return "\n".join(report(name, "md").splitlines()[:lines])


def test_an_unknown_route_hides_no_monitoring_failure() -> None:
    """Route unknown, no vital signs, no emergency staff or kit: F with three red flags, and the
    route is the first thing to ask, not an A with 'every question answered'."""
    d = data("unknown-route-no-monitoring")
    assert d["grade"]["letter"] == "F" and d["grade"]["capped_by"] == "red_flag"
    assert d["red_flags"] == ["vital_signs", "emergency_trained_present", "emergency_equipment"]
    assert d["must_ask"][0] == "setting"
    screen = first_screen("unknown-route-no-monitoring")
    assert "do not book" in screen.lower()
    assert "Staff do not check all of these on you" in report("unknown-route-no-monitoring", "md")


def test_partly_on_critical_items_caps_the_grade_and_is_never_strong() -> None:
    d = data("partly-on-critical")
    assert d["grade"]["letter"] == "B" and d["grade"]["capped_by"] == "must_ask"
    assert d["must_ask"] == ["full_evaluation", "vital_signs"]
    assert round(d["score"]) == 97 and d["red_flags"] == []
    assert "Strong answers" not in report("partly-on-critical", "md")


def test_known_gaps_are_stated_under_the_grade() -> None:
    """No follow-up, therapy, tracking or honest maintenance: a good letter, but the summary
    says so at once and the gaps, as findings, are on the first screen."""
    d = data("known-gaps")
    assert d["red_flags"] == [] and d["counts"]["known_gaps"] == 4
    assert d["known_gaps"][0] == "follow_up"
    screen = first_screen("known-gaps", 40)
    assert "It falls short on 4 points that are not red flags" in screen.splitlines()[6]
    assert "You have no follow-up visits" in screen
    assert "They do not offer talk therapy" in screen


def test_one_answer_gives_no_number_and_no_letter() -> None:
    d = data("one-answer")
    assert d["score"] is None and d["grade"]["letter"] is None
    assert d["answers_needed"] > 10 and "needed for a score" in d["score_reason"]
    assert d["must_ask"][:2] == ["setting", "reason"]
    assert "50" not in first_screen("one-answer", 12)
    assert all(s["score"] is None for s in d["sections"])  # nor a section score from one answer


def test_a_false_claim_is_a_finding_not_a_double_negative() -> None:
    d = data("no-risks-claim")
    assert d["red_flags"] == ["claims_no_risks"] and d["grade"]["letter"] == "F"
    md = report("no-risks-claim", "md")
    assert "The clinic says ketamine has" in md and "Does the clinic avoid" not in md


@pytest.mark.parametrize(
    ("name", "flag", "also_applies"),
    [
        (
            "hybrid-no-sitter",
            "home_sitter",
            {"vital_signs", "emergency_plan", "home_emergency_plan"},
        ),
        ("home-visit-no-vitals", "vital_signs", {"emergency_equipment", "discharge_criteria"}),
    ],
)
def test_routes_as_sold_keep_every_safety_question(
    name: str, flag: str, also_applies: set[str]
) -> None:
    d = data(name)
    assert d["red_flags"] == [flag] and d["grade"]["letter"] == "F"
    shown = {q["id"] for q in d["questions"] if q["shown"]}
    assert also_applies <= shown


def test_the_question_sheet_says_where_yes_is_the_bad_answer() -> None:
    result = CliRunner().invoke(app, ["questions"])
    sheet = result.stdout
    assert "a no to any of them is a red flag" not in sheet
    line = next(x for x in sheet.splitlines() if "free of risk" in x)
    assert "**critical**" in line and "here, yes is the bad answer" in line
