"""`vetcheck lookup`: the official look-ups per state, which state a location names, and how
old each row is."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_lookups
from vetcheck.lookups import StateLookups
from vetcheck.render.lookups import (
    render_lookup_html,
    render_lookup_json,
    render_lookup_markdown,
)
from vetcheck.states import state_in

runner = CliRunner()
LOOKUPS = load_lookups()
STATES = LOOKUPS.states
CODES = {s.code for s in STATES}
FIFTY = {
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
}


def test_every_state_dc_and_puerto_rico_have_a_row() -> None:
    assert FIFTY | {"DC", "PR"} == CODES
    assert len(STATES) == 52
    assert {n.id for n in LOOKUPS.national} >= {
        "docinfo",
        "certificationmatters",
        "aoa",
        "spravato-rems",
        "nursys",
        "dea",
    }


def _urls(state: StateLookups) -> dict[str, str | None]:
    boards = {"medical_board": state.medical_board, "osteopathic_board": state.osteopathic_board}
    urls: dict[str, str | None] = {}
    for key, board in boards.items():
        if board is not None:
            urls[f"{key}.lookup"] = board.lookup
            urls[f"{key}.complaint"] = board.complaint
    urls["nursing_board.lookup"] = state.nursing_board.lookup
    urls["pdmp.url"] = state.pdmp.url
    return urls


@pytest.mark.parametrize("state", STATES, ids=[s.code for s in STATES])
def test_every_row_is_complete_or_says_what_is_unconfirmed(state: StateLookups) -> None:
    """A missing link or fact is listed as unconfirmed; every link is https and well formed."""
    for field, url in _urls(state).items():
        if url is None:
            assert field in state.unconfirmed, (
                f"{state.code} {field} is empty but not marked unconfirmed"
            )
        else:
            parts = urlsplit(url)
            assert parts.scheme == "https" and "." in parts.netloc and " " not in url, url
    if state.medical_board.discipline_online is None:
        assert "medical_board.discipline_online" in state.unconfirmed
    if state.nursing_board.nursys is None:
        assert "nursing_board.nursys" in state.unconfirmed
    for field in state.unconfirmed:
        head = field.split(".")[0]
        assert head in {"medical_board", "osteopathic_board", "nursing_board", "pdmp"}, field


@pytest.mark.parametrize("state", STATES, ids=[s.code for s in STATES])
def test_every_state_card_renders_in_every_format(state: StateLookups) -> None:
    today = state.verified_on
    markdown = render_lookup_markdown(LOOKUPS, state, today)
    assert markdown.startswith(f"# Check it yourself: official look-ups for {state.name}")
    assert "with few exceptions, be from the state where you are during the visit" in markdown
    data = json.loads(render_lookup_json(LOOKUPS, state, today))
    assert data["state"]["code"] == state.code and data["stale"] is False
    assert state.medical_board.name.split("(")[0].strip()[:20] in render_lookup_html(
        LOOKUPS, state, today
    )


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("Culver City, CA", "CA"),
        ("Austin, Texas", "TX"),
        ("PR", "PR"),
        ("San Juan, Puerto Rico", "PR"),
        ("Washington, DC", "DC"),
        ("Washington, D.C. 20001", "DC"),
        ("Seattle, Washington", "WA"),
        ("Portland, OR 97201", "OR"),
        ("new york", "NY"),
        ("Kansas City, MO", "MO"),
        ("Boise, id", "ID"),
        ("Miami, FL, USA", "FL"),
        # Without a comma, abbreviated as newspapers do, or named as people say it.
        ("Fort Worth TX", "TX"),
        ("Miami FL 33101", "FL"),
        ("Santa Fe New Mexico", "NM"),
        ("Charleston West Virginia", "WV"),
        ("Calif.", "CA"),
        ("Miami, Fla.", "FL"),
        ("N.Y.", "NY"),
        ("Mobile Ala.", "AL"),
        ("New York City", "NY"),
        ("Washington State", "WA"),
        ("New Orleans, LA", "LA"),
    ],
)
def test_a_location_names_its_state(location: str, code: str) -> None:
    assert state_in(location) == code


@pytest.mark.parametrize(
    "location",
    [
        "",
        "Portland",
        "Washington",
        "LA",  # Los Angeles as often as Louisiana
        "Portland or",  # lower case "or": a word, not Oregon
        "Kansas City",
        "Virginia Beach",
        "Springfield",
        "Ontario, Canada",
        "Mars",
        "Online",
    ],
)
def test_an_unknown_or_ambiguous_location_names_no_state(location: str) -> None:
    assert state_in(location) is None


@pytest.mark.parametrize(("text", "code"), [("Washington", "WA"), ("LA", "LA"), ("texas", "TX")])
def test_an_answer_to_which_state_is_a_state(text: str, code: str) -> None:
    """Asked for a state (--state, the interview, patient_state), "Washington" is the state."""
    assert state_in(text, asked_for_a_state=True) == code


@settings(max_examples=100, deadline=None)
@given(
    state=st.sampled_from(STATES),
    city=st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ."), min_size=1, max_size=20
    ).filter(lambda c: c.strip(" .")),
    form=st.sampled_from(["code", "name", "lower", "upper"]),
    zip_code=st.booleans(),
)
def test_any_city_with_a_state_spelled_any_way_names_that_state(
    state: StateLookups, city: str, form: str, zip_code: bool
) -> None:
    written = {
        "code": state.code,
        "name": state.name,
        "lower": state.name.lower(),
        "upper": state.name.upper(),
    }[form]
    location = f"{city.strip(' .').title()}, {written}" + (" 90210" if zip_code else "")
    assert state_in(location) == state.code, location


def test_a_row_checked_more_than_a_year_ago_says_when() -> None:
    """With a frozen clock: 366 days after a row was checked, every format says so."""
    state = LOOKUPS.state("TX")
    assert state is not None
    fresh, old = state.verified_on + timedelta(days=365), state.verified_on + timedelta(days=366)
    assert "more than a year ago" not in render_lookup_markdown(LOOKUPS, state, fresh)
    assert "more than a year ago" in render_lookup_markdown(LOOKUPS, state, old)
    assert "more than a year ago" in render_lookup_html(LOOKUPS, state, old)
    assert json.loads(render_lookup_json(LOOKUPS, state, old))["stale"] is True


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["Culver City, CA"], "official look-ups for California"),
        (["Austin, Texas", "-f", "json"], '"code": "TX"'),
        (["PR", "-f", "html"], "Puerto Rico"),
        ([], "No state chosen"),
    ],
)
def test_the_lookup_command(args: list[str], expect: str) -> None:
    result = runner.invoke(app, ["lookup", *args])
    assert result.exit_code == 0, result.output
    assert expect in result.stdout


def test_an_unknown_state_is_a_usage_error() -> None:
    result = runner.invoke(app, ["lookup", "Portland"])
    assert result.exit_code == 2
    assert "names no US state" in result.stderr


def test_the_maintainers_link_check_lists_every_link_without_using_the_network() -> None:
    """docs/check_links.py (opt-in, needs a network) finds every link; here nothing is fetched."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent.parent / "docs" / "check_links.py"
    spec = importlib.util.spec_from_file_location("check_links", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = module.links(list(STATES), national=True)
    assert len(found) > 100 and all(url.startswith("https://") for _, url in found)


@pytest.mark.parametrize("code", ["CA", "TX", "PR", None])
def test_cards_are_lint_clean_markdown(code: str | None) -> None:
    from test_render_markdown import lint

    state = None if code is None else LOOKUPS.state(code)
    assert lint(render_lookup_markdown(LOOKUPS, state, STATES[0].verified_on)) == []


def test_a_state_card_says_a_compact_nurse_is_found_in_nursys() -> None:
    """A visiting nurse on another compact state's multistate license is not in the state
    board's search; the card says where to look instead (without claiming which states belong)."""
    card = runner.invoke(app, ["lookup", "TX"]).stdout
    assert "Nurse Licensure Compact" in card and "Nursys QuickConfirm shows it" in card
