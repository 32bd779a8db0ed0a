"""A roster as CSV (RFC 4180: comma-separated, double-quoted where needed, CRLF line ends,
UTF-8 without a byte-order mark), read back as it was by Python's csv module and by
spreadsheets. docs/commands.md lists the columns from COLUMNS.

A cell whose text a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe, the mark spreadsheets themselves use for "text,
not a formula": a clinic's name in an answers file must never run in a referrer's sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from vetcheck.roster import Row

# Column, and what it holds (docs/commands.md shows this table).
COLUMNS: dict[str, str] = {
    "label": "The clinic as listed: its name, with the date the answers were gathered where names look alike, and the file's place in the list where that does not tell them apart either. Unique in the roster.",
    "name": "The name in the answers file, as shown: invisible characters dropped, spaces collapsed.",
    "location": "The location in the answers file; empty when not given.",
    "evaluated": "The date the answers were gathered (YYYY-MM-DD); empty when not given.",
    "route": 'How the treatment is given: the route question\'s option ids joined with "+" (clinic_iv+at_home), or unknown.',
    "grade": "The report's letter, or incomplete.",
    "score": "The report's score, 0-100, as shown in it; empty when there is none.",
    "coverage": "Percent of the weight that applies that is answered, 0-100.",
    "red_flags": "Number of red flags.",
    "must_ask": "Number of must-ask questions: critical ones not settled.",
    "known_gaps": "Number of known gaps: answers that fall short but are not red flags.",
    "recheck_due": "The first day the answers are due for a re-check (YYYY-MM-DD); empty when they carry no date and no rule they rely on ends.",
    "recheck_overdue": "yes when that day is today or past; else no.",
    "checklist_version": "The checklist version the answers were written for.",
    "file": "The answers file, as given on the command line.",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def render_roster_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, column)) for column in COLUMNS])
    return out.getvalue()
