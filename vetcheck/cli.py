"""The command line: parse arguments, call the core, write results, map errors to exit codes.

No `from __future__ import annotations` here: Typer would have to eval every parameter's
annotation string on each start, which measured as a large part of start-up time.
"""

import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer
from typer.core import TyperGroup

from vetcheck import __version__
from vetcheck.errors import (
    ExitCode,
    InvalidInputError,
    UsageError,
    environment_error,
    listed,
)

if TYPE_CHECKING:
    from vetcheck.claims import ClaimsResult, Finding
    from vetcheck.compare import Comparison
    from vetcheck.model import Answers, Checklist, Report, Role


# The base of Click's usage errors, found from Typer's public BadParameter: Typer either
# depends on Click or ships its own copy of it, and names the base class in neither case.
_ClickError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class _Commands(TyperGroup):
    """vetcheck's commands, with the one place where failures become messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:  # a click Context, which typer does not re-export
        try:
            return super().invoke(ctx)
        except InvalidInputError as exc:
            for problem in exc.problems:
                _err(f"error: {problem}")
            if len(exc.problems) > 1:
                _err(f"{len(exc.problems)} problems found; fix them and run again.")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`vetcheck … | head`): stop quietly, as Python's docs advise,
            # sending what is still buffered nowhere rather than failing again at exit.
            from vetcheck.streams import discard

            discard(sys.stdout)
            raise typer.Exit(ExitCode.FILE_ACCESS) from None
        except (typer.Exit, typer.Abort, _ClickError):
            raise  # Click's own: usage errors (exit 2 with usage), --help, Ctrl-C at a prompt
        except Exception as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):  # as wrapped in a lazy import
                _err("interrupted")
                raise typer.Exit(ExitCode.INTERRUPTED) from None
            # A VetcheckError, or the environment failing (a full disk, a deleted folder): one line.
            error = environment_error(exc)
            if error is not None:
                _err(f"error: {error.message}")
                raise typer.Exit(error.exit_code) from None
            if ctx.params.get("debug"):
                raise
            _err(
                f"error: unexpected failure ({type(exc).__name__}: {exc}). This is a bug in vetcheck; rerun with --debug and report it."
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="vetcheck",
        cls=_Commands,
        help="Vet a ketamine-therapy provider: answer a checklist, get a scored report.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app()  # every command: for help, completion, tests and programs that embed vetcheck
_COMMANDS: dict[str, tuple[Callable[..., None], str]] = {}  # name -> (function, help panel)
_T = TypeVar("_T", bound=Callable[..., None])


def _command(panel: str) -> Callable[[_T], _T]:
    """Register a command on `app`, and remember it for `app_for`."""

    def register(function: _T) -> _T:
        _COMMANDS[function.__name__] = (function, panel)
        return app.command(rich_help_panel=panel)(function)

    return register


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs these arguments: one with only the command they name, when they name
    one, since Typer builds every registered command's parameters at each start (~2 M
    instructions each, docs/performance.md) and a run uses one. Help, a mistyped command and
    shell completion (no arguments) get `app`, with every command. Both are built from the same
    functions with Typer's public API, so a command behaves the same in either
    (tests/test_cli.py checks each command's help and errors both ways)."""
    name = next((a for a in args if not a.startswith("-")), None)
    if name not in _COMMANDS:
        return app
    function, panel = _COMMANDS[name]
    one = _new_app()
    one.callback()(main_options)
    one.command(rich_help_panel=panel)(function)
    return one


# Output formats are plain text checked by `_one_of`, not enums: each enum class costs every
# command's start ~0.7 M instructions to define (docs/performance.md).
FORMATS = ("md", "json", "html")


ChecklistOpt = Annotated[
    str | None,
    typer.Option(
        "--checklist",
        "-c",
        help="Built-in checklist id or path to a checklist file. [default: the one the answers name, else ketamine-provider]",
    ),
]
RoleOpt = Annotated[
    str, typer.Option("--role", "-r", help="patient or referrer: whose wording to use.")
]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output format: md (markdown), json or html.")
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="Write to this file ('-' for stdout).")
]
RecheckOpt = Annotated[
    int,
    typer.Option(
        "--recheck-after",
        min=1,
        max=120,
        metavar="MONTHS",
        help="Answers gathered this many months ago or more are due for a re-check.",
    ),
]
ReaderOpt = Annotated[
    str | None,
    typer.Option(
        "--role",
        "-r",
        help="patient or referrer: whose wording to use. [default: the answers file's role]",
        show_default=False,
    ),
]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state",
        help='The state whose boards to name in how-to-check lines: TX, Texas or "Austin, TX". [default: the answers file\'s location or patient_state; none for the question sheet]',
        show_default=False,
    ),
]


