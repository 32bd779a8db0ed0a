"""vetcheck: vet a ketamine-therapy provider with a scored, evidence-linked checklist.

The public API, for use without the command line:

    from vetcheck import load_checklist_ref, load_answers, check_answers, score, render_markdown
    checklist = load_checklist_ref(None)                 # the built-in checklist
    answers, warnings = check_answers(load_answers(path), checklist)
    print(render_markdown(score(checklist, answers), date.today()))

Names are imported on first use, so `import vetcheck` stays cheap. It imports nothing at all:
the `vetcheck` command starts with `main` below, and a Ctrl-C before `main` runs is Python's.
"""

__version__ = "0.1.0"

_API = {
    "load_checklist": "vetcheck.loader",
    "load_checklist_ref": "vetcheck.loader",
    "load_answers": "vetcheck.loader",
    "check_answers": "vetcheck.loader",
    "score": "vetcheck.scoring",
    "compare": "vetcheck.compare",
    "render_markdown": "vetcheck.render.markdown",
    "render_json": "vetcheck.render.json",
    "render_html": "vetcheck.render.html",
    "VetcheckError": "vetcheck.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'vetcheck' has no attribute {name!r}")


def main() -> None:
    """The `vetcheck` command and `python -m vetcheck`: run the command line, then exit.

    It takes charge of the process (Ctrl-C, the exit code), so it is for starting vetcheck, not
    for use inside another program: that is what the API above is for. Everything vetcheck does
    happens in here, loading the command line included (most of a short run), so Ctrl-C at any
    moment, or output that cannot be written (`vetcheck --help > /dev/full`), ends with at most
    one line and a documented exit code, never a traceback.
    """
    import sys

    try:
        try:
            import signal

            # Ctrl-C ends the process at once, as for any program with nothing to clean up: no
            # Python code runs then, so there is no traceback, whatever is loading. vetcheck
            # asks for KeyboardInterrupt where it has something to do first (cli.py).
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            from vetcheck.cli import app_for

            try:
                app_for(sys.argv[1:])(prog_name="vetcheck")
            except SystemExit as done:
                # Typer writes help itself: into a closed standard output it writes nothing
                # and exits 0, as if the reader had seen it.
                if sys.stdout is None and done.code in (0, None) and _asks_for_help(sys.argv):
                    from vetcheck.errors import StreamError

                    raise StreamError("cannot write to standard output: it is closed") from None
                raise
        finally:
            _ignore_ctrl_c()
    except (KeyboardInterrupt, Exception) as exc:  # not SystemExit: the normal end
        from vetcheck.errors import ExitCode, environment_error
        from vetcheck.streams import say

        # Python 3.11 reports a Ctrl-C that lands while a class is made (an Enum's members, a
        # cached_property: __set_name__) as a RuntimeError it caused; imports make many classes.
        if isinstance(exc, KeyboardInterrupt) or isinstance(exc.__cause__, KeyboardInterrupt):
            say("interrupted")
            sys.exit(ExitCode.INTERRUPTED)
        error = environment_error(exc)  # outside any command: --version, help, usage messages
        if error is None:
            raise  # a bug: its traceback is what to report
        say(f"error: {error.message}")
        sys.exit(error.exit_code)


def _asks_for_help(argv: list[str]) -> bool:
    return any(arg in ("--help", "-h") for arg in argv[1:])


def _ignore_ctrl_c() -> None:
    """The run is over and its exit code known: a Ctrl-C now, as Python shuts down, would only
    replace that code, so it is ignored."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
