"""Scoring: worked examples pinned exactly, and invariants checked with hypothesis."""

from __future__ import annotations

import pytest
from conftest import make_answers
from hypothesis import given, settings
from hypothesis import strategies as st

from vetcheck.model import DEFAULT_SCORING, Answer, Cap, Checklist, Status
from vetcheck.scoring import grade, round_half_up, score

SCORED = ["licensed", "experience", "monitoring", "sitter", "calm_room"]
YES_NO = [a.value for a in Answer]
BETTER = {"no": "partly", "partly": "yes"}


def test_worked_example(mini: Checklist) -> None:
    """Weights 3,1,5,2 in a clinic setting: yes, partly, yes, no → 8.5/11 = 77, grade C."""
    answers = make_answers(
        mini,
        {
            "setting": "clinic",
            "licensed": "yes",
            "experience": "partly",
            "monitoring": "yes",
            "calm_room": "no",
        },
    )
    report = score(mini, answers)
    assert report.score == pytest.approx(100 * 8.5 / 11)
    assert report.coverage == 1.0
    assert report.grade.letter == "C"
    assert [s.score for s in report.sections] == [pytest.approx(87.5), pytest.approx(500 / 7)]
    sitter = next(r for r in report.results if r.question.id == "sitter")
    assert not sitter.shown and sitter.status is Status.NOT_APPLICABLE


def test_red_flag_caps_grade_and_is_listed(mini: Checklist) -> None:
    """A critical `no` is a red flag that caps an otherwise high grade at F, naming the uncapped letter."""
    answers = make_answers(
        mini,
        {
            "setting": "clinic",
            "licensed": "yes",
            "experience": "yes",
            "monitoring": "yes",
            "calm_room": "yes",
        },
    )
    assert score(mini, answers).grade.letter == "A"
    answers = make_answers(
        mini,
        {
            "setting": "home",
            "licensed": "yes",
            "experience": "yes",
            "monitoring": "yes",
            "sitter": "no",
            "calm_room": "yes",
        },
    )
    report = score(mini, answers)
    assert report.grade.letter == "F"
    assert report.grade.capped_from == "C"  # 11 of 15 weight earned = 73
    assert [r.question.id for r in report.red_flags] == ["sitter"]


def test_low_coverage_gives_no_letter(mini: Checklist) -> None:
    """Below the minimum coverage the grade is incomplete even when every answer is yes."""
    report = score(mini, make_answers(mini, {"licensed": "yes"}))
    assert report.score is None  # no number from 3 of 15: a 100 would mislead
    assert report.grade.letter is None
    assert report.coverage == pytest.approx(3 / 15)  # the setting is unknown: all 15 apply
    assert report.answers_needed == 2  # monitoring (5) and sitter (4): 12 of 15 = 80%


def test_critical_unknown_and_partly_are_must_ask(mini: Checklist) -> None:
    """Critical questions left unknown or only partly met are must-ask; others are open."""
    report = score(
        mini,
        make_answers(mini, {"setting": "clinic", "licensed": "partly", "experience": "unknown"}),
    )
    assert [r.question.id for r in report.must_ask] == ["licensed", "monitoring"]
    assert [r.question.id for r in report.open_questions] == ["calm_room", "experience"]


def test_unknown_setting_hides_nothing(mini: Checklist) -> None:
    """With the setting unknown every question may apply: a critical no is a red flag, the
    setting is the first must-ask, and no letter rests on the questions it would rule out."""
    report = score(mini, make_answers(mini, {"sitter": "no", "licensed": "unknown"}))
    assert [r.question.id for r in report.red_flags] == ["sitter"]
    assert [r.question.id for r in report.must_ask] == ["setting", "licensed", "monitoring"]
    everything_yes = {q: "yes" for q in SCORED if q != "sitter"}
    report = score(mini, make_answers(mini, {**everything_yes, "setting": "unknown"}))
    assert report.grade.letter is not None and report.must_ask[0].question.id == "setting"
    assert next(r for r in report.results if r.question.id == "sitter").status is Status.MUST_ASK


def test_a_known_route_rules_out_its_questions_whatever_their_answers(mini: Checklist) -> None:
    """A template answered line by line: a no on an at-home question for a clinic is not counted."""
    values = dict.fromkeys(SCORED, "yes")
    report = score(mini, make_answers(mini, {**values, "setting": "clinic", "sitter": "no"}))
    assert report.red_flags == () and report.grade.letter == "A"
    sitter = next(r for r in report.results if r.question.id == "sitter")
    assert sitter.status is Status.NOT_APPLICABLE