def _program() -> tuple[str, ...]:
    """How to start this vetcheck again: plain `vetcheck` only when that name finds this one.

    Installed in a virtual environment that is not activated (as the README's quick start
    does), `vetcheck` alone is not found, so a printed command must name the full path.
    """
    import shutil

    started = Path(sys.argv[0])
    if started.name == "vetcheck":
        found = shutil.which("vetcheck")
        if found and Path(found).resolve() == started.resolve():
            return ("vetcheck",)
        return (str(started.absolute()),)
    return (sys.executable, "-m", "vetcheck")  # python -m vetcheck, or an embedding program


# Control characters (ESC starts terminal commands: colors, titles, clipboard writes) and
# invisible direction overrides, which a file's text can carry into a message.
_UNSAFE = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def _err(message: str) -> None:
    """Every message vetcheck writes to stderr, shown safely: what a file held, made visible."""
    from vetcheck.streams import say  # standard error may be closed, full or not UTF-8

    if not all(line.isprintable() for line in message.split("\n")):  # rare: skip the regex
        message = re.sub(_UNSAFE, lambda m: ascii(m.group())[1:-1], message)
    say(message)


def _out(text: str) -> None:
    """Write to stdout. When it cannot take the text (closed, full, an encoding without ☐ or →),
    vetcheck/streams.py says why or writes look-alikes; imported only then, for a fast start."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except Exception as exc:
        from vetcheck.streams import write_out

        write_out(text, exc)


def _version(value: bool) -> None:
    if value:
        _out(f"vetcheck {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")
    ] = False,
) -> None:
    """Vet a ketamine-therapy provider: answer a checklist, get a scored report.

    vetcheck is a checklist, not medical advice.
    """


# --- helpers shared by commands ------------------------------------------------------------


def _load_checklist(ref: str | None) -> "Checklist":
    from vetcheck.loader import load_checklist_ref

    return load_checklist_ref(ref)


def _checked(answers: "Answers", checklist: "Checklist") -> "Answers":
    """Answers matched to the checklist (loader.check_answers), each warning said on stderr."""
    from vetcheck.loader import check_answers

    checked, warnings = check_answers(answers, checklist)
    for warning in warnings:
        _err(f"warning: {warning}")
    return checked


def _load_answered(answers_file: Path, checklist_ref: str | None) -> "tuple[Answers, Checklist]":
    from vetcheck.loader import load_answers

    answers = load_answers(answers_file)
    checklist = _load_checklist(checklist_ref or _ref_for(answers))
    return _checked(answers, checklist), checklist


def _state_code(text: str, option: str = "") -> str:
    """The code of the state `text` names (TX for "Austin, Texas"), or a usage error."""
    from vetcheck.states import state_in

    code = state_in(text, asked_for_a_state=True)
    if code is None:
        shown = text if len(text) <= 60 else text[:59] + "…"
        raise UsageError(
            f"{option}'{shown}' names no US state, DC or Puerto Rico; give a code such as TX, a name such as Texas, or \"City, ST\""
        )
    return code


def _inputs(*loaded: "Answers | Checklist") -> list[str]:
    """The files the loaded answers and checklists came from (built-in ones included)."""
    return [item.path for item in loaded if item.path]


def _ref_for(answers: "Answers") -> str:
    from vetcheck.resources import checklist_ref_for

    return checklist_ref_for(answers.checklist_id, answers.path)


def _emit(text: str, output: str | None, what: str, inputs: "Iterable[str | Path]" = ()) -> None:
    """Write the finished text to stdout or, atomically and owner-only, to a file, never over
    one of the command's own inputs (`report a.yaml -o a.yaml` would replace the answers)."""
    if output in (None, "-"):
        _out(text)
        return
    from vetcheck.storage import write_atomic

    _not_an_input(Path(output), inputs)
    with _ctrl_c_waits():  # an interrupted write would leave its temporary file behind
        write_atomic(Path(output), text)
    _err(f"{what} written to {output}")


@contextlib.contextmanager
def _ctrl_c_waits() -> "Iterator[None]":
    """Within: Ctrl-C waits for the block to end (a write: milliseconds), then stops the command.

    Elsewhere `vetcheck.main` lets Ctrl-C end the process at once, as the signal does by default.
    """
    import signal

    if signal.getsignal(signal.SIGINT) is not signal.SIG_DFL:  # in-process (tests): unchanged
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # runs the handler first if one is due
    if pressed:
        raise KeyboardInterrupt


