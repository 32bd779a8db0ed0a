"""The verdict on the built-in checklist in the situations patients are really in."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import good_answer, make_answers

from vetcheck.loader import load_checklist
from vetcheck.model import Checklist, Kind
from vetcheck.resources import builtin_dir
from vetcheck.scoring import score


@pytest.fixture(scope="module")
def builtin() -> Checklist:
    return load_checklist(builtin_dir() / "ketamine-provider.yaml")


def _all_good(checklist: Checklist) -> dict[str, str]:
    return {q.id: good_answer(q) for q in checklist.questions if q.kind is Kind.YES_NO}


@pytest.mark.parametrize("unknown", ["setting", "reason"])
def test_an_unknown_route_or_reason_hides_no_safety_question(
    builtin: Checklist, unknown: str
) -> None:
    """Route (or reason) unknown, no monitoring and no emergency readiness: red flags, not an A."""
    bad = ("vital_signs", "emergency_trained_present", "emergency_equipment")
    values = {**_all_good(builtin), "setting": "clinic_iv", "reason": "mood", unknown: "unknown"}
    values.update(dict.fromkeys(bad, "no"))
    report = score(builtin, make_answers(builtin, values))
    assert {r.question.id for r in report.red_flags} >= set(bad)
    assert report.grade.letter == builtin.scoring.red_flag_cap
    assert report.must_ask[0].question.id == unknown
    hidden = [r.question for r in report.results if not r.shown]
    assert all(q.show_if and q.show_if.question != unknown for q in hidden)  # the known one's


def test_every_question_is_asked_while_the_route_is_unknown(builtin: Checklist) -> None:
    """No question is hidden by an unknown route; a known route hides only what it rules out."""
    unknown = score(builtin, make_answers(builtin, {"setting": "unknown"}))
    assert all(r.shown for r in unknown.results)
    iv = score(builtin, make_answers(builtin, {"setting": "clinic_iv"}))
    assert 0 < sum(not r.shown for r in iv.results) < len(iv.results) // 2


def test_known_gaps_are_on_the_first_screen(builtin: Checklist) -> None:
    """Solid medical care, but no therapy, follow-up or progress tracking: those come right
    after the summary and red flags, each with what good care looks like, not screens down."""
    from datetime import date

    from vetcheck.render.markdown import render_markdown

    gaps = ("therapy_integration", "follow_up", "progress_tracking")
    values = {**_all_good(builtin), "setting": "clinic_iv", "reason": "mood"}
    values.update(dict.fromkeys(gaps, "no"))
    report = score(builtin, make_answers(builtin, values))
    assert not report.red_flags and set(gaps) <= {r.question.id for r in report.known_gaps}
    text = render_markdown(report, date(2026, 11, 30))
    first_screen = text[: text.index("## Questions to ask next")]
    assert "## Known gaps" in first_screen
    for qid in gaps:
        question = builtin.question_by_id[qid]
        assert question.good_answer.patient.split()[0] in first_screen


def test_sections_without_a_score_say_why(builtin: Checklist) -> None:
    """A choice-only section is 'not scored', a ruled-out one 'does not apply', never 'no answers'."""
    from datetime import date

    from vetcheck.render.markdown import render_markdown
    from vetcheck.render.words import section_score

    values = {**_all_good(builtin), "setting": "clinic_iv", "reason": "mood"}
    report = score(builtin, make_answers(builtin, values))
    by_id = {s.section.id: s for s in report.sections}
    assert section_score(by_id["treatment"]) == "not scored"
    assert section_score(by_id["home"]) == "does not apply"
    assert all(section_score(s) != "no answers yet" for s in report.sections)
    assert "no answers" not in render_markdown(report, date(2026, 11, 30)).lower()


def test_interview_result_screen_tells_the_same_truth(builtin: Checklist, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The interview's last screen: known gaps, and no '— / 100' when there is no score."""
    import io

    from rich.console import Console

    from vetcheck.console import ConsoleUI

    def screen(values: dict[str, str]) -> str:
        out = io.StringIO()
        ui = ConsoleUI(plain_mode=True, console=Console(file=out, width=100, color_system=None))
        ui.show_result(score(builtin, make_answers(builtin, values)), tmp_path / "r.md")
        return out.getvalue()

    values = {**_all_good(builtin), "setting": "clinic_iv", "reason": "mood", "follow_up": "no"}
    text = screen(values)
    finding = builtin.question_by_id["follow_up"].finding
    assert finding is not None  # the gap is told as the fact found, in the reader's words
    assert "Known gaps (1)" in text and finding.patient in " ".join(text.split())
    sparse = screen({"licence_verified": "yes"})
    assert "— / 100" not in sparse and "none yet" in sparse