def test_n_a_cannot_wave_away_a_critical_question(mini: Checklist) -> None:
    """n/a on a critical question that applies is a must-ask, never a way to an A."""
    values = {**dict.fromkeys(SCORED, "yes"), "setting": "clinic", "monitoring": "n/a"}
    report = score(mini, make_answers(mini, values))
    assert [r.question.id for r in report.must_ask] == ["monitoring"]
    assert report.grade.letter != "A"


def test_n_a_everywhere_is_not_a_grade(mini: Checklist) -> None:
    """Every question answered n/a: no score, no letter, the critical ones still to ask."""
    from vetcheck.render.common import grade_headline

    report = score(mini, make_answers(mini, {**dict.fromkeys(SCORED, "n/a"), "setting": "clinic"}))
    assert report.score is None and report.grade.letter is None
    assert [r.question.id for r in report.must_ask] == ["licensed", "monitoring"]
    assert grade_headline(report) == "Incomplete (nothing answered yet)"


def test_nothing_answered(mini: Checklist) -> None:
    """With no answers: no score, zero coverage, no letter."""
    report = score(mini, make_answers(mini, {}))
    assert report.score is None and report.coverage == 0.0 and report.grade.letter is None


@pytest.mark.parametrize(
    ("value", "expected"), [(89.5, 90), (84.5, 85), (84.49, 84), (0.0, 0), (100.0, 100)]
)
def test_round_half_up(value: float, expected: int) -> None:
    """Scores round half up, as people expect."""
    assert round_half_up(value) == expected


def test_grade_cut_points() -> None:
    """Cut points are inclusive lower bounds."""
    assert [
        grade(DEFAULT_SCORING, s, True, 0).letter for s in (90, 89.4, 80, 79.6, 70, 60, 59.4, 0)
    ] == ["A", "B", "B", "B", "C", "D", "F", "F"]


# --- invariants ----------------------------------------------------------------------------

answer_sets = st.fixed_dictionaries(
    {"setting": st.sampled_from(["clinic", "home", "unknown"])},
    optional={qid: st.sampled_from(YES_NO) for qid in SCORED},
)


@settings(max_examples=100, deadline=None)
@given(values=answer_sets)
def test_score_is_between_0_and_100(mini: Checklist, values: dict[str, str]) -> None:
    """Score and coverage stay within their ranges for any answers."""
    report = score(mini, make_answers(mini, values))
    assert report.score is None or 0.0 <= report.score <= 100.0
    assert 0.0 <= report.coverage <= 1.0
    for section in report.sections:
        assert section.score is None or 0.0 <= section.score <= 100.0


@settings(max_examples=100, deadline=None)
@given(values=answer_sets, data=st.data())
def test_improving_an_answer_never_lowers_the_score(
    mini: Checklist, values: dict[str, str], data: st.DataObject
) -> None:
    """no → partly → yes never lowers the overall or any section score."""
    improvable = [q for q, v in values.items() if v in BETTER]
    if not improvable:
        return
    qid = data.draw(st.sampled_from(improvable))
    before = score(mini, make_answers(mini, values))
    after = score(mini, make_answers(mini, {**values, qid: BETTER[values[qid]]}))
    if before.score is not None:
        assert after.score is not None and after.score >= before.score
    for b, a in zip(before.sections, after.sections, strict=True):
        if b.score is not None:
            assert a.score is not None and a.score >= b.score
    assert len(after.red_flags) <= len(before.red_flags)


@settings(max_examples=100, deadline=None)
@given(values=answer_sets, data=st.data())
def test_answering_an_unknown_never_lowers_coverage(
    mini: Checklist, values: dict[str, str], data: st.DataObject
) -> None:
    """Replacing unknown (or a missing answer) with any answer never lowers coverage."""
    unknown = [q for q in SCORED if values.get(q, "unknown") == "unknown"]
    if not unknown:
        return
    qid = data.draw(st.sampled_from(unknown))
    new = data.draw(st.sampled_from(["yes", "partly", "no", "n/a"]))
    before = score(mini, make_answers(mini, values))
    after = score(mini, make_answers(mini, {**values, qid: new}))
    assert after.coverage >= before.coverage


@settings(max_examples=100, deadline=None)
@given(values=answer_sets)
def test_same_answers_same_report(mini: Checklist, values: dict[str, str]) -> None:
    """Scoring is deterministic: the same answers always give an equal report."""
    assert score(mini, make_answers(mini, values)) == score(
        mini, make_answers(mini, dict(reversed(list(values.items()))))
    )


@settings(max_examples=100, deadline=None)
@given(values=answer_sets)
def test_red_flag_means_capped_grade(mini: Checklist, values: dict[str, str]) -> None:
    """Any red flag yields the cap letter or worse; none yields no cap."""
    report = score(mini, make_answers(mini, values))
    if report.red_flags:
        assert report.grade.letter is not None
        assert mini.scoring.rank(report.grade.letter) >= mini.scoring.rank(
            mini.scoring.red_flag_cap
        )
    else:
        assert report.grade.capped_by is not Cap.RED_FLAG


