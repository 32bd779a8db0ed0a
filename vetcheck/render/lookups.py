"""A state's official look-ups (`vetcheck lookup`) → markdown, JSON or one HTML page to print.

The card is built once as sections of items (text, an optional link, whether the link was
confirmed); each format adds its markup and escaping.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, NamedTuple

from vetcheck.lookups import Board, Lookups, NationalLookup, StateLookups
from vetcheck.model import Role
from vetcheck.places import stale

TITLE = "Check it yourself: official look-ups for {place}"
NATIONAL_TITLE = "Check it yourself: the national look-ups"
INTRO = (
    "These are the official places to check a provider's license and record. vetcheck does not "
    "look anything up for you and sends nothing anywhere; open the links yourself."
)
TELEHEALTH = (
    "For video or phone visits, the prescriber's license must, with few exceptions, be from the "
    "state where you are during the visit, not only the state where the clinic is."
)
# The Nurse Licensure Compact (Texas Board of Nursing's "Nurse Licensure Compact" page): said
# without naming which states belong, which the look-ups file does not record.
COMPACT = (
    "In states that belong to the Nurse Licensure Compact, a registered or practical nurse may "
    "work on a multistate license from another member state and is then not in this board's "
    "own search: Nursys QuickConfirm shows it. Nurse practitioners generally need a license "
    "from the state itself."
)
UNCONFIRMED = "not confirmed: make sure it is the official page"
NO_PAGE = "no official page confirmed yet: search for the board's name"
NO_STATE = (
    "No state chosen: these national look-ups work everywhere. For a state's boards, run "
    "vetcheck lookup with the state (a code such as TX, or a name such as Texas)."
)
_URL = re.compile(r"(https://[^\s<>()]+[^\s<>().,;:])")


class Item(NamedTuple):
    text: str  # plain text, escaped by each format
    url: str | None = None
    confirmed: bool = True
    strong: bool = False


def _board(state: StateLookups, key: str, board: Board) -> list[Item]:
    ok = state.confirmed
    items = [Item("License look-up:", board.lookup, ok(f"{key}.lookup"))]
    if board.complaint:
        items.append(Item("Complaints:", board.complaint, ok(f"{key}.complaint")))
    published = {True: "yes", False: "no", None: "not confirmed"}[board.discipline_online]
    items.append(Item(f"Disciplinary documents online: {published}"))
    if board.note:
        items.append(Item(board.note))
    return items


def sections(
    lookups: Lookups, state: StateLookups | None, today: date
) -> list[tuple[str, list[Item]]]:
    """The card: (heading, items)."""
    out: list[tuple[str, list[Item]]] = []
    if state is not None:
        doctors = "Doctors (MD and DO)" if state.osteopathic_board is None else "Doctors (MD)"
        medical = state.medical_board
        out.append((f"{doctors}: {medical.name}", _board(state, "medical_board", medical)))
        if state.osteopathic_board is not None:
            osteo = state.osteopathic_board
            out.append(
                (
                    f"Osteopathic doctors (DO): {osteo.name}",
                    _board(state, "osteopathic_board", osteo),
                )
            )
        nurses = state.nursing_board
        nursys = {True: "yes", False: "no, use the board's own look-up", None: "not confirmed"}
        out.append(
            (
                f"Nurses and nurse practitioners: {nurses.name}",
                [
                    Item(
                        "License look-up:", nurses.lookup, state.confirmed("nursing_board.lookup")
                    ),
                    Item(f"Listed in Nursys QuickConfirm: {nursys[nurses.nursys]}"),
                    Item(COMPACT),
                ],
            )
        )
        pdmp = state.pdmp
        out.append(
            (
                f"Prescription monitoring: {pdmp.name}",
                [
                    Item("Program page:", pdmp.url, state.confirmed("pdmp.url")),
                    Item(
                        "Only prescribers and pharmacists can search it. Ask the prescriber "
                        "whether they check it before prescribing ketamine."
                    ),
                ],
            )
        )
        out.append(("Video and phone visits", [Item(TELEHEALTH)]))
    national: list[Item] = []
    for entry in lookups.national:
        national += _national(entry)
    out.append(("National look-ups", national))
    checked = state.verified_on if state is not None else lookups.verified_on
    when = Item(f"Last checked on {checked.isoformat()}.")
    if stale(checked, today):
        when = Item(
            f"Last checked on {checked.isoformat()}, more than a year ago: a page may have moved.",
            strong=True,
        )
    out.append(
        (
            "About this card",
            [
                when,
                Item("How each entry was checked: docs/lookups-sources.md in vetcheck's source."),
            ],
        )
    )
    return out


def _national(entry: NationalLookup) -> list[Item]:
    return [
        Item(f"{entry.name}: {entry.what}", entry.url, "url" not in entry.unconfirmed),
        Item(entry.caveat),
    ]


def _title(state: StateLookups | None) -> str:
    return TITLE.format(place=state.name) if state is not None else NATIONAL_TITLE


def pieces(text: str) -> list[tuple[bool, str]]:
    """Text cut into (is a web address, piece): a board's note may give an address to link."""
    return [(i % 2 == 1, p) for i, p in enumerate(_URL.split(text)) if p]


def render_lookup_markdown(lookups: Lookups, state: StateLookups | None, today: date) -> str:
    from vetcheck.render.markdown import escape, link

    def prose(text: str) -> str:
        """Escaped text whose web addresses are links; the spaces around each kept."""
        out = []
        for is_url, piece in pieces(text):
            if is_url:
                out.append(link(piece))
            else:
                lead = " " if piece[:1].isspace() else ""
                tail = " " if piece[-1:].isspace() and piece.strip() else ""
                out.append(lead + escape(piece) + tail)
        return "".join(out)

    def line(item: Item) -> str:
        text = prose(item.text)
        if item.strong:
            text = f"**{text}**"
        if item.url is not None:
            text += f" {link(item.url)}" + ("" if item.confirmed else f" ({UNCONFIRMED})")
        elif item.text.endswith(":"):
            text += f" {NO_PAGE}"
        return f"- {text}"

    out = [f"# {escape(_title(state))}", "", f"> {escape(INTRO)}", ""]
    if state is None:
        out += [escape(NO_STATE), ""]
    for heading, items in sections(lookups, state, today):
        out += [f"## {escape(heading)}", "", *map(line, items), ""]
    return "\n".join(out)


def render_lookup_json(lookups: Lookups, state: StateLookups | None, today: date) -> str:
    from vetcheck import schema

    checked = state.verified_on if state is not None else lookups.verified_on
    data: dict[str, Any] = {
        "format": "vetcheck-lookup",
        "format_version": 1,
        "generated": today.isoformat(),
        "state": None if state is None else schema.spec_of(StateLookups).dump(state),
        "stale": stale(checked, today),
        "telehealth": TELEHEALTH,
        "national": [schema.spec_of(NationalLookup).dump(n) for n in lookups.national],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_lookup_html(lookups: Lookups, state: StateLookups | None, today: date) -> str:
    from vetcheck.render.html import _environment

    template = _environment().get_template("lookup.html.j2")
    return template.render(
        role=Role.PATIENT,  # the look-ups card is written for anyone who reads it
        title=_title(state),
        pieces=pieces,
        intro=INTRO,
        no_state=NO_STATE if state is None else None,
        sections=sections(lookups, state, today),
        unconfirmed=UNCONFIRMED,
        no_page=NO_PAGE,
    )