def _let_ctrl_c_raise() -> None:
    """From here on, Ctrl-C raises KeyboardInterrupt, for a command with something to say first.

    Until then `vetcheck.main` lets Ctrl-C end the process at once, as the signal does by
    default: no Python code runs then, so no traceback can appear, whatever is loading.
    """
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_DFL:  # not so in-process (tests)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _not_an_input(target: Path, inputs: "Iterable[str | Path]") -> None:
    """Refuse an output that is one of the inputs: the same path, a link to it, or a hard link;
    or that lies in vetcheck's own data folder, whose files (the built-in checklist, its data
    copy, the look-ups, the claim rules) commands read without naming them."""
    from vetcheck.resources import builtin_dir

    data, where = builtin_dir().resolve(), target.resolve()
    if where == data or data in where.parents:
        raise UsageError(
            f"{target} is in vetcheck's own data folder ({data}), whose files every command "
            "reads; writing there could replace one. Choose another output file"
        )
    for source in inputs:
        path = Path(source)
        same = where == path.resolve()
        if not same and target.exists() and path.exists():
            same = target.samefile(path)
        if same:
            raise UsageError(
                f"{target} is also an input of this command; writing there would replace it. "
                "Choose another output file"
            )


def _ready_to_ask() -> None:
    """Refuse, before the first question, an interview whose answers could not be shown or kept."""
    from vetcheck.errors import StreamError, current_folder_gone

    if sys.stdout is None:  # closed (`vetcheck interview >&-`): the questions would go nowhere
        raise StreamError("cannot write to standard output: it is closed")
    gone = current_folder_gone()  # where answers files are looked for and saved
    if gone is not None:
        raise gone


_REPORT_FORMATS = ("md", "json", "html", "summary", "summary-html")


def _one_of(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)}; not '{value}'")
    return value


def _parse_role(role: str) -> "Role":
    from vetcheck.model import Role

    try:
        return Role(role)
    except ValueError:
        raise UsageError(f"--role must be patient or referrer, not '{role}'") from None


# --- commands ------------------------------------------------------------------------------


@_command("Vet a provider")
def interview(
    checklist_ref: ChecklistOpt = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            "-r",
            help="patient (default) or referrer: whose wording to use.",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            "-a",
            help="Answers file to resume, or to create. [default: <clinic-name>.vetcheck.yaml here]",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Where to write the report. [default: next to the answers file]",
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="No color, boxes or bars (screen-reader friendly).")
    ] = False,
) -> None:
    """Answer the checklist question by question, then get the scored report.

    Answers are saved after every question; Ctrl-C or q stops safely and prints the command
    that resumes where you left off.
    """
    from vetcheck import interview as iv

    for path in (answers, report):  # never vetcheck's own files, before any is read
        if path is not None:
            _not_an_input(path, [])
    # Files first: a broken answers or checklist file is reported even without a terminal.
    resume = (
        iv.load_resume(answers, checklist_ref) if answers is not None and answers.exists() else None
    )
    checklist = resume.checklist if resume else _load_checklist(checklist_ref)
    if report is not None:  # before any question: the report must not replace an input
        _not_an_input(report, [*_inputs(checklist), *([answers] if answers else [])])
    if answers is not None:  # nor may the answers land on the checklist or vetcheck's own files
        _not_an_input(answers, _inputs(checklist))
    who = None if role is None else _parse_role(role)
    if sys.stdin is None or not sys.stdin.isatty():  # None: closed (`vetcheck interview <&-`)
        raise UsageError(
            "interview needs a terminal to ask questions. Without one, run "
            "`vetcheck template -o FILE`, fill in FILE, then `vetcheck report FILE`"
        )
    _ready_to_ask()
    from vetcheck.console import ConsoleUI
    from vetcheck.streams import Screen

    ui = ConsoleUI(plain)
    # Through vetcheck's own writer: a full or gone screen is a clear error, not a bug, and a
    # terminal without ☐ or → gets look-alikes. (rich's Console documents `file` as settable.)
    ui.console.file = cast("IO[str]", Screen())
    _let_ctrl_c_raise()  # to say where the answers are and how to carry on
    try:
        session = (
            iv.resume_session(ui, resume, who)
            if resume
            else iv.new_session(ui, checklist, who, answers, checklist_ref, report)
        )
    except (KeyboardInterrupt, EOFError):
        _err("\nStopped before any answer was saved.")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    command = iv.resume_command(session.path, checklist_ref, plain, _program())
    ui.say(f"Your answers are saved after each question in {session.path}")
    try:
        outcome = iv.run(session, ui)
    except (KeyboardInterrupt, EOFError):
        _err(f"\nStopped. Your answers so far are saved in {session.path}")
        _err(f"To carry on where you left off, run: {command}")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except iv.ChangedElsewhere as exc:
        _err(f"\nerror: {exc.message}")
        _err(f"To carry on from the file as it is now, run: {command}")
        raise typer.Exit(exc.exit_code) from None
    if outcome is iv.Outcome.QUIT:
        # Plain output, never wrapped: the command must stay one line to copy and paste.
        _err(f"Saved in {session.path}. To carry on, run: {command}")
        return
    iv.finish(session, ui, report, date.today())


