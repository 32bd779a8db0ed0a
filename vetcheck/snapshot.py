"""Validated snapshots of the built-in checklists, so a run need not parse their YAML.

Parsing and validating the built-in checklist was a quarter of what `vetcheck report` ran
beyond a bare Typer command (docs/performance.md). The wheel build (hatch_build.py) validates each built-in checklist once
and ships a snapshot of the result beside it. A snapshot is used only when it was made from the
very same YAML text by the same vetcheck, and only from the installed package's own folder
(loading a pickle runs code, so never from a folder a user might be handed); in any other case,
and in a source checkout, the YAML is parsed and validated as usual.

    python -m vetcheck.snapshot OUT_DIR    # write a snapshot of each built-in checklist
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from pathlib import Path

from vetcheck import __version__
from vetcheck.model import Checklist

SUFFIX = ".snapshot"
_FORMAT = b"vetcheck-snapshot-1"


def snapshot_path(checklist_path: Path) -> Path:
    return checklist_path.with_name(checklist_path.stem + SUFFIX)


def _key(text: str) -> bytes:
    """What a snapshot must have been made from: this format, this vetcheck, this YAML text."""
    digest = hashlib.sha256(text.encode())
    digest.update(f"\0{__version__}".encode())
    return _FORMAT + b" " + digest.hexdigest().encode() + b"\n"


def dumps(checklist: Checklist, text: str) -> bytes:
    """A snapshot of a checklist validated from `text`."""
    import pickle

    fresh = replace(checklist, path="")
    _ = fresh.content_hash  # cached in the snapshot: computing it would import json on every run
    return _key(text) + pickle.dumps(fresh, protocol=5)


def load(checklist_path: Path, text: str) -> Checklist | None:
    """The snapshot beside a built-in checklist, if it was made from this text; else None."""
    try:
        data = snapshot_path(checklist_path).read_bytes()
    except OSError:
        return None
    key = _key(text)
    if not data.startswith(key):
        return None
    try:  # the C unpickler alone: importing all of pickle.py would cost more than the load
        from _pickle import loads
    except ImportError:  # pragma: no cover - Python builds without the C accelerator
        from pickle import loads
    try:
        checklist = loads(data[len(key) :])
    except Exception:  # a damaged snapshot only costs speed: the caller parses the YAML instead
        return None
    if not isinstance(checklist, Checklist):
        return None
    # Set in place, not with replace(), which would drop the cached content hash. Nothing else
    # holds this freshly unpickled object yet.
    object.__setattr__(checklist, "path", str(checklist_path))
    return checklist


def write_all(source_dir: Path, out_dir: Path) -> list[Path]:
    """Validate every checklist in source_dir and write its snapshot to out_dir."""
    from vetcheck.document import read_text
    from vetcheck.loader import parse_checklist

    written = []
    for path in sorted(source_dir.glob("*.yaml")):
        text = read_text(path)
        target = out_dir / snapshot_path(path).name
        target.write_bytes(dumps(parse_checklist(text, str(path)), text))  # a build's temp folder
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    from vetcheck.errors import VetcheckError
    from vetcheck.resources import builtin_dir

    if len(argv) != 1:
        print("usage: python -m vetcheck.snapshot OUT_DIR", file=sys.stderr)
        return 2
    try:
        for path in write_all(builtin_dir(), Path(argv[0])):
            print(f"wrote {path}")
    except VetcheckError as exc:  # a built-in checklist that does not validate must not ship
        for line in exc.message.splitlines():
            print(f"error: {line}", file=sys.stderr)
        return int(exc.exit_code)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
