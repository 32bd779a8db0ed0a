"""The HTML report and comparison: pinned by golden files, one page with no outside resources."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from test_render_markdown import GOLDEN, TODAY, scored

from vetcheck.compare import compare
from vetcheck.model import AnswerEntry, Checklist, Role, Subject
from vetcheck.render.html import render_comparison_html, render_html


def check_golden(text: str, name: str) -> None:
    """Compare with tests/golden/NAME; set UPDATE_GOLDEN=1 to accept an intended change."""
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("role", list(Role))
def test_report_matches_golden_file(mini: Checklist, role: Role) -> None:
    """The whole HTML report is pinned; set UPDATE_GOLDEN=1 to accept an intended change."""
    check_golden(render_html(scored(mini, role), TODAY), f"mini-report-{role.value}.html")


def test_comparison_matches_golden_file(mini: Checklist) -> None:
    """The whole HTML comparison is pinned; set UPDATE_GOLDEN=1 to accept an intended change."""
    first = scored(mini).answers
    entries = {**first.entries, "sitter": AnswerEntry("yes"), "monitoring": AnswerEntry("no")}
    second = replace(first, subject=Subject("Calm & Co <b>"), entries=entries)
    text = render_comparison_html(compare(mini, [first, second]), TODAY)
    check_golden(text, "mini-comparison.html")
