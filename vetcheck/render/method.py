"""The scoring rules in plain words, each with a worked example that the scorer itself computes.

To add a rule, add one `Rule` to `RULES`: its sentence and a tiny example (questions with their
weights and answers). The example's numbers come from running `scoring.score` on it, so the
text cannot drift from the code; tests/test_method.py pins what each example shows.
"""

from __future__ import annotations

from datetime import date

from vetcheck.model import (
    Answer,
    AnswerEntry,
    Answers,
    Cap,
    Checklist,
    Condition,
    Kind,
    Option,
    Polarity,
    Question,
    Report,
    Role,
    ScoringRules,
    Section,
    Source,
    Status,
    Subject,
    Wording,
)
from vetcheck.render.common import count, coverage_text, percent
from vetcheck.scoring import score


# Plain classes, not dataclasses: defining a dataclass costs ~1 M instructions at every start,
# and every report imports this module for its rule sentences.
class Asked:
    """One yes/no question of a worked example, and its answer."""

    __slots__ = ("answer", "at_home", "critical", "weight", "yes_is_bad")

    def __init__(
        self,
        weight: int,
        answer: Answer,
        *,
        critical: bool = False,
        at_home: bool = False,  # applies only when the treatment is given at home
        yes_is_bad: bool = False,  # asked the natural way round: "Does the clinic promise a cure?"
    ) -> None:
        self.weight, self.answer, self.critical = weight, answer, critical
        self.at_home, self.yes_is_bad = at_home, yes_is_bad


_DASH = Wording("-")  # the worked examples' questions need no words

ROUTE_WORDS = {"clinic": "in a clinic", "home": "at home", "unknown": "unknown"}


class Example:
    """A tiny checklist and its answers: the yes/no questions, and how the treatment is given.

    `route` is "clinic", "home", both or "unknown"; None leaves the route question out.
    """

    __slots__ = ("asked", "route")

    def __init__(
        self, asked: tuple[Asked, ...], route: str | tuple[str, ...] | None = None
    ) -> None:
        self.asked, self.route = asked, route

    def report(self, rules: ScoringRules) -> Report:
        """Score the example with a checklist's scoring rules."""
        route = Question(
            id="route",
            section="all",
            text=Wording("How will the ketamine be given?"),
            why=_DASH,
            good_answer=_DASH,
            verify=_DASH,
            sources=("example",),
            kind=Kind.CHOICE,
            options=(Option("clinic", Wording("In a clinic")), Option("home", Wording("At home"))),
            multiple=True,
        )
        questions = [
            Question(
                id=f"q{i}",
                section="all",
                text=Wording(f"Question {i}"),
                why=_DASH,
                good_answer=_DASH,
                verify=_DASH,
                sources=("example",),
                weight=a.weight,
                critical=a.critical,
                red_flag=_DASH if a.critical else None,
                show_if=Condition("route", any_of=("home",)) if a.at_home else None,
                polarity=Polarity.YES_IS_BAD if a.yes_is_bad else Polarity.YES_IS_GOOD,
            )
            for i, a in enumerate(self.asked, 1)
        ]
        checklist = Checklist(
            id="example",
            title="Example",
            version="1",
            last_reviewed=date(2000, 1, 1),
            audience=Wording("-"),
            sources=(Source("example", "-"),),
            sections=(Section("all", "All", _DASH),),
            questions=(route, *questions) if self.route else tuple(questions),
            scoring=rules,
        )
        entries = {q.id: AnswerEntry(a.answer) for q, a in zip(questions, self.asked, strict=True)}
        if self.route:
            entries["route"] = AnswerEntry(self.route)
        return score(checklist, Answers.new(checklist, Subject("Example"), Role.PATIENT, entries))


class Rule:
    """A scoring rule: a sentence ({cuts}, {min_coverage}, {red_flag_cap} and {must_ask_cap}
    are filled in from the checklist) and a worked example."""

    __slots__ = ("example", "text")

    def __init__(self, text: str, example: Example) -> None:
        self.text, self.example = text, example


YES, PARTLY, NO, UNKNOWN, NA = Answer.YES, Answer.PARTLY, Answer.NO, Answer.UNKNOWN, Answer.NA

