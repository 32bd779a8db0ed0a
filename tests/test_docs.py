"""Docs that are generated from, or checked against, the code: they must not drift."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetcheck import schema
from vetcheck.cli import app
from vetcheck.loader import load_checklist
from vetcheck.model import Checklist
from vetcheck.render.json import report_schema
from vetcheck.render.markdown import methodology_rules
from vetcheck.resources import builtin_dir

DOCS = Path(__file__).parent.parent / "docs"
UPDATE = bool(os.environ.get("UPDATE_DOCS"))


def _replace_block(path: Path, name: str, body: str) -> None:
    """Check (or with UPDATE_DOCS=1, rewrite) the generated block `name` in a doc."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- generated: {name} -->\n)(.*?)(<!-- end: {name} -->)", re.S)
    match = pattern.search(text)
    assert match, f"{path.name} has no generated block '{name}'"
    if UPDATE:
        path.write_text(text[: match.start(2)] + body + text[match.end(2) :], encoding="utf-8")
    else:
        assert match.group(2) == body, (
            f"{path.name} is out of date: run UPDATE_DOCS=1 pytest tests/test_docs.py"
        )


def _type_of(spec: schema.Spec) -> str:
    if isinstance(spec, schema.Str):
        return "text (or number)" if spec.numbers_ok else "text"
    names = {schema.Int: "whole number", schema.Bool: "true/false", schema.Date: "date YYYY-MM-DD"}
    for kind, word in names.items():
        if isinstance(spec, kind):
            return word
    if isinstance(spec, schema.Choice):
        return " / ".join(f"`{v}`" for v in spec.values)
    if isinstance(spec, schema.ListOf):
        return f"list of {_type_of(spec.item)}"
    if isinstance(spec, schema.Obj):
        return spec.noun or "mapping"
    return "value"


def fields_reference() -> str:
    blocks = [("Checklist (top level)", schema.spec_of(Checklist))]
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


def test_methodology_rules_match_code() -> None:
    """docs/methodology.md states exactly the rules and grades the built-in checklist scores by."""
    rules = load_checklist(builtin_dir() / "ketamine-provider.yaml").scoring
    _replace_block(DOCS / "methodology.md", "rules", methodology_rules(rules))


def test_checklist_field_reference_matches_schema() -> None:
    """docs/checklist-format.md's field reference is generated from the validator's spec."""
    _replace_block(DOCS / "checklist-format.md", "fields", fields_reference())


@pytest.mark.parametrize("kind", ["checklist", "answers", "report"])
def test_published_json_schema_is_current(kind: str) -> None:
    """docs/schema/*.schema.json equal what `vetcheck schema` prints."""
    path = DOCS / "schema" / f"{kind}.schema.json"
    data = report_schema() if kind == "report" else schema.json_schema(kind)
    current = json.dumps(data, indent=2) + "\n"
    if UPDATE:
        path.write_text(current, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == current


def test_every_command_is_documented() -> None:
    """docs/commands.md has a section for each command the CLI offers."""
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["--help"])
    commands = re.findall(r"^│ (\w+) ", result.stdout, re.M)
    assert set(commands) >= {
        "interview",
        "report",
        "compare",
        "questions",
        "template",
        "validate",
        "checklists",
        "methodology",
        "schema",
    }
    for command in commands:
        assert f"## `vetcheck {command}" in text
