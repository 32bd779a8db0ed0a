"""The interview loop, driven through a scripted UI: fast, exact, no terminal needed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI

from vetcheck.interview import (
    Act,
    Attention,
    Outcome,
    QuestionView,
    ReviewPage,
    Session,
    ask_subject,
    default_answers_path,
    load_resume,
    parse_key,
    resume_session,
    resume_summary,
    review_pages,
    review_rows,
    run,
    slug,
)
from vetcheck.loader import check_answers, load_answers
from vetcheck.model import UNKNOWN, AnswerEntry, Answers, Checklist, Question, Report, Role, Subject


class ScriptedUI:
    """Answers prompts from a list; records what was shown."""

    def __init__(self, inputs: Sequence[str], room: int = 30) -> None:
        self.inputs = list(inputs)
        self.room = room
        self.shown: list[str] = []
        self.said: list[str] = []
        self.reviews: list[ReviewPage] = []

    def read(self, prompt: str) -> str:
        if not self.inputs:
            raise EOFError
        value = self.inputs.pop(0)
        if value == "^C":
            raise KeyboardInterrupt
        return value

    def say(self, text: str) -> None:
        self.said.append(text)

    def heading(self, text: str) -> None:
        self.said.append(text)

    def show_question(self, view: QuestionView) -> None:
        self.shown.append(view.question.id)
        self.last_view = view

    def show_help(self, question: Question, look: object, role: object) -> None:
        self.said.append(f"help:{question.id}")

    def show_review(self, page: ReviewPage) -> None:
        self.reviews.append(page)

    def review_room(self) -> int:
        return self.room

    def show_resume_summary(self, rows: Sequence[tuple[str, int, int]]) -> None:
        self.said.append(f"summary:{rows}")

    def show_result(self, report: Report, report_path: Path) -> None:  # pragma: no cover - CLI only
        pass


def _session(mini: Checklist, tmp_path: Path) -> Session:
    return Session(mini, tmp_path / "a.vetcheck.yaml", Role.PATIENT, Subject("Harbor Clinic"))


def _saved(session: Session, mini: Checklist) -> dict[str, str]:
    answers, _ = check_answers(load_answers(session.path), mini)
    return {k: e.value for k, e in answers.entries.items()}


@pytest.mark.parametrize(
    ("typed", "act", "value"),
    [
        ("1", Act.ANSWER, "yes"),
        ("2", Act.ANSWER, "partly"),
        ("3", Act.ANSWER, "no"),
        ("4", Act.ANSWER, "unknown"),
        ("5", Act.ANSWER, "n/a"),
        ("yes", Act.ANSWER, "yes"),
        (" NO ", Act.ANSWER, "no"),
        ("y", Act.ANSWER, "yes"),
        ("?", Act.HELP, ""),
        ("n", Act.NOTE, ""),
        ("b", Act.BACK, ""),
        ("s", Act.SKIP, ""),
        ("q", Act.QUIT, ""),
        ("6", Act.INVALID, ""),
        ("maybe", Act.INVALID, ""),
        ("", Act.INVALID, ""),
    ],
)
def test_parse_key_yes_no(mini: Checklist, typed: str, act: Act, value: str) -> None:
    """Digits and words answer; single letters act; anything else is invalid."""
    key = parse_key(typed, mini.question_by_id["licensed"])
    assert (key.act, key.value) == (act, value)


def test_parse_key_choice(mini: Checklist) -> None:
    """Choice questions take option numbers, ids or labels, and the last number is don't know."""
    q = mini.question_by_id["setting"]
    assert parse_key("2", q).value == "home"
    assert parse_key("home", q).value == "home"
    assert parse_key("in a clinic", q).value == "clinic"
    assert parse_key("3", q).value == "unknown"
    assert parse_key("4", q).act is Act.INVALID
    assert parse_key("yes", q).act is Act.INVALID


def test_full_interview_saves_every_answer(mini: Checklist, tmp_path: Path) -> None:
    """A full run asks the shown questions in order, saves owner-only, and finishes at review."""
    session = _session(mini, tmp_path)
    ui = ScriptedUI(["1", "1", "2", "1", "3", ""])
    assert run(session, ui) is Outcome.FINISHED
    assert ui.shown == [
        "setting",
        "licensed",
        "experience",
        "monitoring",
        "calm_room",
    ]  # sitter hidden
    assert _saved(session, mini) == {
        "setting": "clinic",
        "licensed": "yes",
        "experience": "partly",
        "monitoring": "yes",
        "calm_room": "no",
    }
    assert session.path.stat().st_mode & 0o777 == 0o600


