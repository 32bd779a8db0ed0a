"""The HTML report in a real headless Chromium, printed to PDF on A4 and Letter.

Checks that every section and every red flag made it onto paper and that no word runs off the
page. Needs Debian's `chromium` and `poppler-utils` (pdftotext); `.ci/run` installs both, and
under CI a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetcheck.cli import app

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")

if not (CHROMIUM and PDFTOTEXT):
    if os.environ.get("CI"):
        pytest.fail(
            "CI needs chromium and pdftotext for the print test; .ci/run installs them",
            pytrace=False,
        )
    pytest.skip(
        "chromium or pdftotext not installed (apt-get install chromium poppler-utils)",
        allow_module_level=True,
    )

PAPERS = {"A4": (595.0, 842.0), "Letter": (612.0, 792.0)}  # points


def print_pdf(page: str, paper: str, folder: Path) -> Path:
    source = folder / f"page-{paper}.html"
    source.write_text(
        page.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1), encoding="utf-8"
    )
    pdf = folder / f"page-{paper}.pdf"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


def pdf_text(pdf: Path) -> str:
    """The words in the order Chromium drew them: a table cell's lines stay together."""
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    # A line that ends in a hyphen broke a word such as "FDA-approved" there: join it again.
    return " ".join(re.sub(r"-\n(?=\w)", "-", out.stdout).split())


def words_off_page(pdf: Path) -> list[str]:
    """Words whose box reaches past the page edge (a cut table or an overflowing line)."""
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    bad = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for m in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
            page.group(3),
        ):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                bad.append(html.unescape(m.group(5)))
    return bad


def page_sizes(pdf: Path) -> set[tuple[float, float]]:
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">', out)
    }


def flat(text: str) -> str:
    return " ".join(text.split())


MAX_PAGES = 6  # issue 13: one clinic's full report, printed, fits in six pages


def page_count(pdf: Path) -> int:
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.count("<page ")


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_report_prints_whole_on_paper(tmp_path: Path, example: Path, paper: str) -> None:
    """Each example's HTML report prints on at most six pages with every section, red flag,
    note and source, and the disclaimer, and nothing cut."""
    data = CliRunner().invoke(app, ["report", str(example), "--format", "json"]).stdout
    page = CliRunner().invoke(app, ["report", str(example), "--format", "html"]).stdout
    import json

    report = json.loads(data)
    pdf = print_pdf(page, paper, tmp_path)
    text = pdf_text(pdf)
    assert page_sizes(pdf) == {tuple(round(v) for v in PAPERS[paper])}
    assert page_count(pdf) <= MAX_PAGES
    for section in report["sections"]:
        assert flat(section["title"]) in text
    wording = {q["id"]: q["text"] for q in report["questions"]}
    if "risky" in example.name:
        assert len(report["red_flags"]) == 5  # 2.0.0 asks the license and evaluation once
    for qid in report["red_flags"] + report["must_ask"] + report["open_questions"]:
        assert flat(wording[qid]) in text, qid
    for question in report["questions"]:
        if question["shown"]:
            assert flat(question["text"]) in text, question["id"]
        if question["note"]:
            assert flat(question["note"]) in text, question["id"]
    unwrapped = "".join(text.split())  # a citation wraps after any hyphen or slash
    for source in report["sources"]:
        assert "".join(source["citation"].split()) in unwrapped, source["id"]
    for heading in ("Red flags", "Questions to ask next", "How the score was computed"):
        assert heading in text
    assert flat(report["disclaimer"]) in text
    assert words_off_page(pdf) == []


def test_comparison_prints_whole(tmp_path: Path) -> None:
    """A comparison of the two examples prints every provider and difference on the page."""
    page = CliRunner().invoke(app, ["compare", *map(str, EXAMPLES), "--format", "html"]).stdout
    pdf = print_pdf(page, "A4", tmp_path)
    text = pdf_text(pdf)
    assert (
        "Harbor Light Psychiatry (fictional)" in text
        and "QuickCalm Ketamine Direct (fictional)" in text
    )
    assert "Where they differ" in text
    assert words_off_page(pdf) == []


