"""Issue 18: a referring clinician's report, comparison and question sheet are written for a
clinician throughout: "the patient", never "you", outside what someone typed (notes, names)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_answers
from vetcheck.render import words as w

runner = CliRunner()
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.vetcheck.yaml"))
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+")


def _typed(paths: list[Path]) -> list[str]:
    """What a person typed into these files: notes, names, places. Quoted, not vetcheck's words."""
    typed = []
    for path in paths:
        answers = load_answers(path)
        sub = answers.subject
        typed += [t for t in (sub.name, sub.location, sub.website) if t]
        typed += [e.note for e in answers.entries.values() if e.note]
    return sorted(typed, key=len, reverse=True)


def _vetchecks_words(text: str, typed: list[str]) -> str:
    for quoted in typed:
        text = text.replace(quoted, " ")
    return URL.sub(" ", text)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in ("note", "url", "website", "name", "location"):
                yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def _said(fmt: str, out: str) -> str:
    if fmt == "json":
        return "\n".join(_strings(json.loads(out)))
    if fmt.endswith("html"):
        return html.unescape(re.sub(r"<[^>]+>", " ", out))
    return out


@pytest.mark.parametrize("fmt", ["md", "html", "json", "summary", "summary-html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_a_referrer_report_never_says_you_outside_quoted_answers(example: Path, fmt: str) -> None:
    result = runner.invoke(app, ["report", str(example), "--role", "referrer", "-f", fmt])
    assert result.exit_code == 0, result.output
    said = _vetchecks_words(_said(fmt, result.stdout), _typed([example]))
    assert SECOND_PERSON.findall(said) == []
    disclaimer = (w.SHORT_DISCLAIMER if fmt.startswith("summary") else w.DISCLAIMER)[
        w.Role.REFERRER
    ]
    assert disclaimer[:40] in " ".join(said.split())
    # the same report for a patient does speak to them, so the check above can fail
    patient = runner.invoke(app, ["report", str(example), "-f", fmt]).stdout
    assert SECOND_PERSON.search(_vetchecks_words(_said(fmt, patient), _typed([example])))


def test_role_in_the_file_words_the_report_and_role_option_overrides_it(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    referrer = tmp_path / "referrer.vetcheck.yaml"
    referrer.write_text(example.read_text().replace("role: patient", "role: referrer"))
    from_file = runner.invoke(app, ["report", str(referrer)]).stdout
    assert w.REPORT_BANNER[w.Role.REFERRER] in from_file
    back = runner.invoke(app, ["report", str(referrer), "--role", "patient"]).stdout
    assert w.REPORT_BANNER[w.Role.PATIENT] in back and "Written for:** patient" in back
    bad = runner.invoke(app, ["report", str(example), "--role", "doctor"])
    assert bad.exit_code == 2 and "--role must be patient or referrer" in bad.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_a_referrer_comparison_never_says_you(fmt: str) -> None:
    result = runner.invoke(app, ["compare", *map(str, EXAMPLES), "--role", "referrer", "-f", fmt])
    assert result.exit_code == 0, result.output
    said = _vetchecks_words(_said(fmt, result.stdout), _typed(EXAMPLES))
    assert SECOND_PERSON.findall(said) == []


def test_a_referrers_answers_file_never_says_you() -> None:
    text = runner.invoke(app, ["template", "--role", "referrer", "-o", "-"]).stdout
    comments = "\n".join(x for x in text.splitlines() if x.lstrip().startswith("#"))
    kept = [x for x in comments.splitlines() if SECOND_PERSON.search(x)]
    # the file's own instructions speak to whoever fills it in; the checklist's words do not
    assert all(x.startswith(("# ", "  # nothing")) and "Q" not in x for x in kept), kept


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--route", "at_home", "--state", "TX"],
        ["--critical-only"],
        ["-f", "html", "--state", "TX"],
        ["-f", "html", "--critical-only"],
    ],
)
def test_a_referrer_question_sheet_never_says_you(extra: list[str]) -> None:
    result = runner.invoke(app, ["questions", "--role", "referrer", *extra])
    assert result.exit_code == 0, result.output
    fmt = "html" if "html" in extra else "md"
    assert SECOND_PERSON.findall(URL.sub(" ", _said(fmt, result.stdout))) == []


def test_options_are_shown_in_the_readers_words_and_typed_in_either() -> None:
    from vetcheck.interview import choices, parse_key
    from vetcheck.loader import load_checklist_ref

    setting = load_checklist_ref(None).question_by_id["setting"]
    assert ("2", "IM injection in clinic") in choices(setting, w.Role.REFERRER)
    assert ("2", "Shot into a muscle at the clinic") in choices(setting, w.Role.PATIENT)
    for typed in ("IM injection in clinic", "shot into a muscle at the clinic"):
        assert parse_key(typed, setting).value == ("clinic_im",)
    careful = EXAMPLES[0]
    referrer = runner.invoke(app, ["report", str(careful), "--role", "referrer"]).stdout
    assert "Answer: IV infusion in clinic." in referrer
