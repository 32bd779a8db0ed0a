"""Snapshots of the built-in checklists: exact, used only when current, never from user folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI

from vetcheck import loader, resources, snapshot
from vetcheck.errors import InvalidInputError
from vetcheck.loader import load_checklist, load_checklist_ref
from vetcheck.model import Checklist


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built-in folder as the wheel installs it: each checklist's YAML and its snapshot."""
    folder = tmp_path / "checklists"
    shutil.copytree(resources.builtin_dir(), folder)
    snapshot.write_all(folder, folder)
    monkeypatch.setattr(resources, "builtin_dir", lambda: folder)
    return folder


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> Checklist:
        raise AssertionError("parsed the YAML although a current snapshot was there")

    monkeypatch.setattr(loader, "parse_checklist", fail)


def test_a_snapshot_is_the_validated_checklist_exactly(installed: Path) -> None:
    for path in installed.glob("*.yaml"):
        loaded = snapshot.load(path, path.read_text(encoding="utf-8"))
        parsed = load_checklist(path)
        assert loaded == parsed
        assert loaded.path == str(path)
        assert loaded.content_hash == parsed.content_hash
        assert loaded.question_by_id.keys() == parsed.question_by_id.keys()


def test_the_mini_checklist_round_trips(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    snapshot.snapshot_path(path).write_bytes(snapshot.dumps(load_checklist(MINI), text))
    assert snapshot.load(path, text) == load_checklist(MINI)


def test_built_in_checklists_load_from_their_snapshot(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_checklist(installed / "ketamine-provider.yaml")
    _no_parsing(monkeypatch)
    assert load_checklist_ref(None) == expected
    assert load_checklist_ref("ketamine-provider") == expected


def test_an_edited_checklist_is_parsed_not_taken_from_its_stale_snapshot(installed: Path) -> None:
    path = installed / "ketamine-provider.yaml"
    text = path.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1)
    path.write_text(text, encoding="utf-8")
    assert snapshot.load(path, text) is None
    assert load_checklist_ref(None).title.startswith("Edited ")


def test_a_snapshot_from_another_vetcheck_version_is_ignored(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = installed / "ketamine-provider.yaml"
    monkeypatch.setattr(snapshot, "__version__", "0.0.0-other")
    assert snapshot.load(path, path.read_text(encoding="utf-8")) is None
    assert load_checklist_ref(None) == load_checklist(path)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x80\x05N."])
def test_a_damaged_or_missing_snapshot_falls_back_to_the_yaml(
    installed: Path, damage: bytes
) -> None:
    path = installed / "ketamine-provider.yaml"
    text = path.read_text(encoding="utf-8")
    snap = snapshot.snapshot_path(path)
    snap.write_bytes(snapshot._key(text) + damage)  # right key, body truncated or not a checklist
    assert snapshot.load(path, text) is None
    snap.unlink()
    assert snapshot.load(path, text) is None
    assert load_checklist_ref(None) == load_checklist(path)


def test_a_snapshot_beside_a_user_checklist_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Unpickling runs code, so a snapshot that came with a downloaded checklist must be ignored,
    # even one whose key matches.
    path = tmp_path / "ketamine-provider.yaml"
    shutil.copy(resources.builtin_dir() / "ketamine-provider.yaml", path)
    snapshot.write_all(tmp_path, tmp_path)
    unpickled = []
    monkeypatch.setattr(snapshot, "load", lambda *a: unpickled.append(a))
    assert load_checklist_ref(str(path)).id == "ketamine-provider"
    assert unpickled == []


def test_an_invalid_checklist_cannot_be_snapshotted(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "duplicate_question_id.yaml", tmp_path / "bad.yaml")
    with pytest.raises(InvalidInputError):
        snapshot.write_all(tmp_path, tmp_path)
    assert not list(tmp_path.glob("*" + snapshot.SUFFIX))


def test_the_build_step_reports_a_broken_checklist_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "broken" / "duplicate_question_id.yaml", tmp_path / "bad.yaml")
    monkeypatch.setattr(resources, "builtin_dir", lambda: tmp_path)
    assert snapshot.main([str(tmp_path)]) == 3
    assert "duplicate id" in capsys.readouterr().err
    assert snapshot.main([]) == 2
