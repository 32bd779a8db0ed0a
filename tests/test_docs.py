"""Docs that are generated from, or checked against, the code: they must not drift.

The generators live in docs/generate.py (run it to rewrite stale docs); these tests run its check.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

from vetcheck.cli import app

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def test_generated_docs_are_current() -> None:
    """docs/schema/*.schema.json, methodology.md's rules and checklist-format.md's field reference equal what the code generates."""
    stale = [str(path.relative_to(ROOT)) for path in generate.stale()]
    assert stale == [], f"out of date: {', '.join(stale)}; run {generate.COMMAND}"


def test_generator_covers_each_published_schema() -> None:
    """Every JSON Schema in docs/schema/ is one the generator writes, so none can go stale unseen."""
    published = {str(p.relative_to(ROOT)) for p in (DOCS / "schema").glob("*.json")}
    published |= {str(p.relative_to(ROOT)) for p in (ROOT / "checklists").rglob("*.data.json")}
    assert published == set(generate.FILES)


def test_check_names_each_stale_file_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check changes nothing, exits 1 and names each stale file and the command; a run fixes them."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    shutil.copytree(ROOT / "checklists", tmp_path / "checklists")
    methodology = docs / "methodology.md"
    methodology.write_text(
        methodology.read_text().replace(
            "<!-- generated: rules -->\n", "<!-- generated: rules -->\nold\n"
        )
    )
    (docs / "schema" / "report.schema.json").write_text("{}\n")
    before = methodology.read_text()

    assert generate.main(["--check"], tmp_path) == 1
    err = capsys.readouterr().err
    assert err == (
        "docs/schema/report.schema.json is out of date\n"
        "docs/methodology.md is out of date\n"
        "Regenerate them with: python3 docs/generate.py\n"
    )
    assert methodology.read_text() == before

    assert generate.main([], tmp_path) == 0
    assert generate.main(["--check"], tmp_path) == 0
    assert methodology.read_text() == (DOCS / "methodology.md").read_text()


def test_every_command_is_documented() -> None:
    """docs/commands.md has a section for each command the CLI offers."""
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands
    assert {"report", "validate", "schema"} <= set(commands)  # the app is really enumerated
    missing = [name for name in commands if f"## `vetcheck {name}" not in text]
    assert missing == []
