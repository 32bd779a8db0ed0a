"""Issue 18: answers older than a set age, or resting on a rule that has ended, are due for a
re-check; the report says when and why, in every format, and the roster shows it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_answers, load_checklist_ref
from vetcheck.recheck import add_months, recheck
from vetcheck.scoring import score

runner = CliRunner()
EXAMPLE = Path(__file__).parent.parent / "examples" / "careful-clinic.vetcheck.yaml"
TODAY = date.today()


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31)), st.integers(0, 240))
def test_adding_months_keeps_the_day_or_takes_the_months_last(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


def _dated(tmp_path: Path, evaluated: str | None) -> Path:
    text = EXAMPLE.read_text()
    line = next(x for x in text.splitlines() if x.startswith("  evaluated:"))
    new = "  evaluated:" if evaluated is None else f"  evaluated: {evaluated}"
    path = tmp_path / "clinic.vetcheck.yaml"
    path.write_text(text.replace(line, new))
    return path


def test_answers_older_than_a_year_are_due_now_and_the_report_says_why(tmp_path: Path) -> None:
    gathered = add_months(TODAY, -13).isoformat()
    path = _dated(tmp_path, gathered)
    md = runner.invoke(app, ["report", str(path)]).stdout
    summary = md.split("## Red flags")[0]
    assert (
        f"**Re-check due:** now. These answers are from {gathered}, more than 12 months" in summary
    )
    data = json.loads(runner.invoke(app, ["report", str(path), "-f", "json"]).stdout)["recheck"]
    assert data["overdue"] and data["due"] == add_months(TODAY, -1).isoformat()
    html = runner.invoke(app, ["report", str(path), "-f", "html"]).stdout
    assert 'class="recheck"' in html and gathered in html
    referrer = runner.invoke(app, ["report", str(path), "--role", "referrer"]).stdout
    assert "Re-verify before referring" in referrer
    # a longer age, as the reader chose: not due yet, with the day it will be
    later = runner.invoke(app, ["report", str(path), "--recheck-after", "24", "-f", "json"])
    data = json.loads(later.stdout)["recheck"]
    assert not data["overdue"] and data["months"] == 24
    assert data["due"] <= add_months(TODAY, 11).isoformat()  # or sooner, when a rule ends


def test_fresh_answers_say_by_when(tmp_path: Path) -> None:
    checklist = load_checklist_ref(None)
    answers = load_answers(_dated(tmp_path, TODAY.isoformat()))
    no_rules = replace(
        checklist, sources=tuple(replace(s, valid_until=None) for s in checklist.sources)
    )
    due = recheck(score(no_rules, answers), TODAY)
    assert not due.overdue and due.due == add_months(TODAY, 12) == due.aged_on


def test_a_rule_that_ended_makes_the_answers_due_whatever_their_age(tmp_path: Path) -> None:
    checklist = load_checklist_ref(None)
    answers = load_answers(_dated(tmp_path, TODAY.isoformat()))
    ends = TODAY - timedelta(days=3)
    cited = checklist.questions[3].sources[0]
    sources = tuple(
        replace(s, valid_until=ends if s.id == cited else None) for s in checklist.sources
    )
    due = recheck(score(replace(checklist, sources=sources), answers), TODAY)
    assert due.overdue and due.due == ends + timedelta(days=1) and due.rule_ends == due.due


def test_answers_with_no_date_cannot_be_dated_and_the_report_says_so(tmp_path: Path) -> None:
    path = _dated(tmp_path, None)
    md = runner.invoke(app, ["report", str(path)]).stdout
    assert "**Re-check due:** not known. This answers file does not say when" in md


def test_a_date_after_today_is_named_not_trusted(tmp_path: Path) -> None:
    later = (TODAY + timedelta(days=40)).isoformat()
    md = runner.invoke(app, ["report", str(_dated(tmp_path, later))]).stdout
    assert f"**Re-check due:** not known. The answers file says they were gathered on {later}" in md


@pytest.mark.parametrize("months", ["0", "121", "x"])
def test_recheck_after_out_of_range_is_a_usage_error(months: str) -> None:
    result = runner.invoke(app, ["report", str(EXAMPLE), "--recheck-after", months])
    assert result.exit_code == 2