@_command("Vet a provider")
def report(
    answers_file: Annotated[
        Path,
        typer.Argument(help="A filled answers file (see `vetcheck template`).", show_default=False),
    ],
    checklist_ref: ChecklistOpt = None,
    output: OutputOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md (markdown), json, html; or summary: one page for a referral letter or chart (markdown), summary-html (the same, printable).",
        ),
    ] = "md",
    fail_under: Annotated[
        int | None,
        typer.Option(
            "--fail-under",
            min=0,
            max=100,
            help="Exit 1 if the score is below this, or on any red flag or an incomplete result.",
        ),
    ] = None,
    state: StateOpt = None,
    role: ReaderOpt = None,
    recheck_after: RecheckOpt = 12,
) -> None:
    """Write the scored report for an answers file (markdown, JSON or HTML)."""
    from dataclasses import replace

    from vetcheck.loader import with_lookups
    from vetcheck.scoring import score

    _one_of("--format", format, _REPORT_FORMATS)
    code = None if state is None else _state_code(state, "--state ")  # before any file is read
    who = None if role is None else _parse_role(role)
    answers, checklist = _load_answered(answers_file, checklist_ref)
    if who is not None:  # the reader's wording, not the file's
        answers = replace(answers, role=who)
    result = replace(with_lookups(score(checklist, answers), code), recheck_months=recheck_after)
    if format.startswith("summary"):
        from vetcheck.render import summary

        html = format == "summary-html"
        render_report: Callable[[Report, date], str] = (
            summary.render_summary_html if html else summary.render_summary_markdown
        )
    else:
        render_report, _ = _renderers(format)
    _emit(render_report(result, date.today()), output, "report", _inputs(answers, checklist))
    failure = None if fail_under is None else _failure(result, fail_under)
    if failure is not None:
        _err(f"--fail-under {fail_under}: {failure}")
        raise typer.Exit(ExitCode.BELOW_THRESHOLD)


def _renderers(
    format: str,
) -> "tuple[Callable[[Report, date], str], Callable[[Comparison, date], str]]":
    """A format's (report, comparison) renderers; only the chosen format's module is imported."""
    if format == "json":
        from vetcheck.render import json

        return json.render_json, json.render_comparison_json
    if format == "html":
        from vetcheck.render import html

        return html.render_html, html.render_comparison_html
    from vetcheck.render import markdown

    return markdown.render_markdown, markdown.render_comparison_markdown


def _failure(result: "Report", threshold: int) -> str | None:
    """Why a report fails --fail-under, or None when it passes."""
    from vetcheck.render.common import count, incomplete_reason
    from vetcheck.scoring import round_half_up

    if result.red_flags:
        return count(len(result.red_flags), "red flag")
    if result.grade.letter is None or result.score is None:
        return f"not gradable yet: {incomplete_reason(result)}"
    if round_half_up(result.score) < threshold:
        return f"the score {round_half_up(result.score)} is below {threshold}"
    return None


