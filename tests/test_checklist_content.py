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
from vetcheck.loader import load_answers, load_checklist
from vetcheck.model import Answer, AnswerEntry, Checklist, Kind, Polarity, Role
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
    "home_sitter",
    "home_blood_pressure",
    "home_emergency_plan",
    "home_product_source",
    "home_checkins",
    "home_supply_limits",
    "home_data_privacy",
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
ANSWERS_1_2 = Path(__file__).parent / "fixtures" / "answers-1.2.0"
# Issue 15 (2.0.0): one fact, one question. Each 1.2.0 id that 2.0.0 merges or renames, and
# the question that now asks it (asked the same way round, so an answer carries unchanged).
REPLACED_IN_2_0 = {
    "home_prescriber_state_licence": "licence_verified",
    "home_live_evaluation": "full_evaluation",
    "spravato_bp_checks": "bp_before_dose",
    "mental_state_watch": "observed_throughout",
    "recovery_and_discharge": "discharge_criteria",
    "maintenance_honesty": "booster_review",
}
# Set aside (kept in the file) with a warning: ride_home is folded into discharge_criteria,
# which can name only one old question; questions_welcome is dropped as low value (one fact,
# one question: time for questions is part of written_consent).
SET_ASIDE_IN_2_0 = {"ride_home", "questions_welcome"}
ESKETAMINE_ONLY = {
    "rems_certified",
    "prescriber_on_site",
    "two_hour_observation",
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
            assert len(field.patient.split()) >= 3, q.id
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
        # Issue 15: what should stop a booking.
        "observed_throughout",
        "discharge_criteria",
        "suicide_risk",
        "substance_use",
        "unsupervised_injections",
    }
    critical = {q.id for q in builtin.questions if q.critical}
    assert must_be_critical <= critical
    for q in builtin.questions:
        if q.critical:
            assert q.weight >= 4 and q.red_flag and len(q.red_flag.patient.split()) >= 5, q.id


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
    """docs/traceability.md covers all four seeds, names only real (or retired 1.x) ids, and
    traces every question."""
    text = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    for seed in SEEDS:
        assert f"`{seed}.txt`" in text
    named = set(re.findall(r"`([a-z][a-z0-9_]*)`", text))
    ids = {q.id for q in builtin.questions}
    retired = IDS_1_1 - ids  # named only in the table of retired ids
    unknown = {
        n
        for n in named
        if "_" in n and n not in ids | retired and not re.fullmatch(r"\d+_[0-9a-f]+", n)
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
    texts |= {f"section {s.id} ({role})": s.intro[role] for s in builtin.sections for role in Role}
    assert {k: v for k, v in texts.items() if DOUBLE_NEGATIVE.search(v)} == {}
    assert DOUBLE_NEGATIVE.search("Does the clinic avoid saying ketamine is safe?")
    assert DOUBLE_NEGATIVE.search("Does marketing avoid claims of cure?")
    assert not DOUBLE_NEGATIVE.search("Which drugs must you avoid before a dose?")


def test_every_critical_and_weighty_question_has_a_finding(builtin: Checklist) -> None:
    """Every critical question and every question of weight 3 or more says its bad answer as a
    finding, in both wordings, one sentence each; in fact every scored question does."""
    scored = [q for q in builtin.questions if q.scored]
    assert sum(q.critical for q in scored) == 20
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
        assert q.good_answer.patient.startswith("No. "), new
        assert q.finding is not None and q.finding.referrer, new
        assert q.finding.patient.startswith(
            ("The clinic says ", "The clinic's ads or staff promise ")
        ), new
        assert q.finding.referrer.startswith(("Marketing claims ", "Marketing presents ")), new
    assert builtin.question_by_id["claims_no_risks"].critical


def test_replaced_ids_existed_in_1_1_and_carry_over(builtin: Checklist) -> None:
    """Each question that replaces another names an id that 1.1.0 or 1.2.0 had and this version
    has not: flipped for the marketing questions 1.2.0 turned round, unflipped for the questions
    2.0.0 merged or renamed."""
    replaced = {q.replaces.question: q.id for q in builtin.questions if q.replaces}
    assert replaced == REPLACED_IN_1_2 | REPLACED_IN_2_0
    ids = {q.id for q in builtin.questions}
    assert set(replaced) <= IDS_1_1 and not set(replaced) & ids
    for old, new in replaced.items():
        assert builtin.question_by_id[new].replaces.flip is (old in REPLACED_IN_1_2)  # type: ignore[union-attr]
    # Every 1.1.0 id is still a question, or is carried to one, or is set aside with a
    # warning: no old answer is silently lost.
    assert IDS_1_1 - ids == set(replaced) | SET_ASIDE_IN_2_0
    assert set(builtin.retired) == SET_ASIDE_IN_2_0  # each named with where its point went


@pytest.mark.parametrize("version", ["1.1.0", "1.2.0"])
@pytest.mark.parametrize("name", ["careful-clinic", "risky-telehealth"])
def test_answers_files_for_1_x_still_report(name: str, version: str) -> None:
    """An example answers file as written for 1.1.0 or 1.2.0 reports with this version: every
    replaced answer carries to its replacement and stderr says so, ride_home is set aside with
    a warning, and the grade is still sensible. The careful clinic has no red flag and is held
    at B by the new critical questions it was never asked, and by those whose old good answer
    cannot settle a question that asks for more; the risky one is an F with
    the same red flags as the current example."""
    checklist = load_checklist(PATH)
    old = (ANSWERS_1_1 if version == "1.1.0" else ANSWERS_1_2) / f"{name}.yaml"
    assert f'version: "{version}"' in old.read_text(encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(old), "--format", "json"])
    assert result.exit_code == 0, result.output
    carried = REPLACED_IN_2_0 | (REPLACED_IN_1_2 if version == "1.1.0" else {})
    answers = load_answers(old).entries
    for before, after in carried.items():
        # An old "unknown" beside an answer to the new question is passed over in silence.
        silent = answers[before] == AnswerEntry("unknown") and after in answers
        assert (f"'{before}' is now asked as '{after}'" in result.stderr) is not silent
    for before, after in REPLACED_IN_1_2.items():
        assert (f"'{before}' is now asked as '{after}', the other way round" in result.stderr) is (
            version == "1.1.0"
        )
    for gone in SET_ASIDE_IN_2_0:  # retired: named, with where its point went
        assert f"'{gone}' is no longer asked: " in result.stderr
    assert "unknown question id" not in result.stderr and "kept in the file" in result.stderr
    assert f"answered against ketamine-provider version {version}" in result.stderr
    report = json.loads(result.stdout)
    answered = {q["id"]: q["answer"] for q in report["questions"]}
    expected = "yes" if name == "risky-telehealth" else "no"
    assert {answered[new] for new in REPLACED_IN_1_2.values()} == {expected}
    if name == "careful-clinic":
        assert report["red_flags"] == [] and report["grade"]["letter"] == "B"
        assert report["grade"]["capped_by"] == "must_ask" and report["score"] >= 90
        # A good old answer never settles a question that now asks for more: asked again.
        widened = {
            new
            for old_id, new in REPLACED_IN_2_0.items()
            if answers[old_id].value == "yes" and checklist.question_by_id[new].critical
        }
        assert widened and all(f"'{new}', which asks for more" in result.stderr for new in widened)
        assert set(report["must_ask"]) == {"unsupervised_injections"} | widened
    else:
        current = runner.invoke(
            app, ["report", str(ROOT / "examples" / f"{name}.vetcheck.yaml"), "--format", "json"]
        )
        assert current.exit_code == 0 and current.stderr == ""
        assert report["grade"]["letter"] == "F" and report["score"] < 30
        assert set(report["red_flags"]) <= set(json.loads(current.stdout)["red_flags"])
        assert len(report["red_flags"]) >= 5


