"""compare, questions, methodology, checklists, and the JSON and HTML formats."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from conftest import good_answer
from test_render_markdown import lint
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.compare import compare
from vetcheck.loader import load_checklist
from vetcheck.model import AnswerEntry, Answers, Checklist, Role, Subject
from vetcheck.render.answers import render_answers
from vetcheck.render.html import render_comparison_html, render_html
from vetcheck.render.json import render_comparison_json, render_json, report_schema
from vetcheck.render.markdown import render_comparison_markdown
from vetcheck.resources import builtin_dir
from vetcheck.scoring import score

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TODAY = date(2026, 11, 22)
runner = CliRunner()


@pytest.fixture(scope="module")
def builtin() -> Checklist:
    return load_checklist(builtin_dir() / "ketamine-provider.yaml")


def providers(builtin: Checklist, n: int, seed: int = 7) -> list[Answers]:
    """n clinics: a shared core of answers, a few diverging ones, one red flag in some."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        values = {"setting": "clinic_iv" if i % 4 else "at_home", "reason": "mood"}
        for q in builtin.questions:
            if q.scored:
                good, bad = good_answer(q), q.bad_answer.value
                values[q.id] = (
                    good if rng.random() < 0.8 else rng.choice(["partly", bad, "unknown"])
                )
        values["licence_verified"] = "yes"  # the same for everyone: never a difference
        if i % 3 == 1:
            values["vital_signs"] = "no"
        entries = {k: AnswerEntry(v) for k, v in values.items()}
        subject = Subject(f"Clinic {chr(65 + i)} | <b>", "Town", None, TODAY)
        out.append(Answers.new(builtin, subject, Role.PATIENT, entries))
    return out


@pytest.mark.parametrize("n", [2, 3, 12])
def test_compare_markdown_is_lint_clean_and_shows_only_differences(
    builtin: Checklist, n: int
) -> None:
    """2, 3 and 12 providers: clean markdown, a row each, only differing questions, red flags first."""
    comparison = compare(builtin, providers(builtin, n))
    text = render_comparison_markdown(comparison, TODAY)
    assert lint(text) == []
    overview = text.split("## Overview")[1].split("##")[0]
    assert sum(line.startswith("| Clinic ") for line in overview.splitlines()) == n
    differences = text.split("## Where they differ")[1]
    assert "valid license in your state" not in differences  # everyone said yes
    flags = [d.has_red_flag for d in comparison.differences]
    assert flags == sorted(flags, reverse=True)  # red flags first
    assert "<b>" not in text and "\\<b\\>" in text


def test_many_providers_switch_to_per_section_tables(builtin: Checklist) -> None:
    """From 10 providers, sections get a table each and differences list who said what."""
    few = render_comparison_markdown(compare(builtin, providers(builtin, 3)), TODAY)
    many = render_comparison_markdown(compare(builtin, providers(builtin, 12)), TODAY)
    assert "| Section | Clinic A" in few
    assert "| Section | Clinic A" not in many
    assert (
        "### Qualifications and experience\n\n| Provider | Score | Coverage | Red flags |" in many
    )
    widest = max(len(re.split(r"(?<!\\)\|", line)) for line in many.splitlines())
    assert widest <= 8  # no table grows a column per provider


def test_compare_different_versions_uses_shared_questions(builtin: Checklist) -> None:
    """Answers started on another version are compared on the questions every file answers."""
    a, b = providers(builtin, 2)
    old_entries = {k: v for k, v in b.entries.items() if k != "route_explained"}
    b = replace(b, checklist=replace(b.checklist, version="1.0.0"), entries=old_entries)
    comparison = compare(builtin, [a, b])
    assert comparison.shared_only and comparison.versions == ("1.0.0", builtin.version)
    assert comparison.compared == len(old_entries)
    assert "route_explained" not in {d.question_id for d in comparison.differences}
    text = render_comparison_markdown(comparison, TODAY)
    assert f"compared on the {len(old_entries)} questions they share" in text


def test_json_report_and_comparison_match_schema(builtin: Checklist) -> None:
    """JSON output validates against the published schema, for a report and a comparison."""
    schema = report_schema()
    answers = providers(builtin, 3)
    report = json.loads(render_json(score(builtin, answers[1]), TODAY))
    jsonschema.validate(report, schema)
    assert report["format"] == "vetcheck-report" and report["format_version"] == 1
    assert report["red_flags"] == ["vital_signs"]
    comparison = json.loads(render_comparison_json(compare(builtin, answers), TODAY))
    jsonschema.validate(comparison, schema)
    assert [p["label"] for p in comparison["providers"]] == [
        "Clinic A | <b>",
        "Clinic B | <b>",
        "Clinic C | <b>",
    ]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += attrs


def test_html_is_self_contained_and_escaped(builtin: Checklist) -> None:
    """HTML has inline CSS only: no scripts, no fetched resources; user text is escaped."""
    answers = providers(builtin, 2)
    hostile = replace(
        answers[1],
        subject=Subject(
            '<script>alert(1)</script> "x" onload=y', None, "javascript:alert(1)", TODAY
        ),
    )
    hostile = replace(
        hostile,
        entries={
            **hostile.entries,
            "vital_signs": AnswerEntry("no", "<img src=x onerror=alert(1)>"),
        },
    )
    pages = [
        render_html(score(builtin, hostile), TODAY),
        render_comparison_html(compare(builtin, [answers[0], hostile]), TODAY),
    ]
    for page in pages:
        parsed = _Tags()
        parsed.feed(page)
        assert not parsed.tags & {
            "script",
            "img",
            "link",
            "iframe",
            "object",
            "embed",
            "svg",
            "base",
        }
        names = {name for name, _ in parsed.attrs}
        assert "src" not in names and not any(name.startswith("on") for name in names)
        assert all(
            (value or "").startswith(("http://", "https://"))
            for name, value in parsed.attrs
            if name == "href"
        )
        assert "@import" not in page and "url(" not in page
        assert "&lt;script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0]
    assert "&#9888; Red flag" in pages[0]  # marked in words, not colour alone