def test_too_few_answers_says_how_many_and_what_to_answer_first(builtin: Checklist) -> None:
    """No score yet: a short headline, how many more answers, and the route question first."""
    from vetcheck.render.common import grade_headline
    from vetcheck.render.words import score_text

    report = score(builtin, make_answers(builtin, {"licence_verified": "yes"}))
    assert report.score is None and report.answers_needed > 0
    assert grade_headline(report) == "Incomplete (2% answered, 70% needed)"
    text = score_text(report)
    assert f"at least {report.answers_needed} more answers" in text
    assert builtin.question_by_id["setting"].text.patient in text


# --- Findings, not double negatives; questions asked the other way round (issue 13) ----------

_CLAIMS = """\
  - id: promises_cure
    section: care
    text:
      patient: Does the clinic promise a cure?
    why: Nobody can promise a cure.
    good_answer: No. They talk about chances, not promises.
    verify: Read their website.
    weight: 3
    critical: true
    red_flag: Look for another provider.
    polarity: yes_is_bad
    finding:
      patient: The clinic promises a cure.
    replaces: {question: avoids_cure_claims, flip: true}
    sources: [src-a]
"""


@pytest.fixture(scope="module")
def claims(tmp_path_factory: pytest.TempPathFactory) -> Checklist:
    from conftest import MINI

    path = tmp_path_factory.mktemp("claims") / "claims.yaml"
    path.write_text(
        MINI.read_text().replace("  - id: calm_room\n", _CLAIMS + "  - id: calm_room\n")
    )
    return load_checklist(path)


@pytest.mark.parametrize(
    ("answer", "credit", "red_flag"),
    [("yes", 0.0, True), ("partly", 0.5, False), ("no", 1.0, False), ("unknown", None, False)],
)
def test_a_question_asked_the_other_way_round_scores_yes_as_the_bad_answer(
    claims: Checklist, answer: str, credit: float | None, red_flag: bool
) -> None:
    """With polarity yes_is_bad, yes earns nothing and a critical yes is the red flag."""
    question = claims.question_by_id["promises_cure"]
    assert question.credit(answer) == credit
    report = score(claims, make_answers(claims, {"promises_cure": answer}))
    assert [r.question.id for r in report.red_flags] == (["promises_cure"] if red_flag else [])
    if answer == "no":
        [care] = [s for s in report.sections if s.section.id == "care"]
        assert care.earned == care.answered_weight == 3 and not report.known_gaps


def test_a_red_flag_reads_as_what_was_found(claims: Checklist) -> None:
    """The finding leads; the question and the answer it comes from follow, in every format."""
    import json
    from datetime import date

    from vetcheck.render.html import render_html
    from vetcheck.render.json import render_json
    from vetcheck.render.markdown import render_markdown

    report = score(claims, make_answers(claims, {"promises_cure": "yes"}))
    md = render_markdown(report, date(2026, 12, 1))
    assert (
        "1. **The clinic promises a cure.**\n"
        "   - We asked: Does the clinic promise a cure? Answer: Yes.\n"
        "   - Why it matters: Nobody can promise a cure."
    ) in md
    assert "Does the clinic avoid" not in md
    page = render_html(report, date(2026, 12, 1))
    assert "<strong>The clinic promises a cure.</strong>" in page
    data = json.loads(render_json(report, date(2026, 12, 1)))
    [record] = [q for q in data["questions"] if q["id"] == "promises_cure"]
    assert record["finding"] == "The clinic promises a cure."
    assert record["polarity"] == "yes_is_bad" and record["status"] == "red_flag"


