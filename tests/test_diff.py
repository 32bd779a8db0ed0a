"""Issue 18: `vetcheck diff OLD NEW` shows exactly what changed at one clinic between two
answers files: answers, notes, red flags raised and cleared, the grade's movement, and
questions new in the newer checklist; in markdown and in JSON that matches its schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from vetcheck.cli import app

runner = CliRunner()
ROOT = Path(__file__).parent.parent
CAREFUL = ROOT / "examples" / "careful-clinic.vetcheck.yaml"
OLD_1_1 = ROOT / "tests" / "fixtures" / "answers-1.1.0" / "careful-clinic.yaml"


def _edited(folder: Path, name: str, edits: dict[str, str], evaluated: str) -> Path:
    """The careful example with some answers replaced (question id → the YAML value)."""
    text = CAREFUL.read_text()
    for qid, value in edits.items():
        text, n = re.subn(rf"^  {qid}: .*$", f"  {qid}: {value}", text, flags=re.M)
        assert n == 1, qid
    text = re.sub(r"^  evaluated: .*$", f"  evaluated: {evaluated}", text, flags=re.M)
    path = folder / f"{name}.vetcheck.yaml"
    path.write_text(text)
    return path


def _json(*args: str) -> dict:
    result = runner.invoke(app, ["diff", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Last year: no vital signs (a red flag), a note on the room. This year: vital signs
    yes, a different note on the room, and a new red flag on the license."""
    old = _edited(
        tmp_path,
        "old",
        {"vital_signs": "no", "calm_private_room": '{answer: yes, note: "small room"}'},
        "2025-11-02",
    )
    new = _edited(
        tmp_path,
        "new",
        {"licence_verified": "no", "calm_private_room": '{answer: yes, note: "new room"}'},
        "2026-11-20",
    )
    return old, new


def test_diff_shows_exactly_the_changes_made(pair: tuple[Path, Path]) -> None:
    data = _json(*map(str, pair))
    changed = {c["question"]: (c["before"], c["after"]) for c in data["answers_changed"]}
    assert changed == {"vital_signs": ("no", "yes"), "licence_verified": ("yes", "no")}
    notes = {c["question"]: (c["note_before"], c["note_after"]) for c in data["notes_changed"]}
    assert notes == {
        "calm_private_room": ("small room", "new room"),
        "licence_verified": ("Checked on the state board site: active, no discipline.", None),
    }
    assert data["red_flags_raised"] == ["licence_verified"]
    assert data["red_flags_cleared"] == ["vital_signs"]
    assert data["new_questions"] == [] and data["same_clinic"] and not data["out_of_order"]
    assert data["movement"] == "same"  # one red flag each: F, then by score
    md = runner.invoke(app, ["diff", *map(str, pair)]).stdout
    assert "## Answers changed (2)" in md and "## Red flags raised (1)" in md
    assert "## Red flags cleared (1)" in md and "## Notes added, changed or removed (2)" in md
    assert "  - Before: small room" in md and "  - After: new room" in md


def test_the_same_file_twice_has_no_changes() -> None:
    data = _json(str(CAREFUL), str(CAREFUL))
    assert data["movement"] == "same"
    for key in ("answers_changed", "notes_changed", "red_flags_raised", "red_flags_cleared"):
        assert data[key] == [], key


def test_an_older_checklist_version_lists_its_new_questions_not_as_changes() -> None:
    data = _json(str(OLD_1_1), str(CAREFUL))
    assert "care_lead" in data["new_questions"] and "closure_plan" in data["new_questions"]
    assert not {c["question"] for c in data["answers_changed"]} & set(data["new_questions"])
    assert data["before"]["checklist"]["version"] == data["after"]["checklist"]["version"]
    assert data["answer_versions"] == ["1.1.0", data["checklist"]["version"]]
    md = runner.invoke(app, ["diff", str(OLD_1_1), str(CAREFUL)]).stdout
    assert "answered on different checklist versions (1.1.0 and" in md


def test_two_clinics_or_files_back_in_time_are_said_so(
    tmp_path: Path, pair: tuple[Path, Path]
) -> None:
    other = tmp_path / "other.vetcheck.yaml"
    other.write_text(CAREFUL.read_text().replace("Harbor Light Psychiatry", "Elsewhere Clinic"))
    md = runner.invoke(app, ["diff", str(CAREFUL), str(other)]).stdout
    assert "These files name different clinics" in md
    assert (
        "# vetcheck: what differs between Harbor Light Psychiatry (fictional) and Elsewhere" in md
    )
    back = runner.invoke(app, ["diff", str(pair[1]), str(pair[0])]).stdout
    assert "which is back in time" in back
    same = runner.invoke(app, ["diff", str(pair[0]), str(pair[0])]).stdout
    assert "Both are the same file" in same


def test_diff_json_matches_the_published_schema(pair: tuple[Path, Path]) -> None:
    schema = json.loads(runner.invoke(app, ["schema", "report"]).stdout)
    jsonschema.validate(_json(*map(str, pair)), schema)
    jsonschema.validate(_json(str(OLD_1_1), str(CAREFUL)), schema)


def test_a_referrer_diff_is_worded_for_a_clinician(pair: tuple[Path, Path]) -> None:
    md = runner.invoke(app, ["diff", *map(str, pair), "--role", "referrer"]).stdout
    said = md.replace("small room", "").replace("new room", "")
    assert not re.search(r"\b(you|your)\b", said, re.I)
    assert "Changes between two evaluations. It is not clinical guidance." in md


def test_diff_never_writes_over_either_file(pair: tuple[Path, Path]) -> None:
    before = pair[0].read_text()
    result = runner.invoke(app, ["diff", *map(str, pair), "-o", str(pair[0])])
    assert result.exit_code == 2 and pair[0].read_text() == before


def test_the_same_file_by_another_path_is_the_same_file(tmp_path: Path) -> None:
    link = tmp_path / "link.vetcheck.yaml"
    link.symlink_to(CAREFUL)
    for other in (link, CAREFUL.parent / ".." / "examples" / CAREFUL.name):
        data = _json(str(CAREFUL), str(other))
        assert data["same_file"], other
    assert not _json(str(CAREFUL), str(OLD_1_1))["same_file"]


def test_a_newer_checklist_first_is_said_to_run_back_in_time() -> None:
    md = runner.invoke(app, ["diff", str(CAREFUL), str(OLD_1_1)]).stdout
    assert "which is back in time" in md


def test_files_on_one_version_have_no_new_questions_section(pair: tuple[Path, Path]) -> None:
    md = runner.invoke(app, ["diff", *map(str, pair)]).stdout
    assert "New questions" not in md