def _write(folder: Path, builtin: Checklist, answers: list[Answers]) -> list[str]:
    paths = []
    for i, a in enumerate(answers):
        path = folder / f"p{i}.yaml"
        path.write_text(render_answers(builtin, a))
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_compare_command_formats(tmp_path: Path, builtin: Checklist, fmt: str) -> None:
    """compare writes each format to stdout or a file."""
    paths = _write(tmp_path, builtin, providers(builtin, 3))
    result = runner.invoke(app, ["compare", *paths, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert {
        "md": "# vetcheck comparison of 3",
        "json": '"format": "vetcheck-comparison"',
        "html": "<!DOCTYPE html>",
    }[fmt] in result.stdout
    out = tmp_path / f"c.{fmt}"
    written = runner.invoke(app, ["compare", *paths, "-f", fmt, "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert written.stdout == ""  # the comparison goes to the file, the chatter to stderr
    assert written.stderr == f"comparison written to {out}\n"
    # Byte for byte what stdout printed: the same one final newline, no newline translation.
    assert out.read_bytes() == result.stdout_bytes
    assert result.stdout_bytes.endswith(b"\n") and not result.stdout_bytes.endswith(b"\n\n")
    assert out.stat().st_mode & 0o777 == 0o600


def test_compare_needs_two_files_of_one_checklist(tmp_path: Path, builtin: Checklist) -> None:
    """One file is a usage error; a file for another checklist is invalid input."""
    paths = _write(tmp_path, builtin, providers(builtin, 2))
    assert runner.invoke(app, ["compare", paths[0]]).exit_code == 2
    other = tmp_path / "other.yaml"
    other.write_text(
        "vetcheck: 1\nchecklist: {id: mini}\nsubject: {name: X}\nrole: patient\nanswers: {}\n"
    )
    result = runner.invoke(app, ["compare", paths[0], str(other)])
    assert (
        result.exit_code == 3
        and "these answers are for checklist 'mini', not 'ketamine-provider'" in result.stderr
    )


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_report_formats(fmt: str) -> None:
    """report --format md|json|html works on the examples."""
    result = runner.invoke(app, ["report", str(EXAMPLES[1]), "--format", fmt])
    assert result.exit_code == 0
    if fmt == "json":
        jsonschema.validate(json.loads(result.stdout), report_schema())


def test_question_sheet(tmp_path: Path) -> None:
    """The sheet groups questions, marks critical ones, leaves room for notes, and says what next."""
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0
    text = result.stdout
    assert lint(text) == []
    assert (
        "## Qualifications and experience" in text
        and "**critical**" in text
        and "Notes: ...." in text
    )
    assert "Only for: At home" in text
    assert text.index("## Entering your answers later") > text.index(
        "## Esketamine nasal spray (Spravato)"
    )
    assert "vetcheck interview --answers" in text
    home = runner.invoke(app, ["questions", "--setting", "at_home", "--role", "referrer"]).stdout
    assert (
        "## At-home and telehealth programs" in home
        and "Spravato" not in home.split("## Entering")[0]
    )
    assert "Is a sober adult monitor required to be present for every home dose?" in home
    bad = runner.invoke(app, ["questions", "--setting", "garden"])
    assert bad.exit_code == 2 and "--route must be one of: clinic_iv" in bad.stderr


def test_methodology_command(builtin: Checklist) -> None:
    """methodology prints the rules, the grade table and the weight of every section."""
    result = runner.invoke(app, ["methodology"])
    assert result.exit_code == 0
    assert lint(result.stdout) == []
    assert "any red flag caps the grade at F" in result.stdout
    for section in builtin.sections:
        assert f"| {section.title} |" in result.stdout


def test_checklists_command(builtin: Checklist) -> None:
    """checklists lists the built-in checklist with version, size and review date."""
    result = runner.invoke(app, ["checklists"])
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"ketamine-provider  version {builtin.version}  {len(builtin.questions)} questions  reviewed {builtin.last_reviewed}"
    )


def test_shell_completion_script() -> None:
    """Typer's completion works: the bash script names the program."""
    out = subprocess.run(
        [sys.executable, "-m", "vetcheck", "--show-completion", "bash"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and "_VETCHECK_COMPLETE" in out.stdout.upper()


@pytest.mark.parametrize(
    "args", [["questions"], ["methodology"], ["schema", "report"], ["template"]]
)
def test_dash_o_dash_means_stdout(tmp_path: Path, args: list[str]) -> None:
    """-o - writes to stdout and creates no file."""
    result = runner.invoke(app, [*args, "-o", "-"])
    assert result.exit_code == 0 and result.stdout
    assert not (Path.cwd() / "-").exists()


def test_long_lists_stay_lint_clean(builtin: Checklist) -> None:
    """A report with more than nine must-ask and open questions keeps its nested lists valid."""
    answers = Answers.new(
        builtin, Subject("Blank"), Role.PATIENT, {"setting": AnswerEntry("clinic_iv")}
    )
    report = score(builtin, answers)
    assert len(report.must_ask) >= 9 and len(report.open_questions) > 9
    from vetcheck.render.markdown import render_markdown

    assert lint(render_markdown(report, TODAY)) == []