def test_a_good_or_partly_answer_is_never_stated_as_a_finding(claims: Checklist) -> None:
    from datetime import date

    from vetcheck.render.markdown import render_markdown

    for answer in ("no", "partly", "unknown"):
        report = score(claims, make_answers(claims, {"promises_cure": answer}))
        assert "The clinic promises a cure." not in render_markdown(report, date(2026, 12, 1))


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("yes", "no", "the other way round: the answer 'yes' counts as 'no'"),
        ("no", "yes", "the other way round: the answer 'no' counts as 'yes'"),
        ("partly", "partly", "the answer 'partly' counts for it"),
        ("unknown", "unknown", "the answer 'unknown' counts for it"),
    ],
)
def test_answers_to_a_replaced_question_carry_over_and_say_so(
    claims: Checklist, tmp_path, old: str, new: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    """An answers file written before the question was reworded keeps its answer, flipped
    where the new question is asked the other way round, with a warning; the file is unchanged."""
    from conftest import write_answers

    from vetcheck.loader import check_answers, load_answers

    path = write_answers(tmp_path, f"  avoids_cure_claims: {{answer: {old}, note: kept}}")
    before = path.read_bytes()
    answers, warnings = check_answers(load_answers(path), claims)
    assert answers.entries["promises_cure"].value == new
    assert answers.entries["promises_cure"].note == "kept"
    assert "avoids_cure_claims" not in answers.entries
    assert any(
        "'avoids_cure_claims' is now asked as 'promises_cure'" in w and said in w for w in warnings
    )
    assert path.read_bytes() == before


def test_a_file_answering_old_and_new_question_keeps_the_new_answer(
    claims: Checklist, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from conftest import write_answers

    from vetcheck.loader import check_answers, load_answers

    path = write_answers(tmp_path, "  avoids_cure_claims: yes\n  promises_cure: yes")
    answers, warnings = check_answers(load_answers(path), claims)
    assert answers.entries["promises_cure"].value == "yes"
    assert any("the old answer 'yes' is not used" in w and "kept" in w for w in warnings)
    assert answers.set_aside["avoids_cure_claims"].value == "yes"  # kept for the person


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("replaces: {question: avoids_cure_claims", "replaces: {question: licensed"),
        ("polarity: yes_is_bad", "polarity: maybe"),
    ],
)
def test_replacing_a_question_that_still_exists_or_a_bad_polarity_is_refused(
    change: str, message: str
) -> None:
    from conftest import MINI

    from vetcheck.errors import InvalidInputError
    from vetcheck.loader import parse_checklist

    text = MINI.read_text().replace("  - id: calm_room\n", _CLAIMS + "  - id: calm_room\n")
    with pytest.raises(InvalidInputError) as caught:
        parse_checklist(text.replace(change, message), "c.yaml")
    said = str(caught.value)
    assert ("still a question" in said) if "licensed" in message else ("polarity" in said)


# --- Routes as they are sold: several at once, and IV at home by a visiting clinician --------

CLINIC_WATCH = {"vital_signs", "emergency_trained_present", "emergency_equipment", "emergency_plan"}
HOME_SELF = {"home_sitter", "home_emergency_plan", "home_supply_limits"}


@pytest.mark.parametrize(
    ("routes", "clinic", "home"),
    [
        (("clinic_other", "at_home"), True, True),  # a first dose at the clinic, then at home
        (("home_visit",), True, False),  # IV at home: monitoring and emergencies apply
        (("at_home",), False, True),
        (("clinic_iv",), True, False),
    ],
)
def test_every_route_a_programme_uses_brings_in_its_questions(
    builtin: Checklist, routes: tuple[str, ...], clinic: bool, home: bool
) -> None:
    report = score(builtin, make_answers(builtin, {"setting": routes}))  # type: ignore[dict-item]
    shown = {r.question.id for r in report.results if r.shown}
    assert shown >= CLINIC_WATCH if clinic else not CLINIC_WATCH & shown
    assert shown >= HOME_SELF if home else not HOME_SELF & shown


