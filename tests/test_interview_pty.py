"""End-to-end: the real `vetcheck interview` in a pseudo-terminal, as a person would use it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import MINI, good_answer, spawn, start
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import check_answers, load_answers, load_checklist, load_checklist_ref
from vetcheck.model import AnswerEntry, Answers, Role, Subject
from vetcheck.render.answers import render_answers
from vetcheck.scoring import visible

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

PROMPT = "Your answer:"


def answer(child: pexpect.spawn, *keys: str) -> None:
    for key in keys:
        child.expect(PROMPT)
        child.sendline(key)


def finish(child: pexpect.spawn) -> int:
    child.expect("press Enter to finish:")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def saved(path: Path) -> dict[str, str]:
    answers, _ = check_answers(load_answers(path), load_checklist(MINI))
    return {k: e.value for k, e in answers.entries.items()}


def test_full_interview_writes_answers_and_report(tmp_path: Path) -> None:
    """A whole interview: subject, answers, review, then a report and a summary on screen."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1", "1", "1", "1", "2")
    child.expect("Review your answers")
    child.expect("Nothing needs a second look.")
    assert finish(child) == 0
    output = child.before
    assert "Grade: A (91 / 100)" in output  # 10 of 11 weight: calm_room (2) partly
    answers_file = tmp_path / "harbor-clinic.vetcheck.yaml"
    report = tmp_path / "harbor-clinic.report.md"
    assert saved(answers_file) == {
        "setting": "clinic",
        "licensed": "yes",
        "experience": "yes",
        "monitoring": "yes",
        "calm_room": "partly",
    }
    assert report.read_text().startswith("# vetcheck report: Harbor Clinic")
    assert answers_file.stat().st_mode & 0o777 == 0o600 and report.stat().st_mode & 0o777 == 0o600


def test_help_note_back_and_skip(tmp_path: Path) -> None:
    """? shows why and how to check, n adds a note, b goes back, s skips as unknown."""
    child = spawn(tmp_path, "--checklist", str(MINI), "--plain")
    start(child)
    answer(child, "1", "?")
    child.expect("How to check: Look the licence up")
    answer(child, "n")
    child.expect("Note")
    child.sendline("Checked the board site")
    answer(child, "1", "b")
    child.expect("Current answer: Yes \\(note: Checked the board site\\)")
    answer(child, "3", "s", "1", "1")
    assert finish(child) == 0
    answers = load_answers(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert answers.entries["licensed"].value == "no"
    assert answers.entries["licensed"].note == "Checked the board site"
    assert answers.entries["experience"].value == "unknown"
    assert "\x1b[" not in child.before  # --plain: no colour or style codes


def test_ctrl_c_then_resume_with_printed_command(tmp_path: Path) -> None:
    """Ctrl-C after N answers exits 130 with the resume command; resuming keeps all N and finishes."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "2", "1", "3")
    child.expect(PROMPT)
    child.sendintr()
    child.expect("To carry on where you left off, run: (.*)\r\n")
    command = child.match.group(1).strip()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    path = tmp_path / "harbor-clinic.vetcheck.yaml"
    assert saved(path) == {"setting": "home", "licensed": "yes", "experience": "no"}

    args = shlex.split(command)  # started as `python -m vetcheck`: resumed the same way, verbatim
    assert args[:4] == [sys.executable, "-m", "vetcheck", "interview"]
    resumed = spawn(tmp_path, command=args)
    resumed.expect("Welcome back")
    resumed.expect("Will someone check your heart")  # the first unanswered question
    answer(resumed, "1", "1", "1")
    assert finish(resumed) == 0
    assert saved(path) == {
        "setting": "home",
        "licensed": "yes",
        "experience": "no",
        "monitoring": "yes",
        "sitter": "yes",
        "calm_room": "yes",
    }


def test_end_of_input_midway(tmp_path: Path) -> None:
    """Ctrl-D (end of input) mid-way saves, says how to resume, and exits 130 without a traceback."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1", "1")
    child.expect(PROMPT)
    child.sendeof()
    child.expect("To carry on where you left off")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.before
    assert saved(tmp_path / "harbor-clinic.vetcheck.yaml") == {
        "setting": "clinic",
        "licensed": "yes",
    }


