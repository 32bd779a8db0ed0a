"""A clinic's saved text as blocks of sentences: plain text, markdown, a saved web page, a PDF.

Web pages are parsed with lxml and PDFs read with pypdfium2 (PDFium's text layer), both imported
only here, so that no other command pays for them. Every failure a person can cause (a file
that is not text, a PDF with a password, a scanned PDF with no text, a page in another
language) becomes one InvalidInputError or FileAccessError naming the file and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vetcheck.claims import Block
from vetcheck.document import read_bytes
from vetcheck.errors import InvalidInputError, Problem

MAX_BYTES = 50 * 1024 * 1024  # a saved page is a few MB; a brochure rarely more than 20 MB

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_TEXT_SUFFIXES = {".txt", ".text", ""}
_MD_SUFFIXES = {".md", ".markdown"}
# Elements whose text a reader never sees.
_HIDDEN = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "iframe",
    "object",
    "select",  # a drop-down's choices, not prose
    "option",
}
# Elements that start a new block of text; inline ones (a, b, span, em…) continue it.
_BLOCKS = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "li", "ul",
    "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
    "tr", "td", "th", "caption", "figure", "figcaption", "details", "summary", "hr",
    "address", "label", "legend", "fieldset",
}  # fmt: skip


class Document:
    """One input file's text, in blocks that sentences do not cross."""

    def __init__(self, path: str, kind: str, blocks: list[Block], pages: int | None = None) -> None:
        self.path, self.kind, self.blocks, self.pages = path, kind, blocks, pages


def read_document(path: Path) -> Document:
    """Read a .txt, .md, saved web page or PDF; anything else is refused with a reason."""
    limit = MAX_BYTES // (1024 * 1024)
    too_large = f"is larger than {limit} MB; save only the page or the pages that matter"
    data = read_bytes(path, MAX_BYTES, "a saved page", too_large)
    name = str(path)
    if data.startswith(b"%PDF-"):
        return _pdf(name, data)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise _invalid(name, "is not a PDF (it does not start like one); save the brochure again")
    text = _decode(name, data, suffix)
    if suffix in _HTML_SUFFIXES or (suffix not in _MD_SUFFIXES and _looks_like_html(text)):
        return _checked(Document(name, "html", list(_html_blocks(name, text))))
    if suffix in _MD_SUFFIXES:
        return _checked(Document(name, "markdown", [Block(text, line=1)]))
    if suffix in _TEXT_SUFFIXES or suffix not in _KNOWN_BINARY:
        return _checked(Document(name, "text", [Block(text, line=1)]))
    raise _invalid(name, _not_readable(suffix))


_NOT_READABLE = "is not text, a saved web page or a PDF; save the page as .html, .txt or .pdf"
_KNOWN_BINARY = {
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".zip",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".epub",
}


def _not_readable(suffix: str) -> str:
    if suffix in _WORD_PROCESSOR:
        return "is a word-processor document; save it as PDF or plain text (.txt), then run again"
    return _NOT_READABLE


_WORD_PROCESSOR = {".doc", ".docx", ".odt", ".rtf", ".pages"}


def _invalid(name: str, message: str) -> InvalidInputError:
    return InvalidInputError([Problem(name, message)])


def _decode(name: str, data: bytes, suffix: str = "") -> str:
    """Text in UTF-8 (with or without a BOM), UTF-16 or UTF-32 (with a BOM or without, as
    Windows tools save "Unicode" text), or Windows-1252 as browsers save older pages; other
    bytes with NULs in them are not text."""
    from vetcheck.document import wide_text

    if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        wide = wide_text(data)
        if wide is None:
            raise _invalid(name, _not_readable(suffix))
        return wide[1]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 100:
        raise _invalid(name, _not_readable(suffix))
    return text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


# --- Web pages -------------------------------------------------------------------------------


