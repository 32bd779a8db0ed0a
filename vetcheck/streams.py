"""The standard streams as the environment may leave them: closed, full, gone, or unable to encode.

A failure there is the environment's, never a bug. Standard output that cannot be written is a
StreamError (exit 4); a message standard error cannot take is dropped, as there is nowhere else
to say it. Characters an encoding lacks (☐, →, — on a Latin-1 or ASCII terminal) are written
as look-alikes it has. `cli._out` writes the plain way and comes here only when that fails, so
that start-up does not pay for this module.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

from vetcheck.errors import StreamError

# The characters vetcheck's own texts use, as they are written where the encoding lacks them
# (as iconv's //TRANSLIT does); any other character becomes its unaccented letter, or "?".
LOOKALIKES = {
    "\N{BALLOT BOX}": "[ ]",
    "\N{RIGHTWARDS ARROW}": "->",
    "\N{EM DASH}": "--",
    "\N{EN DASH}": "-",
    "\N{HORIZONTAL ELLIPSIS}": "...",
    "\N{LEFT SINGLE QUOTATION MARK}": "'",
    "\N{RIGHT SINGLE QUOTATION MARK}": "'",
    "\N{LEFT DOUBLE QUOTATION MARK}": '"',
    "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
    "\N{GREATER-THAN OR EQUAL TO}": ">=",
    "\N{LESS-THAN OR EQUAL TO}": "<=",
    "\N{BULLET}": "*",
    "\N{FULL BLOCK}": "#",
    "\N{LIGHT SHADE}": "-",
}


def encodable(text: str, encoding: str | None) -> str:
    """`text` with each character that `encoding` cannot hold replaced by a look-alike it can."""
    import unicodedata

    def fits(chars: str) -> bool:
        try:
            chars.encode(encoding or "ascii")
        except UnicodeEncodeError:
            return False
        return True

    if fits(text):
        return text
    table = {}
    for char in set(text):
        if not fits(char):
            stand_in = LOOKALIKES.get(char) or (
                unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            )
            table[ord(char)] = stand_in if stand_in and fits(stand_in) else "?"
    return text.translate(table)


def write_out(text: str, failure: Exception) -> None:
    """Write `text` to standard output after the plain write failed with `failure`.

    A BrokenPipeError (the reader left: `vetcheck … | head`) and a failure that is not the
    stream's are raised again as they are.
    """
    stream = sys.stdout
    if stream is None:  # closed when vetcheck started (`vetcheck … >&-`)
        raise StreamError("cannot write to standard output: it is closed") from None
    if isinstance(failure, UnicodeEncodeError):  # raised before any of the text was written
        try:
            stream.write(encodable(text, stream.encoding))
            stream.flush()
            return
        except OSError as exc:
            failure = exc
    if isinstance(failure, BrokenPipeError) or not isinstance(failure, OSError):
        raise failure
    discard(stream)
    raise StreamError(f"cannot write to standard output ({failure.strerror or failure})") from None


def say(line: str) -> None:
    """Write one line to standard error, or drop it when standard error cannot take it."""
    stream = sys.stderr
    if stream is None:  # closed when vetcheck started (`vetcheck … 2>&-`)
        return
    try:
        # Look-alikes first: Python's stderr escapes what it cannot encode, and \u2192 reads
        # worse than ->.
        stream.write(encodable(line, stream.encoding) + "\n")
        stream.flush()
    except OSError:
        discard(stream)


def discard(stream: IO[str] | None) -> None:
    """Send what `stream` still holds, and anything written to it later, to the null device.

    After a failed write the stream keeps the text, and at exit Python would try again and print
    "Exception ignored" and a traceback: this is the remedy Python's documentation gives for a
    closed pipe (the note on SIGPIPE in the `signal` module's documentation).
    """
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):  # a stream without a descriptor (StringIO)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)


class Screen:
    """Standard output for the interview's rich console, written as `cli._out` writes it."""

    @property
    def encoding(self) -> str:
        return sys.stdout.encoding

    def write(self, text: str) -> int:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except Exception as exc:
            write_out(text, exc)
        return len(text)

    def flush(self) -> None:
        """Nothing to do: `write` flushes."""

    def isatty(self) -> bool:
        return sys.stdout.isatty()

    def fileno(self) -> int:
        return sys.stdout.fileno()