def test_phone_first_screen_shows_grade_and_first_red_flag(tmp_path: Path) -> None:
    """At 390 px wide the grade and the first red flag come within the first screen (844 px),
    before any metadata, and nothing is wider than the screen."""
    result = CliRunner().invoke(
        app, ["report", str(ROOT / "examples" / "risky-telehealth.vetcheck.yaml"), "-f", "html"]
    )
    assert result.exit_code == 0, result.output
    measure = (
        "<style>html { width: 390px; }</style><script>"
        "const y = s => document.querySelector(s).getBoundingClientRect().top;"
        "document.body.dataset.pos = [y('.grade'), y('.flag'), y('#about'),"
        " Math.max(...[...document.querySelectorAll('main *')].map("
        "e => e.getBoundingClientRect().right))].join(' ');</script></body>"
    )
    page = tmp_path / "phone.html"
    page.write_text(result.stdout.replace("</body>", measure, 1), encoding="utf-8")
    assert CHROMIUM is not None
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=390,844",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    found = re.search(r'data-pos="([\d. ]+)"', dom)
    assert found, "the measuring script did not run"
    grade, flag, about, right = (float(x) for x in found.group(1).split())
    assert grade < flag < 844 - 60  # the first red flag's heading is on the first screen
    assert about > flag  # metadata comes after the verdict
    assert right <= 390 + 1  # no sideways scrolling


def _worst_case(folder: Path) -> Path:
    """An answers file as long as a summary gets: a long name, every critical question given
    its bad answer (more red flags than the summary lists), a referrer's wording."""
    from vetcheck.loader import load_checklist_ref

    checklist = load_checklist_ref(None)
    text = (ROOT / "examples" / "risky-telehealth.vetcheck.yaml").read_text()
    for q in checklist.questions:
        if q.critical:
            text = re.sub(rf"^  {q.id}: .*$", f"  {q.id}: {q.bad_answer.value}", text, flags=re.M)
    name = "QuickCalm Ketamine Direct Wellness and Infusion Center of the Greater Metropolitan Area"
    text = text.replace("QuickCalm Ketamine Direct (fictional)", name).replace(
        "role: patient", "role: referrer"
    )
    path = folder / "worst.vetcheck.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("case", ["careful", "worst"])
def test_the_summary_prints_on_exactly_one_page(tmp_path: Path, case: str, paper: str) -> None:
    """`report --format summary-html` is one sheet of A4 or of Letter, with the grade, every
    red flag it lists, and its disclaimer, and nothing cut: for the careful example (the
    issue's case) and for the most a summary holds (every list at its cut, a long name and a
    referrer's longer wording; each browser print costs the suite ~1.5 s)."""
    import json

    path = (
        _worst_case(tmp_path)
        if case == "worst"
        else next(p for p in EXAMPLES if p.name.startswith(case))
    )
    report = json.loads(CliRunner().invoke(app, ["report", str(path), "-f", "json"]).stdout)
    result = CliRunner().invoke(app, ["report", str(path), "-f", "summary-html"])
    assert result.exit_code == 0, result.output
    pdf = print_pdf(result.stdout, paper, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout
    text = pdf_text(pdf)
    assert f"Grade {report['grade']['letter']}" in text
    assert report["checklist"]["version"] in text
    if case == "worst":
        assert len(report["red_flags"]) > 6 and "in the full report" in text
    assert words_off_page(pdf) == []


@pytest.mark.parametrize(
    ("role", "paper"), [("referrer", "A4"), ("referrer", "Letter"), ("patient", "Letter")]
)
def test_the_critical_only_card_prints_on_one_page(tmp_path: Path, role: str, paper: str) -> None:
    """`questions --critical-only --format html`, for every route at once (the longest card),
    is one sheet with every critical question on it: the referrer's wording is the longer,
    and Letter the shorter page."""
    from vetcheck.loader import load_checklist_ref
    from vetcheck.model import Role

    result = CliRunner().invoke(app, ["questions", "--critical-only", "-f", "html", "--role", role])
    assert result.exit_code == 0, result.output
    pdf = print_pdf(result.stdout, paper, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout
    text = pdf_text(pdf)
    for q in load_checklist_ref(None).questions:
        if q.critical:
            assert flat(q.wording(Role(role))) in text, q.id
    assert words_off_page(pdf) == []


def test_the_full_question_sheet_prints_every_question_with_room_to_write(tmp_path: Path) -> None:
    from vetcheck.loader import load_checklist_ref
    from vetcheck.model import Role

    result = CliRunner().invoke(app, ["questions", "-f", "html", "--state", "TX"])
    pdf = print_pdf(result.stdout, "Letter", tmp_path)
    text = pdf_text(pdf)
    for q in load_checklist_ref(None).questions:
        if q.scored:
            assert flat(q.wording(Role.PATIENT)) in text, q.id
    assert "Texas Medical Board" in text
    assert words_off_page(pdf) == []
