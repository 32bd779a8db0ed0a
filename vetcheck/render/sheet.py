"""The question sheet (`vetcheck questions`): which questions to print, in what words, for
whom. Both formats (markdown in render/markdown.py, printable HTML in templates/questions.html.j2)
render this one model, so they always list the same questions.

The full sheet lists every scored question that applies (all of them, conditional ones marked
with when they apply, without a route), each with its good answer and where to check it. The
critical-only card lists just the critical questions, to fit one page to bring to a visit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from vetcheck.model import Checklist, Question, Role
from vetcheck.render import words as w

if TYPE_CHECKING:
    from vetcheck.places import Where

TITLE = "Questions to ask: {title}"
CARD_TITLE = "The questions that matter most: {title}"
CARD_LEAD = {
    Role.PATIENT: "The critical questions only: the bad answer to any of them is a red flag. The full sheet (vetcheck questions) has the rest.",
    Role.REFERRER: "Critical items only: the bad answer to any is a red flag. The full sheet (vetcheck questions) has the rest.",
}
CRITICAL_NOTE = "Questions marked critical matter most for safety: the bad answer to any of them is a red flag. That is no, except where the sheet says yes is the bad answer."
BLANKS = (("Clinic or provider", 40), ("Date", 20))


class Item:
    """One question on the sheet."""

    __slots__ = (
        "good_answer",
        "look",
        "number",
        "only",
        "options",
        "question",
        "text",
        "yes_is_bad",
    )

    def __init__(
        self,
        question: Question,
        number: int,
        text: str,
        only: str | None,
        good_answer: str,
        look: w.LookLine | None,
        role: Role,
    ) -> None:
        self.question, self.number, self.text, self.only = question, number, text, only
        self.good_answer, self.look = good_answer, look
        self.yes_is_bad = question.scored and question.bad_answer == "yes"
        self.options = tuple(o.label[role] for o in question.options)  # a choice's, to tick


class Sheet:
    """Title, lead, facts and the questions by section, for one reader."""

    def __init__(
        self,
        checklist: Checklist,
        role: Role,
        route: str | None = None,
        where: Where | None = None,
        today: date | None = None,
        critical_only: bool = False,
    ) -> None:
        from vetcheck.model import AnswerEntry, Answers, ChecklistRef, Subject
        from vetcheck.scoring import visible

        self.role, self.critical_only = role, critical_only
        name = CARD_TITLE if critical_only else TITLE
        self.title = name.format(title=checklist.title)
        self.lead = CARD_LEAD[role] if critical_only else w.SHEET_LEAD[role]
        route_question = checklist.route
        values = {}
        self.route_label: str | None = None
        if route is not None and route_question is not None:
            values[route_question.id] = AnswerEntry(route)
            self.route_label = route_question.option_label(route, role)
        # The card names no look-ups, so it does not say which state's it would name.
        self.state_fact = (
            None
            if where is None or critical_only
            else w.state_fact(where, today or date.today(), role)
        )
        # Only visibility is needed: no version or content hash (which would import json).
        answers = Answers(ChecklistRef(checklist.id), Subject("-"), role, values)
        applies = visible(checklist, answers)
        self.sections: list[tuple[str, str, list[Item]]] = []
        for section in checklist.sections:
            items = [  # the route question is asked unless --route answered it
                self._item(checklist, q, route is None, where)
                for q in checklist.questions_in(section.id)
                if (route is None or (applies[q.id] and q is not route_question))
                and (q.critical or not critical_only)  # only yes/no questions are critical
            ]
            if items:
                self.sections.append((section.title, section.intro[role], items))

    def _item(
        self, checklist: Checklist, q: Question, any_route: bool, where: Where | None
    ) -> Item:
        only = None
        if any_route and q.show_if is not None:
            target = checklist.question_by_id[q.show_if.question]
            labels = " or ".join(target.option_label(v, self.role) for v in q.show_if.values)
            only = f"Only {'if not' if q.show_if.negate else 'for'}: {labels}"
        number = checklist.number(q.id)
        look = None if self.critical_only else w.look_ups(where, q, self.role)
        return Item(
            q, number, q.wording(self.role), only, q.good_answer[self.role], look, self.role
        )
