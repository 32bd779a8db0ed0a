"""Everything vetcheck writes, it reads back (issue 14).

vetcheck writes two kinds of file that it reads again: answers files (the interview saves one
after every answer, `template` writes a blank one) and the built-in checklists' data copies
(docs/generate.py). For any text a person can type or pass, and any text or id a checklist can
hold, what is written must load back to the same values, or be refused where it is given, with
a message saying why: the interview asks again, `template` exits 2.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetcheck.errors import InvalidInputError
from vetcheck.loader import (
    check_answers,
    data_copy,
    data_copy_path,
    load_answers,
    load_checklist,
    load_data_copy,
)
from vetcheck.model import AnswerEntry, Answers, Role, Subject
from vetcheck.render.answers import render_answers

ROUND_TRIP = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


def _folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """One folder for all of a test's examples (a new one for each costs more than the test)."""
    folder = factory.getbasetemp() / f"roundtrip-{name}"
    folder.mkdir(exist_ok=True)
    return folder


# Near each limit: names and locations 300 characters, websites 500, notes 20,000.

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
