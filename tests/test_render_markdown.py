"""The markdown report: pinned by a golden file, lint-clean, and user text never becomes markup."""

from __future__ import annotations

import html
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import make_answers
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pymarkdown.api import PyMarkdownApi

from vetcheck.model import Checklist, Report, Role, Subject
from vetcheck.render.common import plain
from vetcheck.render.markdown import escape, render_markdown
from vetcheck.scoring import score

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 11, 22)
VALUES = {
    "setting": "home",
    "licensed": "yes",
    "experience": "partly",
    "monitoring": "unknown",
    "sitter": "no",
}
NOTES = {
    "experience": "About 50 sessions | *not* <b>many</b>",
    "sitter": "They said\nnobody is needed",
}


def scored(
    mini: Checklist, role: Role = Role.PATIENT, name: str = "Harbor | *Clinic* <script>"
) -> Report:
    """The golden files' report: a red flag, a must-ask, notes and a name full of markup."""
    answers = make_answers(mini, VALUES, NOTES, role)
    answers = replace(
        answers,
        subject=Subject(
            name, "Portland, OR", "https://harbor.example/path?a=1", date(2026, 11, 20)
        ),
    )
    return score(mini, answers)


def _report(
    mini: Checklist, role: Role = Role.PATIENT, name: str = "Harbor | *Clinic* <script>"
) -> str:
    return render_markdown(scored(mini, role, name), TODAY)


def lint(text: str) -> list[str]:
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


@pytest.mark.parametrize("role", list(Role))
def test_report_matches_golden_file(mini: Checklist, role: Role) -> None:
    """The whole report is pinned; set UPDATE_GOLDEN=1 to accept an intended change."""
    text = _report(mini, role)
    golden = GOLDEN / f"mini-report-{role.value}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("role", list(Role))
def test_report_passes_markdown_lint(mini: Checklist, role: Role) -> None:
    """pymarkdown's default rules (line length excepted) find nothing."""
    assert lint(_report(mini, role)) == []


def test_report_order_red_flags_first(mini: Checklist) -> None:
    """Summary, red flags, known gaps, questions to ask, then about, sections, method, sources…"""
    text = _report(mini)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Red flags",
        "## Known gaps",
        "## Questions to ask next",
        "## About this report",
        "## Section scores",
        "## Answers by section",
        "## How the score was computed",
        "## Sources",
        "## Disclaimer",
    ]
    assert "not medical advice" in text


def test_referrer_wording_is_used_for_referrers(mini: Checklist) -> None:
    """A referrer's report asks the referrer wording."""
    assert "Is the prescriber licensed in the patient's state?" in _report(mini, Role.REFERRER)
    assert "Is the doctor licensed?" in _report(mini, Role.PATIENT)


def test_user_text_cannot_break_the_document(mini: Checklist) -> None:
    """Names and notes with markdown, HTML and newlines stay inside their line as text."""
    text = _report(
        mini, name="# Title\n| a | b |\n<script>alert(1)</script> [x](javascript:y) `code`"
    )
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in rendered
    assert "javascript:" not in rendered.replace("(javascript:y)", "")  # no href built from it
    assert 'href="javascript' not in rendered
    assert text.count("\n# ") == 0 and text.startswith("# vetcheck report: \\# Title")
    assert lint(text) == []


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_escaped_text_renders_as_itself(raw: str) -> None:
    """For any text, the escaped markdown renders to exactly that text (as one line), never markup."""
    rendered = MarkdownIt("commonmark").renderInline(escape(raw))
    expected = html.escape(plain(raw), quote=False).replace('"', "&quot;")
    assert rendered == expected


def test_terminal_escapes_are_removed() -> None:
    """Control characters such as ESC never reach the report."""
    assert escape("\x1b[31mred\x1b[0m") == "\\[31mred\\[0m"


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("~900 patients", "~900 patients"),
        ("Psychotherapists & Practitioners", "Psychotherapists & Practitioners"),
        ("Wow! 5 stars", "Wow! 5 stars"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("&amp; and &#38;", "\\&amp; and &\\#38;"),
        ("*bold* [link](x)", "\\*bold\\* \\[link\\](x)"),
    ],
)
def test_raw_markdown_escapes_only_what_markdown_needs(text: str, raw: str) -> None:
    """A reader of the raw file sees text as written; markup-making characters are escaped."""
    from vetcheck.render.markdown import escape

    assert escape(text) == raw


@pytest.mark.parametrize("role", list(Role))
def test_summary_matches_golden_file_and_passes_lint(mini: Checklist, role: Role) -> None:
    """The one-page summary's markdown form is pinned too, and lint-clean for pasting."""
    from vetcheck.render.summary import render_summary_markdown

    text = render_summary_markdown(scored(mini, role, "Harbor | *Clinic* <script>"), TODAY)
    golden = GOLDEN / f"mini-summary-{role.value}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert lint(text) == []
    assert "<script>" not in text and "\\*Clinic\\*" in text
