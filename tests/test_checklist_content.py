"""The built-in checklist: complete, sourced, readable, and scoring as a clinician would expect."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import textstat
import yaml
from conftest import good_answer, make_answers
from typer.testing import CliRunner

from vetcheck.cli import app
from vetcheck.loader import load_checklist
from vetcheck.model import Answer, Checklist, Kind, Polarity, Role
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
# The questions of 1.1.0 that 1.2.0 asks the other way round (issue 13), and the
# yes/no question ids of 1.1.0 as released, so that answers files written for it carry over.
REPLACED_IN_1_2 = {
    "no_cure_claims": "claims_cure",
    "no_safety_claims": "claims_no_risks",
    "no_false_approval_claims": "claims_fda_approval",
    "no_unmonitored_home_promotion": "claims_home_as_safe",
}
IDS_1_1 = {
    "setting", "reason", "licence_verified", "board_certified", "ketamine_experience",
    "mental_health_expertise", "pain_expertise", "referral", "full_evaluation",
    "history_and_medicines", "contraindications", "substance_use", "medical_clearance",
    "interactions", "suicide_risk", "vital_signs", "bp_before_dose", "mental_state_watch",
    "recovery_and_discharge", "emergency_trained_present", "emergency_equipment",
    "emergency_plan", "safety_protocols", "side_effects_plan", "personal_plan",
    "stopping_point", "dose_discipline", "maintenance_honesty", "progress_tracking",
    "follow_up", "therapy_integration", "long_term_risks", "written_consent",
    "off_label_disclosed", "risks_explained", "route_explained", "honest_about_benefit",
    "costs_in_writing", "calm_private_room", "support_person", "ride_home",
    "questions_welcome", "no_cure_claims", "no_safety_claims", "no_false_approval_claims",
    "no_pressure_packages", "accurate_information", "honest_success_rates",
    "no_unmonitored_home_promotion", "home_prescriber_state_licence", "home_live_evaluation",
    "home_sitter", "home_blood_pressure", "home_emergency_plan", "home_product_source",
    "home_checkins", "home_supply_limits", "rems_certified", "prescriber_on_site",
    "two_hour_observation", "spravato_bp_checks", "spravato_kept_at_clinic",
}  # fmt: skip
ANSWERS_1_1 = Path(__file__).parent / "fixtures" / "answers-1.1.0"
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
        "At-home and telehealth programs",
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
            # The prescriber's live evaluation also matters when a visiting nurse gives the dose.
            values = (value, "home_visit") if qid == "home_live_evaluation" else (value,)
            assert (
                cond is not None
                and cond.question == "setting"
                and cond.values == values
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
    values.update({q.id: good_answer(q) for q in builtin.questions if q.scored})
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
    finding = builtin.question_by_id["full_evaluation"].finding
    assert finding is not None and first_flag.startswith(f"**{finding.patient}**")


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


# --- Findings, not double negatives (1.2.0) -------------------------------------------------

# "Does the clinic avoid ...", "marketing avoids claims ...": the subject avoids something, so
# a "yes" means a "no" happened. "Which drugs you must avoid" is advice, and allowed.
DOUBLE_NEGATIVE = re.compile(
    r"\b(?:clinic|provider|marketing|they|it)\s+avoids?\b|\bavoids?\s+(?:\w+ing|claims?)\b",
    re.IGNORECASE,
)


def test_no_question_asks_whether_the_clinic_avoids_something(builtin: Checklist) -> None:
    """No question (patient or referrer wording) or section intro is a double negative with 'avoid'."""
    texts = {f"{q.id} ({role})": q.wording(role) for q in builtin.questions for role in Role}
    texts |= {f"section {s.id}": s.intro for s in builtin.sections}
    assert {k: v for k, v in texts.items() if DOUBLE_NEGATIVE.search(v)} == {}
    assert DOUBLE_NEGATIVE.search("Does the clinic avoid saying ketamine is safe?")
    assert DOUBLE_NEGATIVE.search("Does marketing avoid claims of cure?")
    assert not DOUBLE_NEGATIVE.search("Which drugs must you avoid before a dose?")


def test_every_critical_and_weighty_question_has_a_finding(builtin: Checklist) -> None:
    """Every critical question and every question of weight 3 or more says its bad answer as a
    finding, in both wordings, one sentence each; in fact every scored question does."""
    scored = [q for q in builtin.questions if q.scored]
    assert sum(q.critical for q in scored) == 17
    for q in scored:
        assert q.finding is not None, q.id
        patient, referrer = q.finding.patient, q.finding.referrer
        assert referrer and referrer != patient, q.id
        for text in (patient, referrer):
            one = text.replace("e.g. ", "e.g.\u00a0")
            assert one.endswith(".") and ". " not in one and "?" not in one, (q.id, text)
            assert len(text.split()) <= 25, (q.id, text)


def test_findings_speak_to_the_right_reader(builtin: Checklist) -> None:
    """Patient findings talk to 'you' (or about what the clinic does); referrer findings never
    say 'you' (they say 'the patient')."""
    you = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
    for q in builtin.questions:
        if q.finding is None:
            continue
        assert not you.search(q.finding.referrer or ""), q.id
        assert you.search(q.finding.patient) or "clinic" in q.finding.patient, q.id


def test_finding_patient_wording_reading_grade(builtin: Checklist) -> None:
    """Each finding's patient wording reads at Flesch-Kincaid grade 8 or lower."""
    grades = {
        q.id: textstat.flesch_kincaid_grade(q.finding.patient)
        for q in builtin.questions
        if q.finding is not None
    }
    assert grades
    assert {qid: g for qid, g in grades.items() if g > 8} == {}