def test_examples_are_answered_for_this_version(builtin: Checklist) -> None:
    """The shipped examples name this version and hash, so they report with no warning."""
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert f'version: "{builtin.version}"' in text, path.name
        assert f'hash: "{builtin.content_hash}"' in text, path.name
        old_ids = set(REPLACED_IN_1_2) | set(REPLACED_IN_2_0) | SET_ASIDE_IN_2_0
        assert not old_ids & set(re.findall(r"^  ([a-z_0-9]+):", text, re.M))


# --- Checklist 2.0 (issue 15): readable, US English, the seeds' claims corrected --------------


def _patient_texts(builtin: Checklist) -> dict[str, str]:
    """Every text a patient reads: question, why, good answer, how to check, red flag,
    finding, and the section intros."""
    texts: dict[str, str] = {}
    for q in builtin.questions:
        fields = {
            "question": q.text.patient,
            "why": q.why.patient,
            "good_answer": q.good_answer.patient,
            "verify": q.verify.patient,
            "red_flag": q.red_flag.patient if q.red_flag else None,
            "finding": q.finding.patient if q.finding else None,
        }
        texts |= {f"{q.id}.{k}": v for k, v in fields.items() if v}
    texts |= {f"section {s.id}": s.intro.patient for s in builtin.sections}
    return texts


