"""The verdict on the built-in checklist in the situations patients are really in."""

from __future__ import annotations

import pytest
from conftest import make_answers

from vetcheck.loader import load_checklist
from vetcheck.model import Checklist, Kind
from vetcheck.resources import builtin_dir
from vetcheck.scoring import score


@pytest.fixture(scope="module")
def builtin() -> Checklist:
    return load_checklist(builtin_dir() / "ketamine-provider.yaml")


def _all_yes(checklist: Checklist) -> dict[str, str]:
    return {q.id: "yes" for q in checklist.questions if q.kind is Kind.YES_NO}


@pytest.mark.parametrize("unknown", ["setting", "reason"])
def test_an_unknown_route_or_reason_hides_no_safety_question(
    builtin: Checklist, unknown: str
) -> None:
    """Route (or reason) unknown, no monitoring and no emergency readiness: red flags, not an A."""
    bad = ("vital_signs", "emergency_trained_present", "emergency_equipment")
    values = {**_all_yes(builtin), "setting": "clinic_iv", "reason": "mood", unknown: "unknown"}
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
    values = {**_all_yes(builtin), "setting": "clinic_iv", "reason": "mood"}
    values.update(dict.fromkeys(gaps, "no"))
    report = score(builtin, make_answers(builtin, values))
    assert not report.red_flags and set(gaps) <= {r.question.id for r in report.known_gaps}
    text = render_markdown(report, date(2026, 11, 30))
    first_screen = text[: text.index("## Questions to ask next")]
    assert "## Known gaps" in first_screen
    for qid in gaps:
        question = builtin.question_by_id[qid]
        assert question.good_answer.split()[0] in first_screen


def test_sections_without_a_score_say_why(builtin: Checklist) -> None:
    """A choice-only section is 'not scored', a ruled-out one 'does not apply', never 'no answers'."""
    from datetime import date

    from vetcheck.render.markdown import render_markdown
    from vetcheck.render.words import section_score

    values = {**_all_yes(builtin), "setting": "clinic_iv", "reason": "mood"}
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

    values = {**_all_yes(builtin), "setting": "clinic_iv", "reason": "mood", "follow_up": "no"}
    text = screen(values)
    assert "Known gaps (1)" in text and builtin.question_by_id["follow_up"].wording(
        make_answers(builtin, {}).role
    ) in " ".join(text.split())
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
