"""Wheel build step: validate each built-in checklist and ship its snapshot (vetcheck/snapshot.py).

A checklist that does not validate fails the build, so a broken one can never be installed.
Editable installs get no snapshot: they read the YAML in the source tree as it is edited.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SnapshotHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._out = tempfile.mkdtemp(prefix="vetcheck-snapshots-")
        # A child process, so the build imports vetcheck from this source tree and nothing leaks.
        subprocess.run(
            [sys.executable, "-m", "vetcheck.snapshot", self._out], cwd=self.root, check=True
        )
        for path in sorted(Path(self._out).iterdir()):
            build_data["force_include"][str(path)] = f"vetcheck/checklists/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out:
            shutil.rmtree(out, ignore_errors=True)
