"""Everything vetcheck writes, it reads back (issue 14).

vetcheck writes two kinds of file that it reads again: answers files (the interview saves one
after every answer, `template` writes a blank one) and the built-in checklists' data copies
(docs/generate.py). For any text a person can type or pass, and any text or id a checklist can
hold, what is written must load back to the same values, or be refused where it is given, with
a message saying why: the interview asks again, `template` exits 2.
"""

from __future__ import annotations

import copy
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from conftest import MINI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.errors import InvalidInputError
from vetcheck.interview import Session, ask_one, ask_subject, load_resume
from vetcheck.loader import (
    check_answers,
    data_copy,
    data_copy_path,
    load_answers,
    load_checklist,
    load_data_copy,
)
from vetcheck.model import AnswerEntry, Answers, Checklist, Question, Report, Role, Subject
from vetcheck.render.answers import render_answers
from vetcheck.text import clean_typed

ROUND_TRIP = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
runner = CliRunner()

# Text that YAML reads as something else, or refuses, unless it is written with care.
TRICKY = [
    *["null", "Null", "~", "true", "yes", "no", "on", "off", "y", "n", "0x1", "1e3", "0o17"],
    *[".nan", ".inf", "-.inf", "1_000", "2026-11-22", "12:30:00", "---", "...", "a: b", "a #b"],
    *"-?:,[]{}#&*!|>'\"%@`",
    *["- x", "? x", ": x", "# x", "&x", "*x", "!x", "!!str x", "| x", "> x", "%YAML", "@x", "`x"],
    *["\x00", "\x07", "\x08", "\x7f", "\x85", "\x9b2J", "\x9f", "\t", "\r", "\n", "\r\n"],
    *["\x1b", "\x1b[D", "\x1bOA", "\x1b]0;title\x07", "\x1b[200~"],
    *["\ufffe", "\uffff", "\ufeff", "\u2028", "\u2029", "\u00a0", "\u202e", "\u200b"],
    *[" ", "  x  ", "\U0001f600", "é", "中文"],
]
pieces = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
texts = st.lists(pieces, max_size=6).map("".join)
# Where blank text is refused (a checklist's wording), so that most examples reach the writer.
words = texts.map(lambda text: text if text.strip() else text + "x")
# Near each limit: names and locations 300 characters, websites 500, notes 20,000.
long_texts = st.builds(
    lambda n, c: (c * n)[:n],
    st.sampled_from([299, 300, 301, 499, 500, 501, 4001, 20_000, 20_001]),
    st.sampled_from(["x", "é", "\x1b[D", " a", "\U0001f600"]),
)
# Bytes that were not UTF-8, as a terminal or a command line hands them to Python
# (surrogateescape), and other lone surrogates.
not_text = st.builds(
    lambda head, code, tail: head + chr(code) + tail,
    texts,
    st.one_of(st.integers(0xDC80, 0xDCFF), st.integers(0xD800, 0xDFFF)),
    texts,
)
typed = st.one_of(texts, texts, long_texts, not_text)


class Typist:
    """A UI where a person types the given lines at each prompt, then the fallback there."""

    FALLBACK: ClassVar[dict[str, str]] = {"Clinic": "Fallback Clinic", "Your": "1"}

    def __init__(self, lines: dict[str, list[str]]) -> None:
        self.lines = lines
        self.said: list[str] = []

    def read(self, prompt: str) -> str:
        word = prompt.split()[0]  # Clinic, Location, Website, Your (answer), Note
        queue = self.lines.get(word, [])
        return queue.pop(0) if queue else self.FALLBACK.get(word, "")

    def say(self, text: str) -> None:
        self.said.append(text)

    def heading(self, text: str) -> None:
        pass

    def show_question(self, view: object) -> None:
        pass

    def show_help(
        self, question: Question, look: object, role: object
    ) -> None:  # pragma: no cover - not asked for here
        pass

    def show_review(self, rows: object) -> None:  # pragma: no cover - not reached here
        pass

    def show_resume_summary(self, rows: object) -> None:  # pragma: no cover - not reached here
        pass

    def show_result(self, report: Report, report_path: Path) -> None:  # pragma: no cover
        pass


def _folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """One folder for all of a test's examples (a new one for each costs more than the test)."""
    folder = factory.getbasetemp() / f"roundtrip-{name}"
    folder.mkdir(exist_ok=True)
    return folder


def _kept_or_told(stored: str | None, typed: str, ui: Typist, blank_means: str | None) -> None:
    """What was typed is stored (without the spaces around it), or the person was told why not."""
    wanted = typed.strip() or blank_means
    assert stored == wanted or ui.said, (typed, stored, ui.said)