def test_claim_questions_are_asked_the_natural_way_round(builtin: Checklist) -> None:
    """The marketing claims are asked directly: yes is the bad answer, no the good one, and the
    finding says the claim was made, in the clinic's words, not as a fact about ketamine."""
    for new in REPLACED_IN_1_2.values():
        q = builtin.question_by_id[new]
        assert q.polarity is Polarity.YES_IS_BAD and q.bad_answer is Answer.YES, new
        assert q.good_answer.startswith("No. "), new
        assert q.finding is not None and q.finding.referrer, new
        assert q.finding.patient.startswith(
            ("The clinic says ", "The clinic's ads or staff promise ")
        ), new
        assert q.finding.referrer.startswith(("Marketing claims ", "Marketing presents ")), new
    assert builtin.question_by_id["claims_no_risks"].critical


def test_replaced_ids_existed_in_1_1_and_carry_over(builtin: Checklist) -> None:
    """Each question that replaces another names an id that 1.1.0 had and 1.2.0 has not, flipped."""
    replaced = {q.replaces.question: q.id for q in builtin.questions if q.replaces}
    assert replaced == REPLACED_IN_1_2
    ids = {q.id for q in builtin.questions}
    assert set(replaced) <= IDS_1_1 and not set(replaced) & ids
    assert all(builtin.question_by_id[new].replaces.flip for new in replaced.values())  # type: ignore[union-attr]
    # Every 1.1.0 id is still a question, or is carried to one: no old answer is lost.
    assert IDS_1_1 - ids == set(replaced)


@pytest.mark.parametrize(
    ("name", "grade", "flags"),
    [("careful-clinic", "A", 0), ("risky-telehealth", "F", 7)],
)
def test_answers_files_for_1_1_still_report(name: str, grade: str, flags: int) -> None:
    """An answers file written for 1.1.0 reports with 1.2.0: the old marketing answers count,
    flipped, with a warning on stderr for each, and the same result as the updated example."""
    old = ANSWERS_1_1 / f"{name}.yaml"
    assert 'version: "1.1.0"' in old.read_text(encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(old), "--format", "json"])
    assert result.exit_code == 0, result.output
    for before, after in REPLACED_IN_1_2.items():
        assert f"'{before}' is now asked as '{after}', the other way round" in result.stderr
    assert "answered against ketamine-provider version 1.1.0" in result.stderr
    report = json.loads(result.stdout)
    assert report["grade"]["letter"] == grade and len(report["red_flags"]) == flags
    answered = {q["id"]: q["answer"] for q in report["questions"]}
    expected = "yes" if name == "risky-telehealth" else "no"
    assert {answered[new] for new in REPLACED_IN_1_2.values()} == {expected}
    current = runner.invoke(
        app, ["report", str(ROOT / "examples" / f"{name}.vetcheck.yaml"), "--format", "json"]
    )
    assert current.exit_code == 0 and current.stderr == ""
    assert json.loads(current.stdout)["score"] == report["score"]


def test_examples_are_answered_for_this_version(builtin: Checklist) -> None:
    """The shipped examples name this version and hash, so they report with no warning."""
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert f'version: "{builtin.version}"' in text, path.name
        assert f'hash: "{builtin.content_hash}"' in text, path.name
        assert not set(REPLACED_IN_1_2) & set(re.findall(r"^  ([a-z_0-9]+):", text, re.M))