def test_help_note_back_skip_and_invalid(mini: Checklist, tmp_path: Path) -> None:
    """? explains, n attaches a note, b goes back to change, s records unknown, bad keys re-ask."""
    session = _session(mini, tmp_path)
    ui = ScriptedUI(["1", "?", "n", "Board site checked", "1", "zz", "b", "3", "s", "1", "1", ""])
    assert run(session, ui) is Outcome.FINISHED
    assert "help:licensed" in ui.said
    assert any(s.startswith("Please type a number from 1 to 5") for s in ui.said)
    assert ui.shown == [
        "setting",
        "licensed",
        "experience",
        "licensed",
        "experience",
        "monitoring",
        "calm_room",
    ]
    assert session.entries["licensed"].value == "no"
    assert session.entries["licensed"].note == "Board site checked"  # kept when the answer changed
    assert session.entries["experience"].value == "unknown"


def test_quit_keeps_answers_and_marks_the_rest_not_asked(mini: Checklist, tmp_path: Path) -> None:
    """q stops at once; answers so far are saved and unasked questions are comments."""
    session = _session(mini, tmp_path)
    assert run(session, ScriptedUI(["2", "1", "q"])) is Outcome.QUIT
    text = session.path.read_text()
    assert "  # experience: (not asked yet)" in text
    assert _saved(session, mini) == {"setting": "home", "licensed": "yes"}


@pytest.mark.parametrize("stop", [KeyboardInterrupt, EOFError])
def test_interrupt_loses_nothing_acknowledged(
    mini: Checklist, tmp_path: Path, stop: type[BaseException]
) -> None:
    """Ctrl-C or end of input mid-way leaves every acknowledged answer in the file."""
    session = _session(mini, tmp_path)
    inputs = ["1", "1", "2"] + (["^C"] if stop is KeyboardInterrupt else [])
    with pytest.raises(stop):
        run(session, ScriptedUI(inputs))
    assert _saved(session, mini) == {"setting": "clinic", "licensed": "yes", "experience": "partly"}


def test_resume_asks_only_what_is_missing_or_unknown(mini: Checklist, tmp_path: Path) -> None:
    """A resumed interview passes over settled answers and asks skipped and new ones."""
    first = _session(mini, tmp_path)
    run(first, ScriptedUI(["1", "1", "s", "q"]))
    resumed = resume_session(ScriptedUI([]), load_resume(first.path, str(MINI)), None)
    assert resume_summary(resumed) == [("Staff", 3, 3), ("Care", 0, 2)]
    ui = ScriptedUI(["", "1", "1", ""])
    assert run(resumed, ui) is Outcome.FINISHED
    # Where the person stopped: the "don't know" just before the first question never asked
    # (perhaps a note typed, then q), kept with Enter; nothing earlier is asked again.
    assert ui.shown == ["experience", "monitoring", "calm_room"]
    assert resumed.entries["experience"].value == UNKNOWN


def test_resume_with_nothing_left_unasked_asks_the_dont_knows(
    mini: Checklist, tmp_path: Path
) -> None:
    """Coming back after the whole checklist was asked: the "don't know"s are asked again."""
    first = _session(mini, tmp_path)
    run(first, ScriptedUI(["1", "1", "4", "1", "4", ""]))
    resumed = resume_session(ScriptedUI([]), load_resume(first.path, str(MINI)), None)
    ui = ScriptedUI(["1", "3", ""])
    assert run(resumed, ui) is Outcome.FINISHED
    assert ui.shown == ["experience", "calm_room"]


def test_review_change_of_setting_asks_new_questions(mini: Checklist, tmp_path: Path) -> None:
    """Changing the setting in the review brings in the questions that now apply."""
    session = _session(mini, tmp_path)
    ui = ScriptedUI(["1", "1", "1", "1", "1", "1", "2", "3", ""])
    assert run(session, ui) is Outcome.FINISHED
    assert ui.shown[-2:] == ["setting", "sitter"]
    assert session.entries["sitter"].value == "no"
    assert [(r.question.id, r.attention) for r in ui.reviews[-1].groups[0].rows] == [
        ("sitter", Attention.RED_FLAG)
    ]