@ROUND_TRIP
@given(name=typed, location=typed, website=typed, note=typed)
def test_what_the_interview_saves_reads_back(
    mini: Checklist,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    location: str,
    website: str,
    note: str,
) -> None:
    """Any name, location, website and note typed in the interview is saved so that `report`
    and a resumed interview read back exactly what was stored, or is asked for again."""
    ui = Typist(
        {"Clinic": [name], "Location": [location], "Website": [website], "Your": ["n"]}
        | {"Note": [note]}
    )
    subject = ask_subject(ui)
    path = _folder(tmp_path_factory, "interview") / "a.vetcheck.yaml"
    path.unlink(missing_ok=True)  # a new interview's file
    session = Session(mini, path, Role.PATIENT, subject)
    session.save()
    assert ask_one(session, ui, 0) == 1  # n, the note, then an answer
    _kept_or_told(subject.name, name, ui, None)
    _kept_or_told(subject.location, location, ui, None)
    _kept_or_told(subject.website, website, ui, None)
    _kept_or_told(session.entries["setting"].note, note, ui, None)

    loaded = load_answers(path)
    assert loaded.subject == subject
    assert loaded.entries == session.entries
    resumed = load_resume(path, str(MINI))
    assert resumed.answers.subject == subject and resumed.answers.entries == session.entries


@ROUND_TRIP
@given(name=typed)
def test_what_template_writes_reads_back(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """`template -s NAME` writes a file that reads back with exactly NAME, or exits 2 saying why."""
    out = _folder(tmp_path_factory, "template") / "a.vetcheck.yaml"
    out.unlink(missing_ok=True)
    result = runner.invoke(app, ["template", "-c", str(MINI), "-s", name, "-o", str(out)])
    if result.exit_code == 0:
        assert load_answers(out).subject.name == name
    else:
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: --subject "), result.stderr
        assert not out.exists()


MINI_DATA = yaml.safe_load(MINI.read_text())
_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
ids = st.one_of(
    st.sampled_from(["null", "yes", "no", "on", "off", "y", "n", "true", "x-1", "a_b"]),
    st.from_regex(r"[a-z][a-z0-9_]{0,6}(-[a-z0-9_]{1,3}){0,2}", fullmatch=True),
)


@ROUND_TRIP
@given(
    checklist_id=ids,
    question_id=ids,
    option_id=ids,
    title=words,
    section=words,
    wording=words,
    why=words,
    label=words,
    note=texts,
    kept=words.filter(lambda v: len(v) <= 80),
    multiple=st.booleans(),
    more=st.sampled_from([0, 3, 18, 19]),  # 20 options fit in one answer, 21 do not
)
def test_what_vetcheck_writes_from_a_checklist_reads_back(
    tmp_path_factory: pytest.TempPathFactory,
    checklist_id: str,
    question_id: str,
    option_id: str,
    title: str,
    section: str,
    wording: str,
    why: str,
    label: str,
    note: str,
    kept: str,
    multiple: bool,
    more: int,
) -> None:
    """Whatever ids and text a checklist holds (wording is written into answers files as
    comments), the template, an interview's file and the data copy read back the same; so do
    all the options of a `multiple` question picked at once, and an answer set aside after a
    checklist change (any value a file held)."""
    data: dict[str, Any] = copy.deepcopy(MINI_DATA)
    data["id"], data["title"] = checklist_id, title
    data["sections"][0]["title"] = section
    setting, experience = data["questions"][0], data["questions"][2]
    setting["options"][1]["id"] = option_id
    setting["options"][1]["label"] = label
    setting["options"] += [{"id": f"more-{i}", "label": f"Option {i}"} for i in range(more)]
    setting["multiple"] = multiple
    data["questions"][4]["show_if"]["any_of"] = [option_id]
    experience["id"] = question_id
    experience["text"]["patient"], experience["why"] = wording, why
    folder = _folder(tmp_path_factory, "checklist")
    yaml_path = folder / "checklist.yaml"
    yaml_path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=False), encoding="utf-8")
    try:
        checklist = load_checklist(yaml_path)
    except InvalidInputError:
        return  # refused where it is given: a clash of ids, an id `null`, …

    # The data copy that vetcheck reads instead of the YAML.
    data_copy_path(yaml_path).write_text(data_copy(yaml_path), encoding="utf-8")
    assert load_data_copy(yaml_path) == checklist

    subject = Subject("Harbor Clinic", evaluated=date(2026, 11, 22))
    entries = {
        "setting": AnswerEntry(
            tuple(o.id for o in checklist.question_by_id["setting"].options)
            if multiple
            else option_id,
            note if note.strip() else None,
        ),
        question_id: AnswerEntry("partly"),
    }
    aside = {"removed-question": AnswerEntry(kept, note if note.strip() else None)}
    for pending in (False, True):  # `template` (with answers), the interview's file
        answers = Answers.new(checklist, subject, Role.PATIENT, entries, set_aside=aside)
        path = folder / f"answers-{pending}.yaml"
        path.write_text(render_answers(checklist, answers, pending_as_comments=pending), "utf-8")
        loaded, warnings = check_answers(load_answers(path), checklist)
        assert warnings == []
        assert {k: e for k, e in loaded.entries.items() if k in entries} == entries
        assert loaded.set_aside == aside


# --- Refused where it is given, with a message ----------------------------------------------


