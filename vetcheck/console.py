"""The terminal side of the interview: rich output, or plain text for screen readers."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from vetcheck.interview import ACTIONS, Attention, QuestionView, ReviewPage, ReviewRow
from vetcheck.model import Question, Report, Role
from vetcheck.render.common import coverage_text, found_line, grade_headline, plain
from vetcheck.render.words import (
    KNOWN_GAPS_SHOWN,
    NO_LINK,
    UNCONFIRMED_PLACE,
    LookLine,
    place_text,
    score_text,
    verdict,
)
from vetcheck.text import clean_typed


def _t(text: str, style: str = "") -> Text:
    # Text objects are never parsed as markup, and plain() drops terminal escape sequences;
    # leading spaces are kept for indentation.
    indent = len(text) - len(text.lstrip(" "))
    return Text(" " * indent + plain(text), style=style)


# A terminal in line mode passes at most this many bytes of one line (Linux: 4,096 with the
# Enter); the rest is dropped before vetcheck can see it, so a line that long was cut short.
TTY_LINE_MAX = 4095
CUT_SHORT = (
    "That line reached the terminal's limit of 4,095 characters, so its end may have been cut "
    "off. What arrived is used. For a longer note, write it in the answers file with a text editor."
)


class ConsoleUI:
    """The interview's UI on a terminal. `plain` means no color, boxes or bars."""

    def __init__(self, plain_mode: bool = False, console: Console | None = None) -> None:
        self.plain = plain_mode
        self.console = console or Console(
            # Plain: no styling at all. Otherwise rich honours NO_COLOR by itself.
            color_system=None if plain_mode else "auto",
            highlight=False,
            emoji=False,
            markup=False,
        )

    def read(self, prompt: str) -> str:
        _discard_typeahead()
        # A separate unstyled space survives rich's rendering, so typing starts after a gap.
        try:
            lines = [self.console.input(Text.assemble((plain(prompt) + ":", "bold"), " "))]
            lines += _pasted()
            if any(len(line.encode("utf-8", "replace")) >= TTY_LINE_MAX for line in lines):
                self.say(CUT_SHORT)
            # Without line editing, arrow and function keys arrive as escape sequences.
            return clean_typed(" ".join(lines))
        except UnicodeDecodeError:  # bytes that are not UTF-8 (a Latin-1 terminal): ask again
            self.say("That line held characters vetcheck cannot read. Please type it again.")
            return ""

    def say(self, text: str) -> None:
        self.console.print(_t(text, "yellow"))

    def heading(self, text: str) -> None:
        self.console.print()
        self.console.print(_t(text, "bold"))

    def show_question(self, view: QuestionView) -> None:
        c = self.console
        c.print()
        section = f"Section {view.section_number} of {view.section_count}: {view.section_title}"
        progress = f"{view.section_done} of {view.section_total} answered in this section"
        if self.plain:
            c.print(_t(f"{section} ({progress})"))
        else:
            line = _t(section, "bold cyan")
            line.append(
                f"  {_bar(view.section_done, view.section_total)} {view.section_done}/{view.section_total}",
                style="cyan",
            )
            c.print(line)
        # The number is the question's own, as on the question sheet and in the answers file;
        # the count of what applies, which changes with the treatment chosen, is only progress.
        number = f"Q{view.number}" + (" (important for safety)" if view.question.critical else "")
        progress = f"{view.answered} of {view.total} questions answered"
        if self.plain:
            c.print(_t(f"{number}. {progress}."))
        else:
            line = _t(number, "bold")
            line.append(f"  ·  {progress}", style="dim")
            c.print(line)
        c.print(_t(view.wording, "bold"))
        if view.question.bad_answer == "yes":
            c.print(_t("For this question, yes is the bad answer.", "yellow"))
        if view.question.multiple:
            c.print(
                _t(
                    "Pick all that apply: type their numbers with commas between them (1, 3).",
                    "dim",
                )
            )
        if self.plain:
            for key, label in view.choices:
                c.print(_t(f"  {key} = {label}"))
            c.print(_t("  " + ", ".join(f"{k} = {v}" for k, v in ACTIONS)))
        else:
            # One choice a line, as in plain mode; a long label wraps under itself.
            keys = Table.grid(padding=(0, 1))
            keys.add_column(no_wrap=True)
            keys.add_column()
            for key, label in view.choices:
                keys.add_row(Text(f" {key} ", style="reverse"), _t(label))
            c.print(Padding(keys, (0, 0, 0, 2), expand=False))
            c.print(_t("  " + "   ".join(f"{k} {v}" for k, v in ACTIONS), "dim"))
        if view.current is not None:
            from vetcheck.render.common import answer_words

            now = f"  Current answer: {answer_words(view.question, view.current.value, view.role)}"
            if view.current.note:
                now += f" (note: {view.current.note})"
            c.print(_t(now, "green"))

    def show_help(self, question: Question, look: LookLine | None, role: Role) -> None:
        body = Text()
        for label, text in (
            ("Why it matters", question.why[role]),
            ("A good answer", question.good_answer[role]),
            ("How to check", question.verify[role]),
        ):
            body.append(f"{label}: ", style="bold")
            body.append(plain(text) + "\n")
        if look is not None:
            for lead, places in look.groups():
                body.append(lead + "\n", style="bold")
                for place in places:
                    where = f" {place.url}" if place.url else f" ({NO_LINK})"
                    if place.url and not place.confirmed:
                        where += f" ({UNCONFIRMED_PLACE})"
                    body.append(f"  - {plain(place_text(place))}{where}\n")
            for note in look.notes:
                body.append(f"  {note}\n")
        body.rstrip()
        if self.plain:
            self.console.print(body)
        else:
            self.console.print(Panel(body, expand=False))

    def show_review(self, page: ReviewPage) -> None:
        # One line an answer (cut short with … rather than wrapped) so a page fits the screen:
        # review_room() counts on it.
        c = self.console
        self.heading(
            "Review your answers"
            if page.page == 0
            else f"All your answers, page {page.page} of {page.pages}"
        )
        c.print(
            _t(f"You answered {page.answered} of the {page.total} questions that apply to you.")
        )
        rows = [r for g in page.groups for r in g.rows]
        number_width = max((len(f"Q{r.number}") for r in rows), default=0)
        answer_width = min(max((cell_len(_answer_text(r)) for r in rows), default=0), 28)
        for group in page.groups:
            c.print(
                _t(group.title, "bold" if self.plain else "bold cyan"),
                no_wrap=True,
                overflow="ellipsis",
            )
            for r in group.rows:
                red = r.attention is Attention.RED_FLAG and not self.plain
                line = Text("  " + f"Q{r.number}".ljust(number_width) + "  ")
                answer = Text(_answer_text(r), style="red" if red else "")
                answer.truncate(answer_width, overflow="ellipsis", pad=True)
                line.append_text(answer)
                line.append("  " + plain(r.wording))
                c.print(line, no_wrap=True, overflow="ellipsis")
        if page.left_out:
            c.print(_t(f"  …and {page.left_out} more. Type m to see all your answers."))
        c.print(_t(f"Type m to {page.more}, or q to save and quit.", "dim"))

    def review_room(self) -> int:
        # Unknown height (not a terminal): assume the smallest common screen, 24 rows.
        height = self.console.size.height if self.console.is_terminal else 24
        return height - _REVIEW_FRAME

    def show_resume_summary(self, rows: Sequence[tuple[str, int, int]]) -> None:
        self.heading("Welcome back. Here is what you have answered so far:")
        for title, done, total in rows:
            bar = "" if self.plain else f"{_bar(done, total)} "
            self.console.print(_t(f"  {bar}{done} of {total}  {title}"))

    def show_result(self, report: Report, report_path: Path) -> None:
        c = self.console
        self.heading(f"Result for {report.answers.subject.name}")
        style = "bold red" if report.red_flags else "bold"
        c.print(_t(f"Grade: {grade_headline(report)}", style))
        c.print(_t(verdict(report)))
        c.print(_t(f"Score: {score_text(report)}. Coverage: {coverage_text(report.coverage)}."))
        role = report.role
        if report.red_flags:
            c.print(_t(f"Red flags ({len(report.red_flags)}):", "bold red"))
            for r in report.red_flags:
                c.print(_t(f"  - {found_line(r, role)}", "red"))
        gaps = report.known_gaps
        if gaps:
            shown = gaps[:KNOWN_GAPS_SHOWN]
            c.print(_t(f"Known gaps ({len(gaps)}), plan for these:", "bold"))
            for r in shown:
                c.print(_t(f"  - {found_line(r, role)}"))
            if len(gaps) > len(shown):
                c.print(_t(f"  …and {len(gaps) - len(shown)} more in the full report."))
        if report.must_ask:
            c.print(_t(f"Must ask ({len(report.must_ask)}):", "bold"))
            for r in report.must_ask:
                c.print(_t(f"  - {r.question.wording(role)}"))
        c.print(
            _t(f"The full report, with what to do about each point, is in {report_path}", "green")
        )
        c.print(_t("This is a checklist, not medical advice.", "dim"))