@_command("Vet a provider")
def compare(
    answers_files: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more answers files; for a roster (--format csv), one or more.",
            show_default=False,
        ),
    ],
    checklist_ref: ChecklistOpt = None,
    output: OutputOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md (markdown), json, html, or csv: a roster, one row per file, each graded as its own report.",
        ),
    ] = "md",
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="given: in the order given; best: best first (no red flag, then grade, score, fewest must-ask questions).",
        ),
    ] = "given",
    role: ReaderOpt = None,
    recheck_after: RecheckOpt = 12,
) -> None:
    """Compare providers side by side: grades, sections, and where their answers differ."""
    from vetcheck.compare import compare as compare_answers
    from vetcheck.loader import load_answers

    _one_of("--format", format, (*FORMATS, "csv"))
    best_first = _one_of("--sort", sort, ("given", "best")) == "best"
    if format == "csv":
        _roster(answers_files, checklist_ref, output, best_first, recheck_after)
        return
    if len(answers_files) < 2:
        raise UsageError(
            "compare needs at least two answers files; a roster (--format csv) takes one or more"
        )
    who = None if role is None else _parse_role(role)
    loaded = [load_answers(path) for path in answers_files]
    # Every file is checked against one checklist, so a file for another one is an input error.
    checklist = _load_checklist(checklist_ref or _ref_for(loaded[0]))
    checked = [_checked(answers, checklist) for answers in loaded]
    _, render_comparison = _renderers(format)
    compared = compare_answers(checklist, checked, who, best_first)
    text = render_comparison(compared, date.today())
    _emit(text, output, "comparison", _inputs(*checked, checklist))


def _roster(
    files: list[Path], checklist_ref: str | None, output: str | None, best: bool, months: int
) -> None:
    """One row per file, each scored as its own report, one file at a time: a row is all
    that is kept of each (docs/performance.md, roster)."""
    from vetcheck.loader import load_answers
    from vetcheck.render.csv import render_roster_csv
    from vetcheck.roster import labelled, row
    from vetcheck.scoring import score

    today = date.today()
    checklists: dict[str, Checklist] = {}
    rows = []
    for path in files:
        answers = load_answers(path)
        ref = checklist_ref or _ref_for(answers)
        if ref not in checklists:
            checklists[ref] = _load_checklist(ref)
        rows.append(
            row(
                score(checklists[ref], _checked(answers, checklists[ref])), str(path), today, months
            )
        )
    inputs: list[str | Path] = [*files, *(c.path for c in checklists.values() if c.path)]
    _emit(render_roster_csv(labelled(rows, best)), output, "roster", inputs)


@_command("Vet a provider")
def diff(
    old_file: Annotated[
        Path, typer.Argument(help="The earlier answers file for the clinic.", show_default=False)
    ],
    new_file: Annotated[
        Path, typer.Argument(help="The later answers file for the clinic.", show_default=False)
    ],
    checklist_ref: ChecklistOpt = None,
    output: OutputOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md (markdown) or json.")] = "md",
    role: ReaderOpt = None,
) -> None:
    """Show what changed at one clinic between two answers files (grade, red flags, answers).

    Also notes added or changed, and questions new in the newer checklist.
    """
    from dataclasses import replace

    from vetcheck.diff import Diff
    from vetcheck.loader import load_answers
    from vetcheck.scoring import score

    _one_of("--format", format, ("md", "json"))
    who = None if role is None else _parse_role(role)
    loaded = [load_answers(path) for path in (old_file, new_file)]
    # Both on one checklist, the later file's: an older file's replaced answers carry over.
    checklist = _load_checklist(checklist_ref or _ref_for(loaded[1]))
    reader = who or loaded[1].role  # one reader for both: --role, else the later file's
    old, new = (score(checklist, replace(_checked(a, checklist), role=reader)) for a in loaded)
    found = Diff(old, new, _same_file(old_file, new_file))
    if format == "json":
        from vetcheck.render.json import render_diff_json as render
    else:
        from vetcheck.render.markdown import render_diff_markdown as render
    _emit(render(found, date.today()), output, "diff", _inputs(*loaded, checklist))


