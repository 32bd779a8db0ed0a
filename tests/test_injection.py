"""Text from files is shown as text in every output: terminal, markdown and HTML, never markup."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from conftest import make_answers
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from vetcheck.compare import compare
from vetcheck.console import ConsoleUI
from vetcheck.interview import Attention, ReviewGroup, ReviewPage, ReviewRow, Session
from vetcheck.model import AnswerEntry, Checklist, Role, Subject, Wording
from vetcheck.render.common import plain
from vetcheck.render.html import render_comparison_html, render_html
from vetcheck.render.markdown import render_markdown
from vetcheck.scoring import score

TODAY = date(2026, 11, 22)
NASTY = [
    "# Heading\n| a | b |\n---",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "[click](javascript:alert(1)) ![x](http://evil/x.png) `code` **bold** _it_",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b2J",
    "line one\r\nline two\u2028line three",
    "&amp; &lt;b&gt; &#x3C;",
]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))


def _report(mini: Checklist, name: str, note: str):  # type: ignore[no-untyped-def]
    answers = make_answers(
        mini, {"setting": "home", "licensed": "no", "sitter": "yes"}, {"licensed": note}
    )
    return score(mini, replace(answers, subject=Subject(name, note, None, TODAY)))


def _md_text(tokens) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


@settings(max_examples=100, deadline=None)
@given(name=texts, note=texts)
def test_markdown_shows_user_text_literally(mini: Checklist, name: str, note: str) -> None:
    """In markdown, a name and a note render as exactly their text: no HTML, links or headings."""
    text = render_markdown(_report(mini, name, note), TODAY)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline = [t for t in tokens if t.type == "inline"]
    source_urls = {s.url for s in mini.sources}
    for t in inline:
        for child in t.children or []:
            assert child.type not in ("image", "html_inline")
            if child.type == "link_open":  # only the checklist's own source links
                assert child.attrs["href"] in source_urls
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h1"
    ]
    assert len(headings) == 1
    heading = next(t for t in inline if t.content == headings[0])
    assert _md_text(heading.children).strip() == f"vetcheck report: {plain(name)}".strip()
    if plain(note):
        assert f"Note: {plain(note)}" in [_md_text(t.children) for t in inline]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


@settings(max_examples=100, deadline=None)
@given(name=texts, note=texts)
def test_html_shows_user_text_literally(mini: Checklist, name: str, note: str) -> None:
    """In HTML, a name and a note are text nodes: the tag structure never depends on them."""
    baseline = _Collect()  # same shape: a placeholder wherever the text is not blank
    baseline.feed(
        render_html(
            _report(mini, "x" if plain(name) else name, "x" if plain(note) else note), TODAY
        )
    )
    page = render_html(_report(mini, name, note), TODAY)
    parsed = _Collect()
    parsed.feed(page)
    parsed.close()
    assert parsed.tags == baseline.tags
    assert parsed.h1.strip() == f"vetcheck report: {plain(name)}".strip()


@settings(max_examples=100, deadline=None)
@given(first=texts, second=texts)
def test_html_comparison_shows_names_literally(mini: Checklist, first: str, second: str) -> None:
    """In an HTML comparison, provider names never change the tag structure."""

    def tags(a: str, b: str) -> list[str]:
        reports = [_report(mini, a, "x"), _report(mini, b, "y")]
        parsed = _Collect()
        parsed.feed(render_comparison_html(compare(mini, [r.answers for r in reports]), TODAY))
        parsed.close()
        return parsed.tags

    assert tags(first, second) == tags(
        "x" if plain(first) else first, "y" if plain(second) else second
    )


@settings(max_examples=100, deadline=None)
@given(wording=texts, note=texts)
def test_terminal_never_receives_escape_sequences_from_text(
    mini: Checklist, wording: str, note: str
) -> None:
    """The interview's screens print file text with control characters removed."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system=None, width=100)
    ui = ConsoleUI(plain_mode=False, console=console)
    question = replace(mini.question_by_id["licensed"], text=Wording(wording), why=Wording(note))
    session = Session(
        mini, __import__("pathlib").Path("unused.yaml"), Role.PATIENT, Subject(wording)
    )
    session.entries["licensed"] = AnswerEntry("yes", note)
    view = replace(session.view(1), question=question, wording=wording)
    ui.show_question(view)
    ui.show_help(question, None, Role.PATIENT)
    row = ReviewRow(1, question, wording, note, note, Attention.RED_FLAG)
    ui.show_review(ReviewPage(0, 1, (ReviewGroup(wording, (row,)),), 1, 1, left_out=1))
    ui.say(note)
    shown = out.getvalue()
    assert not any(ch in shown for ch in "\x1b\x07\x9b\x00\r")


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\x1b[31m", "\x9b"])
def test_no_report_format_carries_text_direction_or_terminal_controls(
    mini: Checklist, control: str
) -> None:
    """A note or name holding a right-to-left override (which shows the words after it
    reversed) or a terminal escape reaches neither the markdown nor the HTML report."""
    from vetcheck.render.html import render_html

    result = _report(mini, f"Calm{control}Clinic", f"they said{control}yes")
    for text in (render_markdown(result, TODAY), render_html(result, TODAY)):
        assert control not in text and "\x1b" not in text
        assert "they said" in text