# Lines of a review page besides its titles and answers: a blank line, the heading, the count,
# "…and N more", the keys, the prompt, and one spare for a message after a mistyped line.
_REVIEW_FRAME = 7


def _answer_text(row: ReviewRow) -> str:
    """The answer and why it needs a look: "No (red flag)", "Yes (note)"."""
    why = [row.attention.value] if row.attention in (Attention.RED_FLAG, Attention.MUST_ASK) else []
    if row.note:
        why.append("note")
    return plain(row.answer) + (f" ({', '.join(why)})" if why else "")


def _bar(done: int, total: int, width: int = 10) -> str:
    filled = 0 if total == 0 else round(width * done / total)
    return "█" * filled + "░" * (width - filled)


def _discard_typeahead() -> None:
    """Drop what reached the terminal before this prompt was shown: the unfinished last line of
    a paste ("…active⏎no" with no final Enter) would otherwise become the next answer as soon
    as the person presses Enter. Nobody answers a question before seeing it."""
    if not sys.stdin.isatty():
        return
    try:
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):
        pass  # no POSIX terminal control here: nothing to drop


def _pasted() -> list[str]:
    """Lines already waiting after the one just read: the rest of a paste, never typed answers.

    A terminal hands over one line per read, so a pasted note of three lines would otherwise
    answer the next two questions ("Yes" on its own line recorded as an answer). No one types a
    second line within 50 ms of pressing Enter; a paste delivers them at once.
    """
    import select

    lines: list[str] = []
    while sys.stdin.isatty() and select.select([sys.stdin], [], [], 0.05)[0]:
        try:
            lines.append(input())
        except EOFError:
            break
    return lines
