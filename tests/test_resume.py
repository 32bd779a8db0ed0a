"""Issue 14: resuming picks up where the person stopped, and never drops or overwrites their words.

Each test names the situation it holds: a resumed interview starts at the question where it
stopped; answers a new checklist has no place for are set aside in the file, not deleted; a
file with the person's own comments is copied before vetcheck first rewrites it; and a second
writer (another interview, an editor) is detected instead of silently overwritten.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import MINI, spawn, start
from test_interview_pty import PROMPT, answer, finish

from vetcheck.interview import (
    ChangedElsewhere,
    Outcome,
    Session,
    keep_a_copy,
    load_resume,
    resume_session,
    run,
)
from vetcheck.loader import check_answers, load_answers, load_checklist
from vetcheck.model import AnswerEntry, Checklist, Role, Subject
from vetcheck.render.answers import render_answers

pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

OLD_FILE = (
    "# My notes from the phone call, 2 Dec.\n"
    "vetcheck: 1\nchecklist: {id: mini, version: '0.9'}\n"
    "subject: {name: Harbor Clinic}\nrole: patient\n"
    "answers:\n"
    "  setting: clinic\n"
    "  licensed: yes   # the receptionist said so\n"
    "  retired_question: {answer: no, note: They had no plan for a bad reaction.}\n"
    "  experience: maybe\n"
)


class UI:
    """Answers prompts from a list; records what was said and shown."""

    def __init__(self, keys: list[str]) -> None:
        self.keys, self.said, self.shown = list(keys), list[str](), list[str]()

    def read(self, prompt: str) -> str:
        return self.keys.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)

    def heading(self, text: str) -> None: ...
    def show_question(self, view) -> None:  # type: ignore[no-untyped-def]
        self.shown.append(view.question.id)

    def show_help(self, question, look, role) -> None: ...  # type: ignore[no-untyped-def]
    def show_review(self, rows) -> None: ...  # type: ignore[no-untyped-def]
    def show_resume_summary(self, rows) -> None: ...  # type: ignore[no-untyped-def]
    def show_result(self, report, report_path) -> None: ...  # type: ignore[no-untyped-def]


@pytest.fixture
def mini() -> Checklist:
    return load_checklist(MINI)


def test_answers_a_new_checklist_rejects_are_set_aside_not_deleted(tmp_path: Path) -> None:
    """A removed question's answer and a value no longer accepted stay in the file, with notes."""
    path = tmp_path / "harbor.vetcheck.yaml"
    path.write_text(OLD_FILE)
    ui = UI([])
    session = resume_session(ui, load_resume(path, str(MINI)), None)
    assert any("retired_question" in s and "kept" in s for s in ui.said)
    saved = load_answers(path)
    assert saved.set_aside == {
        "retired_question": AnswerEntry("no", "They had no plan for a bad reaction."),
        "experience": AnswerEntry("maybe"),
    }
    assert "retired_question" not in saved.entries and "experience" not in saved.entries
    # Set aside answers do not count, and a second resume keeps them as they are.
    checked, warnings = check_answers(saved, session.checklist)
    assert warnings == [] and checked.set_aside == saved.set_aside
    again = resume_session(UI([]), load_resume(path, str(MINI)), None)
    assert again.set_aside == saved.set_aside


def test_a_set_aside_name_already_taken_gets_a_new_one(mini: Checklist, tmp_path: Path) -> None:
    """An old set-aside answer and a newly rejected one with the same id are both kept."""
    path = tmp_path / "h.vetcheck.yaml"
    path.write_text(
        OLD_FILE.replace(
            "  experience: maybe\n", "  experience: maybe\nset_aside:\n  experience: often\n"
        )
    )
    saved = resume_session(UI([]), load_resume(path, str(MINI)), None).set_aside
    assert saved["experience"] == AnswerEntry("often")
    assert saved["experience-2"] == AnswerEntry("maybe")


def test_a_file_with_the_persons_comments_is_copied_before_the_first_rewrite(
    tmp_path: Path,
) -> None:
    path = tmp_path / "harbor.vetcheck.yaml"
    path.write_text(OLD_FILE)
    ui = UI([])
    resume_session(ui, load_resume(path, str(MINI)), None)
    copy = tmp_path / "harbor.copy.vetcheck.yaml"
    assert copy.read_text() == OLD_FILE  # byte for byte, comments and all
    assert copy.stat().st_mode & 0o777 == 0o600
    assert any(str(copy) in s for s in ui.said)
    # A later change makes a second copy; the first is never replaced.
    path.write_text(path.read_text() + "# called again on 3 Dec: no answer\n")
    resume_session(UI([]), load_resume(path, str(MINI)), None)
    assert copy.read_text() == OLD_FILE
    assert "called again" in (tmp_path / "harbor.copy-2.vetcheck.yaml").read_text()