@_command("Vet a provider")
def claims(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The clinic's own text: a web page saved from a browser (.html), a PDF brochure, or .txt or .md.",
            show_default=False,
        ),
    ],
    role: RoleOpt = "patient",
    rules_ref: Annotated[
        str | None,
        typer.Option("--rules", help="Claim rules: a built-in id or the path of a rules file."),
    ] = None,
    output: OutputOpt = None,
    format: FormatOpt = "md",
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Also record what was found in this answers file: each quote as a note on its checklist question, and the answer it points to.",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="With --answers: replace answers you gave without asking."
        ),
    ] = False,
) -> None:
    """Read a clinic's own marketing and flag false claims, with the correction and its source."""
    from vetcheck.claims import ClaimsResult, FileRead, Finding, Scanner
    from vetcheck.errors import FileAccessError, InvalidInputError, Problem
    from vetcheck.extract import read_document
    from vetcheck.loader import load_claim_rules

    _one_of("--format", format, FORMATS)
    who = _parse_role(role)
    if yes and answers_file is None:
        raise UsageError("--yes goes with --answers: it lets the findings replace answers you gave")
    rules = load_claim_rules(rules_ref)
    checklist = _load_checklist(rules.checklist)
    answers = None
    if answers_file is not None:  # checked before anything is read or written
        _not_an_input(answers_file, files)
        if output not in (None, "-"):
            _not_an_input(Path(output), [answers_file])
        answers = _answers_for(answers_file, checklist)
    scanner = Scanner(rules)
    read: list[FileRead] = []
    findings: list[Finding] = []
    problems: list[Problem] = []
    unreadable: FileAccessError | None = None
    seen: set[Path] = set()
    for path in files:
        if path.resolve() in seen:
            _err(f"warning: {path} is given more than once; it is read once")
            continue
        seen.add(path.resolve())
        try:
            document = read_document(path)
        except InvalidInputError as exc:  # every unreadable file is named, then none is reported
            problems += exc.problems
            continue
        except FileAccessError as exc:
            problems.append(Problem(str(path), exc.message.removeprefix(f"{path}: ")))
            unreadable = unreadable or exc
            continue
        done, found = scanner.read(document.blocks, document.path, document.kind, document.pages)
        read.append(done)
        findings += found
    if problems:
        error = InvalidInputError(problems)
        if unreadable is not None:  # a file that cannot be read at all: exit 4, as elsewhere
            error.exit_code = unreadable.exit_code
        raise error
    result = ClaimsResult(rules, checklist, tuple(read), tuple(findings), who)
    render = _claims_renderer(format)
    _emit(render(result, date.today()), output, "claims", [*files, rules.path])
    if answers_file is not None and answers is not None:
        _record_claims(answers_file, answers, checklist, findings, yes)


def _answers_for(path: Path, checklist: "Checklist") -> "tuple[str, Answers]":
    """An answers file's text as read, and its answers checked against the checklist the claim
    rules inform; a file for another checklist is an input error (exit 3), as for compare."""
    from vetcheck.document import compose, read_text
    from vetcheck.errors import InvalidInputError, Problem
    from vetcheck.loader import answers_from_node

    original = read_text(path)
    answers = answers_from_node(compose(original, str(path)), str(path))
    if answers.checklist_id != checklist.id:
        raise InvalidInputError(
            [
                Problem(
                    str(path),
                    f"answers the checklist '{answers.checklist_id}', but the claim rules inform '{checklist.id}'; give an answers file for '{checklist.id}'",
                )
            ]
        )
    return original, _checked(answers, checklist)