def _html_blocks(name: str, text: str) -> Iterator[Block]:
    """The visible text of a saved page, one block per paragraph, list item, heading or cell,
    each with the line of the element it starts in."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (lxml.etree.ParserError, ValueError):
        raise _invalid(name, "has no readable text (an empty or broken web page)") from None
    parts: list[str] = []
    line: int | None = None

    def flush() -> Iterator[Block]:
        nonlocal parts, line
        joined = " ".join("".join(parts).split())
        if joined:
            yield Block(joined, line=line)
        parts, line = [], None

    def add(text: str | None, at: int | None) -> None:
        nonlocal line
        if text and text.strip():
            if line is None:
                line = at
            parts.append(text)
        elif text:
            parts.append(" ")

    def walk(element: Any) -> Iterator[Block]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HIDDEN or not tag or _hidden(element):  # comments etc. have no str tag
            return
        block = tag in _BLOCKS
        if block:
            yield from flush()
        elif tag == "br":  # a line break inside a paragraph, often inside a sentence
            parts.append(" ")
        add(element.text, element.sourceline)
        for child in element:
            yield from walk(child)
            add(child.tail, child.sourceline)
        if block:
            yield from flush()

    body = root.find("body")
    title = root.findtext(".//title")
    if title and title.strip():
        yield Block(" ".join(title.split()), line=_line_of(root.find(".//title")))
    yield from walk(body if body is not None else root)
    yield from flush()


def _hidden(element: Any) -> bool:
    """An element a browser does not show: `hidden`, `aria-hidden`, or `display: none`."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def _line_of(element: Any) -> int | None:
    return None if element is None else element.sourceline


# --- PDF -------------------------------------------------------------------------------------


def _pdf(name: str, data: bytes) -> Document:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _invalid(
                name, "is a PDF locked with a password; save a copy without one"
            ) from None
        raise _invalid(
            name, "is a damaged PDF that cannot be read; save or download it again"
        ) from None
    blocks = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            finally:
                textpage.close()
                page.close()
            if text.strip():
                blocks.append(Block(_unbreak(text), page=number + 1))
        pages = len(pdf)
    finally:
        pdf.close()
    if not blocks:
        raise _invalid(
            name,
            "has no text to read (a scanned PDF holds pictures of text); save the clinic's web page instead",
        )
    return _checked(Document(name, "pdf", blocks, pages=pages))


_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def _unbreak(text: str) -> str:
    """A PDF page's lines joined back into paragraphs. A line ends its paragraph when the next
    is empty or starts a list item, or when it is short and the next starts with a capital (a
    heading, the last line of a paragraph); otherwise a wrapped line goes on with the next, and
    a word broken at the line end is rejoined."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    lines = [line.rstrip() for line in text.split("\n")]
    short = 0.6 * max(map(len, lines), default=0)
    out: list[str] = []
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        out.append(line)
        head = after.lstrip()[:1]
        if not head:
            out.append("\n")
        elif not line or _MARKER_START.match(after):
            out.append("\n\n" if line else "\n")
        elif len(line) < short and head.isupper() and line[-1] not in ",;":
            out.append("\n\n")  # a heading, or the last line of a paragraph
        else:
            out.append(" ")  # a wrapped line
    return "".join(out)


_MARKER_START = re.compile(r"^\s*(?:[-*+•▪◦\u2013]|\d{1,3}[.)])\s+")


# --- Checks on what was read -----------------------------------------------------------------

# The commonest English words: a page in English has many of them; one in another language few.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "a",
        "in",
        "is",
        "for",
        "that",
        "with",
        "are",
        "it",
        "you",
        "your",
        "on",
        "as",
        "be",
        "or",
        "can",
        "this",
        "by",
        "we",
        "our",
        "at",
        "from",
        "not",
        "have",
        "will",
        "an",
        "if",
        "they",
        "their",
        "may",
        "more",
        "about",
        "has",
        "was",
        "which",
        "what",
        "how",
    ]
)


def _checked(document: Document) -> Document:
    text = " ".join(b.text for b in document.blocks)[:100_000]  # a sample is enough to tell
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        raise _invalid(document.path, "has no text to read; check that this is the right file")
    if len(words) >= 12 and sum(w in _ENGLISH for w in words) < len(words) * 0.12:
        raise _invalid(
            document.path,
            "does not look like English; vetcheck's claim rules are written for English text only",
        )
    return document