def test_a_file_vetcheck_wrote_is_not_copied(mini: Checklist, tmp_path: Path) -> None:
    """No clutter: vetcheck's own comments are rewritten as they were."""
    path = tmp_path / "h.vetcheck.yaml"
    session = Session(mini, path, Role.PATIENT, Subject("Harbor"))
    run(session, UI(["1", "1", "q"]))
    resume_session(UI([]), load_resume(path, str(MINI)), None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.vetcheck.yaml"]
    assert keep_a_copy(path, path.read_text(), path.read_text()) is None


def test_a_second_interview_on_the_same_file_is_refused(mini: Checklist, tmp_path: Path) -> None:
    """Two interviews on one file: the first to save wins; the other stops, saying what it kept back."""
    path = tmp_path / "h.vetcheck.yaml"
    run(Session(mini, path, Role.PATIENT, Subject("Harbor")), UI(["1", "q"]))
    first = resume_session(UI([]), load_resume(path, str(MINI)), None)
    second = resume_session(UI([]), load_resume(path, str(MINI)), None)
    assert run(first, UI(["1", "q"])) is Outcome.QUIT  # licensed: yes
    with pytest.raises(ChangedElsewhere) as refused:
        run(second, UI(["3"]))  # licensed: no, on a file that changed under it
    assert "Q2 (No)" in refused.value.message
    assert load_answers(path).entries["licensed"].value == "yes"  # the first one's answer


def test_a_file_deleted_during_the_interview_is_not_silently_recreated(
    mini: Checklist, tmp_path: Path
) -> None:
    path = tmp_path / "h.vetcheck.yaml"
    session = Session(mini, path, Role.PATIENT, Subject("Harbor"))
    session.save()
    path.unlink()
    session.entries["setting"] = AnswerEntry("clinic")
    with pytest.raises(ChangedElsewhere):
        session.save()
    assert not path.exists()


def test_a_new_interview_does_not_replace_a_file_created_meanwhile(
    mini: Checklist, tmp_path: Path
) -> None:
    path = tmp_path / "h.vetcheck.yaml"
    session = Session(mini, path, Role.PATIENT, Subject("Harbor"))
    other = render_answers(mini, session.answers())
    path.write_text(other)
    with pytest.raises(ChangedElsewhere):
        session.save()
    assert path.read_text() == other


@pty
def test_resume_starts_where_the_person_stopped_not_at_a_dont_know(tmp_path: Path) -> None:
    """Ctrl-C at the 4th question after a "don't know" at the 2nd: the command resumes at the 4th."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1", "4", "3")  # setting, licensed: don't know, experience
    child.expect("check your heart")
    child.expect(PROMPT)
    child.sendintr()
    child.expect("To carry on where you left off, run: (.*)\r\n")
    command = shlex.split(child.match.group(1).strip())
    child.expect(pexpect.EOF)
    resumed = spawn(tmp_path, command=command)
    resumed.expect("Welcome back")
    index = resumed.expect(["check your heart", "Is the doctor licensed"])
    assert index == 0, "resumed at the earlier 'don't know', not where the person stopped"
    resumed.close(force=True)


@pty
def test_an_edit_made_during_the_interview_is_kept(tmp_path: Path) -> None:
    """An editor saves the file mid-interview: the next answer is not written over it."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1", "1")
    child.expect(PROMPT)
    path = tmp_path / "harbor-clinic.vetcheck.yaml"
    edited = path.read_text().replace("licensed: yes", "licensed: no  # checked the board")
    path.write_text(edited)
    child.sendline("3")  # experience
    child.expect("was changed by another program")
    child.expect(r"Not saved: Q3 \(No\)")
    child.expect("To carry on from the file as it is now, run: (.*)\r\n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 4
    assert "Traceback" not in (child.before or "")
    assert path.read_text() == edited


@pty
def test_two_interviews_in_two_terminals_never_lose_an_answer(tmp_path: Path) -> None:
    """Two terminals on one answers file: the second writer is refused, the first's answer stays."""
    path = tmp_path / "h.vetcheck.yaml"
    run(Session(load_checklist(MINI), path, Role.PATIENT, Subject("Harbor")), UI(["1", "q"]))
    one = spawn(tmp_path, "--checklist", str(MINI), "--answers", str(path))
    two = spawn(tmp_path, "--checklist", str(MINI), "--answers", str(path))
    for child in (one, two):
        child.expect("Is the doctor licensed")
        child.expect(PROMPT)
    one.sendline("1")
    one.expect("given this treatment many times")
    two.sendline("3")
    two.expect("was changed by another program")
    two.expect(pexpect.EOF)
    two.close()
    assert two.exitstatus == 4
    assert load_answers(path).entries["licensed"].value == "yes"
    answer(one, "1", "1", "1")
    assert finish(one) == 0
    assert load_answers(path).entries["licensed"].value == "yes"


def test_a_note_typed_then_q_resumes_at_that_question(mini: Checklist, tmp_path: Path) -> None:
    """A note saved before any answer is stored as "don't know"; resuming shows that question
    again (Enter keeps it), not the one after it."""
    path = tmp_path / "h.vetcheck.yaml"
    session = Session(mini, path, Role.PATIENT, Subject("Harbor"))
    run(session, UI(["1", "n", "They would not say.", "q"]))  # a note at Q2, then quit
    resumed = resume_session(UI([]), load_resume(path, str(MINI)), None)
    ui = UI(["1", "q"])
    run(resumed, ui)
    assert ui.shown[0] == "licensed"
    assert load_answers(path).entries["licensed"] == AnswerEntry("yes", "They would not say.")


@pytest.mark.parametrize("name", ["careful-clinic", "risky-telehealth"])
def test_resuming_a_shipped_example_makes_no_copy(tmp_path: Path, name: str) -> None:
    """The examples are written by vetcheck for this version: resuming one rewrites nothing."""
    source = Path(__file__).parent.parent / "examples" / f"{name}.vetcheck.yaml"
    path = tmp_path / source.name
    path.write_text(source.read_text())
    resume_session(UI([]), load_resume(path, None), None)
    assert [p.name for p in tmp_path.iterdir()] == [source.name]
    assert path.read_text() == source.read_text()