def test_a_known_no_on_monitoring_is_a_red_flag_for_a_visiting_clinician(
    builtin: Checklist,
) -> None:
    values = {**_all_good(builtin), "setting": ("home_visit",), "reason": "mood"}
    values["vital_signs"] = "no"
    report = score(builtin, make_answers(builtin, values))  # type: ignore[arg-type]
    assert [r.question.id for r in report.red_flags] == ["vital_signs"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("[clinic_other, at_home]", ("clinic_other", "at_home")),
        ("[at_home, at_home]", ("at_home",)),
        ("clinic_iv", ("clinic_iv",)),  # as 1.x files wrote it
        ("{answer: [clinic_iv, home_visit], note: two}", ("clinic_iv", "home_visit")),
        ("unknown", "unknown"),
        ("[unknown]", "unknown"),
    ],
)
def test_answers_files_give_several_routes_as_a_list(
    builtin: Checklist, tmp_path, written: str, read: object
) -> None:  # type: ignore[no-untyped-def]
    from vetcheck.loader import check_answers, load_answers

    path = tmp_path / "a.yaml"
    path.write_text(
        "vetcheck: 1\nchecklist: {id: ketamine-provider}\nsubject: {name: X}\nrole: patient\n"
        f"answers:\n  setting: {written}\n"
    )
    answers, _ = check_answers(load_answers(path), builtin)
    assert answers.entries["setting"].value == read


def _refused(builtin: Checklist, folder: Path, answer_line: str) -> str:
    """The problems found in an answers file for this version holding one answer line."""
    from vetcheck.errors import InvalidInputError
    from vetcheck.loader import check_answers, load_answers

    path = folder / "a.yaml"
    path.write_text(
        f"vetcheck: 1\nchecklist: {{id: ketamine-provider, version: '{builtin.version}'}}\n"
        f"subject: {{name: X}}\nrole: patient\nanswers:\n  {answer_line}\n"
    )
    with pytest.raises(InvalidInputError) as caught:
        check_answers(load_answers(path), builtin)
    return str(caught.value)


@pytest.mark.parametrize(
    "written", ["[clinic_iv, nowhere]", "[clinic_iv, unknown]", "[]", "[[clinic_iv]]"]
)
def test_a_bad_list_of_routes_is_refused_with_its_line(
    builtin: Checklist, tmp_path, written: str
) -> None:  # type: ignore[no-untyped-def]
    assert ":6" in _refused(builtin, tmp_path, f"setting: {written}")


def test_a_list_for_a_question_that_takes_one_answer_is_refused(
    builtin: Checklist, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    said = _refused(builtin, tmp_path, "vital_signs: [yes, no]")
    assert "'vital_signs': takes one answer, not a list; use one of: yes" in said


def test_several_routes_survive_the_file_the_report_and_the_json(
    builtin: Checklist, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Written by vetcheck, read back the same; reports name every route; JSON keeps the list."""
    import json
    from datetime import date

    import jsonschema

    from vetcheck.loader import check_answers, load_answers
    from vetcheck.render.answers import render_answers
    from vetcheck.render.json import render_json, report_schema
    from vetcheck.render.markdown import render_markdown

    answers = make_answers(builtin, {"setting": ("clinic_other", "at_home"), "reason": "mood"})  # type: ignore[dict-item]
    path = tmp_path / "a.yaml"
    path.write_text(render_answers(builtin, answers))
    back, warnings = check_answers(load_answers(path), builtin)
    assert warnings == []
    assert {k: back.entries[k] for k in answers.entries} == answers.entries
    report = score(builtin, back)
    assert (
        "Another form at the clinic (lozenge, tablet or nasal spray) and At home"
        in render_markdown(report, date(2026, 12, 1))
    )
    data = json.loads(render_json(report, date(2026, 12, 1)))
    jsonschema.validate(data, report_schema())
    [setting] = [q for q in data["questions"] if q["id"] == "setting"]
    assert setting["answer"] == ["clinic_other", "at_home"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1, 5", ("clinic_iv", "at_home")),
        ("6", ("home_visit",)),
        ("5 5", ("at_home",)),
        ("7", "unknown"),
    ],
)
def test_the_interview_takes_several_routes_at_once(
    builtin: Checklist, typed: str, value: object
) -> None:
    from vetcheck.interview import Act, hint, parse_key

    question = builtin.question_by_id["setting"]
    key = parse_key(typed, question)
    assert (key.act, key.value) == (Act.ANSWER, value)
    assert parse_key("1, 9", question).act is Act.INVALID
    assert "with commas" in hint(question)
    single = builtin.question_by_id["reason"]
    assert parse_key("1, 2", single).act is Act.INVALID