def test_ask_subject_requires_a_name() -> None:
    """A blank name is asked again; location and website may be skipped."""
    ui = ScriptedUI(["", "  Harbor  ", "", "https://harbor.example"])
    subject = ask_subject(ui)
    assert (subject.name, subject.location, subject.website) == (
        "Harbor",
        None,
        "https://harbor.example",
    )


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Dr. Ana's Clinic!", "dr-ana-s-clinic"),
        ("***", "provider"),
        ("Ünïcode Care", "n-code-care"),
    ],
)
def test_slug(name: str, stem: str) -> None:
    """Clinic names become safe file names."""
    assert slug(name) == stem


def test_default_path_never_takes_another_subjects_file(tmp_path: Path) -> None:
    """An existing file about someone else is left alone; the new file gets a number."""
    (tmp_path / "harbor.vetcheck.yaml").write_text("other")
    path = default_answers_path(tmp_path, "Harbor", lambda p: False)
    assert path.name == "harbor-2.vetcheck.yaml"
    assert default_answers_path(tmp_path, "Harbor", lambda p: True).name == "harbor.vetcheck.yaml"


def test_resume_after_checklist_change_keeps_fitting_answers(
    mini: Checklist, tmp_path: Path
) -> None:
    """A file started on another checklist version: say so, keep answers that still fit, ask the rest."""
    from vetcheck.interview import load_resume, resume_session

    path = tmp_path / "old.vetcheck.yaml"
    path.write_text(
        "vetcheck: 1\nchecklist: {id: mini, version: '0.9', hash: 'sha256:0000000000000000'}\n"
        "subject: {name: Harbor Clinic}\nrole: patient\n"
        "answers:\n  setting: clinic\n  licensed: yes\n  retired_question: no\n"
    )
    resume = load_resume(path, str(FIXTURES / "mini.yaml"))
    assert resume.changed and resume.started_on == "0.9"
    ui = ScriptedUI(["1", "1", "1", ""])
    session = resume_session(ui, resume, None)
    assert any("The checklist changed since you started" in s for s in ui.said)
    assert any("retired_question" in s and "kept in the file" in s for s in ui.said)
    assert run(session, ui) is Outcome.FINISHED
    assert ui.shown == ["experience", "monitoring", "calm_room"]  # only what is new to this file
    saved = load_answers(path)
    assert saved.checklist_version == "1.0" and "retired_question" not in saved.entries
    assert saved.set_aside["retired_question"].value == "no"  # kept, not scored
    assert saved.entries["licensed"].value == "yes"


def test_a_question_is_numbered_by_its_place_in_the_checklist(mini: Checklist) -> None:
    """Checklist.number counts every question from 1 in checklist order, and the answers file
    and the question sheet (even one for a route where Q5 does not apply) show that number."""
    from vetcheck.render.answers import render_answers
    from vetcheck.render.markdown import render_question_sheet
    from vetcheck.render.sheet import Sheet

    assert [mini.number(q.id) for q in mini.questions] == [1, 2, 3, 4, 5, 6]
    answers = Answers.new(mini, Subject("Harbor"), Role.PATIENT, {})
    assert "  # Q6. Is the room calm and private?\n" in render_answers(mini, answers)
    sheet = render_question_sheet(Sheet(mini, Role.PATIENT, "clinic"))
    assert "- ☐ Q6. Is the room calm and private?\n" in sheet and "Q5." not in sheet


def test_the_screen_shows_the_checklist_number_whatever_the_route(
    mini: Checklist, tmp_path: Path
) -> None:
    """Issue 14: the calm-room question is Q6 in a clinic (where Q5 does not apply) and at
    home; only the count of questions that apply changes."""
    session = _session(mini, tmp_path)
    session.entries["setting"] = AnswerEntry("clinic")
    clinic = session.view(4)
    assert (clinic.question.id, clinic.number, clinic.answered, clinic.total) == (
        "calm_room",
        6,
        1,
        5,
    )
    session.entries["setting"] = AnswerEntry("home")
    home = session.view(5)
    assert (home.question.id, home.number, home.total) == ("calm_room", 6, 6)
    assert (session.view(4).question.id, session.view(4).number) == ("sitter", 5)


