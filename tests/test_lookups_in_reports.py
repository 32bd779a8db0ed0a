"""Issue 17: every "how to check" that names a board names the right one for the state that
counts, in the report (markdown, JSON, HTML), the question sheet and the interview's `?` help;
the state comes from --state, where the patient is during visits, or the clinic's location."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pexpect
import pytest
from conftest import spawn, start
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_checklist_ref, load_lookups, load_places, with_lookups
from vetcheck.lookups import index
from vetcheck.model import AnswerEntry, Answers, LookUp, Role, Subject
from vetcheck.places import Places, needs_lookups, remote_route, where
from vetcheck.render.markdown import render_markdown
from vetcheck.scoring import score
from vetcheck.states import STATES

runner = CliRunner()
LOOKUPS = load_lookups()
PLACES = load_places()
BUILTIN = load_checklist_ref(None)
FORMATS = ("md", "json", "html")


def answers_file(
    folder: Path, location: str | None, route: str = "clinic_iv", patient_state: str | None = None
) -> Path:
    """An answers file whose license question is a red flag and whose board certification is
    open: one look-up line in the red flags, one in the questions to ask."""
    lines = [
        "vetcheck: 1",
        "checklist: {id: ketamine-provider}",
        "subject:",
        "  name: Test Clinic",
        *([f'  location: "{location}"'] if location is not None else []),
        *([f'  patient_state: "{patient_state}"'] if patient_state is not None else []),
        "role: patient",
        "answers:",
        f"  setting: [{route}]",
        "  licence_verified: no",
    ]
    path = folder / "a.vetcheck.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report(path: Path, fmt: str, *extra: str) -> str:
    """The report's look-up lines and its state line (the sources may name boards too)."""
    result = runner.invoke(app, ["report", str(path), "-f", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    if fmt == "json":  # the look-up fields only, as JSON
        data = json.loads(result.stdout)
        lines = [q.pop("look_up") for q in data["questions"] if "look_up" in q]
        data["questions"] = [q for q in data["questions"] if q["id"] == "licence_verified"]
        data["questions"][0]["look_up"] = lines[0]
        return json.dumps({k: data[k] for k in ("look_ups", "questions")})
    keep = ("Where to look", "State for look-ups")
    return "\n".join(line for line in result.stdout.splitlines() if any(k in line for k in keep))


BOARDS = {
    "CA": "Medical Board of California",
    "TX": "Texas Medical Board",
    "PR": "Junta de Licenciamiento",
}


@pytest.mark.parametrize(
    ("location", "code"),
    [("Culver City, CA", "CA"), ("Austin, Texas", "TX"), ("PR", "PR"), (None, None)],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_names_the_boards_of_the_clinics_state(
    tmp_path: Path, location: str | None, code: str | None, fmt: str
) -> None:
    """The issue's four cases, in each format: the state's boards, or national look-ups only."""
    text = report(answers_file(tmp_path, location), fmt)
    others = [board for c, board in BOARDS.items() if c != code]
    assert not any(board in text for board in others), text
    assert "DocInfo" in text  # national look-ups are named in every case
    if fmt == "json":
        data = json.loads(text)
        assert data["look_ups"]["state"] == code
        flag = next(q for q in data["questions"] if q["id"] == "licence_verified")
        names = [p["name"] for p in flag["look_up"]["places"]]
        if code is None:
            assert all(n.startswith(("DocInfo", "Nursys")) for n in names), names
        if code is not None:
            assert names[0].startswith(BOARDS[code])
            assert flag["look_up"]["heading"] == f"Where to look in {STATES[code]}:"
        return
    if code is None:
        assert "only national look-ups are named" in text and "--state" in text
    else:
        assert BOARDS[code] in text
        assert f"Where to look in {STATES[code]}:" in text


def test_state_overrides_the_location_and_a_bad_one_is_a_usage_error(tmp_path: Path) -> None:
    path = answers_file(tmp_path, "Culver City, CA")
    text = report(path, "md", "--state", "texas")
    assert "Texas Medical Board" in text and "Medical Board of California" not in text
    assert "as chosen with --state" in text
    bad = runner.invoke(app, ["report", str(path), "--state", "Narnia"])
    assert bad.exit_code == 2 and "--state 'Narnia' names no US state" in bad.stderr


def test_a_telehealth_program_counts_where_the_patient_is(tmp_path: Path) -> None:
    """At home after a video visit: the patient's state, not the clinic's, and the reminder
    that the license must be from where the patient is during the visit."""
    path = answers_file(tmp_path, "Culver City, CA", route="at_home", patient_state="TX")
    text = report(path, "md")
    assert "Texas Medical Board" in text and "Medical Board of California" not in text
    assert "where you are during visits: TX" in text
    assert "The clinic itself is in California: for doses given there" in text
    assert (
        "the prescriber's license must, with few exceptions, be from the state where you are"
        in text
    )
    # In a clinic, the clinic's state counts, and there is no telehealth reminder.
    text = report(answers_file(tmp_path, "Culver City, CA", patient_state="TX"), "md")
    assert "Medical Board of California" in text and "Texas Medical Board" not in text
    assert "during the visit." not in text


def test_the_state_that_counts() -> None:
    """--state first; for a remote program where the patient is, else the location."""
    assert where(PLACES, "Austin, TX", "OH", False, "CA").basis == "option"
    remote = where(PLACES, "Austin, TX", "Ohio", True)
    assert (remote.code, remote.basis) == ("OH", "patient_state")
    local = where(PLACES, "Austin, TX", "Ohio", False)
    assert (local.code, local.basis) == ("TX", "location")
    fallback = where(PLACES, "Online", "Ohio", False)
    assert (fallback.code, fallback.basis) == ("OH", "patient_state")
    none = where(PLACES, "Online", None, True)
    assert (none.code, none.basis, none.given) == (None, "none", "Online")


def test_which_routes_are_remote() -> None:
    def remote(value: str | tuple[str, ...]) -> bool:
        return remote_route(BUILTIN, {"setting": AnswerEntry(value)})

    assert remote(("at_home",)) and remote(("clinic_iv", "home_visit"))
    assert not remote(("clinic_iv",)) and not remote("unknown")
    assert not remote_route(BUILTIN, {})


def test_a_state_with_a_separate_osteopathic_board_names_both_then_the_national_ones() -> None:
    """California: MD and DO boards both named, then nursing; the national sites after them."""
    ca = where(PLACES, "CA", None, False)
    names = [p.name for p in ca.places([LookUp.LICENSE])]
    assert names[:3] == [
        "Medical Board of California",
        "Osteopathic Medical Board of California",
        "California Board of Registered Nursing",
    ]
    ca_places = ca.places([LookUp.LICENSE])
    assert [p.national for p in ca_places] == sorted(p.national for p in ca_places)
    tx = where(PLACES, "TX", None, False)
    assert any("Nursys" in p.name for p in tx.places([LookUp.LICENSE]))


def test_stale_look_ups_say_when_they_were_checked_in_the_report(tmp_path: Path) -> None:
    """With a frozen clock a year and a day after the row was checked."""
    path = answers_file(tmp_path, "Austin, TX")
    answers_, _ = _loaded(path)
    result = with_lookups(score(BUILTIN, answers_))
    assert result.where is not None and result.where.code == "TX"
    checked = result.where.verified_on
    assert "more than a year ago" not in render_markdown(result, checked + timedelta(days=365))
    late = render_markdown(result, checked + timedelta(days=366))
    assert f"last checked on {checked.isoformat()}, more than a year ago" in late


def _loaded(path: Path) -> tuple[Answers, object]:
    from vetcheck.loader import check_answers, load_answers

    return check_answers(load_answers(path), BUILTIN)


def test_a_checklist_without_look_ups_never_reads_them(mini: object) -> None:
    from vetcheck.model import Checklist

    assert isinstance(mini, Checklist) and not needs_lookups(mini)
    answers_ = Answers.new(mini, Subject("X", "Austin, TX"), Role.PATIENT, {})
    assert with_lookups(score(mini, answers_)).where is None


def test_every_how_to_check_that_names_a_board_names_its_look_ups() -> None:
    """A question whose how-to-check or red-flag text sends the reader to a board, DocInfo,
    certification or the REMS finder says which look-up it means (so reports can name it)."""
    board = re.compile(
        r"state (medical )?board(?! of pharmacy)|docinfo|certificationmatters|REMS(?! req)|DEA",
        re.I,
    )
    for q, role in itertools.product(BUILTIN.questions, Role):
        text = f"{q.verify[role]} {q.red_flag[role] if q.red_flag else ''}"
        if board.search(text):
            assert q.look_up, (q.id, role)


@pytest.mark.parametrize(
    ("args", "expect", "absent"),
    [
        (["--state", "CA"], "Where to look in California:", "Texas Medical Board"),
        (
            ["--state", "Austin, TX", "--route", "at_home"],
            "where you are during the visit",
            "Medical Board of California",
        ),
        ([], "Where to look: DocInfo", "Medical Board of"),
    ],
)
def test_the_question_sheet_names_the_look_ups(args: list[str], expect: str, absent: str) -> None:
    result = runner.invoke(app, ["questions", *args])
    assert result.exit_code == 0, result.stderr
    assert expect in result.stdout and absent not in result.stdout


def test_a_referrer_report_speaks_of_the_patient(tmp_path: Path) -> None:
    path = answers_file(tmp_path, "Austin, TX", route="at_home")
    text = path.read_text().replace("role: patient", "role: referrer")
    path.write_text(text)
    out = report(path, "md")
    assert "licensed in the state where the patient is located during the visit" in out


def test_the_interview_asks_where_the_patient_is_and_help_names_that_states_board(
    tmp_path: Path,
) -> None:
    """At home after a video visit: the interview asks the state (a wrong one is asked again),
    saves it as patient_state, and `?` at the license question names that state's board."""
    child = spawn(tmp_path)
    start(child, location="Online")
    child.expect("Your answer:")
    child.sendline("5")  # at home, taken by yourself after a telehealth visit
    child.expect("licensed in the state where you are during the visits")
    child.expect(r"Which state will you be in during visits\?")
    child.sendline("Narnia")
    child.expect("not a US state")
    child.expect(r"Which state will you be in during visits\?")
    child.sendline("Austin, Texas")
    child.expect("Noted: Texas")
    for _ in range(10):  # skip on to the license question
        child.expect("Your answer:")
        if "valid license" in child.before:
            break
        child.sendline("s")
    else:
        raise AssertionError("the license question was not asked")
    child.sendline("?")
    child.expect("Where to look in Texas:")
    child.expect("Texas Medical Board")
    child.expect("exceptions")  # "…must, with few exceptions, be from the state where you are"
    child.expect("Your answer:")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    saved = (tmp_path / "harbor-clinic.vetcheck.yaml").read_text()
    assert 'patient_state: "TX"' in saved


def test_look_up_lines_carry_no_markup_from_the_data(tmp_path: Path) -> None:
    """Board names are data: escaped like any text in markdown and HTML."""
    from vetcheck.lookups import Board

    tx = LOOKUPS.state("TX")
    assert tx is not None
    hostile = replace(tx, medical_board=Board("Board <b>*x*</b> [y](z)", tx.medical_board.lookup))
    places = Places(index(replace(LOOKUPS, states=(hostile,))))
    path = answers_file(tmp_path, "Austin, TX")
    answers_, _ = _loaded(path)
    result = replace(score(BUILTIN, answers_), where=where(places, "TX", None, False))
    md = render_markdown(result, hostile.verified_on)
    assert r"Board <b>\*x\*</b> \[y\](z)" not in md and r"Board \<b\>\*x\*\</b\> \[y\](z)" in md
    from vetcheck.render.html import render_html

    assert "Board &lt;b&gt;*x*&lt;/b&gt;" in render_html(result, hostile.verified_on)


def test_the_data_copy_holds_what_the_yaml_gives_and_a_stale_one_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports read the look-ups' data copy: it equals the index computed from the checked
    YAML, and an edited YAML (its key no longer matches) is read instead of the copy."""
    from vetcheck import loader

    fresh = index(LOOKUPS)
    assert load_places().states == fresh["states"]
    assert load_places().national == fresh["national"]
    folder = tmp_path / "lookups"
    folder.mkdir()
    yaml_path = folder / "us-states.yaml"
    yaml_path.write_text(loader._lookups_path().read_text())
    loader.data_copy_path(yaml_path).write_text(loader.data_copy(yaml_path))
    monkeypatch.setattr(loader, "_lookups_path", lambda: yaml_path)
    assert load_places({"TX"}).states.keys() == {"TX"}
    yaml_path.write_text(yaml_path.read_text().replace("Texas Medical Board", "Texas Board X"))
    tx = where(load_places(), "TX", None, False)
    assert tx.places([LookUp.LICENSE])[0].name == "Texas Board X"


def test_a_lookups_row_must_be_a_real_state_under_its_own_name(tmp_path: Path) -> None:
    from vetcheck import loader
    from vetcheck.errors import InvalidInputError

    path = tmp_path / "us-states.yaml"
    path.write_text(loader._lookups_path().read_text().replace("name: Texas\n", "name: Texax\n"))
    with pytest.raises(InvalidInputError, match=r"state 'TX' 'Texax': not a US state"):
        loader.read_lookups(path)


def test_an_unreadable_patient_state_is_a_warning_not_a_silence(tmp_path: Path) -> None:
    path = answers_file(tmp_path, "Culver City, CA", route="at_home", patient_state="Narnia")
    for command in (["report", str(path)], ["validate", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0
        assert "patient_state 'Narnia' names no US state" in result.stderr


def test_a_board_without_a_confirmed_page_says_to_search_for_it(tmp_path: Path) -> None:
    """Wisconsin's boards have no confirmed look-up page: the line says so, in every format."""
    path = answers_file(tmp_path, "Madison, WI")
    for fmt in ("md", "html"):
        text = report(path, fmt)
        assert "Wisconsin Medical Examining Board" in text
        assert "no link confirmed yet: search for its name" in text
    data = json.loads(report(path, "json"))
    first = data["questions"][0]["look_up"]["places"][0]
    assert first["url"] is None and first["national"] is False


def test_national_look_ups_are_not_listed_as_the_states_own(tmp_path: Path) -> None:
    text = report(answers_file(tmp_path, "Austin, TX"), "md")
    line = next(x for x in text.splitlines() if "Texas Medical Board" in x)
    state_part, national_part = line.split("Nationally:")
    assert "DocInfo" not in state_part and "DocInfo" in national_part


def test_the_question_sheet_says_which_state_it_names() -> None:
    named = runner.invoke(app, ["questions", "--state", "TX"]).stdout
    assert "State for look-ups: Texas (as chosen with --state)" in named
    national = runner.invoke(app, ["questions"]).stdout
    assert "only national look-ups are named" in national and "--state TX" in national


def test_no_patient_text_names_one_states_program_for_every_state() -> None:
    """The state's own programs and boards come from the look-ups, for the state that counts;
    a question's own text, in either wording, names none (CURES is California's)."""
    for q, role in itertools.product(BUILTIN.questions, Role):
        for wording in (q.text, q.why, q.good_answer, q.verify, q.red_flag):
            text = wording[role] if wording else ""
            assert "CURES" not in text and "California" not in text, (q.id, role)


def test_the_interview_asks_the_state_again_after_an_interruption_there(tmp_path: Path) -> None:
    """Ctrl-C at the state's question: the route is saved, and resuming asks the state first;
    ? explains it, and re-answering the route offers to keep the state given."""
    child = spawn(tmp_path)
    start(child, location="Online")
    child.expect("Your answer:")
    child.sendline("5")
    child.expect(r"Which state will you be in during visits\?")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    saved = tmp_path / "harbor-clinic.vetcheck.yaml"
    child = spawn(tmp_path, "--answers", str(saved))
    child.expect(r"Which state will you be in during visits\?")
    child.sendline("?")
    child.expect("name that state's medical and nursing boards")
    child.expect(r"Which state will you be in during visits\?")
    child.sendline("Washington")  # asked for a state: the state, not the city
    child.expect("Noted: Washington")
    child.expect("Your answer:")
    child.sendline("b")  # back to the route
    child.expect("Your answer:")
    child.sendline("5")  # the route again: the state given is offered to keep
    child.expect(r"Enter to keep Washington")
    child.sendline("")
    child.expect("Your answer:")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert 'patient_state: "WA"' in saved.read_text()


def test_the_lookup_card_keeps_spaces_and_links_in_its_notes() -> None:
    card = runner.invoke(app, ["lookup", "CA"]).stdout
    assert "Document Search at <https://www.mbc.ca.gov/Enforcement/" in card
    html = runner.invoke(app, ["lookup", "CA", "-f", "html"]).stdout
    assert 'Search at <a href="https://www.mbc.ca.gov/Enforcement/' in html
    national = runner.invoke(app, ["lookup"]).stdout
    assert "\\`" not in national and national.startswith("# Check it yourself: the national")
