"""Issue 18: `compare --format csv` is a roster, one row per file, each graded as its own
report; it reads back in Python's csv module with the documented columns; names that look
alike are never shown as identical rows; the overview says which clinic leads and why."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.compare import shown_name, unique_labels
from vetcheck.model import Subject
from vetcheck.render.csv import COLUMNS

runner = CliRunner()
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.vetcheck.yaml"))
CAREFUL_FILE = next(p for p in EXAMPLES if "careful" in p.name)
RISKY_FILE = next(p for p in EXAMPLES if "risky" in p.name)


def _rows(args: list[str]) -> list[dict[str, str]]:
    result = runner.invoke(app, ["compare", "-f", "csv", *args])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout, newline=""))
    assert reader.fieldnames == list(COLUMNS)
    return list(reader)


def _renamed(folder: Path, source: Path, name: str, evaluated: str, stem: str) -> Path:
    text = source.read_text()
    old_name = next(x for x in text.splitlines() if x.startswith("  name:"))
    old_date = next(x for x in text.splitlines() if x.startswith("  evaluated:"))
    path = folder / f"{stem}.vetcheck.yaml"
    text = text.replace(old_name, f"  name: {json.dumps(name)}")
    path.write_text(text.replace(old_date, f"  evaluated: {evaluated}"))
    return path


def test_each_row_is_what_the_files_own_report_says() -> None:
    rows = _rows([str(RISKY_FILE), str(CAREFUL_FILE)])
    assert [r["file"] for r in rows] == [str(RISKY_FILE), str(CAREFUL_FILE)]  # as given
    for row, path in zip(rows, [RISKY_FILE, CAREFUL_FILE], strict=True):
        report = json.loads(runner.invoke(app, ["report", str(path), "-f", "json"]).stdout)
        assert row["grade"] == (report["grade"]["letter"] or "incomplete")
        assert row["score"] == str(report["score_shown"])
        assert row["red_flags"] == str(report["counts"]["red_flags"])
        assert row["must_ask"] == str(report["counts"]["must_ask"])
        assert row["recheck_due"] == report["recheck"]["due"]
        assert row["evaluated"] == report["subject"]["evaluated"]
    assert rows[0]["route"] == "at_home" and rows[1]["route"] == "clinic_iv"


def test_best_first_puts_the_clinic_without_red_flags_on_top() -> None:
    rows = _rows([str(RISKY_FILE), str(CAREFUL_FILE), "--sort", "best"])
    assert [r["grade"] for r in rows] == ["A", "F"]
    md = runner.invoke(app, ["compare", str(RISKY_FILE), str(CAREFUL_FILE), "--sort", "best"])
    overview = md.stdout.split("## Overview")[1].split("|")[0]
    assert "Harbor Light Psychiatry (fictional) leads: grade A (98 / 100), no red flags" in overview
    assert md.stdout.index("| Harbor Light") < md.stdout.index("| QuickCalm")


def test_no_clinic_leads_when_each_has_a_red_flag(tmp_path: Path) -> None:
    other = _renamed(tmp_path, RISKY_FILE, "Another Mill", "2026-10-01", "other")
    md = runner.invoke(app, ["compare", str(RISKY_FILE), str(other)]).stdout
    assert "No provider leads: each one has at least one red flag." in md


def test_the_same_clinic_on_two_dates_is_told_apart_by_date(tmp_path: Path) -> None:
    old = _renamed(tmp_path, CAREFUL_FILE, "Harbor Light", "2025-06-01", "old")
    new = _renamed(tmp_path, CAREFUL_FILE, "Harbor Light", "2026-11-20", "new")
    rows = _rows([str(old), str(new)])
    assert [r["label"] for r in rows] == ["Harbor Light (2025-06-01)", "Harbor Light (2026-11-20)"]
    assert rows[0]["recheck_overdue"] == "yes" and rows[1]["recheck_overdue"] == "no"


@pytest.mark.parametrize(
    "names",
    [
        ["Harbor Light", "Harbor\u200b Light"],  # a zero-width space
        ["Harbor Light", "Harbor  Light "],  # spacing
        ["Harbor Light", "Harbor\u202eLight"],  # a direction override
        ["Harbor Light", "harbor light"],  # case
        ["Harbor Light", "Harbor\u00a0Light", "Harbor\u2009Light"],  # no-break and thin spaces
    ],
)
def test_names_that_look_alike_are_never_shown_as_identical_rows(
    tmp_path: Path, names: list[str]
) -> None:
    paths = [
        _renamed(tmp_path, CAREFUL_FILE, name, "2026-11-20", f"c{i}")
        for i, name in enumerate(names)
    ]
    rows = _rows([str(p) for p in paths])
    labels = [r["label"] for r in rows]
    assert len({shown_name(label).casefold() for label in labels}) == len(labels)
    assert all(label.isprintable() for label in labels)
    if "\u00a0" in names[1]:  # a no-break or thin space is still a space
        assert all(r["name"] == "Harbor Light" for r in rows)
    md = runner.invoke(app, ["compare", *map(str, paths)]).stdout
    assert all(f"| {label} |" in md for label in labels)


@settings(max_examples=100)
@given(st.lists(st.tuples(st.text(max_size=12), st.sampled_from([None, "2026-01-01"])), max_size=8))
def test_labels_are_unique_once_shown(names: list[tuple[str, str | None]]) -> None:
    from datetime import date

    subjects = [Subject(n, evaluated=d and date.fromisoformat(d)) for n, d in names]
    labels = unique_labels(subjects)
    shown = [shown_name(label).casefold() for label in labels]
    assert len(set(shown)) == len(labels)


def test_a_name_a_spreadsheet_would_run_is_kept_as_text(tmp_path: Path) -> None:
    hostile = _renamed(
        tmp_path, CAREFUL_FILE, '=HYPERLINK("http://x.example","y")', "2026-11-20", "h"
    )
    rows = _rows([str(hostile)])
    assert rows[0]["name"].startswith("'=HYPERLINK(")
    assert rows[0]["label"].startswith("'=")


def test_a_roster_of_one_file_is_allowed_and_a_comparison_is_not() -> None:
    assert len(_rows([str(CAREFUL_FILE)])) == 1
    result = runner.invoke(app, ["compare", str(CAREFUL_FILE)])
    assert result.exit_code == 2 and "at least two" in result.stderr


def test_a_roster_written_to_a_file_reads_back_the_same(tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    result = runner.invoke(app, ["compare", "-f", "csv", *map(str, EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["file"] for r in rows] == [str(p) for p in EXAMPLES]
    assert out.read_bytes().count(b"\r\n") == len(EXAMPLES) + 1


def test_a_name_written_like_a_label_never_collides_with_one() -> None:
    subjects = [Subject("A"), Subject("A"), Subject("A (no date, file 2)")]
    labels = unique_labels(subjects)
    assert len({shown_name(label).casefold() for label in labels}) == 3


def test_an_html_comparison_with_no_red_flags_at_all(tmp_path: Path) -> None:
    """Two careful clinics: no provider has a red flag (this once failed in the template)."""
    other = _renamed(tmp_path, CAREFUL_FILE, "Bay Clinic", "2026-11-20", "bay")
    result = runner.invoke(app, ["compare", str(CAREFUL_FILE), str(other), "-f", "html"])
    assert result.exit_code == 0, result.output
    assert "None of these providers has a red flag" in result.stdout
    md = runner.invoke(app, ["compare", str(CAREFUL_FILE), str(other)]).stdout
    assert "are level on red flags" in md


def test_a_roster_of_a_thousand_files_reads_back_with_every_row(tmp_path: Path) -> None:
    """The issue's scale: 1,000 generated files (every tenth name repeated, on two dates) give
    1,000 rows with the documented columns and 1,000 different labels."""
    text = CAREFUL_FILE.read_text()
    name = next(x for x in text.splitlines() if x.startswith("  name:"))
    day = next(x for x in text.splitlines() if x.startswith("  evaluated:"))
    paths = []
    for i in range(1000):
        clinic = f"Clinic {i // 10 if i % 10 == 0 else i}"
        dated = text.replace(name, f'  name: "{clinic}"').replace(
            day, f"  evaluated: 2026-{1 + i % 2:02d}-15"
        )
        path = tmp_path / f"c{i:04d}.vetcheck.yaml"
        path.write_text(dated)
        paths.append(str(path))
    rows = _rows([*paths, "--sort", "best"])
    assert len(rows) == 1000 and sorted(r["file"] for r in rows) == sorted(paths)
    assert len({r["label"] for r in rows}) == 1000