def test_a_name_too_long_for_the_file_is_asked_for_again() -> None:
    """A name over the 300 characters an answers file holds is asked again, saying why."""
    ui = Typist({"Clinic": ["x" * 301, "x" * 300], "Location": ["\udce9", "Portland"]})
    subject = ask_subject(ui)
    assert (subject.name, subject.location) == ("x" * 300, "Portland")
    assert ui.said == [
        "That name is 301 characters long; the most it can hold is 300. Please type it again.",
        "That location holds bytes that are not UTF-8 text. Please type it again.",
    ]


def test_a_note_too_long_is_not_saved_and_the_person_is_told(
    mini: Checklist, tmp_path: Path
) -> None:
    """A note over 20,000 characters is refused as it is typed; one of 20,000 is kept."""
    session = Session(mini, tmp_path / "a.vetcheck.yaml", Role.PATIENT, Subject("Harbor Clinic"))
    ui = Typist({"Your": ["n", "n", "1"], "Note": ["x" * 20_001, "y" * 20_000]})
    assert ask_one(session, ui, 0) == 1
    assert ui.said == [
        "That note is 20,001 characters long; the most it can hold is 20,000, so it was not saved.",
        "Note saved.",
    ]
    assert load_answers(session.path).entries["setting"] == AnswerEntry("clinic", "y" * 20_000)


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("", "--subject must not be blank; give the name of the clinic or provider"),
        (" \t", "--subject must not be blank; give the name of the clinic or provider"),
        ("x" * 301, "--subject is 301 characters long; the most it can hold is 300"),
        ("Caf\udce9", "--subject holds bytes that are not UTF-8 text"),
    ],
)
def test_template_refuses_a_subject_no_answers_file_can_hold(
    tmp_path: Path, subject: str, message: str
) -> None:
    """`template -s ""` used to write `name: ""`, which `report` refused: now exit 2, no file."""
    out = tmp_path / "a.vetcheck.yaml"
    result = runner.invoke(app, ["template", "-c", str(MINI), "-s", subject, "-o", str(out)])
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")
    assert not out.exists()


def test_a_checklist_offering_more_picks_than_an_answer_holds_is_refused(tmp_path: Path) -> None:
    """A `multiple` question with 21 options could be answered with all 21, which no answers
    file holds (20 at most): the checklist is refused when it is read, saying so."""
    data: dict[str, Any] = copy.deepcopy(MINI_DATA)
    setting = data["questions"][0]
    setting["multiple"] = True
    setting["options"] += [{"id": f"more-{i}", "label": f"Option {i}"} for i in range(19)]
    path = tmp_path / "checklist.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_checklist(path)
    assert [p.message for p in info.value.problems] == [
        "question 'setting': a question with multiple: true may have at most 20 options "
        "(an answer lists at most 20); split it"
    ]


# --- Typed text: what a terminal adds is removed ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Harbor\x1b[D\x1b[D Clinic", "Harbor Clinic"),  # Left, Left
        ("\x1b[A\x1b[B1", "1"),  # Up, Down, then the answer
        ("Harbor\x1bOD", "Harbor"),  # Left in application cursor mode (SS3)
        ("\x1b[1;5C\x1b[3~x\x1b[15~", "x"),  # Ctrl+Right, Delete, F5
        ("\x1bOP\x1bOQ", ""),  # F1, F2
        ("\x1b[200~pasted\x1b[201~", "pasted"),  # bracketed paste marks
        ("a\x1b]0;title\x07b\x1b]52;c;aGk=\x1b\\c", "abc"),  # OSC strings, BEL or ST ended
        ("a\x9b2Jb\x8fAc", "abc"),  # 8-bit CSI and SS3
        ("\x1bbback", "back"),  # Alt+b
        ("end\x1b", "end"),  # Escape pressed last
        ("a\x00b\x07c\x7fd\x08e", "abcde"),
        ("a\tb\r\nc\u2028d\x85e", "a b  c d e"),  # kept apart, as on the screen
        ("\ufeffa\ufffeb\uffff", "ab"),
        ("Café «Ünïcødé» 😀 中文 \u00a0x", "Café «Ünïcødé» 😀 中文 \u00a0x"),
    ],
)
def test_keys_typed_without_line_editing_leave_no_trace(typed: str, kept: str) -> None:
    """Arrow, function and Alt keys arrive as escape sequences: each is removed whole."""
    assert clean_typed(typed) == kept


@settings(max_examples=100, deadline=None)
@given(st.one_of(texts, st.text()))
def test_cleaned_text_has_no_control_characters(text: str) -> None:
    """Cleaning leaves no control character, byte order mark, noncharacter or line separator;
    it never changes printable text, and cleaning twice changes nothing more."""
    cleaned = clean_typed(text)
    assert not [c for c in cleaned if unicodedata.category(c) in ("Cc", "Zl", "Zp")]
    assert not set(cleaned) & {"\ufeff", "\ufffe", "\uffff"}
    assert clean_typed(cleaned) == cleaned
    if text.isprintable():
        assert cleaned == text
