"""Regenerate the files derived from the code, or check that they are current.

    python3 docs/generate.py           # rewrite every stale file
    python3 docs/generate.py --check   # change nothing; exit 1 naming each stale file (CI does this)

Run it with the Python that has vetcheck installed (`.venv/bin/python`). What it generates:

- docs/schema/{checklist,answers,report,claims,claim-rules,lookups}.schema.json: exactly what
  `vetcheck schema FILE_FORMAT` prints;
- docs/methodology.md, block `rules`: the scoring rules of the built-in checklist, each with a
  worked example that the scorer computes, and its grades;
- docs/checklist-format.md, block `fields`: the field reference, from the validator's spec;
- docs/claims.md, block `figures`: how the claim rules do on the labelled pages in tests/;
- docs/commands.md, block `roster-columns`: the columns of `compare --format csv`;
- checklists/ketamine-provider.data.json and checklists/lookups/us-states.data.json: the
  built-in checklist's and look-ups' data copies (docs/performance.md).

A block is the text between `<!-- generated: NAME -->` and `<!-- end: NAME -->`; everything
outside the markers is written by hand. tests/test_docs.py runs the check, so the test suite
fails too when a change to the code leaves these files behind.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the paths below are from here
COMMAND = "python3 docs/generate.py"


def _type_of(spec: object) -> str:
    from vetcheck import schema

    if isinstance(spec, schema.Str):
        return "text (or number)" if spec.numbers_ok else "text"
    names = {schema.Int: "whole number", schema.Bool: "true/false", schema.Date: "date YYYY-MM-DD"}
    for spec_type, word in names.items():
        if isinstance(spec, spec_type):
            return word
    if isinstance(spec, schema.Choice):
        return " / ".join(f"`{v}`" for v in spec.values)
    if isinstance(spec, schema.ListOf):
        return f"list of {_type_of(spec.item)}"
    if isinstance(spec, schema.Obj):
        return spec.noun or "mapping"
    return "value"


def fields_reference() -> str:
    """The checklist field reference: one table per mapping, walked from the top level."""
    from vetcheck import schema
    from vetcheck.model import Checklist

    blocks: list[tuple[str, schema.Obj]] = [("Checklist (top level)", schema.spec_of(Checklist))]
    seen: set[int] = set()
    out: list[str] = []
    while blocks:
        title, obj = blocks.pop(0)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        out += [
            f"### {title}",
            "",
            "| Key | Required | Type | Meaning |",
            "| --- | --- | --- | --- |",
        ]
        for key, field in obj.fields.items():
            spec = field.spec
            inner = spec.item if isinstance(spec, schema.ListOf) else spec
            if isinstance(inner, schema.Obj):
                blocks.append(
                    (f"`{key}` entries" if isinstance(spec, schema.ListOf) else f"`{key}`", inner)
                )
            meaning = (spec.description or inner.description).replace("|", "\\|")
            out.append(
                f"| `{key}` | {'yes' if field.required else 'no'} | {_type_of(spec)} | {meaning} |"
            )
        out.append("")
    return "\n".join(out)


def methodology_rules() -> str:
    """The rules and grades the built-in checklist scores by, as `vetcheck methodology` states them."""
    from vetcheck.loader import load_checklist
    from vetcheck.render.markdown import methodology_rules as render_rules
    from vetcheck.resources import builtin_dir

    return render_rules(load_checklist(builtin_dir() / "ketamine-provider.yaml").scoring)


def json_schema(file_format: str) -> str:
    """What `vetcheck schema FILE_FORMAT` prints."""
    from vetcheck.cli import schema_of

    return json.dumps(schema_of(file_format), indent=2) + "\n"


@functools.cache  # tests regenerate the docs several times; the figures read ~1,200 sentences
def claims_figures() -> str:
    """How the built-in claim rules do on the labelled seeds and the corpus of real pages."""
    import yaml

    from vetcheck.claims import Scanner
    from vetcheck.extract import read_document
    from vetcheck.loader import load_claim_rules

    scanner = Scanner(load_claim_rules(None))

    def norm(text: str) -> str:
        swaps = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
        return " ".join("".join(swaps.get(c, c) for c in text).split()).lower()

    found = claims = traps = flagged_traps = 0
    for labels_path in sorted((ROOT / "tests/fixtures/claims/seeds").glob("seed-*.yaml")):
        labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
        document = read_document(labels_path.parent / labels["file"])
        flagged = [norm(f.sentence.text) for f in scanner.scan(document.blocks)]
        for claim in labels["claims"]:
            claims += 1
            found += any(norm(claim["quote"]) in f or f in norm(claim["quote"]) for f in flagged)
        for trap in labels["traps"]:
            traps += 1
            flagged_traps += any(
                norm(trap["quote"]) in f or f in norm(trap["quote"]) for f in flagged
            )
    pages = {"clinic": 0, "careful": 0}
    count: dict[tuple[str, str], int] = {}
    by_category: dict[str, list[int]] = {}
    for path in sorted((ROOT / "tests/claims_corpus").glob("*.yaml")):
        page = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = page["kind"]
        pages[kind] += 1
        for sentence in page["sentences"]:
            hit = bool(scanner.rules_for(" ".join(sentence["text"].split())))
            label = sentence["label"]
            count[kind, label] = count.get((kind, label), 0) + 1
            count[kind, label + "-flagged"] = count.get((kind, label + "-flagged"), 0) + hit
            if label == "claim" and kind == "clinic":
                tally = by_category.setdefault(sentence["category"], [0, 0])
                tally[0] += hit
                tally[1] += 1

    def pct(part: int, whole: int) -> str:
        share = 100 * part / whole if whole else 0
        return (
            f"{part} of {whole} ({share:.1f}%)"
            if 0 < share < 10
            else f"{part} of {whole} ({share:.0f}%)"
        )

    out = [
        "| Set | Claims found (recall) | Accurate sentences flagged (false flags) |",
        "| --- | --- | --- |",
        f"| Seed documents (4) | {pct(found, claims)} | traps: {pct(flagged_traps, traps)} |",
    ]
    for kind in ("clinic", "careful"):
        out.append(
            f"| Corpus, {kind} pages ({pages[kind]}) | "
            f"{pct(count.get((kind, 'claim-flagged'), 0), count.get((kind, 'claim'), 0))} | "
            f"{pct(count.get((kind, 'ok-flagged'), 0), count.get((kind, 'ok'), 0))} |"
        )
    out += ["", "Clinic claims found, by category:", "", "| Category | Found |", "| --- | --- |"]
    out += [f"| {name} | {pct(*by_category[name])} |" for name in sorted(by_category)]
    return "\n".join(out) + "\n"


def roster_columns() -> str:
    """The roster's columns (`compare --format csv`), from the renderer's own list."""
    from vetcheck.render.csv import COLUMNS

    rows = [f"| `{name}` | {meaning} |" for name, meaning in COLUMNS.items()]
    return "\n".join(["| Column | What it holds |", "| --- | --- |", *rows]) + "\n"


# Each generated block: (file, block name) → its body.
BLOCKS: dict[tuple[str, str], Callable[[], str]] = {
    ("docs/methodology.md", "rules"): methodology_rules,
    ("docs/checklist-format.md", "fields"): fields_reference,
    ("docs/claims.md", "figures"): claims_figures,
    ("docs/commands.md", "roster-columns"): roster_columns,
}


def data_copy(name: str) -> str:
    """A built-in file's data copy (checklists/NAME.yaml): what vetcheck builds it from while
    it is current."""
    from vetcheck.loader import data_copy as make
    from vetcheck.resources import builtin_dir

    return make(builtin_dir() / f"{name}.yaml")


# Each generated whole file → its text.
FILES: dict[str, Callable[[], str]] = {
    **{
        f"docs/schema/{name}.schema.json": functools.partial(json_schema, name)
        for name in ("checklist", "answers", "report", "claims", "claim-rules", "lookups")
    },
    "checklists/ketamine-provider.data.json": functools.partial(data_copy, "ketamine-provider"),
    "checklists/lookups/us-states.data.json": functools.partial(data_copy, "lookups/us-states"),
}


def _with_block(text: str, name: str, body: str, where: str) -> str:
    pattern = re.compile(rf"(<!-- generated: {name} -->\n)(.*?)(<!-- end: {name} -->)", re.S)
    match = pattern.search(text)
    if match is None:
        raise SystemExit(
            f"error: {where} has no block '{name}': "
            f"put <!-- generated: {name} --> and <!-- end: {name} --> where it belongs"
        )
    return text[: match.start(2)] + body + text[match.end(2) :]


def expected(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file with the text it should have."""
    wanted: dict[Path, str] = {root / name: make() for name, make in FILES.items()}
    for (name, block), make in BLOCKS.items():
        path = root / name
        current = wanted.get(path) or path.read_text(encoding="utf-8")
        wanted[path] = _with_block(current, block, make(), name)
    return wanted


def stale(root: Path = ROOT) -> list[Path]:
    """The generated files whose text on disk differs from what the code gives now."""
    return [
        path
        for path, text in expected(root).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file is stale"
    )
    args = parser.parse_args(argv)
    try:
        import vetcheck  # noqa: F401
    except ImportError:
        print(
            "error: vetcheck is not installed in this Python; run "
            "`.venv/bin/python docs/generate.py` after `pip install -e '.[dev]'`",
            file=sys.stderr,
        )
        return 2
    if args.check:
        old = stale(root)
        for path in old:
            print(f"{path.relative_to(root)} is out of date", file=sys.stderr)
        if old:
            print(
                f"Regenerate {'it' if len(old) == 1 else 'them'} with: {COMMAND}", file=sys.stderr
            )
            return 1
        print("generated docs are current")
        return 0
    for path, text in expected(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
