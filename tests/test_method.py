"""The scoring rules and their worked examples: each example states what the scorer returns."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from vetcheck.loader import load_checklist
from vetcheck.model import DEFAULT_SCORING, Checklist, Report, ScoringRules
from vetcheck.render.common import coverage_text, grade_headline
from vetcheck.render.markdown import render_methodology
from vetcheck.render.method import RULES, example_text, method_lines
from vetcheck.resources import builtin_dir
from vetcheck.scoring import round_half_up

BUILTIN = load_checklist(builtin_dir() / "ketamine-provider.yaml")

# What each rule's example must show with the built-in checklist's scoring rules, in the order
# of RULES: (how the rule starts, the grade headline and coverage). A scoring change that stops
# an example from showing its rule fails here; a new rule needs its line here too.
SHOWN = [
    ("Each yes/no question has a weight", "F (17 / 100), coverage 100%"),
    ("Yes earns the full weight", "D (65 / 100), coverage 100%"),
    ("A few questions are asked the natural way round", "C (70 / 100), coverage 100%"),
    ("The score is the weight earned", "D (67 / 100), coverage 86%"),
    ("Coverage is the weight answered", "D (63 / 100), coverage 80%"),
    ("Grades:", "B (80 / 100), coverage 100%"),
    ("Below {min_coverage}% coverage", "Incomplete (42% answered, 70% needed), coverage 42%"),
    (
        "A critical question given its bad answer",
        "F (87 / 100, capped from B by 1 red flag), coverage 100%",
    ),
    (
        "A critical question not yet answered",
        "B (92 / 100, capped from A: 3 safety points not settled), coverage 86%",
    ),
    (
        "While how the treatment is given",
        "F (69 / 100, capped from D by 1 red flag), coverage 100%",
    ),
    ("When a program uses more than one way", "B (88 / 100), coverage 100%"),
]

# "→ 5 + 1.5 + 0 = 6.5 of 10 → score 65;"
SUM = re.compile(r"→ ([0-9.+ ]+) = ([0-9.]+) of ([0-9]+) → score ([0-9]+);")


def _weights(report: Report) -> tuple[float, int, int]:
    """Weight earned, answered and applicable, as the scorer counted them."""
    return (
        sum(s.earned for s in report.sections),
        sum(s.answered_weight for s in report.sections),
        sum(s.applicable_weight for s in report.sections),
    )


def test_every_rule_has_a_pinned_example() -> None:
    """Each rule's example shows, with the built-in rules, the result pinned for it."""
    assert len(RULES) == len(SHOWN), "a rule was added or removed: update SHOWN"
    for rule, (start, shown) in zip(RULES, SHOWN, strict=True):
        assert rule.text.startswith(start), f"SHOWN is out of order at {start!r}"
        report = rule.example.report(BUILTIN.scoring)
        assert f"{grade_headline(report)}, coverage {coverage_text(report.coverage)}" == shown


@pytest.mark.parametrize("rules", [BUILTIN.scoring, DEFAULT_SCORING], ids=["builtin", "default"])
@pytest.mark.parametrize("index", range(len(RULES)))
def test_example_states_what_score_returns(rules: ScoringRules, index: int) -> None:
    """The sum, score, coverage and grade an example states are the ones `score` returns."""
    example = RULES[index].example
    report = example.report(rules)
    text = example_text(example, rules)
    earned, answered, applicable = _weights(report)
    assert f"coverage {answered} of {applicable} = {coverage_text(report.coverage)}" in text
    found = SUM.search(text)
    if report.score is None:
        assert found is None and "→ no score" in text
    else:
        assert found is not None, text
        terms, total, weight, shown = found.groups()
        assert sum(float(t) for t in terms.split(" + ")) == float(total) == earned
        assert (int(weight), int(shown)) == (answered, round_half_up(report.score))
    grade = report.grade
    if grade.letter is None:
        assert f"no letter; {report.answers_needed} more answer" in text
    else:
        assert f"grade {grade.letter}" in text
    assert ("the score alone gives" in text) == (grade.capped_from is not None)
    if grade.capped_from:
        assert f"(the score alone gives {grade.capped_from})" in text
    route_first = bool(report.must_ask) and not report.must_ask[0].question.scored
    assert ("the first must-ask is" in text) == route_first


def test_methodology_gives_each_rule_its_example() -> None:
    """`vetcheck methodology` (and so docs/methodology.md) lists every rule, each followed by its example."""
    text = render_methodology(BUILTIN)
    for line, rule in zip(method_lines(BUILTIN.scoring), RULES, strict=True):
        example = example_text(rule.example, BUILTIN.scoring)
        assert f"- {line}\n  - {example}\n" in text


def test_examples_follow_the_checklist_rules(mini: Checklist) -> None:
    """Examples are scored with the checklist's own rules: a stricter must-ask cap shows in them."""
    strict = replace(mini.scoring, must_ask_cap="C")
    index = next(i for i, r in enumerate(RULES) if r.text.startswith("A critical question not yet"))
    assert "at best C" in method_lines(strict)[index]
    example = example_text(RULES[index].example, strict)
    assert "grade C with 3 must-ask questions open" in example
