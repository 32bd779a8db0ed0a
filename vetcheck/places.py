"""The official places a report, the question sheet and the interview name for a question:
the state whose license counts, how it was found, and where to look there. No I/O here.

They come from the look-ups file (vetcheck/lookups.py describes it) as an index of places per
kind of check, nationally and per state (`lookups.index`), which the file's data copy holds:
a report reads that index instead of building the file's 52 rows of classes.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Literal

from vetcheck.model import AnswerEntry, Answers, Checklist
from vetcheck.states import STATES, state_in

STALE_AFTER = timedelta(days=365)  # a row checked longer ago than this says when it was checked

# How the state that counts was found (the JSON report's `look_ups.basis`): given on the
# command line (--state), where the patient is during visits (the answers file's
# patient_state), the clinic's location, or none (national look-ups only).
Basis = Literal["option", "patient_state", "location", "none"]


def stale(verified_on: date, today: date) -> bool:
    """Whether a row was checked more than a year before `today`: shown with its date then."""
    return today - verified_on > STALE_AFTER


class Place:
    """One official place to look: a board's license look-up, a national site."""

    __slots__ = ("confirmed", "name", "national", "url", "what")

    def __init__(
        self, name: str, what: str, url: str | None, confirmed: bool, national: bool = False
    ) -> None:
        self.name = name
        self.what = what  # what to do there, in a few words; empty where the name says it
        self.url = url  # None: no official page could be confirmed
        self.confirmed = confirmed  # False: the address could not be checked at its source
        self.national = national  # serves every state (DocInfo, Nursys, the REMS finder)

    def __repr__(self) -> str:
        return (
            f"Place({self.name!r}, {self.what!r}, {self.url!r}, {self.confirmed}, {self.national})"
        )


class Places:
    """The look-ups index: places per kind of check, nationally and for the states read."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.verified_on = date.fromisoformat(data["verified_on"])
        self.national: Mapping[str, list[list[Any]]] = data["national"]
        self.states: Mapping[str, Mapping[str, Any]] = data["states"]


class Where:
    """The look-ups one report, sheet or interview names: the state whose license counts (or
    none, and then only the national look-ups), how it was found, and whether the program sees
    the patient away from the clinic, where the license must be from the patient's state."""

    def __init__(
        self,
        index: Places,
        code: str | None,
        basis: Basis,
        given: str | None,
        remote: bool,
        clinic_state: str | None = None,
    ) -> None:
        self.code = code
        self.clinic_state = clinic_state  # the state the clinic's location names, if any
        self.clinic_state_name = None if clinic_state is None else STATES[clinic_state]
        self.basis = basis
        self.given = given  # the words the state was read from (or the location that named none)
        self.remote = remote
        row = None if code is None else index.states[code]
        self.state_name = None if code is None else STATES[code]
        self.verified_on = (
            index.verified_on if row is None else date.fromisoformat(row["verified_on"])
        )
        # A state's row lists every place for the kinds it has (its boards, then the national
        # sites that serve it); the national list serves the other kinds, and every kind
        # when no state is known.
        self._places: Mapping[str, list[list[Any]]] = {
            **index.national,
            **(row["places"] if row else {}),
        }

    def stale(self, today: date) -> bool:
        return stale(self.verified_on, today)

    def places(self, kinds: Iterable[str]) -> tuple[Place, ...]:
        """Where to look for these kinds of check, the state's boards before national sites;
        a place named twice (a board whose complaint page is its home page) is named once."""
        found: dict[tuple[str, str | None], Place] = {}
        for kind in kinds:
            for name, what, url, confirmed, national in self._places.get(kind, ()):
                found.setdefault((name, url), Place(name, what, url, confirmed, national))
        return tuple(found.values())


def where(
    index: Places,
    location: str | None,
    patient_state: str | None,
    remote: bool,
    option: str | None = None,
) -> Where:
    """The state that counts: `option` (a code, already checked) first; then, for a program
    that sees the patient away from the clinic, where the patient is; then the clinic's
    location; then where the patient is. With none of these naming a state: national only."""
    tries: list[tuple[Basis, str | None]] = [("option", option)]
    if remote:
        tries += [("patient_state", patient_state), ("location", location)]
    else:
        tries += [("location", location), ("patient_state", patient_state)]
    clinic = state_in(location) if location else None
    for basis, text in tries:
        code = state_in(text, asked_for_a_state=basis != "location") if text else None
        if code is not None and code in index.states:
            return Where(index, code, basis, text, remote, clinic)
    return Where(index, None, "none", location or patient_state, remote, clinic)


def remote_route(checklist: Checklist, entries: Mapping[str, AnswerEntry]) -> bool:
    """Whether the route answered includes one where the patient is away from the clinic."""
    route = checklist.route
    entry = None if route is None else entries.get(route.id)
    if route is None or entry is None:
        return False
    picked = entry.value if isinstance(entry.value, tuple) else (entry.value,)
    return any(option.remote for option in route.options if option.id in picked)


def needs_lookups(checklist: Checklist) -> bool:
    """Whether any question names an official look-up (else the look-ups are not read)."""
    return any(q.look_up for q in checklist.questions)


def where_for(
    index: Places, checklist: Checklist, answers: Answers, option: str | None = None
) -> Where:
    """The look-ups for one answers file: its location and patient_state, its route."""
    subject = answers.subject
    remote = remote_route(checklist, answers.entries)
    return where(index, subject.location, subject.patient_state, remote, option)


def named_states(*texts: str | None) -> set[str]:
    """The codes of the states these texts may name (to read only their rows)."""
    # Read as an answer to "which state?": that names every state the plain reading does,
    # and the ambiguous ones too ("Washington"), which patient_state may hold.
    return {code for code in (state_in(t, asked_for_a_state=True) for t in texts if t) if code}
