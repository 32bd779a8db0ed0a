"""Errors the core raises; each carries the message a user reads and the exit code."""

import itertools
from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Process exit codes, documented in docs/commands.md."""

    OK = 0
    BELOW_THRESHOLD = 1
    USAGE = 2
    INVALID_INPUT = 3
    FILE_ACCESS = 4
    INTERNAL = 70  # a bug in vetcheck (EX_SOFTWARE); --debug shows the traceback
    INTERRUPTED = 130


class Problem(NamedTuple):
    """One thing wrong with an input file, with its position when known (1-based)."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

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


class InvalidInputError(VetcheckError):
    """A checklist or answers file is not valid; holds every problem found."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InvalidInputError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
