"""Write files so that a failed or interrupted run never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from vetcheck.errors import FileAccessError

PRIVATE = 0o600  # answers and reports hold health information


def write_atomic(path: Path, text: str, mode: int = PRIVATE) -> None:
    """Replace `path` with `text` in one step: temp file in the same folder, fsync, os.replace.

    Either the old file or the complete new one exists at every moment; on any failure the old
    file is untouched and the temp file is removed. A symbolic link stays a link: the file it
    points to is replaced, in its own folder, so health data never leaves where it was kept.
    """
    data = text.encode("utf-8")
    if path.is_symlink():  # replace what the link points to, and keep the link
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise FileAccessError(f"{path}: is a folder; give a file name to write to")
    if path.exists() and not path.is_file():
        _write_special(path, data)  # a device or pipe (e.g. /dev/stdout): never replace it
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise FileAccessError(
            f"{path}: the folder {folder} does not exist; create it first"
        ) from None
    except PermissionError:
        raise FileAccessError(
            f"{path}: permission denied; choose a folder you can write to"
        ) from None
    except OSError as exc:
        raise FileAccessError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        try:
            os.fchmod(fd, mode)  # mkstemp makes 0600 already; this also honours a wider `mode`
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise FileAccessError(
            f"{path}: cannot write ({exc.strerror or exc}); the existing file was not changed"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _write_special(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise FileAccessError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every file system allows it, and that is fine.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
