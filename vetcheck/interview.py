"""The interview: ask the checklist's questions one by one, saving after every answer.

The loop talks to the person only through the `UI` protocol, so it is tested with a scripted
UI in microseconds; `vetcheck.console` provides the terminal UI that `vetcheck interview` uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vetcheck.errors import FileAccessError
from vetcheck.loader import normalise_value
from vetcheck.model import (
    UNKNOWN,
    Answer,
    AnswerEntry,
    Answers,
    AnswerValue,
    Checklist,
    Question,
    Report,
    Role,
    Status,
    Subject,
)
from vetcheck.render.answers import render_answers
from vetcheck.schema import max_length
from vetcheck.scoring import status_of, visible
from vetcheck.storage import PRIVATE, write_atomic
from vetcheck.text import text_problem

if TYPE_CHECKING:
    from vetcheck.places import Places
    from vetcheck.render.words import LookLine

# Answer keys for yes/no questions: a digit or the word, in display order.
YES_NO_KEYS: tuple[tuple[str, str, str], ...] = (
    ("1", Answer.YES.value, "yes"),
    ("2", Answer.PARTLY.value, "partly"),
    ("3", Answer.NO.value, "no"),
    ("4", Answer.UNKNOWN.value, "don't know"),
    ("5", Answer.NA.value, "not applicable"),
)
# One-letter shortcuts at the prompt; every other answer word is read as in answers files.
_SHORTCUTS = {"y": Answer.YES.value, "d": Answer.UNKNOWN.value}
ACTIONS = (
    ("?", "why it matters"),
    ("n", "note"),
    ("b", "back"),
    ("s", "skip"),
    ("q", "save and quit"),
)


class Act(Enum):
    ANSWER = "answer"
    HELP = "help"
    NOTE = "note"
    BACK = "back"
    SKIP = "skip"
    QUIT = "quit"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Key:
    """What a line typed at a question means."""

    act: Act
    value: AnswerValue = ""


def choices(question: Question, role: Role) -> list[tuple[str, str]]:
    """(key, label) pairs offered for a question."""
    if question.options:
        keys = [(str(i), o.label[role]) for i, o in enumerate(question.options, 1)]
        return [*keys, (str(len(keys) + 1), "don't know")]
    return [(key, label) for key, _, label in YES_NO_KEYS]


def parse_key(text: str, question: Question) -> Key:
    """Interpret one typed line; unknown input is INVALID with nothing else implied."""
    word = text.strip().lower()
    actions = {
        "?": Act.HELP,
        "h": Act.HELP,
        "n": Act.NOTE,
        "b": Act.BACK,
        "s": Act.SKIP,
        "q": Act.QUIT,
    }
    if word in actions:
        return Key(actions[word])
    if question.options:
        if _is_number(word) and int(word) == len(question.options) + 1:
            return Key(Act.ANSWER, UNKNOWN)
        numbers = word.replace(",", " ").split()  # several at once: "1, 3"
        if numbers and all(_is_number(n) for n in numbers):
            picked = [int(n) - 1 for n in numbers]
            if (len(picked) == 1 or question.multiple) and all(
                0 <= i < len(question.options) for i in picked
            ):
                ids = tuple(dict.fromkeys(question.options[i].id for i in picked))
                return Key(Act.ANSWER, ids if question.multiple else ids[0])
            return Key(Act.INVALID)
        for option in question.options:  # typed out in either reader's words
            if word in (option.label.patient.lower(), (option.label.referrer or "").lower()):
                return Key(Act.ANSWER, (option.id,) if question.multiple else option.id)
    else:
        for key, value, _ in YES_NO_KEYS:
            if word == key:
                return Key(Act.ANSWER, value)
    meant = normalise_value(question, _SHORTCUTS.get(word, word))
    return Key(Act.INVALID) if meant is None or not word else Key(Act.ANSWER, meant)


def _is_number(word: str) -> bool:
    """ASCII digits only: "²" and "①" are digits to str.isdigit() but not numbers to int()."""
    return word.isascii() and word.isdigit() and len(word) < 6


def hint(question: Question) -> str:
    last = len(question.options) + 1 if question.options else len(YES_NO_KEYS)
    pick = (
        f"the numbers of all that apply, with commas between them (like 1, 3), or {last} if you don't know"
        if question.multiple
        else f"a number from 1 to {last}"
    )
    return f"Please type {pick}, or ? for help, n for a note, b to go back, s to skip, q to save and quit."


@dataclass(frozen=True, slots=True)
class QuestionView:
    """Everything the UI shows for one question."""

    question: Question
    wording: str
    section_title: str
    section_number: int
    section_count: int
    number: int  # the question's number in the checklist (Q3), whatever applies
    answered: int  # progress: how many of the questions that apply have an answer
    total: int  # how many questions apply
    section_done: int
    section_total: int
    choices: list[tuple[str, str]]
    current: AnswerEntry | None
    role: Role  # whose words the current answer is shown in


class Attention(Enum):
    """Why an answer is listed first in the review, most urgent first."""

    RED_FLAG = "red flag"
    MUST_ASK = "must ask"
    NOT_KNOWN = "not known yet"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    number: int  # the question's number in the checklist (Q3)
    question: Question
    wording: str
    answer: str
    note: str | None
    attention: Attention | None = None


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    """Rows under a title: a section of the answers, or the answers that need a look."""

    title: str
    rows: tuple[ReviewRow, ...]


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One screen of the review.

    Page 0 lists the answers that need a look; pages 1 to `pages` list all the answers,
    section by section, as many as fit on a screen.
    """

    page: int
    pages: int
    groups: tuple[ReviewGroup, ...]
    answered: int  # questions that apply with an answer other than "don't know"
    total: int  # questions that apply
    left_out: int = 0  # answers that need a look but did not fit on page 0

    @property
    def more(self) -> str:
        """What typing `m` shows next."""
        if self.page == 0:
            return f"see all your answers ({_count(self.pages, 'page')})"
        if self.page < self.pages:
            return f"see the next page ({self.page + 1} of {self.pages})"
        return "go back to the answers that need a look"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class UI(Protocol):
    """How the interview talks to a person. Reads may raise EOFError or KeyboardInterrupt."""

    def read(self, prompt: str) -> str: ...
    def say(self, text: str) -> None: ...
    def heading(self, text: str) -> None: ...
    def show_question(self, view: QuestionView) -> None: ...
    def show_help(self, question: Question, look: LookLine | None, role: Role) -> None: ...
    def show_review(self, page: ReviewPage) -> None: ...
    def review_room(self) -> int:
        """How many lines of a review page (titles and answers) fit on the screen."""
        ...

    def show_resume_summary(self, rows: Sequence[tuple[str, int, int]]) -> None: ...
    def show_result(self, report: Report, report_path: Path) -> None: ...