def test_no_terminal_points_to_template_and_report(tmp_path: Path) -> None:
    """Without a terminal the interview refuses in one line and exits 2."""
    result = subprocess.run(
        [sys.executable, "-m", "vetcheck", "interview"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: interview needs a terminal to ask questions. Without one, run `vetcheck template -o FILE`, fill in FILE, then `vetcheck report FILE`"
    ]
    assert list(tmp_path.iterdir()) == []


def test_quit_prints_the_resume_command_on_one_line(tmp_path: Path) -> None:
    """q in a narrow terminal with a long path: the printed command is one line that resumes."""
    folder = tmp_path / ("a-long-folder-name-" * 4)
    folder.mkdir()
    child = spawn(folder, "--checklist", str(MINI))
    child.setwinsize(24, 60)
    start(child)
    answer(child, "2", "q")
    child.expect("To carry on, run: (.*)\r\n")
    command = child.match.group(1).strip()
    child.expect(pexpect.EOF)
    args = shlex.split(command)
    assert args[:4] == [sys.executable, "-m", "vetcheck", "interview"] and "--answers" in args
    resumed = spawn(folder, command=args)
    resumed.expect("Welcome back")
    resumed.close(force=True)


def _entries(path: Path) -> dict[str, tuple[object, str | None]]:
    answers = load_answers(path)
    return {k: (e.value, e.note) for k, e in answers.entries.items()}


def _at_the_first_note_prompt(tmp_path: Path) -> pexpect.spawn:
    """An interview on the mini checklist, at the note prompt of its first yes/no question."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1")  # the route
    child.expect(PROMPT)
    child.sendline("n")
    child.expect("Note")
    return child


def test_a_pasted_multi_line_note_is_one_note_and_answers_nothing(tmp_path: Path) -> None:
    """Issue 14: pasting 'From their FAQ:⏎Yes⏎all prescribers hold a licence.' at the note
    prompt records one note; the 'Yes' line never becomes an answer."""
    child = _at_the_first_note_prompt(tmp_path)
    child.send("From their FAQ:\nYes\nall prescribers hold a licence.\n")  # one paste
    child.expect("Note saved.")
    child.expect(PROMPT)  # the same question is asked again
    child.sendline("q")
    child.expect(pexpect.EOF)
    entries = _entries(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert entries["licensed"] == ("unknown", "From their FAQ: Yes all prescribers hold a licence.")
    assert "experience" not in entries


def test_a_paste_without_a_final_enter_never_becomes_the_next_answer(tmp_path: Path) -> None:
    """A copied text often ends without a line break: 'Board site shows license active⏎no'
    at the note prompt leaves 'no' waiting in the terminal. It must not become the answer
    when the person next presses Enter (before the fix: a red flag never chosen)."""
    child = _at_the_first_note_prompt(tmp_path)
    child.send("Board site shows license active\nno")  # one paste, no final Enter
    child.expect("Note saved.")
    child.expect(PROMPT)
    child.sendline("")  # Enter: no answer yet, so the question is asked again
    child.expect(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    entries = _entries(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert entries["licensed"] == ("unknown", "Board site shows license active")


def test_a_note_cut_short_by_the_terminal_says_so(tmp_path: Path) -> None:
    """A terminal passes at most 4,095 characters of one line: a longer pasted note is cut
    before vetcheck sees it. The person is told, never just "Note saved." of half a note."""
    child = _at_the_first_note_prompt(tmp_path)
    child.send("word " * 1200 + "\n")  # 6,000 characters in one line
    child.expect("limit of 4,095 characters")
    child.expect("Note saved.")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    note = _entries(tmp_path / "harbor-clinic.vetcheck.yaml")["licensed"][1]
    assert note is not None and 4000 < len(note) < 4096


def test_a_note_is_kept_when_the_person_stops_before_answering(tmp_path: Path) -> None:
    """'Note saved.' is true: Ctrl-C before any answer to that question keeps the note."""
    child = _at_the_first_note_prompt(tmp_path)
    child.sendline("They would not say.")
    child.expect("Note saved.")
    child.expect(PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    entries = _entries(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert entries["licensed"] == ("unknown", "They would not say.")


def test_enter_keeps_the_answer_already_given(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--checklist", str(MINI))
    start(child)
    answer(child, "1", "3", "b")  # back to the licence question, answered no
    child.expect("Current answer: No")
    child.expect(PROMPT)
    child.sendline("")
    answer(child, "1", "q")  # "1" answers the next question only if Enter moved on
    child.expect(pexpect.EOF)
    entries = _entries(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert entries["licensed"] == ("no", None) and entries["experience"] == ("yes", None)


# --- Issue 14: the interview screen -----------------------------------------------------------

REVIEW_PROMPT = "press Enter to finish:"
_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def screen_text(output: str) -> str:
    """What the terminal shows: styles removed, lines ended by \\n."""
    return _STYLE.sub("", output).replace("\r\n", "\n")


def number_shown(child: pexpect.spawn, wording: str) -> tuple[int, int]:
    """The question's number (Q23) and the count of questions that apply, as on the screen of
    the question just shown, which must be the one starting with `wording`."""
    text = screen_text(child.before)
    label = re.findall(r"^Q(\d+)\b.* (\d+) questions answered", text[: text.index(wording)], re.M)
    assert label, text
    number, total = label[-1]
    return int(number), int(total)


def test_a_question_has_one_number_on_screen_in_the_file_and_on_the_sheet(tmp_path: Path) -> None:
    """Issue 14: the number the interview shows for a question is its number in the answers
    file and on `vetcheck questions`, before and after a new answer to Q1 (at home, not in a
    clinic) changes which questions apply, and typing it in the review reaches it."""
    checklist = load_checklist_ref("ketamine-provider")
    entries = {q.id: AnswerEntry(good_answer(q)) for q in checklist.questions if not q.options} | {
        "setting": AnswerEntry(("clinic_iv",)),
        "reason": AnswerEntry("mood"),
    }
    path = tmp_path / "harbor.vetcheck.yaml"
    path.write_text(
        render_answers(checklist, Answers.new(checklist, Subject("Harbor"), Role.PATIENT, entries))
    )
    wording = "Does the clinic follow written safety rules"
    typed = str(checklist.number("safety_protocols"))  # a clinic-route question's number
    child = spawn(tmp_path, "--answers", str(path))
    child.expect(REVIEW_PROMPT)  # every answer is there: straight to the review
    child.sendline(typed)
    child.expect(PROMPT)
    in_clinic = number_shown(child, wording)
    child.sendline("")  # keep the answer
    child.expect(REVIEW_PROMPT)
    child.sendline("1")
    child.expect(PROMPT)
    child.sendline("5")  # at home: the clinic-only questions no longer apply, the home ones do
    child.expect("Which state will you be in during visits")
    child.sendline("")  # skipped: asked about in its own test
    while child.expect([PROMPT, REVIEW_PROMPT]) == 0:
        child.sendline("1")
    child.sendline(typed)
    child.expect(PROMPT)
    at_home = number_shown(child, wording)
    child.sendline("")
    assert finish(child) == 0

    assert in_clinic[0] == at_home[0] and in_clinic[1] != at_home[1]
    number = in_clinic[0]
    assert f"  # Q{number}. {wording}" in path.read_text()
    runner = CliRunner()
    for route in ([], ["--route", "at_home"], ["--route", "clinic_iv"]):
        sheet = runner.invoke(app, ["questions", *route]).stdout
        assert f"- ☐ Q{number}. {wording}" in sheet


def review_page(child: pexpect.spawn) -> list[str]:
    """The lines of the review page whose heading was just matched, from the blank line
    before it to the prompt."""
    heading = child.after
    child.expect(REVIEW_PROMPT)
    return ["", *screen_text(heading + child.before + REVIEW_PROMPT).split("\n")]


@pytest.mark.parametrize("plain", [False, True])
def test_the_review_fits_a_small_screen_and_m_shows_the_rest(tmp_path: Path, plain: bool) -> None:
    """Issue 14: at 24 rows by 80 columns every review page (the answers that need a look,
    then all answers a page at a time) fits the screen, and m reaches every answer."""
    example = Path(__file__).parents[1] / "examples" / "risky-telehealth.vetcheck.yaml"
    path = tmp_path / "quickcalm.vetcheck.yaml"
    path.write_text(example.read_text())
    checklist = load_checklist_ref("ketamine-provider")
    answers, _ = check_answers(load_answers(path), checklist)
    applies = visible(checklist, answers)
    expected = {n for n, q in enumerate(checklist.questions, 1) if applies[q.id]}

    child = spawn(
        tmp_path, "--answers", str(path), *(["--plain"] if plain else []), rows=24, columns=80
    )
    while child.expect([PROMPT, "Review your answers"]) == 0:
        child.sendline("")  # the "don't know" answers are asked again: keep them
    pages = [review_page(child)]
    assert len(pages[0]) <= 24, "\n".join(pages[0])
    assert "…and" in pages[0][-3]  # more need a look than fit
    child.sendline("m")
    while True:
        heading = child.expect([r"All your answers, page \d+ of \d+", "Review your answers"])
        if heading == 1:  # after the last page, the first list again
            review_page(child)
            break
        pages.append(review_page(child))
        child.sendline("m")
    for page in pages:
        assert len(page) <= 24, "\n".join(page)
        assert max(len(line) for line in page) <= 80
    numbers = [{int(n) for n in re.findall(r"^  Q(\d+) ", "\n".join(p), re.M)} for p in pages]
    assert set().union(*numbers[1:]) == expected
    assert numbers[0] and expected - numbers[0]  # the rest are only on the later pages
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def option_lines(child: pexpect.spawn) -> list[str]:
    """The lines between a question and the keys line (? why it matters …)."""
    child.expect(PROMPT)
    lines = screen_text(child.before).split("\n")
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith("? why it matters"))
    start = next(i for i, line in enumerate(lines) if re.match(r"\s+1\s", line))
    return lines[start:end]


def test_answers_are_listed_one_per_line(tmp_path: Path) -> None:
    """Issue 14, without --plain too: each choice on a line of its own, yes/no included, and a
    label too long for the line goes on under itself, not under the numbers."""
    checklist = load_checklist_ref("ketamine-provider")
    child = spawn(tmp_path, rows=24, columns=80)
    start(child)
    for labels in (
        [o.label.patient for o in checklist.question_by_id["setting"].options] + ["don't know"],
        [o.label.patient for o in checklist.question_by_id["reason"].options] + ["don't know"],
        ["yes", "partly", "no", "don't know", "not applicable"],  # licence_verified
    ):
        lines = option_lines(child)
        keyed = [re.match(r"\s+(\d+)\s+(.*?)\s*$", line) for line in lines]
        shown = [(int(m.group(1)), m.group(2)) for m in keyed if m]
        assert [key for key, _ in shown] == list(range(1, len(labels) + 1)), lines
        for (_, start_of_label), label in zip(shown, labels, strict=True):
            assert label.startswith(start_of_label)
        for line, m in zip(lines, keyed, strict=True):
            assert m or line.startswith(" " * 6), line  # a wrapped label stays in its column
        child.sendline("1")
    child.close(force=True)


def test_keys_typed_in_a_name_or_note_leave_no_trace(tmp_path: Path) -> None:
    """Issue 14: arrow and Delete keys pressed at a prompt (no line editing) used to be stored
    as ESC [ D in the clinic's name, in a file that `report` then refused; now the escape
    sequences are removed whole, and the file reads back with the text as it was meant."""
    child = spawn(tmp_path, "--checklist", str(MINI))
    child.expect("provider name:")
    child.sendline("Harbor\x1b[D\x1b[C Clinic")  # Left, Right
    child.expect("Location")
    child.sendline("\x1bOAPortland")  # Up, in application cursor mode
    child.expect("Website")
    child.sendline("")
    answer(child, "1\x1b[B", "n")  # Down after the answer
    child.expect("Note")
    child.sendline("Asked\x1b[3~ twice")  # Delete
    child.expect("Note saved.")
    answer(child, "q")
    child.expect(pexpect.EOF)
    answers = load_answers(tmp_path / "harbor-clinic.vetcheck.yaml")
    assert (answers.subject.name, answers.subject.location) == ("Harbor Clinic", "Portland")
    assert {k: (e.value, e.note) for k, e in answers.entries.items()} == {
        "setting": ("clinic", None),
        "licensed": ("unknown", "Asked twice"),
    }


def _answer_all(child: pexpect.spawn) -> None:
    """Answer every question of the mini checklist with its first choice, to the review."""
    while child.expect([PROMPT, REVIEW_PROMPT]) == 0:
        child.sendline("1")


def test_the_report_never_replaces_the_answers_it_comes_from(tmp_path: Path) -> None:
    """Issue 14: `--report` naming the file the interview will keep the answers in (the
    default name, chosen after the clinic's name is typed) or a copy of an answers file: the
    answers stay, and the report goes elsewhere."""
    # The default answers name asked for as the report: the answers take the next name.
    child = spawn(tmp_path, "--checklist", str(MINI), "--report", "harbor-clinic.vetcheck.yaml")
    start(child)
    _answer_all(child)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "harbor-clinic.vetcheck.yaml").read_text().startswith("# vetcheck report")
    assert load_answers(tmp_path / "harbor-clinic-2.vetcheck.yaml").entries
    # Another answers file (a copy kept of one, say) named as the report: left as it was.
    other = tmp_path / "other.vetcheck.yaml"
    other.write_bytes((tmp_path / "harbor-clinic-2.vetcheck.yaml").read_bytes())
    before = other.read_bytes()
    child = spawn(
        tmp_path,
        "--checklist",
        str(MINI),
        "--answers",
        str(tmp_path / "new.vetcheck.yaml"),
        "--report",
        str(other),
    )
    start(child)
    _answer_all(child)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    said = " ".join(screen_text(child.before).split())  # rich wraps the long path
    assert "holds answers, so the report was not written there" in said
    assert other.read_bytes() == before
    assert (tmp_path / "new.report.md").read_text().startswith("# vetcheck report")
