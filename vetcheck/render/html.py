"""Report model → one self-contained HTML page: inline CSS, no scripts, nothing fetched.

Readable on a phone, print-ready on A4 and Letter. Red flags carry a text label and a marked
border, never colour alone. Every piece of text is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import date

from vetcheck.compare import Comparison
from vetcheck.model import QuestionResult, Report, Role, SectionResult, Status
from vetcheck.render.common import (
    DISCLAIMER,
    answer_words,
    cited_sources,
    comparison_rows,
    coverage_text,
    difference_cell,
    grade_headline,
    method_lines,
    percent,
    plain,
    role_word,
    section_coverage,
)
from vetcheck.scoring import round_half_up

_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+")

CSS = """
:root { --ink: #1d232a; --muted: #55606b; --line: #c9d0d6; --good: #2f7d4f; --mid: #b7791f;
  --bad: #b42318; --bar-bg: #e7ebee; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 2px solid var(--ink); break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.25rem; break-after: avoid; }
p, li, dd, td, th { overflow-wrap: anywhere; }
.note { color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.banner { border-left: 4px solid var(--muted); padding: 0.25rem 0.75rem; color: var(--muted); }
.grade { display: flex; align-items: center; gap: 1rem; margin: 0.75rem 0; }
.grade .letter { font-size: 2.5rem; font-weight: 700; width: 4rem; height: 4rem; display: grid;
  place-items: center; border: 3px solid var(--ink); border-radius: 0.5rem; }
.grade.flagged .letter { border-style: double; border-width: 6px; color: var(--bad); border-color: var(--bad); }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
th { background: #f3f5f7; }
tr { break-inside: avoid; }
.num { width: 5.5rem; }
.bar { display: inline-block; vertical-align: middle; width: 100%; max-width: 9rem; height: 0.8rem;
  background: var(--bar-bg); border: 1px solid var(--line); border-radius: 0.2rem; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--good); }
.bar.mid > span { background: var(--mid); }
.bar.low > span { background: var(--bad); }
.flags { padding-left: 0; list-style: none; }
.flag { border: 2px dashed var(--bad); border-left-width: 8px; border-radius: 0.3rem; padding: 0.5rem 0.75rem;
  margin: 0.75rem 0; break-inside: avoid; }
.flag .tag, .tag.red { font-weight: 700; color: var(--bad); text-transform: uppercase; letter-spacing: 0.03em; }
.flag p { margin: 0.25rem 0; }
.ask li { margin: 0.5rem 0; break-inside: avoid; }
.answers li { margin: 0.4rem 0; break-inside: avoid; }
.answer { font-weight: 600; }
.answer.red { color: var(--bad); }
.detail-section { break-inside: avoid-page; }
.page-start { break-before: page; }
.sources li { overflow-wrap: anywhere; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: 0.5rem; color: var(--muted); }
@media (max-width: 36rem) { body { font-size: 15px; } main { padding: 0.6rem; } .num { width: 4rem; }
  .facts { grid-template-columns: 1fr; } }
@page { margin: 15mm 14mm; }
@media print { body { font-size: 10.5pt; } main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .bar, .bar > span, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _e(text: str) -> str:
    """Escape any text for HTML content and attributes; drop control characters."""
    return html.escape(plain(text), quote=True)


def _link(url: str) -> str:
    url = plain(url)
    if _SAFE_URL.fullmatch(url):
        return f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
    return _e(url)


def _bar(score: float | None) -> str:
    if score is None:
        return '<span class="note">no answers</span>'
    shown = round_half_up(score)
    level = "" if shown >= 80 else (" mid" if shown >= 60 else " low")
    return (
        f'<span class="bar{level}" role="img" aria-label="score {shown} of 100">'
        f'<span style="width:{shown}%"></span></span> {shown}'
    )


def _page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            f'<footer class="disclaimer"><p><strong>Disclaimer.</strong> {_e(DISCLAIMER)}</p></footer>',
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def render_html(report: Report, today: date) -> str:
    sub = report.answers.subject
    cl = report.checklist
    role = report.role
    numbers = {s.id: i for i, s in enumerate(cited_sources(report.results, cl.sources), 1)}
    out = [f"<header><h1>vetcheck report: {_e(sub.name)}</h1>"]
    out.append(
        '<p class="banner">A checklist summary to help you ask good questions. It is not medical advice.</p>'
    )
    out.append('<dl class="facts">')
    if sub.location:
        out.append(f"<dt>Location</dt><dd>{_e(sub.location)}</dd>")
    if sub.website:
        out.append(f"<dt>Website</dt><dd>{_link(sub.website)}</dd>")
    out.append(
        f"<dt>Answers gathered</dt><dd>{sub.evaluated.isoformat() if sub.evaluated else 'date not given'}</dd>"
    )
    out.append(f"<dt>Report written</dt><dd>{today.isoformat()}</dd>")
    out.append(f"<dt>Answered by</dt><dd>{_e(role_word(role))}</dd>")
    out.append(
        f"<dt>Checklist</dt><dd>{_e(cl.title)} ({_e(cl.id)} {_e(cl.version)}, reviewed {cl.last_reviewed.isoformat()})</dd>"
    )
    out.append("</dl></header>")

    red, must, other = report.red_flags, report.must_ask, report.open_questions
    flagged = " flagged" if red else ""
    out.append('<section id="summary"><h2>Summary</h2>')
    out.append(
        f'<div class="grade{flagged}"><span class="letter" aria-hidden="true">{_e(report.grade.letter or "?")}</span>'
        f"<p><strong>Grade: {_e(grade_headline(report))}.</strong> {_e(report.grade.verdict)}</p></div>"
    )
    out.append("<table><tbody>")
    for label, value in (
        ("Score", f"{_bar(report.score)} / 100"),
        ("Coverage", f"{coverage_text(report.coverage)} of what applies is answered"),
        ("Red flags", f'<span class="tag red">{len(red)}</span>' if red else "0"),
        ("Must-ask questions", str(len(must))),
        ("Other open questions", str(len(other))),
    ):
        out.append(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>')
    out.append("</tbody></table></section>")

    out.append('<section id="red-flags"><h2>Red flags</h2>')
    if red:
        out.append("<p>Each of these is a serious safety gap. Resolve it before you book.</p>")
        out.append('<ol class="flags">')
        for r in red:
            q = r.question
            out.append('<li class="flag">')
            out.append(
                f'<p><span class="tag">&#9888; Red flag:</span> <strong>{_e(q.wording(role))}</strong></p>'
            )
            out.append(f"<p>Answer: {_e(answer_words(q, r.answer))}.</p>")
            if r.note:
                out.append(f'<p class="note">Note: {_e(r.note)}</p>')
            out.append(f"<p>Why it matters: {_e(q.why)}</p>")
            out.append(f"<p><strong>What to do:</strong> {_e(q.red_flag or '')}</p>")
            out.append("</li>")
        out.append("</ol>")
    else:
        out.append("<p>None found among the questions answered.</p>")
    out.append("</section>")

    out.append('<section id="ask"><h2>Questions to ask next</h2>')
    if not must and not other:
        out.append("<p>Every question that applies has an answer.</p>")
    if must:
        out.append("<h3>Must ask</h3><p>These matter most for safety and are not settled yet.</p>")
        out += _ask_list(must, role)
    if other:
        out.append("<h3>Also ask</h3><p>Most important first.</p>")
        out += _ask_list(other, role)
    out.append("</section>")

    out.append('<section id="sections"><h2>Section scores</h2>')
    out.append(
        '<table><thead><tr><th>Section</th><th>Score</th><th class="num">Coverage</th><th class="num">Red flags</th></tr></thead><tbody>'
    )
    out += [_section_row(s.section.title, s) for s in report.sections]
    out.append("</tbody></table></section>")

    out.append('<section id="detail" class="page-start"><h2>Answers by section</h2>')
    for s in report.sections:
        out += _section_detail(s, role, numbers)
    out.append("</section>")

    out.append('<section id="method"><h2>How the score was computed</h2><ul>')
    out += [f"<li>{_e(line)}</li>" for line in method_lines(cl.scoring)]
    out.append("</ul></section>")

    out.append('<section id="sources"><h2>Sources</h2><ol class="sources">')
    for source in cl.sources:
        if source.id in numbers:
            tail = f" {_link(source.url)}" if source.url else ""
            out.append(f'<li value="{numbers[source.id]}">{_e(source.citation)}{tail}</li>')
    out.append("</ol></section>")
    return _page(f"vetcheck report: {plain(sub.name)}", out)


def _section_row(label: str, s: SectionResult) -> str:
    """A table row: label, score bar, coverage, red flags (named in red and by number)."""
    flags = s.red_flag_count
    flag_cell = f'<span class="tag red">{flags}</span>' if flags else "0"
    return f"<tr><td>{_e(label)}</td><td>{_bar(s.score)}</td><td>{section_coverage(s)}</td><td>{flag_cell}</td></tr>"


def _ask_list(results: Sequence[QuestionResult], role: Role) -> list[str]:
    out = ['<ol class="ask">']
    for r in results:
        q = r.question
        state = "only partly met so far" if r.answer == "partly" else "not answered yet"
        out.append(
            f'<li><strong>{_e(q.wording(role))}</strong> <span class="note">({state})</span>'
        )
        if r.note:
            out.append(f'<br><span class="note">Your note: {_e(r.note)}</span>')
        out.append(f"<br>A good answer: {_e(q.good_answer)}<br>How to check: {_e(q.verify)}</li>")
    out.append("</ol>")
    return out


def _section_detail(s: SectionResult, role: Role, numbers: dict[str, int]) -> list[str]:
    shown = [r for r in s.results if r.shown]
    cov = section_coverage(s)
    out = [f'<div class="detail-section"><h3>{_e(s.section.title)}</h3>']
    out.append(
        f'<p class="note">Score {percent(s.score)} / 100, coverage {cov}. {_e(s.section.intro)}</p>'
    )
    if shown:
        out.append('<ul class="answers">')
        for r in shown:
            q = r.question
            red = r.status is Status.RED_FLAG
            tag = '<span class="tag red">&#9888; Red flag</span> ' if red else ""
            critical = " (critical)" if q.critical else ""
            refs = ", ".join(str(numbers[sid]) for sid in q.sources if sid in numbers)
            out.append(
                f"<li>{tag}{_e(q.wording(role))}{critical} "
                f'<span class="answer{" red" if red else ""}">{_e(answer_words(q, r.answer))}</span>'
            )
            if r.note:
                out.append(f'<br><span class="note">Note: {_e(r.note)}</span>')
            out.append(
                f'<br><span class="note">Why it matters: {_e(q.why)} (sources {refs})</span></li>'
            )
        out.append("</ul>")
    hidden = len(s.results) - len(shown)
    if hidden:
        out.append(
            f'<p class="note">{hidden} question{"s" if hidden != 1 else ""} did not apply to this kind of treatment.</p>'
        )
    out.append("</div>")
    return out


def render_comparison_html(comparison: Comparison, today: date) -> str:
    labels = comparison.labels
    out = [f"<header><h1>vetcheck comparison of {len(labels)} providers</h1>"]
    out.append(
        '<p class="banner">A checklist summary to help you compare providers. It is not medical advice.</p>'
    )
    out.append(
        f'<p class="note">Checklist {_e(comparison.checklist.id)} {_e(comparison.checklist.version)}; written {today.isoformat()}.</p>'
    )
    if comparison.shared_only:
        out.append(
            f"<p><strong>Note:</strong> these answers were started on different checklist versions "
            f"({_e(', '.join(comparison.versions))}); they are compared on the {comparison.compared} questions they share.</p>"
        )
    out.append("</header>")
    out.append(
        '<section id="overview"><h2>Overview</h2><table><thead><tr><th>Provider</th><th>Grade</th><th>Score</th>'
        '<th class="num">Coverage</th><th class="num">Red flags</th><th class="num">Must ask</th></tr></thead><tbody>'
    )
    for row in comparison_rows(comparison):
        flag_cell = (
            f'<span class="tag red">&#9888; {row.red_flags}</span>' if row.red_flags else "0"
        )
        out.append(
            f"<tr><td>{_e(row.label)}</td><td>{_e(row.grade)}</td><td>{_bar(row.report.score)}</td>"
            f"<td>{row.coverage}</td><td>{flag_cell}</td><td>{row.must_ask}</td></tr>"
        )
    out.append("</tbody></table></section>")

    out.append('<section id="sections"><h2>Section by section</h2>')
    for i, section in enumerate(comparison.checklist.sections):
        out.append(
            f'<div class="detail-section"><h3>{_e(section.title)}</h3><table><thead><tr><th>Provider</th><th>Score</th>'
            '<th class="num">Coverage</th><th class="num">Red flags</th></tr></thead><tbody>'
        )
        out += [
            _section_row(label, r.sections[i])
            for label, r in zip(labels, comparison.reports, strict=True)
        ]
        out.append("</tbody></table></div>")
    out.append("</section>")

    out.append('<section id="differences" class="page-start"><h2>Where they differ</h2>')
    if not comparison.differences:
        out.append("<p>The providers gave the same answers to every question compared.</p>")
    role = comparison.reports[0].role
    for d in comparison.differences:
        q = d.results[0].question
        tag = '<span class="tag red">&#9888; Red flag for some</span> ' if d.has_red_flag else ""
        out.append(
            f'<div class="detail-section"><h3>{tag}{_e(q.wording(role))}</h3><ul class="answers">'
        )
        for label, r in zip(labels, d.results, strict=True):
            red = r.status is Status.RED_FLAG
            out.append(
                f'<li>{_e(label)}: <span class="answer{" red" if red else ""}">{_e(difference_cell(r))}</span></li>'
            )
        out.append("</ul></div>")
    out.append("</section>")
    return _page(f"vetcheck comparison of {len(labels)} providers", out)
