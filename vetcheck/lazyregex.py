"""Let a library's import-time regular expressions compile when first used, not at import.

PyYAML compiles ten patterns as it is imported, for YAML 1.1 type guessing, timestamps and its
pure-Python reader. vetcheck reads scalars as written, through libyaml's parser, so a run
normally never uses them; compiling them anyway was a tenth of a command's start-up
(docs/performance.md). Only the importing thread is affected, and only inside the block.
"""

from __future__ import annotations

import _thread
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`; compiles on first attribute access."""

    __slots__ = ("_args", "_compile", "_compiled")

    def __init__(self, compile: Callable[..., re.Pattern[Any]], *args: Any) -> None:
        self._compile = compile
        self._args = args
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:  # called only for names not in __slots__
        if self._compiled is None:
            self._compiled = self._compile(*self._args)
        return getattr(self._compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern{self._args!r}"


@contextmanager
def compiled_on_first_use() -> Iterator[None]:
    """Inside this block, `re.compile` in this thread returns a LazyPattern."""
    real = re.compile
    owner = _thread.get_ident()

    def deferred(pattern: Any, flags: int | re.RegexFlag = 0) -> Any:
        if _thread.get_ident() != owner:
            return real(pattern, flags)
        return LazyPattern(real, pattern, flags)

    re.compile = deferred
    try:
        yield
    finally:
        re.compile = real