def _record_claims(
    path: Path,
    read: "tuple[str, Answers]",
    checklist: "Checklist",
    findings: "list[Finding]",
    yes: bool,
) -> None:
    """Write the findings into an answers file: quotes as notes, and the answers they point
    to where the person has not answered (unknown) or agrees to the change (asked, or --yes)."""
    from dataclasses import replace

    from vetcheck.claims import proposals
    from vetcheck.interview import keep_a_copy
    from vetcheck.model import AnswerEntry
    from vetcheck.render.answers import render_answers
    from vetcheck.storage import write_atomic

    original, answers = read
    entries = dict(answers.entries)
    said = []
    ask = sys.stdin is not None and sys.stdin.isatty() and not yes
    proposed = proposals(findings, checklist, answers)
    if not proposed:
        _err(f"Nothing to record in {path}: no finding informs a checklist question.")
        return
    for p in proposed:
        number = f"Q{checklist.number(p.question.id)}"
        answer = p.answer
        quote = (
            "the quote is added to its note"
            if p.quoted
            else "its note is full, so the quote is only in the claims report"
        )
        if p.overrides:
            old = str(p.current.value) if p.current else ""
            agreed = yes or (
                ask
                and typer.confirm(
                    f"{number}: you answered '{old}'; the page points to '{p.answer}'. Change it?",
                    default=False,
                    err=True,
                )
            )
            if not agreed:
                answer = old
                said.append(
                    f"{number}: kept your answer '{old}' (the page points to '{p.answer}'; "
                    f"--yes changes it); {quote}"
                )
        entry = AnswerEntry(answer, p.note)
        if entry == p.current:
            continue  # recorded by an earlier run
        if answer == p.answer and p.changes_answer:
            was = f"'{p.current.value}'" if p.current else "not answered"
            said.append(f"{number}: answer set to '{answer}' (was {was}); {quote}")
        elif answer == p.answer and p.quoted:
            said.append(f"{number}: {quote}")
        entries[p.question.id] = entry
    text = render_answers(checklist, replace(answers, entries=entries), pending_as_comments=True)
    if not said or text == original:
        _err(f"{path} already holds these findings; nothing changed.")
        return
    from vetcheck.document import read_text
    from vetcheck.errors import FileAccessError

    if read_text(path) != original:  # an editor or an interview saved it meanwhile: theirs wins
        raise FileAccessError(
            f"{path} changed while the pages were read; nothing was recorded. Run the command again"
        )
    copy = keep_a_copy(path, original, text)
    with _ctrl_c_waits():
        write_atomic(path, text)
    _err(f"Recorded in {path}:")
    for line in said:
        _err(f"  {line}")
    if copy is not None:
        _err(f"Your file's comments are kept in a copy: {copy}")


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: by its identity, through links, `./` and `..`."""
    try:
        return a.samefile(b)
    except OSError:  # pragma: no cover - both were just read
        return False


def _claims_renderer(format: str) -> "Callable[[ClaimsResult, date], str]":
    from vetcheck.render import claims as render

    if format == "json":
        return render.render_claims_json
    if format == "html":
        return render.render_claims_html
    return render.render_claims_markdown


@_command("Vet a provider")
def lookup(
    state: Annotated[
        str | None,
        typer.Argument(
            help="A state: its code (TX), its name (Texas) or a place in it (Austin, TX). Without it: the national look-ups.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    format: FormatOpt = "md",
) -> None:
    """Print the official places to check a provider's license and record, for one state."""
    from vetcheck.loader import load_lookups
    from vetcheck.render import lookups as render

    _one_of("--format", format, FORMATS)
    code = None if state is None else _state_code(state)
    lookups = load_lookups()
    row = None if code is None else lookups.state(code)
    renderer = {
        "md": render.render_lookup_markdown,
        "json": render.render_lookup_json,
        "html": render.render_lookup_html,
    }[format]
    _emit(renderer(lookups, row, date.today()), output, "look-ups")


@_command("Vet a provider")
def questions(
    checklist_ref: ChecklistOpt = None,
    role: RoleOpt = "patient",
    route: Annotated[
        str | None,
        typer.Option(
            "--route",
            "--setting",
            help="Only the questions for this kind of treatment: an option of the checklist's route question, e.g. clinic_iv or at_home.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    state: StateOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md (markdown) or html: a page to print, with tick boxes and room to write.",
        ),
    ] = "md",
    critical_only: Annotated[
        bool,
        typer.Option(
            "--critical-only",
            help="Only the critical questions: a one-page card to bring to the consultation.",
        ),
    ] = False,
) -> None:
    """Write a printable question sheet to take into a consultation or a phone call."""
    from vetcheck.render.sheet import Sheet

    _one_of("--format", format, ("md", "html"))
    who = _parse_role(role)
    code = None if state is None else _state_code(state, "--state ")
    checklist = _load_checklist(checklist_ref)
    options = () if checklist.route is None else checklist.route.options
    if route is not None and route not in [o.id for o in options]:
        known = listed([o.id for o in options]) or "this checklist has no route question"
        raise UsageError(f"--route must be one of: {known}; not '{route}'")
    from vetcheck.places import needs_lookups

    where = None
    if needs_lookups(checklist) and not critical_only:  # the card names no look-ups
        from vetcheck.loader import load_places
        from vetcheck.places import where as where_for

        remote = any(o.remote for o in options if o.id == route)
        where = where_for(load_places(None if code is None else {code}), None, None, remote, code)
    sheet = Sheet(checklist, who, route, where, date.today(), critical_only)
    if format == "html":
        from vetcheck.render.html import render_question_sheet_html as render
    else:
        from vetcheck.render.markdown import render_question_sheet as render
    _emit(render(sheet), output, "question sheet", _inputs(checklist))


