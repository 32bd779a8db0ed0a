"""The built-in checklist: complete, sourced, readable, and scoring as a clinician would expect."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import textstat
import yaml
from conftest import make_answers
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_checklist
from vetcheck.model import Checklist, Kind, Role
from vetcheck.render.markdown import render_markdown
from vetcheck.resources import DEFAULT_CHECKLIST, builtin_dir
from vetcheck.schema import json_schema
from vetcheck.scoring import score

ROOT = Path(__file__).parent.parent
PATH = builtin_dir() / f"{DEFAULT_CHECKLIST}.yaml"
SEEDS = [
    "000_bdf809346e066cfd",
    "001_86864c8ce75e8540",
    "002_542177183007f75e",
    "003_7e23e7da920f89bb",
]
HOME_ONLY = {
    "home_prescriber_state_licence",
    "home_live_evaluation",
    "home_sitter",
    "home_blood_pressure",
    "home_emergency_plan",
    "home_product_source",
    "home_checkins",
    "home_supply_limits",
}
ESKETAMINE_ONLY = {
    "rems_certified",
    "prescriber_on_site",
    "two_hour_observation",
    "spravato_bp_checks",
    "spravato_kept_at_clinic",
}


@pytest.fixture(scope="module")
def builtin() -> Checklist:
    return load_checklist(PATH)


def test_identity_and_changelog(builtin: Checklist) -> None:
    """The checklist has an id, a version matching its newest changelog entry, and a review date."""
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    assert builtin.id == "ketamine-provider"
    assert re.fullmatch(r"\d+\.\d+\.\d+", builtin.version)
    assert str(raw["changelog"][0]["version"]) == builtin.version
    assert builtin.last_reviewed == raw["changelog"][0]["date"]


def test_passes_validate() -> None:
    """`vetcheck validate` accepts the built-in checklist."""
    result = CliRunner().invoke(app, ["validate", str(PATH)])
    assert result.exit_code == 0, result.output


class Yaml12Loader(yaml.SafeLoader):
    """Reads YAML the way editors' YAML 1.2 language servers do: dates and yes/no stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(("timestamp", "bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def test_matches_published_json_schema() -> None:
    """The JSON Schema editors use accepts the built-in checklist and both examples."""
    jsonschema.validate(yaml.load(PATH.read_text(), Loader=Yaml12Loader), json_schema("checklist"))
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert examples
    for example in examples:
        jsonschema.validate(
            yaml.load(example.read_text(), Loader=Yaml12Loader), json_schema("answers")
        )


def test_required_sections_present(builtin: Checklist) -> None:
    """Every section the checklist must cover is there, in order."""
    assert [s.title for s in builtin.sections] == [
        "The treatment offered",
        "Qualifications and experience",
        "Screening and eligibility",
        "Monitoring during and after the dose",
        "Safety and emergency readiness",
        "Treatment plan, follow-up and integration",
        "Consent, risks and transparency",
        "Setting and support",
        "Marketing red flags",
        "At-home and telehealth programmes",
        "Esketamine nasal spray (Spravato)",
    ]


def test_every_question_is_complete_and_sourced(builtin: Checklist) -> None:
    """Each question has patient wording, why, good answer, verify and sources that resolve."""
    for q in builtin.questions:
        assert q.text.patient.strip(), q.id
        for field in (q.why, q.good_answer, q.verify):
            assert len(field.split()) >= 3, q.id
        assert q.sources, q.id
        for sid in q.sources:
            source = builtin.source_by_id[sid]
            assert len(source.citation) > 30, sid


def test_every_source_is_cited(builtin: Checklist) -> None:
    """No source sits unused in the list."""
    cited = {sid for q in builtin.questions for sid in q.sources}
    assert {s.id for s in builtin.sources} == cited


def test_patient_wording_reading_grade(builtin: Checklist) -> None:
    """Patient wording: mean Flesch-Kincaid grade 8 or lower, no single question above 10."""
    grades = {
        q.id: textstat.flesch_kincaid_grade(q.wording(Role.PATIENT)) for q in builtin.questions
    }
    too_hard = {qid: g for qid, g in grades.items() if g > 10}
    assert not too_hard
    assert sum(grades.values()) / len(grades) <= 8