class Outcome(Enum):
    FINISHED = "finished"
    QUIT = "quit"


def slug(name: str) -> str:
    """A safe file-name stem from a clinic name: 'Dr. Ana's Clinic!' → 'dr-ana-s-clinic'."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50].strip("-")
    return stem or "provider"


def default_answers_path(
    folder: Path, name: str, same_subject: Callable[[Path], bool], avoid: Path | None = None
) -> Path:
    """`<slug>.vetcheck.yaml` in folder, numbered when a file there is about someone else (or
    is `avoid`, where the report goes)."""
    base = slug(name)
    for n in range(1, 1000):
        candidate = folder / (f"{base}.vetcheck.yaml" if n == 1 else f"{base}-{n}.vetcheck.yaml")
        if avoid is not None and candidate.resolve() == avoid.resolve():
            continue
        if not candidate.exists() or same_subject(candidate):
            return candidate
    raise RuntimeError("no free file name")  # pragma: no cover - a thousand files of one name


@dataclass
class Session:
    """An interview in progress: the checklist, the answers so far and where they are saved."""

    checklist: Checklist
    path: Path
    role: Role
    subject: Subject
    entries: dict[str, AnswerEntry] = field(default_factory=dict)
    set_aside: dict[str, AnswerEntry] = field(default_factory=dict)
    # The file as this session last saw it (None: it did not exist), and the answers it held:
    # a save first checks that no one else (another interview, an editor) changed it since.
    on_disk: str | None = None
    saved: dict[str, AnswerEntry] = field(default_factory=dict)
    _places: Places | None = field(default=None, repr=False)

    def look_ups(self, question: Question) -> LookLine | None:
        """The official look-ups for a question (its `?` help), for the state that counts."""
        if not question.look_up:
            return None
        from vetcheck.loader import load_places
        from vetcheck.places import where_for
        from vetcheck.render.words import look_ups

        if self._places is None:
            self._places = load_places()
        return look_ups(
            where_for(self._places, self.checklist, self.answers()), question, self.role
        )

    def answers(self) -> Answers:
        return Answers.new(
            self.checklist, self.subject, self.role, self.entries, str(self.path), self.set_aside
        )

    def save(self) -> None:
        text = render_answers(self.checklist, self.answers(), pending_as_comments=True)
        if _current(self.path) != self.on_disk:
            raise ChangedElsewhere(self.path, self._unsaved())
        write_atomic(self.path, text)
        self.on_disk = text
        self.saved = dict(self.entries)

    def _unsaved(self) -> list[str]:
        """What this session holds that is not in the file: 'Q7 (yes, with a note)'."""
        from vetcheck.render.common import answer_words

        out = []
        for q in self.checklist.questions:
            entry = self.entries.get(q.id)
            if entry is not None and entry != self.saved.get(q.id):
                note = ", with a note" if entry.note else ""
                out.append(
                    f"Q{self.checklist.number(q.id)} ({answer_words(q, entry.value, self.role)}{note})"
                )
        return out

    def shown(self) -> list[Question]:
        flags = visible(self.checklist, self.answers())
        return [q for q in self.checklist.questions if flags[q.id]]

    def view(self, index: int) -> QuestionView:
        """What to show for the question at `index` among those shown."""
        shown = self.shown()
        q = shown[index]
        sections = [s for s in self.checklist.sections if any(x.section == s.id for x in shown)]
        section = next(s for s in sections if s.id == q.section)
        in_section = [x for x in shown if x.section == q.section]
        return QuestionView(
            question=q,
            wording=q.wording(self.role),
            section_title=section.title,
            section_number=sections.index(section) + 1,
            section_count=len(sections),
            number=self.checklist.number(q.id),
            answered=sum(x.id in self.entries for x in shown),
            total=len(shown),
            section_done=sum(x.id in self.entries for x in in_section),
            section_total=len(in_section),
            choices=choices(q, self.role),
            current=self.entries.get(q.id),
            role=self.role,
        )


class ChangedElsewhere(FileAccessError):
    """The answers file changed on disk since this interview last saved it."""

    def __init__(self, path: Path, unsaved: Sequence[str]) -> None:
        lost = f" Not saved: {', '.join(unsaved)}." if unsaved else ""
        super().__init__(
            f"{path} was changed by another program (another vetcheck interview, or an "
            f"editor) since this interview last saved it. Stopped without saving, so that "
            f"change is kept.{lost}"
        )


def _current(path: Path) -> str | None:
    """The file's text now (as read_text decodes it), or None when there is none."""
    try:
        return path.read_bytes().decode("utf-8-sig", "replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FileAccessError(f"{path}: cannot read ({exc.strerror or exc})") from None


def ask_subject(ui: UI) -> Subject:
    """Who is being evaluated: a name is required, the rest may be left blank."""
    ui.heading("Who are you evaluating?")
    name = _ask_text(
        ui,
        "Clinic or provider name",
        "name",
        "A name is needed so the report and file can be named. Any name you will recognise is fine.",
    )
    location = _ask_text(ui, "Location (city, state), or Enter to skip", "location") or None
    website = _ask_text(ui, "Website, or Enter to skip", "website") or None
    return Subject(name, location, website, date.today())


def _ask_text(ui: UI, prompt: str, key: str, if_blank: str = "") -> str:
    """A subject's field, asked again until the answers file can hold it (blank: if allowed)."""
    while True:
        text = ui.read(prompt).strip()
        problem = text_problem(text, max_length(Subject, key))
        if problem:
            ui.say(f"That {key} {problem}. Please type it again.")
        elif text or not if_blank:
            return text
        else:
            ui.say(if_blank)


def run(session: Session, ui: UI) -> Outcome:
    """Ask every question that has no real answer yet, in order, then review.

    Questions answered before this run (a resumed interview) are passed over but can be
    reached with "back" and changed in the review. Saves after every change, so an
    interruption at any moment loses nothing that was acknowledged.
    """
    # Carry on at the first question never asked; when all were asked, at the "don't know"s.
    # A "don't know" just before it may be where the person stopped (a note typed, then q),
    # so that one is shown again: Enter keeps it.
    asked = set(session.entries)
    shown = session.shown()
    first = next((i for i, q in enumerate(shown) if q.id not in asked), None)
    if first is not None:
        settled = set(asked)
        if first > 0 and session.entries[shown[first - 1].id].value == UNKNOWN:
            settled.discard(shown[first - 1].id)
    else:
        settled = {qid for qid, e in session.entries.items() if e.value != UNKNOWN}
    stopped_after = shown[first - 1].id if first else None
    if stopped_after == session.checklist.route_question and not session.subject.patient_state:
        ask_patient_state(session, ui)  # stopped at the state's question, just after the route
    if not ask_through(session, ui, settled):
        return Outcome.QUIT
    return review(session, ui)


def ask_through(session: Session, ui: UI, settled: set[str]) -> bool:
    """Ask the shown questions not in `settled`, first to last; False when the person quits."""
    index, forced = 0, False
    while index < len(shown := session.shown()):  # answers can change what is shown
        if shown[index].id in settled and not forced:
            index += 1
            continue
        step = ask_one(session, ui, index)
        if step is None:
            return False
        forced = step < 0  # going back shows the previous question even if it was settled
        index = max(0, index + step)
    return True


def ask_one(session: Session, ui: UI, index: int) -> int | None:
    """Ask one question until it is answered: +1 to move on, -1 to go back, None to quit."""
    view = session.view(index)
    q = view.question
    ui.show_question(view)
    note = view.current.note if view.current else None
    while True:
        typed = ui.read("Your answer")
        if not typed.strip() and view.current is not None:
            return 1  # Enter keeps the answer already given
        key = parse_key(typed, q)
        if key.act is Act.ANSWER or key.act is Act.SKIP:
            value = key.value if key.act is Act.ANSWER else UNKNOWN
            session.entries[q.id] = AnswerEntry(value, note)
            session.save()
            if q.id == session.checklist.route_question:
                ask_patient_state(session, ui)
            return 1
        if key.act is Act.HELP:
            ui.show_help(q, session.look_ups(q), session.role)
        elif key.act is Act.NOTE:
            typed = ui.read("Note (Enter to leave it as it is, - to remove it)").strip()
            problem = text_problem(typed, max_length(AnswerEntry, "note"))
            if problem:
                ui.say(f"That note {problem}, so it was not saved.")
                continue
            if typed == "-":
                note = None
            elif typed:
                note = typed
            # Saved at once, with "unknown" until an answer comes: quitting keeps the note.
            current = session.entries.get(q.id, AnswerEntry(UNKNOWN))
            session.entries[q.id] = replace(current, note=note)
            session.save()
            ui.say("Note saved." if note else "No note.")
        elif key.act is Act.BACK:
            if index == 0:
                ui.say("This is the first question.")
            else:
                return -1
        elif key.act is Act.QUIT:
            return None
        else:
            ui.say(hint(q))


def ask_patient_state(session: Session, ui: UI) -> None:
    """For a program that sees the patient away from the clinic (telehealth, home visits):
    the state the patient is in during visits, whose license counts. Asked each time the route
    is answered (Enter keeps what was given, or skips), and on resuming a file that stopped
    at this question."""
    from vetcheck.places import remote_route
    from vetcheck.states import STATES, state_in

    if not remote_route(session.checklist, session.entries):
        return
    patient = session.role is Role.PATIENT
    now = session.subject.patient_state
    known = state_in(now, asked_for_a_state=True) if now else None
    ui.say(
        "The prescriber must, with few exceptions, be licensed in the state where "
        + ("you are during the visits." if patient else "the patient is during the visits.")
    )
    prompt = "Which state will " + ("you" if patient else "the patient") + " be in during visits"
    enter = f"keep {STATES[known]}" if known else "skip"
    while True:
        typed = ui.read(f"{prompt}? (e.g. TX; Enter to {enter})").strip()
        if typed.lower() in ("", "s"):
            return
        if typed == "?":
            ui.say(
                "With a state, the help and the report name that state's medical and nursing "
                "boards, where a license can be checked. vetcheck looks nothing up itself."
            )
            continue
        code = state_in(typed, asked_for_a_state=True)
        if code is not None:
            session.subject = replace(session.subject, patient_state=code)
            session.save()
            ui.say(f"Noted: {STATES[code]}. How-to-check help will name its boards.")
            return
        ui.say(
            "That is not a US state, DC or Puerto Rico. Type a code such as TX or a name such "
            f"as Texas, or press Enter to {enter}."
        )


REVIEW_PROMPT = "Type a number to change that answer, or press Enter to finish"


def review(session: Session, ui: UI) -> Outcome:
    """Show the answers that need a look, and all of them a page at a time on request; let the
    person change any answer by its question's number before finishing."""
    page, show = 0, True
    while True:
        pages = review_pages(session, ui.review_room())
        page = min(page, len(pages) - 1)  # a change can leave fewer pages
        if show:
            ui.show_review(pages[page])
        typed = ui.read(REVIEW_PROMPT).strip().lower()
        if not typed:
            return Outcome.FINISHED
        if typed == "q":
            return Outcome.QUIT
        if typed == "m":  # the next page; after the last one, the first list again
            page, show = (page + 1) % len(pages), True
            continue
        index = _index_to_change(session, ui, typed)
        show = index is not None  # after a mistyped line, only the prompt again
        if index is None:
            continue
        settled = set(session.entries) | {session.shown()[index].id}
        if ask_one(session, ui, index) is None:
            return Outcome.QUIT
        if any(q.id not in session.entries for q in session.shown()):  # a new setting adds some
            ui.say("That change brings in questions that apply now. Let's answer them.")
            if not ask_through(session, ui, settled):
                return Outcome.QUIT


def _index_to_change(session: Session, ui: UI, typed: str) -> int | None:
    """Where the question numbered `typed` ("23" or "q23") is among those shown; None, after
    saying why, when it is not a question that applies."""
    checklist = session.checklist
    shown = session.shown()
    word = typed.removeprefix("q")  # the screen shows "Q23": typing it that way works too
    if not (_is_number(word) and 1 <= int(word) <= len(checklist.questions)):
        last = checklist.number(shown[-1].id)
        ui.say(
            f"Please type a question's number, like {last} for Q{last}, or press Enter to finish."
        )
        return None
    number = int(word)
    for index, q in enumerate(shown):
        if checklist.number(q.id) == number:
            return index
    cond = next(q for q in checklist.questions if checklist.number(q.id) == number).show_if
    because = (
        "" if cond is None else f", because of your answer to Q{checklist.number(cond.question)}"
    )
    ui.say(f"Q{number} does not apply to you{because}.")
    return None


def review_rows(session: Session) -> list[ReviewRow]:
    """A row for each question that applies, in checklist order, marked when it needs a look."""
    checklist = session.checklist
    rows = []
    for q in session.shown():
        entry = session.entries.get(q.id)
        rows.append(
            ReviewRow(
                checklist.number(q.id),
                q,
                q.wording(session.role),
                _answer_label(q, entry, session.role),
                _note(entry),
                _attention(checklist, q, entry),
            )
        )
    return rows


def _attention(checklist: Checklist, q: Question, entry: AnswerEntry | None) -> Attention | None:
    if entry is None:
        return Attention.NOT_KNOWN
    # The report's own verdict on the answer, so the review flags what the report will.
    status = status_of(q, entry.value, True, q.id in checklist.controlling_ids)
    if status is Status.RED_FLAG:
        return Attention.RED_FLAG
    if status is Status.MUST_ASK:
        return Attention.MUST_ASK
    if entry.value == UNKNOWN:
        return Attention.NOT_KNOWN
    return Attention.NOTE if entry.note else None


def review_pages(session: Session, room: int) -> list[ReviewPage]:
    """The review, `room` lines a page (a title or an answer is one line).

    Page 0 lists what needs a look, most urgent first: red flags, must-ask answers, answers
    not known yet, then answers with a note. The other pages hold every answer, section by
    section; a section moves whole to the next page when it fits there but not here.
    """
    room = max(room, 2)  # a title and one answer
    rows = review_rows(session)
    entries = session.entries
    answered = sum(
        r.question.id in entries and entries[r.question.id].value != UNKNOWN for r in rows
    )
    urgency = list(Attention)
    flagged = sorted(
        (r for r in rows if r.attention is not None),
        key=lambda r: (urgency.index(r.attention) if r.attention else 0, r.number),
    )
    title = f"These need a look ({len(flagged)}):" if flagged else "Nothing needs a second look."
    listed = tuple(flagged[: room - 1])

    sheets = _by_section(session.checklist, rows, room)
    pages = len(sheets)
    first = ReviewPage(
        0, pages, (ReviewGroup(title, listed),), answered, len(rows), len(flagged) - len(listed)
    )
    rest = [
        ReviewPage(n, pages, tuple(groups), answered, len(rows))
        for n, groups in enumerate(sheets, 1)
    ]
    return [first, *rest]


def _by_section(checklist: Checklist, rows: list[ReviewRow], room: int) -> list[list[ReviewGroup]]:
    """Rows packed into pages of `room` lines, under their section's title."""
    sheets: list[list[ReviewGroup]] = [[]]
    used = 0
    for section in checklist.sections:
        left = [r for r in rows if r.question.section == section.id]
        if not left:
            continue
        name = section.title
        if used and 1 + len(left) > room - used and 1 + len(left) <= room:
            sheets.append([])  # the whole section fits on the next page, but not on this one
            used = 0
        while left:
            if room - used < 2:  # no room for a title and one answer
                sheets.append([])
                used = 0
            part, left = left[: room - used - 1], left[room - used - 1 :]
            sheets[-1].append(ReviewGroup(name, tuple(part)))
            used += 1 + len(part)
            name = f"{section.title} (continued)"
    return sheets


def _answer_label(question: Question, entry: AnswerEntry | None, role: Role) -> str:
    from vetcheck.render.common import answer_words

    return "not asked" if entry is None else answer_words(question, entry.value, role)


def _note(entry: AnswerEntry | None) -> str | None:
    return None if entry is None else entry.note


def resume_summary(session: Session) -> list[tuple[str, int, int]]:
    """(section title, answered, applicable) for each section that has questions shown."""
    shown = session.shown()
    rows = []
    for section in session.checklist.sections:
        in_section = [q for q in shown if q.section == section.id]
        if in_section:
            rows.append(
                (section.title, sum(q.id in session.entries for q in in_section), len(in_section))
            )
    return rows


# --- Starting, resuming and finishing (files, but no terminal code) -------------------------


@dataclass(frozen=True)
class Resume:
    """An existing answers file, checked against its checklist, ready to continue."""

    path: Path
    checklist: Checklist
    answers: Answers
    warnings: tuple[str, ...]
    changed: bool  # the checklist's version or questions changed since the file was started
    started_on: str | None
    original: str  # the file as read, to keep a copy of and to detect changes by others


def load_resume(path: Path, checklist_ref: str | None) -> Resume:
    """Load and check an answers file to resume.

    Against the same checklist version an unknown id or value is an error (a typo the person
    should fix, not data to drop); after a checklist change, answers that no longer fit are
    set aside in the file, with a warning, never dropped.
    """
    from vetcheck.document import compose, read_text
    from vetcheck.loader import answers_from_node, check_answers, load_checklist_ref
    from vetcheck.resources import checklist_ref_for

    original = read_text(path)  # kept: a change by anyone else is caught at the next save
    loaded = answers_from_node(compose(original, str(path)), str(path))
    checklist = load_checklist_ref(
        checklist_ref or checklist_ref_for(loaded.checklist_id, str(path))
    )
    checked, warnings = check_answers(loaded, checklist)
    same_questions = loaded.checklist_hash == checklist.content_hash
    changed = (
        loaded.checklist_version not in (None, checklist.version) and not same_questions
    ) or loaded.checklist_hash not in (None, checklist.content_hash)
    return Resume(
        path, checklist, checked, tuple(warnings), changed, loaded.checklist_version, original
    )


def resume_session(ui: UI, resume: Resume, role: Role | None) -> Session:
    for warning in resume.warnings:
        ui.say(warning)
    if resume.changed:
        ui.say(
            f"The checklist changed since you started (you began on version {resume.started_on}, "
            f"it is now {resume.checklist.version}). Answers to questions that still exist are kept; "
            "you will be asked only the new or changed ones."
        )
    answers = resume.answers
    if role is not None and role is not answers.role:
        ui.say(f"This file was started as {answers.role.value}; keeping that wording.")
    session = Session(
        resume.checklist,
        resume.path,
        answers.role,
        answers.subject,
        dict(answers.entries),
        dict(answers.set_aside),
        resume.original,
        dict(answers.entries),
    )
    ui.show_resume_summary(resume_summary(session))
    text = render_answers(session.checklist, session.answers(), pending_as_comments=True)
    copy = keep_a_copy(resume.path, resume.original, text)
    if copy is not None:
        ui.say(
            "Saving rewrites the comments in your file (yours, or those of an older "
            f"checklist), so a copy of it as it was is kept in {copy}"
        )
    session.save()  # records the checklist version and hash the answers now follow
    return session


def keep_a_copy(path: Path, original: str, text: str) -> Path | None:
    """Copy the file as it was beside it, when saving `text` would lose a line of its comments.

    A comment line (anything with `#`) that the new text does not hold is something the person
    may have typed; vetcheck never removes it without leaving a copy. The copy's name is new:
    an earlier copy is never replaced.
    """
    kept = {line.strip() for line in text.splitlines()}
    old = original.splitlines()
    if all("#" not in line or line.strip() in kept for line in old):
        return None
    name = path.name.removesuffix(".yaml").removesuffix(".vetcheck")
    for n in range(1, 1000):
        copy = path.with_name(
            f"{name}.copy-{n}.vetcheck.yaml" if n > 1 else f"{name}.copy.vetcheck.yaml"
        )
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise FileAccessError(
                f"{copy}: cannot keep a copy of your file before saving ({exc.strerror or exc}); nothing was changed"
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(original.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            copy.unlink(missing_ok=True)
            raise FileAccessError(
                f"{copy}: cannot keep a copy of your file before saving ({exc.strerror or exc}); nothing was changed"
            ) from None
        return copy
    raise FileAccessError(f"{path}: too many copies beside it; move some away")


def new_session(
    ui: UI,
    checklist: Checklist,
    role: Role | None,
    path: Path | None,
    checklist_ref: str | None,
    report: Path | None = None,
) -> Session:
    """Ask who is evaluated, then start (or pick up) that subject's answers file (never at the
    path the report is to be written to)."""
    subject = ask_subject(ui)
    target = path or default_answers_path(
        Path.cwd(), subject.name, lambda p: _same_subject(p, subject.name), report
    )
    if target.exists():
        ui.say(f"You already started on {subject.name}; picking up from {target}.")
        return resume_session(ui, load_resume(target, checklist_ref), role)
    session = Session(checklist, target, role or Role.PATIENT, subject)
    session.save()
    return session


def _holds_answers(path: Path) -> bool:
    """Whether a file is a vetcheck answers file (one this run keeps, or anyone's)."""
    from vetcheck.errors import VetcheckError
    from vetcheck.loader import load_answers

    try:
        load_answers(path)
    except VetcheckError:
        return False  # missing, unreadable or not answers: a report may go there
    return True


def _same_subject(path: Path, name: str) -> bool:
    from vetcheck.errors import VetcheckError
    from vetcheck.loader import load_answers

    try:
        return load_answers(path).subject.name.casefold() == name.casefold()
    except VetcheckError:
        return False  # unreadable: never overwrite it, pick another name


def resume_command(
    path: Path, checklist_ref: str | None, plain: bool, program: Sequence[str] = ("vetcheck",)
) -> str:
    """The exact command that continues this interview; `program` is how vetcheck was started."""
    import shlex

    parts = [*program, "interview", "--answers", str(path)]
    if checklist_ref:
        parts += ["--checklist", checklist_ref]
    if plain:
        parts.append("--plain")
    return shlex.join(parts)


def finish(session: Session, ui: UI, report_path: Path | None, today: date) -> Path:
    """Score, write the markdown report (default: next to the answers file) and show the result."""
    from vetcheck.loader import with_lookups
    from vetcheck.render.markdown import render_markdown
    from vetcheck.scoring import score

    result = with_lookups(score(session.checklist, session.answers()))
    name = session.path.name.removesuffix(".vetcheck.yaml").removesuffix(".yaml")
    default = session.path.with_name(f"{name}.report.md")
    target = report_path or default
    if target != default and _holds_answers(target):
        # The answers file, the copy kept of it, or any other answers: never replaced by a report.
        ui.say(f"{target} holds answers, so the report was not written there.")
        target = default
    write_atomic(target, render_markdown(result, today))
    ui.show_result(result, target)
    return target
