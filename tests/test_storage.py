"""Atomic, owner-only writes: a failed write never touches the existing file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vetcheck.errors import FileAccessError
from vetcheck.storage import write_atomic


def test_write_creates_owner_only_file(tmp_path: Path) -> None:
    """New files are readable and writable by their owner only (0600)."""
    path = tmp_path / "a.yaml"
    write_atomic(path, "hello\n")
    assert path.read_text() == "hello\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_replace_leaves_no_temp_files(tmp_path: Path) -> None:
    """Replacing a file leaves exactly the new file, with no temp files behind."""
    path = tmp_path / "a.yaml"
    path.write_text("old")
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_is_a_clear_error(
    tmp_path: Path,
) -> None:  # pragma: no cover - non-root only
    """Writing into a read-only folder fails with a FileAccessError and changes nothing."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.yaml").write_text("keep")
    folder.chmod(0o500)
    try:
        with pytest.raises(FileAccessError, match="permission denied"):
            write_atomic(folder / "a.yaml", "new")
        assert (folder / "a.yaml").read_text() == "keep"
    finally:
        folder.chmod(0o700)


def test_failed_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the disk fills mid-write, the old file is unchanged and the temp file is removed."""
    path = tmp_path / "a.yaml"
    path.write_text("keep me")

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(
        FileAccessError,
        match=r"cannot write \(No space left on device\); the existing file was not changed",
    ):
        write_atomic(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_dev_full_is_a_clear_error() -> None:
    """Writing to a full device (/dev/full) is a FileAccessError, and the device is not replaced."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(FileAccessError, match="cannot write"):
        write_atomic(Path("/dev/full"), "x" * 10)
    assert Path("/dev/full").is_char_device()


def test_missing_folder_and_folder_target(tmp_path: Path) -> None:
    """A missing folder or a folder as target is a FileAccessError naming the path."""
    with pytest.raises(FileAccessError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "a.md", "x")
    with pytest.raises(FileAccessError, match="is a folder"):
        write_atomic(tmp_path, "x")


def test_permission_denied_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder we may not write to (simulated, since tests may run as root) is a clear error."""
    import tempfile

    def denied(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "a.yaml"
    path.write_text("keep")
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(
        FileAccessError, match="permission denied; choose a folder you can write to"
    ):
        write_atomic(path, "new")
    assert path.read_text() == "keep"
