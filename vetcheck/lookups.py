"""Official look-ups a patient can use, per US state (issue 17): the file's model, and which
state a clinic's location names. No I/O here.

The data is `checklists/lookups/us-states.yaml`, described once by the classes below (so the
schema validates it with line numbers and publishes its JSON Schema). A field named in a row's
`unconfirmed` list could not be checked against a primary source: it is shown as such, never as
checked.
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import ClassVar

from vetcheck.model import spec, value

_URL = {
    "pattern": r"^https://[^\s/$.?#][^\s]*$",
    "hint": "a link starts with https://",
    "max_length": 500,
}
_TEXT = {"max_length": 1000}
_FIELD = r"^[a-z_]+(\.[a-z_]+)?$"
STALE_AFTER = timedelta(days=365)  # a row checked longer ago than this says when it was checked


@value(slots=True)
class Board:
    """A licensing board: where to look a license up, where to complain."""

    name: str = spec(**_TEXT)
    lookup: str | None = spec(None, description="The license look-up page.", **_URL)
    complaint: str | None = spec(None, description="Where to file a complaint.", **_URL)
    discipline_online: bool | None = spec(
        None,
        description="Whether the board publishes disciplinary documents online (null: not confirmed).",
    )
    note: str | None = spec(None, **_TEXT)


@value(slots=True)
class NursingBoard:
    """The state board of nursing (nurse practitioners, nurse anesthetists, nurses)."""

    name: str = spec(**_TEXT)
    lookup: str | None = spec(None, description="The license look-up page.", **_URL)
    nursys: bool | None = spec(
        None,
        description="Whether the board's licenses show in Nursys QuickConfirm (null: not confirmed).",
    )


@value(slots=True)
class Program:
    """The state's prescription-drug-monitoring program."""

    name: str = spec(**_TEXT)
    url: str | None = spec(None, **_URL)


@value(slots=True)
class StateLookups:
    """The official look-ups for one state, DC or Puerto Rico."""

    NOUN: ClassVar[str] = "state"
    code: str = spec(description="Two-letter postal code.", pattern=r"^[A-Z]{2}$", max_length=2)
    name: str = spec(max_length=80)
    medical_board: Board = spec()
    nursing_board: NursingBoard = spec()
    pdmp: Program = spec()
    verified_on: date = spec(description="When this row was last checked against its sources.")
    osteopathic_board: Board | None = spec(
        None, description="A separate board for DOs; null where one board licenses both."
    )
    unconfirmed: tuple[str, ...] = spec(
        (),
        description="Fields (e.g. medical_board.lookup) that could not be confirmed from a primary source.",
        item={"pattern": _FIELD, "max_length": 60},
    )

    def confirmed(self, field: str) -> bool:
        return field not in self.unconfirmed


@value(slots=True)
class NationalLookup:
    """A national look-up that applies in every state."""

    id: str = spec(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)
    name: str = spec(**_TEXT)
    what: str = spec(description="What a patient can check there.", **_TEXT)
    caveat: str = spec(description="What it does not show.", **_TEXT)
    verified_on: date = spec()
    source: str = spec(description="How the entry was checked.", **_TEXT)
    url: str | None = spec(None, **_URL)
    unconfirmed: tuple[str, ...] = spec((), item={"pattern": _FIELD, "max_length": 60})


@value()
class Lookups:
    """Official look-ups per US state, DC and Puerto Rico. See docs/lookups-sources.md."""

    TITLE: ClassVar[str] = "vetcheck look-ups"
    format: str = spec(pattern=r"^vetcheck-lookups$", max_length=40)
    version: str = spec(numbers_ok=True, max_length=40)
    verified_on: date = spec()
    national: tuple[NationalLookup, ...] = spec(min_items=1)
    states: tuple[StateLookups, ...] = spec(min_items=1)

    def state(self, code: str) -> StateLookups | None:
        return next((s for s in self.states if s.code == code.upper()), None)


def stale(verified_on: date, today: date) -> bool:
    """Whether a row was checked more than a year before `today`: shown with its date then."""
    return today - verified_on > STALE_AFTER


# --- Which state a location names --------------------------------------------------------

_ALIASES = {
    "washington dc": "DC",
    "washington d c": "DC",
    "d c": "DC",
    "dc": "DC",
    "district of columbia": "DC",
    "pr": "PR",
    "puerto rico": "PR",
}


def state_in(location: str, states: Iterable[StateLookups]) -> StateLookups | None:
    """The state a location names: a two-letter code ("TX"), a name ("Texas"), or the last
    part of "City, ST", "City, State" or "City, ST 78701". None when it names none, or could
    name more than one ("Washington" alone: the state or the city?)."""
    by_code = {s.code: s for s in states}
    by_name = {_plain(s.name): s for s in by_code.values()}
    text = _plain(location)
    if not text:
        return None
    whole = _match(text, by_code, by_name, alone=True)
    if whole is not None:
        return whole
    parts = [p for p in (_plain(p) for p in re.split(r"[,;/\n]", location)) if p]
    while parts and parts[-1] in _COUNTRY:  # "Miami, FL, USA"
        parts.pop()
    if len(parts) > 1:
        return _match(parts[-1], by_code, by_name, alone=False)
    return None


_COUNTRY = {"usa", "us", "u s", "u s a", "united states", "united states of america"}


def _plain(text: str) -> str:
    """Lower case, letters and digits only, single spaces: 'Washington, D.C.' → 'washington d c'."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.casefold()).split())


def _match(
    text: str, by_code: dict[str, StateLookups], by_name: dict[str, StateLookups], alone: bool
) -> StateLookups | None:
    text = re.sub(r"\s*\d{5}(?:\s*\d{4})?$", "", text)  # a ZIP code after the state
    text = re.sub(r"\s+(?:usa|us|united states)$", "", text)
    if text in _ALIASES:
        return by_code.get(_ALIASES[text])
    if text in by_name:
        # "Washington" alone is the state or the city; after a comma ("Seattle, Washington")
        # it is the state.
        return None if alone and text == "washington" else by_name[text]
    if len(text) == 2 and text.isalpha():
        return by_code.get(text.upper())
    return None
