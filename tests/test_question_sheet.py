"""Issue 18: the question sheet prints for real: `--format html` with a tick box and room to
write for every question, and a `--critical-only` card with exactly the critical questions."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_checklist_ref
from vetcheck.model import Role
from vetcheck.render.sheet import Sheet

runner = CliRunner()
BUILTIN = load_checklist_ref(None)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"☐ Q(\d+)\.", text)]


@pytest.mark.parametrize("route", [None, "clinic_iv", "at_home", "esketamine"])
def test_the_card_lists_exactly_the_critical_questions_that_apply(route: str | None) -> None:
    full = Sheet(BUILTIN, Role.PATIENT, route)
    card = Sheet(BUILTIN, Role.PATIENT, route, critical_only=True)
    everything = [i.question for _, _, items in full.sections for i in items]
    assert [i.question for _, _, items in card.sections for i in items] == [
        q for q in everything if q.critical
    ]
    args = ["questions", "--critical-only", *(["--route", route] if route else [])]
    md = runner.invoke(app, args).stdout
    assert _numbers(md) == [BUILTIN.number(q.id) for q in everything if q.critical]
    assert "A good answer:" not in md and "Where to look" not in md


def test_the_html_sheet_has_a_box_and_room_to_write_for_every_question() -> None:
    page = runner.invoke(app, ["questions", "-f", "html", "--route", "clinic_iv"]).stdout
    md = runner.invoke(app, ["questions", "--route", "clinic_iv"]).stdout
    count = len(_numbers(md))
    assert count > 20
    options = sum(len(q.options) for q in BUILTIN.questions if q.id == "reason")
    assert page.count('<span class="box"') == count + options  # the route is given: not asked
    assert page.count('class="write"') == count
    assert page.count("<li value=") == count and "<script" not in page


def test_the_full_sheet_asks_the_choice_questions_with_their_options_to_tick() -> None:
    md = runner.invoke(app, ["questions"]).stdout
    assert _numbers(md)[:2] == [1, 2]
    route = BUILTIN.route
    assert route is not None and all(f"☐ {o.label.patient}" in md for o in route.options)
    given = runner.invoke(app, ["questions", "--route", "clinic_iv"]).stdout
    assert 1 not in _numbers(given) and 2 in _numbers(given)  # the route is on the sheet's top


@pytest.mark.parametrize("args", [["-f", "pdf"], ["--format", "json"]])
def test_a_format_the_sheet_does_not_have_is_a_usage_error(args: list[str]) -> None:
    result = runner.invoke(app, ["questions", *args])
    assert result.exit_code == 2 and "--format must be one of md, html" in result.stderr