@_command("Vet a provider")
def template(
    checklist_ref: ChecklistOpt = None,
    role: RoleOpt = "patient",
    subject: Annotated[
        str, typer.Option("--subject", "-s", help="Name of the clinic or provider.")
    ] = "Name of the clinic or provider",
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a ready-to-fill answers file, each question with its wording and why."""
    from vetcheck.model import Answers, Subject
    from vetcheck.render.answers import render_answers
    from vetcheck.schema import max_length
    from vetcheck.text import text_problem

    who = _parse_role(role)
    if not subject.strip():  # `report` refuses a blank name: refuse it here, before writing
        raise UsageError("--subject must not be blank; give the name of the clinic or provider")
    problem = text_problem(subject, max_length(Subject, "name"))
    if problem:
        raise UsageError(f"--subject {problem}")
    if output not in (None, "-") and Path(output).exists() and not force:
        raise UsageError(
            f"{output} already exists; it may hold answers. Choose another name or add --force"
        )
    checklist = _load_checklist(checklist_ref)
    blank = Answers.new(checklist, Subject(subject, evaluated=date.today()), who)
    _emit(render_answers(checklist, blank), output, "answers file", _inputs(checklist))


@_command("Checklists and file formats")
def validate(
    path: Annotated[Path, typer.Argument(help="A checklist or answers file.", show_default=False)],
    checklist_ref: ChecklistOpt = None,
) -> None:
    """Check a checklist or answers file; list every problem with its line."""
    from vetcheck.document import compose, read_text
    from vetcheck.loader import (
        answers_from_node,
        checklist_from_node,
        document_format,
    )
    from vetcheck.model import UNKNOWN, Kind

    text = read_text(path)
    node = compose(text, str(path))
    file_format = document_format(node)
    if file_format == "checklist":
        checklist = checklist_from_node(node, str(path))
        scored = sum(q.kind is Kind.YES_NO for q in checklist.questions)
        _out(
            f"{path}: valid checklist '{checklist.id}' {checklist.version}: {len(checklist.questions)} questions ({scored} scored) in {len(checklist.sections)} sections\n"
        )
    elif file_format == "answers":
        answers = answers_from_node(node, str(path))
        checklist = _load_checklist(checklist_ref or _ref_for(answers))
        checked = _checked(answers, checklist)
        answered = sum(e.value != UNKNOWN for e in checked.entries.values())
        _out(
            f"{path}: valid answers for '{checklist.id}' {checklist.version}: {answered} of {len(checklist.questions)} questions answered\n"
        )
    else:
        from vetcheck.errors import Problem

        raise InvalidInputError(
            [
                Problem(
                    str(path),
                    "not a vetcheck file: a checklist has 'questions', an answers file has 'answers'",
                    1,
                )
            ]
        )


@_command("Checklists and file formats")
def checklists() -> None:
    """List the built-in checklists with their version, size and review date."""
    from vetcheck.resources import builtin_ids

    today = date.today()
    for ref in builtin_ids():
        checklist = _load_checklist(ref)
        due = checklist.review_due
        late = " (overdue: some advice may be out of date)" if due <= today else ""
        _out(
            f"{checklist.id}  version {checklist.version}  {len(checklist.questions)} questions  "
            f"reviewed {checklist.last_reviewed.isoformat()}  review due {due.isoformat()}{late}  "
            f"{checklist.title}\n"
        )
        for source in checklist.expired_sources(today):
            _err(
                f"warning: {checklist.id}: a rule it cites ended on {source.valid_until}; it may have changed: {source.citation}"
            )


@_command("Checklists and file formats")
def methodology(checklist_ref: ChecklistOpt = None, output: OutputOpt = None) -> None:
    """Print how answers become a score and a grade, from the code and the checklist."""
    from vetcheck.render.markdown import render_methodology

    checklist = _load_checklist(checklist_ref)
    _emit(render_methodology(checklist), output, "methodology", _inputs(checklist))


SCHEMAS = ("checklist", "answers", "report", "claims", "claim-rules", "lookups")


def schema_of(file_format: str) -> dict[str, Any]:
    """The JSON Schema of one of vetcheck's file formats (docs/schema/ holds each)."""
    if file_format == "report":
        from vetcheck.render.json import report_schema

        return report_schema()
    if file_format == "claims":
        from vetcheck.render.claims import claims_schema

        return claims_schema()
    from vetcheck.schema import json_schema

    return json_schema(file_format)


@_command("Checklists and file formats")
def schema(
    file_format: Annotated[
        str,
        typer.Argument(
            help="checklist, answers, report, claims (the output of `vetcheck claims`), claim-rules, or lookups (the data file of official look-ups).",
            show_default=False,
        ),
    ],
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema of a file format, for editors that validate as you type."""
    import json

    if file_format not in SCHEMAS:
        raise UsageError(f"schema: choose {listed(SCHEMAS)}; not '{file_format}'")
    _emit(json.dumps(schema_of(file_format), indent=2) + "\n", output, "schema")