def _answered(session: Session, values: dict[str, tuple[str, str | None]]) -> Session:
    for qid, (value, note) in values.items():
        session.entries[qid] = AnswerEntry(value, note)
    return session


def test_review_rows_mark_what_needs_a_look(mini: Checklist, tmp_path: Path) -> None:
    """A red flag, a must-ask, a don't know, a note and a question not asked are marked; a
    plain good answer is not. Numbers are the checklist's (calm_room is Q6 in a clinic)."""
    session = _answered(
        _session(mini, tmp_path),
        {
            "setting": ("clinic", None),
            "licensed": ("partly", None),
            "experience": ("unknown", None),
            "monitoring": ("no", None),
            "calm_room": ("yes", "Saw it on the tour"),
        },
    )
    rows = review_rows(session)
    assert [(r.number, r.question.id, r.answer, r.attention) for r in rows] == [
        (1, "setting", "In a clinic", None),
        (2, "licensed", "Partly", Attention.MUST_ASK),
        (3, "experience", "Don't know yet", Attention.NOT_KNOWN),
        (4, "monitoring", "No", Attention.RED_FLAG),
        (6, "calm_room", "Yes", Attention.NOTE),
    ]
    del session.entries["experience"]
    assert [(r.answer, r.attention) for r in review_rows(session) if r.number == 3] == [
        ("not asked", Attention.NOT_KNOWN)
    ]


def test_review_pages_fit_the_room_and_hold_every_answer(mini: Checklist, tmp_path: Path) -> None:
    """Page 0 lists what needs a look, most urgent first, cut to the room with a count of
    the rest; the other pages hold every answer once, section by section, each within the
    room, a section moving whole to the next page when it fits there."""
    session = _answered(
        _session(mini, tmp_path),
        {
            "setting": ("home", None),
            "licensed": ("yes", "Board site"),
            "experience": ("unknown", None),
            "monitoring": ("partly", None),
            "sitter": ("no", None),
            "calm_room": ("yes", None),
        },
    )
    roomy = review_pages(session, 6)
    first = roomy[0]
    assert (first.page, first.pages, first.answered, first.total, first.left_out) == (0, 2, 5, 6, 0)
    assert [g.title for g in first.groups] == ["These need a look (4):"]
    assert [(r.question.id, r.attention) for r in first.groups[0].rows] == [
        ("sitter", Attention.RED_FLAG),
        ("monitoring", Attention.MUST_ASK),
        ("experience", Attention.NOT_KNOWN),
        ("licensed", Attention.NOTE),
    ]
    assert _listed(roomy) == [[("Staff", [1, 2, 3])], [("Care", [4, 5, 6])]]  # Care moved whole

    tight = review_pages(session, 3)
    assert [r.question.id for r in tight[0].groups[0].rows] == ["sitter", "monitoring"]
    assert tight[0].left_out == 2
    assert _listed(tight) == [
        [("Staff", [1, 2])],
        [("Staff (continued)", [3])],
        [("Care", [4, 5])],
        [("Care (continued)", [6])],
    ]
    assert all(sum(1 + len(g.rows) for g in p.groups) <= 6 for p in roomy)
    assert all(sum(1 + len(g.rows) for g in p.groups) <= 3 for p in tight)


def _listed(pages: list[ReviewPage]) -> list[list[tuple[str, list[int]]]]:
    """The titles and question numbers of the pages after the first."""
    return [[(g.title, [r.number for r in g.rows]) for g in p.groups] for p in pages[1:]]


def test_review_takes_checklist_numbers_and_pages_with_m(mini: Checklist, tmp_path: Path) -> None:
    """In a clinic, 6 (or Q6) changes the calm-room question, not the sixth one shown; 5 says
    plainly that it does not apply and why; m shows each page of all answers, then the first
    list again; a number that is no question is refused."""
    session = _session(mini, tmp_path)
    ui = ScriptedUI(["1", "1", "1", "1", "1", "m", "m", "m", "5", "99", "Q6", "3", ""], room=4)
    assert run(session, ui) is Outcome.FINISHED
    assert [p.page for p in ui.reviews] == [0, 1, 2, 0, 0]
    assert ui.said[-2:] == [
        "Q5 does not apply to you, because of your answer to Q1.",
        "Please type a question's number, like 6 for Q6, or press Enter to finish.",
    ]
    assert ui.shown[-1] == "calm_room" and session.entries["calm_room"].value == "no"