def test_all_patient_facing_text_reading_grade(builtin: Checklist) -> None:
    """All patient-facing text reads at Flesch-Kincaid grade 8 or lower on average, and no
    single text above grade 10 (NIH: grade 8 or lower for patient materials)."""
    grades = {k: textstat.flesch_kincaid_grade(v) for k, v in _patient_texts(builtin).items()}
    assert len(grades) > 300
    assert {k: round(g, 1) for k, g in grades.items() if g > 10} == {}
    assert sum(grades.values()) / len(grades) <= 8


# British spellings (and one British grammar word) that must not appear in any text of the
# checklist. Question ids are stable keys and are not prose: `licence_verified` keeps its id.
BRITISH = re.compile(
    r"\b(?:licenced|licences?|programmes?|anaesthe\w*|haem\w*|colour\w*|behaviour\w*"
    r"|counsell\w*|centres?|organis\w*|recognis\w*|minimis\w*|authoris\w*|hospitalis\w*"
    r"|optimis\w*|prioritis\w*|stabilis\w*|randomis\w*|judgement|labelled|travelled|modelling"
    r"|cancelled|ageing|oedema|paediatric\w*|foet\w*|analys(?:e|ed|es|ing)|defence|offence"
    r"|practis(?:e|ed|es|ing)|tumours?|favour\w*|honour\w*|enrol|enrols|enrolment|fulfil"
    r"|whilst|amongst|wilful|grey)\b",
    re.IGNORECASE,
)


def test_us_spelling_throughout(builtin: Checklist) -> None:
    """No British spelling in any prose of the checklist: questions and findings in both
    wordings, why, good answer, how to check, red flags, intros, options, verdicts, changelog."""
    prose: dict[str, str] = {"audience": f"{builtin.audience.patient} {builtin.audience.referrer}"}
    for q in builtin.questions:
        parts = [q.text.patient, q.text.referrer or ""]
        parts += [f"{o.label.patient} {o.label.referrer or ''}" for o in q.options]
        for wording in (q.why, q.good_answer, q.verify, q.red_flag):
            parts += [wording.patient, wording.referrer or ""] if wording else []
        if q.finding:
            parts += [q.finding.patient, q.finding.referrer or ""]
        prose[q.id] = " ".join(parts)
    prose |= {
        f"section {s.id}": f"{s.title} {s.intro.patient} {s.intro.referrer}"
        for s in builtin.sections
    }
    prose |= {
        f"grade {g.letter}": f"{g.verdict.patient} {g.verdict.referrer}"
        for g in builtin.scoring.grades
    }
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    prose |= {f"changelog {c['version']}": c["changes"] for c in raw["changelog"]}
    found = {k: BRITISH.findall(v) for k, v in prose.items()}
    assert {k: v for k, v in found.items() if v} == {}
    for word in ("licence", "programme", "anaesthesia", "haemorrhage", "behaviour", "counselling"):
        assert BRITISH.search(f"a {word} here"), word
    for word in ("license", "licensed", "program", "anesthesia", "hemorrhage", "counseling"):
        assert not BRITISH.search(f"a {word} here"), word


def test_every_question_cites_a_listed_source(builtin: Checklist) -> None:
    """Each question, scored or not, names at least one source, each one in the source list
    with a full citation; every critical question cites at least two, or a label or rule."""
    binding = {"spravato-label", "spravato-rems", "spravato-rems-site", "ketalar-label"}
    for q in builtin.questions:
        assert q.sources and all(s in builtin.source_by_id for s in q.sources), q.id
        if q.critical:
            assert len(q.sources) >= 2 or set(q.sources) & binding, q.id


SEED_CLAIMS_CORRECTED = {
    # seed 003: "fewer and milder side effects than antidepressants"; seed 002: "significantly
    # fewer side effects than traditional pharmaceuticals"
    "risks_explained": "fewer or milder side effects than antidepressants",
    # seed 002: "Its effects are instantaneous."; seed 001: "immediate relief"
    "honest_about_benefit": "Relief is not instant",
    # seeds 000 and 002: "neuroprotective"; seeds 001 and 002: Alzheimer's, cancer
    "accurate_information": "protects the brain",
    # seed 000: "reduce ... suicidal ideation"; the Spravato label's limitation of use
    "suicide_risk": "has not been shown to prevent",
    "claims_fda_approval": "not been shown to prevent suicide",
}