RULES = (
    Rule(
        "Each yes/no question has a weight from 1 to 5 for how much it matters to safety.",
        Example((Asked(5, NO), Asked(1, YES))),
    ),
    Rule(
        "Yes earns the full weight, partly earns half, no earns nothing.",
        Example((Asked(5, YES), Asked(3, PARTLY), Asked(2, NO))),
    ),
    Rule(
        'A few questions are asked the natural way round, so that yes is the bad answer ("Does the clinic promise a cure?"): there, no earns the full weight and yes earns nothing.',
        Example((Asked(4, NO, yes_is_bad=True), Asked(3, YES, yes_is_bad=True), Asked(3, YES))),
    ),
    Rule(
        "The score is the weight earned divided by the weight answered, from 0 to 100. "
        "Don't-know answers are left out of the score; not-applicable questions, and questions another answer rules out, count nowhere.",
        Example(
            (
                Asked(4, YES),
                Asked(2, NO),
                Asked(1, UNKNOWN),
                Asked(3, NA),
                Asked(5, NO, critical=True, at_home=True),
            ),
            route="clinic",
        ),
    ),
    Rule(
        "Coverage is the weight answered divided by the weight that applies.",
        Example((Asked(5, YES), Asked(3, NO), Asked(2, UNKNOWN))),
    ),
    Rule("Grades: {cuts}.", Example((Asked(4, YES), Asked(1, NO)))),
    Rule(
        "Below {min_coverage}% coverage there is no score and no letter: the result is incomplete, and the report says how many more answers would give one.",
        Example((Asked(5, YES), Asked(4, UNKNOWN), Asked(3, UNKNOWN))),
    ),
    Rule(
        "A critical question given its bad answer (no, or yes where yes is bad) is a red flag, whatever else is known; any red flag caps the grade at {red_flag_cap}, even with few answers.",
        Example((Asked(5, YES), Asked(5, YES), Asked(3, YES), Asked(2, NO, critical=True))),
    ),
    Rule(
        "A critical question not yet answered, only partly met, or marked not applicable where it applies, is a must-ask question; while there is one, the grade is at best {must_ask_cap}.",
        Example(
            (
                Asked(5, YES),
                Asked(5, YES),
                Asked(2, PARTLY, critical=True),
                Asked(1, UNKNOWN, critical=True),
                Asked(1, NA, critical=True),
            )
        ),
    ),
    Rule(
        "While how the treatment is given (or what it is for) is unknown, no question it could bring in is left out.",
        Example(
            (Asked(5, YES), Asked(4, YES), Asked(4, NO, critical=True, at_home=True)),
            route="unknown",
        ),
    ),
    Rule(
        "When a program uses more than one way of giving the treatment (a first dose at the clinic, then doses at home), the questions for each way apply.",
        Example(
            (Asked(5, YES), Asked(4, YES), Asked(3, PARTLY, at_home=True)), route=("clinic", "home")
        ),
    ),
)


def method_lines(rules: ScoringRules) -> list[str]:
    """The scoring rules in plain sentences (shared by reports and `vetcheck methodology`)."""
    cuts = ", ".join(
        f"{b.letter} {b.min_score}+" if b.min_score else f"{b.letter} below {prev.min_score}"
        for prev, b in zip((rules.grades[0], *rules.grades), rules.grades, strict=False)
    )
    return [
        rule.text.format(
            cuts=cuts,
            min_coverage=rules.min_coverage,
            red_flag_cap=rules.red_flag_cap,
            must_ask_cap=rules.must_ask_cap,
        )
        for rule in RULES
    ]


def example_text(example: Example, rules: ScoringRules) -> str:
    """'Example: weights 5 yes, 3 partly, 2 no → 5 + 1.5 + 0 = 6.5 of 10 → score 65; …'."""
    report = example.report(rules)
    given = "weights " + ", ".join(_asked_words(a) for a in example.asked)
    if example.route:
        routes = (example.route,) if isinstance(example.route, str) else example.route
        given = (
            f"how the treatment is given: {' and '.join(ROUTE_WORDS[r] for r in routes)}; {given}"
        )
    earned = sum(s.earned for s in report.sections)
    answered = sum(s.answered_weight for s in report.sections)
    applicable = sum(s.applicable_weight for s in report.sections)
    coverage = f"coverage {answered} of {applicable} = {coverage_text(report.coverage)}"
    if report.score is None:
        result = f"{coverage}, below {rules.min_coverage}% → no score"
    else:
        terms = [
            f"{r.question.weight * credit:g}"
            for r in report.results
            if r.status is not Status.NOT_APPLICABLE
            and (credit := r.question.credit(r.answer)) is not None
        ]
        result = f"{' + '.join(terms)} = {earned:g} of {answered} → score {percent(report.score)}; {coverage}"
    joiner = " and " if report.score is None and report.grade.letter is None else "; "
    return f"Example: {given} → {result}{joiner}{_grade_words(report)}."


def _asked_words(asked: Asked) -> str:
    notes = [
        note
        for note, on in (
            ("critical", asked.critical),
            ("at home only", asked.at_home),
            ("yes is bad", asked.yes_is_bad),
        )
        if on
    ]
    return f"{asked.weight} {asked.answer}" + (f" ({', '.join(notes)})" if notes else "")


def _grade_words(report: Report) -> str:
    grade = report.grade
    if grade.letter is None:
        return f"no letter; {count(report.answers_needed, 'more answer')} would give one"
    words = f"grade {grade.letter}"
    if grade.capped_by is Cap.RED_FLAG:
        words += f" because of {count(len(report.red_flags), 'red flag')}"
    elif grade.capped_by is Cap.MUST_ASK:
        words += f" with {count(len(report.must_ask), 'must-ask question')} open"
    if grade.capped_from:
        words += f" (the score alone gives {grade.capped_from})"
    first = report.must_ask[0].question if report.must_ask else None
    if first is not None and not first.scored:
        words += f'; the first must-ask is "{first.wording(Role.PATIENT)}"'
    return words