def _depends_on(checklist: Checklist, qid: str) -> set[str]:
    """The questions whose show_if chain leads back to qid."""
    found: set[str] = set()
    for q in checklist.questions:  # asking order: a condition only looks back
        cond = q.show_if
        if cond is not None and (cond.question == qid or cond.question in found):
            found.add(q.id)
    return found


@settings(max_examples=100, deadline=None)
@given(values=answer_sets, data=st.data())
def test_knowing_more_never_hides_what_it_does_not_rule_out(
    mini: Checklist, values: dict[str, str], data: st.DataObject
) -> None:
    """An unknown answer made known hides only questions that depend on that very answer."""
    unknown = [q.id for q in mini.questions if values.get(q.id, "unknown") == "unknown"]
    if not unknown:
        return
    qid = data.draw(st.sampled_from(unknown))
    new = data.draw(
        st.sampled_from([v for v in mini.question_by_id[qid].accepts() if v != "unknown"])
    )
    before = score(mini, make_answers(mini, values))
    after = score(mini, make_answers(mini, {**values, qid: new}))
    was_shown = {r.question.id for r in before.results if r.shown}
    now_hidden = {r.question.id for r in after.results if not r.shown}
    assert was_shown & now_hidden <= _depends_on(mini, qid)


@settings(max_examples=100, deadline=None)
@given(values=answer_sets, data=st.data())
def test_a_critical_no_always_caps_the_grade(
    mini: Checklist, values: dict[str, str], data: st.DataObject
) -> None:
    """Whatever else is known or unknown, a critical no that applies never gets a letter above
    the cap; while the setting is unknown, every critical question applies."""
    critical = [q.id for q in mini.questions if q.critical]
    qid = data.draw(st.sampled_from(critical))
    report = score(mini, make_answers(mini, {**values, qid: "no"}))
    result = next(r for r in report.results if r.question.id == qid)
    if values.get("setting", "unknown") == "unknown":
        assert result.shown
    if result.shown:
        assert qid in {r.question.id for r in report.red_flags}
        assert report.grade.letter is not None
        rules = mini.scoring
        assert rules.rank(report.grade.letter) >= rules.rank(rules.red_flag_cap)


@settings(max_examples=100, deadline=None)
@given(values=answer_sets, data=st.data())
def test_not_knowing_never_shows_fewer_questions(
    mini: Checklist, values: dict[str, str], data: st.DataObject
) -> None:
    """Every question that applies for some known answer also applies while it is unknown."""
    qid = data.draw(st.sampled_from([q.id for q in mini.questions if not q.scored]))
    known = data.draw(st.sampled_from([o.id for o in mini.question_by_id[qid].options]))
    unknown = score(mini, make_answers(mini, {**values, qid: "unknown"}))
    answered = score(mini, make_answers(mini, {**values, qid: known}))
    shown = {r.question.id for r in answered.results if r.shown}
    assert shown <= {r.question.id for r in unknown.results if r.shown}


@settings(max_examples=100, deadline=None)
@given(values=answer_sets)
def test_no_number_below_the_coverage_minimum(mini: Checklist, values: dict[str, str]) -> None:
    """Below the coverage minimum there is no score, and a letter only for a red flag."""
    report = score(mini, make_answers(mini, values))
    applicable = sum(s.applicable_weight for s in report.sections)
    if report.coverage * 100 < mini.scoring.min_coverage:
        assert report.score is None and (report.answers_needed > 0) == (applicable > 0)
        assert report.grade.letter is None or report.red_flags
    else:
        assert report.answers_needed == 0


@settings(max_examples=100, deadline=None)
@given(values=answer_sets)
def test_unsettled_critical_questions_cap_the_letter(
    mini: Checklist, values: dict[str, str]
) -> None:
    """While a critical question is unknown or partly met, the letter is never above the cap."""
    report = score(mini, make_answers(mini, values))
    if report.must_ask and report.grade.letter is not None:
        rules = mini.scoring
        assert rules.rank(report.grade.letter) >= rules.rank(rules.must_ask_cap)


def test_partly_on_critical_items_is_not_strong(mini: Checklist) -> None:
    """Everything yes but one critical item not known yet: B, saying what is unsettled, not A."""
    values = {"setting": "clinic", "licensed": "unknown", "experience": "yes"}
    report = score(mini, make_answers(mini, {**values, "monitoring": "yes", "calm_room": "yes"}))
    assert report.score is not None and report.score > 90
    assert (report.grade.letter, report.grade.capped_from) == ("B", "A")
    assert report.grade.capped_by is Cap.MUST_ASK and "not settled" in report.grade.verdict.patient
