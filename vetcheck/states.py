"""Which US state (or DC, or Puerto Rico) a place names: "TX", "Texas", "Austin, TX 78701".

A fixed table, not the look-ups file: a report works out the state on every run, and for a
location that names none ("Online") it must not pay for reading the look-ups. The look-ups
file's rows are checked against this table (loader.load_lookups), so the two cannot disagree.
"""

STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

_BY_NAME = {name.casefold(): code for code, name in STATES.items()}
_ALIASES = {
    "washington dc": "DC",
    "washington d c": "DC",
    "d c": "DC",
    "dc": "DC",
    "district of columbia": "DC",
}
_COUNTRY = {"usa", "us", "u s", "u s a", "united states", "united states of america"}
_PARTS = str.maketrans(";/\n", ",,,")  # what separates "City, ST" and the like


def state_in(location: str) -> str | None:
    """The code of the state a location names: a code ("TX"), a name ("Texas"), or the last
    part of "City, ST", "City, State" or "City, ST 78701". None when it names none, or could
    name more than one ("Washington" alone: the state or the city?)."""
    # String methods, not regular expressions: every report runs this, and compiling a
    # pattern costs more than the whole look-up.
    text = _plain(location)
    if not text:
        return None
    whole = _match(text, alone=True)
    if whole is not None:
        return whole
    parts = [p for p in map(_plain, location.translate(_PARTS).split(",")) if p]
    while parts and parts[-1] in _COUNTRY:  # "Miami, FL, USA"
        parts.pop()
    if len(parts) > 1:
        return _match(parts[-1], alone=False)
    return None


def _plain(text: str) -> str:
    """Lower case, letters and digits only, single spaces: 'Washington, D.C.' → 'washington d c'."""
    return " ".join(
        "".join(c if c.isalnum() or c.isspace() else " " for c in text.casefold()).split()
    )


def _match(text: str, alone: bool) -> str | None:
    words = text.split()
    if len(words) > 2 and _digits(words[-1], 4) and _digits(words[-2], 5):  # ZIP+4: 78701-1234
        words.pop()
    if words and (_digits(words[-1], 5) or _digits(words[-1], 9)):  # a ZIP code after it
        words.pop()
    if len(words) > 1 and words[-1] in ("usa", "us"):
        words.pop()
    elif len(words) > 2 and words[-2:] == ["united", "states"]:
        words = words[:-2]
    text = " ".join(words)
    if text in _ALIASES:
        return _ALIASES[text]
    if text in _BY_NAME:
        # "Washington" alone is the state or the city; after a comma ("Seattle, Washington")
        # it is the state.
        return None if alone and text == "washington" else _BY_NAME[text]
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper()
        return code if code in STATES else None
    return None


def _digits(word: str, count: int) -> bool:
    return len(word) == count and word.isdecimal()
