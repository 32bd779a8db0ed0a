"""Official look-ups a patient can use, per US state (issue 17): the file's model, and which
state a clinic's location names. No I/O here.

The data is `checklists/lookups/us-states.yaml`, described once by the classes below (so the
schema validates it with line numbers and publishes its JSON Schema). A field named in a row's
`unconfirmed` list could not be checked against a primary source: it is shown as such, never as
checked.
"""

from datetime import date
from typing import Any, ClassVar

from vetcheck.model import LookUp, spec, value

_URL = {
    "pattern": r"^https://[^\s/$.?#][^\s]*$",
    "hint": "a link starts with https://",
    "max_length": 500,
}
_TEXT = {"max_length": 1000}
_FIELD = r"^[a-z_]+(\.[a-z_]+)?$"


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


# --- The look-ups as reports use them (vetcheck/places.py) ----------------------------------


def index(lookups: Lookups) -> dict[str, Any]:
    """The places each kind of check names, nationally and per state, as JSON values: what
    reports read (places.Places), computed once from the checked file. The data copy holds it,
    so a report does not build this module's classes."""

    def national(*ids: str) -> list[list[Any]]:
        entries = {n.id: n for n in lookups.national}
        return [
            _place(entries[i].name, "", entries[i].url, "url" not in entries[i].unconfirmed, True)
            for i in ids
            if i in entries
        ]

    everywhere = {
        LookUp.LICENSE: national("docinfo", "nursys"),
        LookUp.CERTIFICATION: national("certificationmatters", "aoa"),
        LookUp.REMS: national("spravato-rems"),
        LookUp.DEA: national("dea"),
    }
    states = {}
    for state in lookups.states:
        medical, osteo, nurses = state.medical_board, state.osteopathic_board, state.nursing_board
        boards = [("medical_board", medical), ("osteopathic_board", osteo)]
        license_ = [_board(state, key, board, "lookup") for key, board in boards if board]
        license_.append(
            _place(
                nurses.name,
                "license look-up",
                nurses.lookup,
                state.confirmed("nursing_board.lookup"),
            )
        )
        nursys = nurses.nursys is not False  # a state that does not send Nursys its data
        states[state.code] = {
            "name": state.name,
            "verified_on": state.verified_on.isoformat(),
            "places": {
                LookUp.LICENSE: license_ + national("docinfo", *(["nursys"] if nursys else [])),
                LookUp.COMPLAINT: [
                    _board(state, key, board, "complaint") for key, board in boards if board
                ],
                LookUp.PDMP: [
                    _place(
                        state.pdmp.name,
                        "prescription monitoring",
                        state.pdmp.url,
                        state.confirmed("pdmp.url"),
                    )
                ],
            },
        }
    return {
        "verified_on": lookups.verified_on.isoformat(),
        "national": everywhere,
        "states": states,
    }


def _place(
    name: str, what: str, url: str | None, confirmed: bool, national: bool = False
) -> list[Any]:
    return [name, what, url, confirmed, national]


def _board(state: StateLookups, key: str, board: Board, page: str) -> list[Any]:
    """A board's license look-up or complaint page; none where none is known (a look-up page
    is never offered as the place to complain: in some states another office takes them)."""
    url = board.lookup if page == "lookup" else board.complaint
    what = "license look-up" if page == "lookup" else "complaints"
    return _place(board.name, what, url, url is not None and state.confirmed(f"{key}.{page}"))
