"""Text a person types or passes: cleaned of what a terminal adds, checked against a field's limit."""

from __future__ import annotations

import re

# Where a terminal's line editing is off, keys other than letters arrive as escape sequences in
# the typed line: Left is ESC [ D, F1 ESC O P, Alt+b ESC b. Each is removed whole (not just its
# ESC, which would leave "[D" in a clinic's name). ECMA-48 forms, 7- and 8-bit:
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: cursor and editing keys, bracketed paste marks
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS… strings
    r"|(?:\x1b[NO]|[\x8e\x8f])[ -~]"  # SS2, SS3: F1 to F4, cursor keys in application mode
    r"|\x1b[ -/]*[0-~]"  # any other escape, Alt+key among them
)
# Line breaks and tabs (a paste) become spaces; other control characters, byte order marks and
# the two noncharacters files may not hold are dropped.
_SPACES = re.compile("[\t\n\x0b\x0c\r\x85\u2028\u2029]")
_DROPPED = re.compile("[\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")


def clean_typed(line: str) -> str:
    """A typed line without terminal escape sequences or control characters."""
    if line.isprintable():  # nearly always: no regex
        return line
    return _DROPPED.sub("", _SPACES.sub(" ", _SEQUENCE.sub("", line)))


def text_problem(text: str, max_length: int) -> str | None:
    """Why `text` cannot be kept as a value in a file with this limit, or None when it can.

    The reasons read after the value's name: "That name is 412 characters long; …".
    """
    if len(text) > max_length:
        return f"is {len(text):,} characters long; the most it can hold is {max_length:,}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, kept by Python as lone surrogates
        return "holds bytes that are not UTF-8 text"
    return None
