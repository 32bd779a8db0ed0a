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
# Other ways people write a state, as _plain leaves them ("N.Y." → "n y"): the AP style
# abbreviations newspapers and addresses use, and a few common names.
_ALIASES = {
    **{"washington dc": "DC", "washington d c": "DC", "d c": "DC", "district of columbia": "DC"},
    **{"washington state": "WA", "new york city": "NY", "nyc": "NY"},
    **{"ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO"},
    **{"conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN"},
    **{"kan": "KS", "kans": "KS", "ky": "KY", "md": "MD", "mass": "MA"},
    **{"mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE"},
    **{"nebr": "NE", "nev": "NV", "n h": "NH", "n j": "NJ", "n m": "NM", "n y": "NY"},
    **{"n c": "NC", "n d": "ND", "okla": "OK", "ore": "OR", "oreg": "OR", "pa": "PA"},
    **{"penn": "PA", "r i": "RI", "s c": "SC", "s d": "SD", "tenn": "TN", "tex": "TX"},
    **{"vt": "VT", "va": "VA", "wash": "WA", "w va": "WV", "wis": "WI", "wisc": "WI"},
    **{"wyo": "WY", "p r": "PR"},
}
# Alone, a place as much as a state: Washington (DC), LA (Los Angeles). Named when the text
# answers "which state?".
_AMBIGUOUS = {"washington": "WA", "la": "LA"}
_COUNTRY = {"usa", "us", "u s", "u s a", "united states", "united states of america"}
_PARTS = str.maketrans(";/\n", ",,,")  # what separates "City, ST" and the like


def state_in(text: str, asked_for_a_state: bool = False) -> str | None:
    """The code of the state a place names: a code ("TX"), a name ("Texas", "Calif."), or the
    end of "City, ST", "City, State", "City ST 78701" or "City State". None when it names none,
    or could name more than one: "Washington" alone is the state or the city, unless the text
    answers "which state?" (`asked_for_a_state`)."""
    # String methods, not regular expressions: every report runs this, and compiling a
    # pattern costs more than the whole look-up.
    whole = _plain(text)
    if not whole:
        return None
    if whole in _AMBIGUOUS:
        return _AMBIGUOUS[whole] if asked_for_a_state else None
    found = _match(whole, alone=True)
    if found is not None:
        return found
    parts = [p for p in map(_plain, text.translate(_PARTS).split(",")) if p]
    while parts and parts[-1] in _COUNTRY:  # "Miami, FL, USA"
        parts.pop()
    if len(parts) > 1:
        return _match(parts[-1], alone=False)
    return _last_words(text, whole)


def _last_words(text: str, whole: str) -> str | None:
    """The state that ends a place written without a comma: "Fort Worth TX 76102" (a code in
    capitals, so that "Portland or" is not Oregon), "Santa Fe New Mexico"."""
    words = _without_zip(whole.split())
    if len(words) < 2:
        return None
    last = [w for w in text.split() if not w.isdecimal()]
    if last and len(last[-1]) == 2 and last[-1].isupper() and last[-1] in STATES:
        return last[-1]
    if last and last[-1].endswith(".") and _plain(last[-1]) in _ALIASES:  # "Mobile Ala."
        return _ALIASES[_plain(last[-1])]
    for size in (3, 2, 1):  # "west virginia" before "virginia"
        name = " ".join(words[-size:])
        if len(words) > size and name in _BY_NAME:
            return _BY_NAME[name]
    return None


def _plain(text: str) -> str:
    """Lower case, letters and digits only, single spaces: 'Washington, D.C.' → 'washington d c'."""
    return " ".join(
        "".join(c if c.isalnum() or c.isspace() else " " for c in text.casefold()).split()
    )


def _without_zip(words: list[str]) -> list[str]:
    if len(words) > 2 and _digits(words[-1], 4) and _digits(words[-2], 5):  # ZIP+4: 78701-1234
        words = words[:-1]
    if words and (_digits(words[-1], 5) or _digits(words[-1], 9)):  # a ZIP code after it
        words = words[:-1]
    return words


def _match(text: str, alone: bool) -> str | None:
    words = _without_zip(text.split())
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