def test_referrer_wording_differs_where_given(builtin: Checklist) -> None:
    """Every question has clinical referrer wording, distinct from the patient wording."""
    for q in builtin.questions:
        assert q.text.referrer, q.id
        assert q.text.referrer != q.text.patient, q.id


def test_conditional_sections_depend_on_setting(builtin: Checklist) -> None:
    """At-home questions show only for at-home care, esketamine questions only for esketamine."""
    setting = builtin.question_by_id["setting"]
    assert setting.kind is Kind.CHOICE
    assert {o.id for o in setting.options} >= {"clinic_iv", "clinic_im", "esketamine", "at_home"}
    for section, expected, value in (
        ("home", HOME_ONLY, "at_home"),
        ("esketamine", ESKETAMINE_ONLY, "esketamine"),
    ):
        ids = {q.id for q in builtin.questions_in(section)}
        assert ids == expected
        for qid in ids:
            cond = builtin.question_by_id[qid].show_if
            assert (
                cond is not None
                and cond.question == "setting"
                and cond.values == (value,)
                and not cond.negate
            )


def test_safety_critical_questions(builtin: Checklist) -> None:
    """Questions whose failure should stop a booking are critical, heavy, and say what to do."""
    must_be_critical = {
        "vital_signs",
        "emergency_trained_present",
        "contraindications",
        "full_evaluation",
        "emergency_equipment",
        "emergency_plan",
        "home_sitter",
        "home_emergency_plan",
        "rems_certified",
        "prescriber_on_site",
        "two_hour_observation",
        "licence_verified",
    }
    critical = {q.id for q in builtin.questions if q.critical}
    assert must_be_critical <= critical
    for q in builtin.questions:
        if q.critical:
            assert q.weight >= 4 and q.red_flag and len(q.red_flag.split()) >= 5, q.id


def _all_good(builtin: Checklist, setting: str) -> dict[str, str]:
    values = {"setting": setting, "reason": "mood"}
    values.update({q.id: "yes" for q in builtin.questions if q.scored})
    return values


def test_all_good_in_clinic_iv_gets_top_grade(builtin: Checklist) -> None:
    """All-good answers for an in-clinic IV provider reach an A with no red flags."""
    report = score(builtin, make_answers(builtin, _all_good(builtin, "clinic_iv")))
    assert report.grade.letter == "A" and report.score == 100.0
    assert report.red_flags == () and report.must_ask == ()
    hidden = {r.question.id for r in report.results if not r.shown}
    assert hidden >= HOME_ONLY | ESKETAMINE_ONLY | {"pain_expertise"}


def test_no_monitoring_no_screening_red_flags_lead(builtin: Checklist) -> None:
    """A provider with no monitoring and no screening shows those red flags first, graded F."""
    values = _all_good(builtin, "clinic_iv")
    values.update({"vital_signs": "no", "contraindications": "no", "full_evaluation": "no"})
    report = score(builtin, make_answers(builtin, values))
    assert report.grade.letter == "F" and report.grade.capped_from is not None
    assert {r.question.id for r in report.red_flags} == {
        "vital_signs",
        "contraindications",
        "full_evaluation",
    }
    text = render_markdown(report, date(2026, 11, 22))
    red = text.index("## Red flags")
    assert red < text.index("## Questions to ask next") < text.index("## Answers by section")
    first_flag = text[red:].split("\n1. ", 1)[1]
    assert first_flag.startswith("**Before your first dose")


def test_template_shows_every_section() -> None:
    """`vetcheck template` on the default checklist lists every section and question."""
    result = CliRunner().invoke(app, ["template"])
    assert result.exit_code == 0
    builtin = load_checklist(PATH)
    for section in builtin.sections:
        assert f"# === {section.title} ===" in result.stdout
    for q in builtin.questions:
        assert f"\n  {q.id}: unknown\n" in result.stdout


def test_traceability_covers_seeds_and_questions(builtin: Checklist) -> None:
    """docs/traceability.md covers all four seeds, names only real ids, and traces every question."""
    text = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    for seed in SEEDS:
        assert f"`{seed}.txt`" in text
    named = set(re.findall(r"`([a-z][a-z0-9_]*)`", text))
    ids = {q.id for q in builtin.questions}
    unknown = {
        n for n in named if "_" in n and n not in ids and not re.fullmatch(r"\d+_[0-9a-f]+", n)
    }
    assert not unknown
    assert ids <= named, sorted(ids - named)
