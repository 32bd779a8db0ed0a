"""Errors the core raises; each carries the message a user reads and the exit code."""

import errno
import itertools
from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in docs/commands.md."""

    OK = 0
    BELOW_THRESHOLD = 1
    USAGE = 2
    INVALID_INPUT = 3
    FILE_ACCESS = 4
    INTERNAL = 70  # a bug in vetcheck (EX_SOFTWARE); --debug shows the traceback
    INTERRUPTED = 130


class Problem:
    """One thing wrong with an input file, with its position when known (1-based).

    A plain class: a NamedTuple costs ~1.5 M instructions to define, at every start."""

    __slots__ = ("column", "line", "message", "path")

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path, self.message, self.line, self.column = path, message, line, column

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (
            (self.path, self.message, self.line, self.column)
            == (other.path, other.message, other.line, other.column)
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r}, {self.line!r}, {self.column!r})"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def listed(items: "Iterable[str]", limit: int = 12) -> str:
    """Items for a message, at most `limit` of them: a file may hold thousands."""
    shown = list(itertools.islice(items, limit + 1))
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + ", …"


class VetcheckError(Exception):
    """Base class: a failure the user can act on, not a bug."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(VetcheckError):
    """The command line asks for something that cannot be done."""

    exit_code = ExitCode.USAGE


class FileAccessError(VetcheckError):
    """A file cannot be read or written."""

    exit_code = ExitCode.FILE_ACCESS


class StreamError(FileAccessError):
    """A standard stream cannot be used: closed, full, or gone (a terminal hung up)."""


class InvalidInputError(VetcheckError):
    """A checklist or answers file is not valid; holds every problem found."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InvalidInputError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# An OSError means the system refused a call: a disk full, a terminal gone, a folder deleted.
# These errnos instead say that vetcheck made the call wrongly (a closed descriptor, a bad
# argument): a bug. (Writing to a closed standard output is caught before, by name.)
_MISUSE = frozenset({errno.EBADF, errno.EFAULT, errno.EINVAL})


def environment_error(exc: BaseException) -> "VetcheckError | None":
    """`exc` as the error to report when the environment caused it, or None when it is a bug.

    The environment is what vetcheck runs in: the standard streams, the current folder, the
    disks. A failure there gets one clear line and a documented exit code, never "a bug".
    """
    if isinstance(exc, VetcheckError):
        error = exc
        about_a_path = exc.exit_code is ExitCode.FILE_ACCESS and not isinstance(exc, StreamError)
    elif isinstance(exc, OSError) and exc.errno == errno.EBADF and _stdout_is_read_only():
        # Output that Typer writes itself (help) into `1</dev/null`: the shell's descriptor.
        error = StreamError("cannot write to standard output: it is open for reading only")
        about_a_path = False
    elif isinstance(exc, OSError) and exc.errno is not None and exc.errno not in _MISUSE:
        what = f"{exc.filename}: cannot read or write" if exc.filename else "input or output failed"
        error = FileAccessError(f"{what} ({exc.strerror or exc})")
        about_a_path = exc.errno == errno.ENOENT
    else:
        return None
    # A file not found in a deleted folder: the folder is what to tell about.
    return (about_a_path and current_folder_gone()) or error


def _stdout_is_read_only() -> bool:
    """Whether standard output was opened for reading only (`vetcheck --help 1</dev/null`)."""
    import os

    try:
        import fcntl

        return fcntl.fcntl(1, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY
    except (ImportError, OSError):
        return False


def current_folder_gone() -> FileAccessError | None:
    """The error to report when the current folder was deleted: relative paths, even ".",
    can then be neither found nor written. None while it exists."""
    from pathlib import Path

    try:
        Path.cwd()
    except FileNotFoundError:
        return FileAccessError(
            "the current folder no longer exists (it was deleted); "
            "change to an existing folder and run again"
        )
    return None
