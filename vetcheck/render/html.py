"""Report model → one self-contained HTML page: inline CSS, no scripts, nothing fetched.

Readable on a phone, print-ready on A4 and Letter. Red flags carry a text label and a marked
border, never colour alone. The markup lives in vetcheck/templates/; Jinja2 autoescapes every
value, and each one loses its control characters first, so no text can become markup.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from vetcheck.model import Report, Status
from vetcheck.recheck import recheck
from vetcheck.render import common, method, words
from vetcheck.render.common import cited_sources
from vetcheck.scoring import round_half_up

if TYPE_CHECKING:
    from vetcheck.compare import Comparison
    from vetcheck.render.sheet import Sheet

_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def _plain_text(value: Any) -> Any:
    """Applied to every `{{ value }}` before autoescaping; markup from macros passes as is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return common.plain(value)
    return value


def _is_web_url(url: str) -> bool:
    return _SAFE_URL.fullmatch(common.plain(url)) is not None


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("vetcheck", "templates"),
        autoescape=True,
        finalize=_plain_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        w=words,
        c=common,
        m=method,
        RED_FLAG=Status.RED_FLAG,
        round_half_up=round_half_up,
    )
    env.tests["web_url"] = _is_web_url
    return env


def render_html(report: Report, today: date) -> str:
    cited = cited_sources(report.results, report.checklist.sources)
    numbers = {s.id: i for i, s in enumerate(cited, 1)}
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        today=today,
        numbers=numbers,
        role=report.role,
        due=recheck(report, today),
    )


def render_question_sheet_html(sheet: Sheet) -> str:
    """The question sheet as a page to print: tick boxes, room to write, a section never
    split from its first question; the critical-only card fits one page."""
    from vetcheck.render.sheet import BLANKS, CRITICAL_NOTE

    template = _environment().get_template("questions.html.j2")
    return template.render(
        sheet=sheet, role=sheet.role, sheet_blanks=BLANKS, critical_note=CRITICAL_NOTE
    )


def render_comparison_html(comparison: Comparison, today: date) -> str:
    template = _environment().get_template("comparison.html.j2")
    providers = list(zip(comparison.labels, comparison.reports, strict=True))
    return template.render(
        comparison=comparison, providers=providers, today=today, role=comparison.role
    )
