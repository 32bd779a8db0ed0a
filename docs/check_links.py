"""Check that the links in the look-ups file still answer: for maintainers with a network.

    python3 docs/check_links.py            # every link; prints the ones that fail
    python3 docs/check_links.py --state TX # one state's links

Not part of CI and not run by vetcheck, which never uses the network. A link that fails here
may have moved: find the board's page again, update the row and its `verified_on` date, and
record how it was checked in docs/lookups-sources.md. Exits 1 when a link failed.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from vetcheck.loader import load_lookups
from vetcheck.lookups import StateLookups

TIMEOUT = 20  # seconds; some state sites are slow
HEADERS = {"User-Agent": "vetcheck-link-check (maintainer script; see docs/check_links.py)"}


def links(states: list[StateLookups], national: bool) -> list[tuple[str, str]]:
    """(where, url) for every link to check."""
    out = []
    for state in states:
        boards = [
            ("medical_board", state.medical_board),
            ("osteopathic_board", state.osteopathic_board),
        ]
        for key, board in boards:
            if board is not None:
                out += [
                    (f"{state.code} {key}.lookup", board.lookup),
                    (f"{state.code} {key}.complaint", board.complaint),
                ]
        out += [
            (f"{state.code} nursing_board.lookup", state.nursing_board.lookup),
            (f"{state.code} pdmp.url", state.pdmp.url),
        ]
    if national:
        out += [(f"national {n.id}", n.url) for n in load_lookups().national]
    return [(where, url) for where, url in out if url]


def check(url: str) -> str | None:
    """Why the link fails, or None when it answers."""
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, headers=HEADERS, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                if response.status < 400:
                    return None
                problem = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            problem = str(getattr(exc, "reason", exc))
    return problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", help="one state's code, e.g. TX")
    args = parser.parse_args()
    lookups = load_lookups()
    states = [s for s in lookups.states if args.state is None or s.code == args.state.upper()]
    todo = links(states, national=args.state is None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda item: (item, check(item[1])), todo))
    failed = [(where, url, why) for (where, url), why in results if why]
    for where, url, why in failed:
        print(f"{where}: {url}: {why}")
    print(f"{len(todo) - len(failed)} of {len(todo)} links answered", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