def test_the_seeds_false_claims_are_corrected_where_they_are_asked(builtin: Checklist) -> None:
    """Each false claim the seed marketing texts make is corrected in the `why` of the
    question where a patient meets it."""
    for qid, words in SEED_CLAIMS_CORRECTED.items():
        assert words in " ".join(builtin.question_by_id[qid].why.patient.split()), qid


def test_answers_for_a_version_with_the_same_questions_read_without_a_warning(
    tmp_path: Path, builtin: Checklist
) -> None:
    """2.1.0 only names look-ups, 2.2.0 only adds clinician wording: a 2.0.0 file (same
    questions hash) reports with no warning, while a file whose hash differs is still told the
    questions changed."""
    example = ROOT / "examples" / "careful-clinic.vetcheck.yaml"
    old = tmp_path / "old.yaml"
    now = f'version: "{builtin.version}"'
    old.write_text(example.read_text().replace(now, 'version: "2.0.0"'))
    result = CliRunner().invoke(app, ["report", str(old)])
    assert result.exit_code == 0 and result.stderr == "" and 'version: "2.0.0"' in old.read_text()
    text = old.read_text()
    old.write_text(re.sub(r'hash: "sha256:[0-9a-f]+"', 'hash: "sha256:0000000000000000"', text))
    result = CliRunner().invoke(app, ["report", str(old)])
    assert "answered against ketamine-provider version 2.0.0" in result.stderr


SEED_CLAIMS_CORRECTED_FOR_CLINICIANS = {
    "risks_explained": "fewer or milder adverse effects than antidepressants",
    "honest_about_benefit": "The antidepressant effect is not instantaneous",
    "accurate_information": "Claims of neuroprotection",
    "suicide_risk": "has not been shown to prevent suicide",
    "claims_fda_approval": "preventing suicide or in reducing suicidal ideation",
}


def test_the_seeds_false_claims_are_corrected_for_clinicians_too(builtin: Checklist) -> None:
    for qid, words in SEED_CLAIMS_CORRECTED_FOR_CLINICIANS.items():
        assert words in " ".join(str(builtin.question_by_id[qid].why.referrer).split()), qid


# --- Clinician wording (issue 18) -------------------------------------------------------------

# Addressing the reader: what a text written for a referring clinician never does.
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)


def _clinician_texts(builtin: Checklist) -> dict[str, str | None]:
    """Every checklist text a referring clinician reads, as written for them (None: missing)."""
    texts: dict[str, str | None] = {}
    for q in builtin.questions:
        fields = {"text": q.text, "why": q.why, "good_answer": q.good_answer, "verify": q.verify}
        fields |= {"red_flag": q.red_flag} if q.red_flag else {}
        fields |= {"finding": q.finding} if q.finding else {}
        texts |= {f"{q.id}.{k}": v.referrer for k, v in fields.items()}
        texts |= {f"{q.id}.option {o.id}": o.label.referrer for o in q.options}
    texts |= {f"section {s.id}": s.intro.referrer for s in builtin.sections}
    rules = builtin.scoring
    texts |= {f"grade {g.letter}": g.verdict.referrer for g in rules.grades}
    for name in ("incomplete_verdict", "red_flag_verdict", "must_ask_verdict"):
        texts[name] = getattr(rules, name).referrer
    texts["audience"] = builtin.audience.referrer
    return texts


def test_every_text_has_its_own_clinician_wording(builtin: Checklist) -> None:
    """Question, why, good answer, how to check, red flag, finding, section intro and verdicts
    are each written for a clinician: none falls back to the patient's words."""
    texts = _clinician_texts(builtin)
    assert len(texts) > 300
    assert [k for k, v in texts.items() if not v] == []


def test_clinician_wording_never_addresses_the_reader_as_you(builtin: Checklist) -> None:
    texts = _clinician_texts(builtin)
    assert {k: v for k, v in texts.items() if v and SECOND_PERSON.search(v)} == {}
    assert SECOND_PERSON.search("Ask before you book") and not SECOND_PERSON.search("youth")
