"""Deferring PyYAML's import-time regexes must not change what PyYAML does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading

import pytest
import yaml

from vetcheck.lazyregex import LazyPattern, compiled_on_first_use

# Scalars that go through every implicit resolver, the timestamp constructor and the reader.
SAMPLE = """\
bools: [yes, No, on, OFF, true, False, y, n]
ints: [0x1f, 0o17, 017, 0b101, 1_000, -3, 190:20:30]
floats: [1.5, -.inf, .NaN, 6.8523015e+5, 1_000.5]
nulls: [~, null, ""]
dates: [2024-01-02, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10]
merge: {<<: {a: 1}, b: 2}
strings: [1.10.2, "yes", 12:30 pm]
"""


def test_pattern_compiles_on_first_use_and_then_behaves_like_re() -> None:
    calls: list[tuple[object, ...]] = []

    def counting(pattern: str, flags: int) -> re.Pattern[str]:
        calls.append((pattern, flags))
        return re.compile(pattern, flags)

    lazy = LazyPattern(counting, r"^(a+)(b?)$", re.X)
    assert calls == []
    assert lazy.match("aab").groups() == ("aa", "b")
    assert lazy.search("zzz") is None
    assert lazy.sub("x", "a") == "x"
    assert lazy.pattern == r"^(a+)(b?)$" and lazy.flags & re.X
    assert len(calls) == 1  # compiled once, however often used


def test_a_bad_pattern_fails_when_used_not_when_declared() -> None:
    with compiled_on_first_use():
        bad = re.compile("(")
    with pytest.raises(re.error):
        bad.match("x")


def test_the_block_restores_re_compile_even_on_error() -> None:
    real = re.compile
    with pytest.raises(RuntimeError), compiled_on_first_use():
        assert re.compile is not real
        raise RuntimeError
    assert re.compile is real


def test_other_threads_still_get_real_patterns() -> None:
    seen: list[object] = []
    with compiled_on_first_use():
        assert isinstance(re.compile("a"), LazyPattern)
        thread = threading.Thread(target=lambda: seen.append(re.compile("b")))
        thread.start()
        thread.join()
    assert isinstance(seen[0], re.Pattern)


def test_pyyaml_imported_through_vetcheck_reads_exactly_as_usual() -> None:
    # A fresh interpreter, so that vetcheck is what first imports PyYAML there.
    code = (
        "import json, re, sys, vetcheck.document, yaml\n"
        "assert re.compile.__module__ == 're'\n"
        "data = yaml.load(sys.stdin.read(), Loader=yaml.SafeLoader)\n"
        "try:\n"
        "    yaml.load('\\x07', Loader=yaml.SafeLoader)\n"
        "except yaml.reader.ReaderError:\n"
        "    data['reader'] = 'refused a control character'\n"
        "print(json.dumps(data, default=str, sort_keys=True))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=SAMPLE, capture_output=True, text=True, check=True
    )
    expected = yaml.load(SAMPLE, Loader=yaml.SafeLoader)
    expected["reader"] = "refused a control character"
    assert json.loads(out.stdout) == json.loads(json.dumps(expected, default=str))
