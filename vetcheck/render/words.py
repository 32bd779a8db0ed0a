"""The words of the report and the comparison, in one place: each format adds only markup.

Sentences with blanks are filled with str.format after the format has made each value safe
(markdown escapes it; HTML templates autoescape the whole sentence).
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vetcheck.model import LookUp, Question, QuestionResult, Report, Role, SectionResult
from vetcheck.render.common import (
    answer_first,
    coverage_text,
    grade_headline,
    percent,
    section_coverage,
)
from vetcheck.render.common import count as count  # words and templates count with it

if TYPE_CHECKING:
    from vetcheck.compare import Comparison
    from vetcheck.places import Place, Where
    from vetcheck.recheck import Recheck

# Sentences whose wording follows the reader: a patient is addressed in plain words; a
# referring clinician reads about "the patient", in clinical terms.
DISCLAIMER = {
    Role.PATIENT: (
        "vetcheck is a checklist, not medical advice. It cannot tell you whether ketamine treatment "
        "is right for you, and a good score is not a guarantee of safe care. Talk with your own "
        "doctor or mental-health clinician before you decide. If you are in crisis, call your local "
        "emergency number (in the US, call or text 988)."
    ),
    Role.REFERRER: (
        "vetcheck is a checklist for vetting a provider, not clinical guidance. It does not assess "
        "whether ketamine or esketamine is indicated for a given patient, and a high score does not "
        "guarantee safe care; the referral decision rests on the referring clinician's judgment. "
        "For a patient in crisis: local emergency services (in the US, the 988 Suicide & Crisis "
        "Lifeline, call or text 988)."
    ),
}
# For one-page forms (the summary, the critical-only card): the disclaimer in one sentence.
SHORT_DISCLAIMER = {
    Role.PATIENT: "A checklist summary, not medical advice. Talk with your own doctor before you decide. In a crisis, call or text 988.",
    Role.REFERRER: "A checklist summary of a provider's answers, not clinical guidance; the referral decision rests on the referring clinician's judgment. For a patient in crisis: 988 (US).",
}
REPORT_BANNER = {
    Role.PATIENT: "A checklist summary to help you ask good questions. It is not medical advice.",
    Role.REFERRER: "A checklist summary of a provider's answers, to support a referral decision. It is not clinical guidance.",
}
COMPARISON_BANNER = {
    Role.PATIENT: "A checklist summary to help you compare providers. It is not medical advice.",
    Role.REFERRER: "A checklist summary for comparing providers before referral. It is not clinical guidance.",
}
YOUR_NOTE = {Role.PATIENT: "Your note:", Role.REFERRER: "Note:"}
RED_FLAGS_INTRO = {
    Role.PATIENT: "Each of these is a serious safety gap. Resolve it before you book.",
    Role.REFERRER: "Each is a serious safety gap. Do not refer until it is resolved.",
}
KNOWN_GAPS_INTRO = {
    Role.PATIENT: "Not red flags, but the clinic falls short here. Plan for each one before you book, with the clinic or with your own doctor.",
    Role.REFERRER: "Not red flags, but the provider falls short here. Address each with the provider, or in the referral plan, before referring.",
}
EXPIRED_INTRO = {
    Role.PATIENT: (
        "Some rules this checklist relies on were set to end on a date that has now passed. "
        "They may have changed. Check the rule in force today before you trust these questions."
    ),
    Role.REFERRER: (
        "Some rules this checklist relies on had an end date that has now passed and may have "
        "changed. Confirm the rule currently in force before relying on these items."
    ),
}
ASKED = {
    Role.PATIENT: "We asked: {question} Answer: {answer}.",
    Role.REFERRER: "Item: {question} Answer: {answer}.",
}
_GAPS_NOTE = {
    Role.PATIENT: (
        "a point that is not a red flag: plan for it",
        "{n} points that are not red flags: plan for each",
    ),
    Role.REFERRER: (
        "one item that is not a red flag: address it before referral",
        "{n} items that are not red flags: address each before referral",
    ),
}

SHEET_LEAD = {
    Role.PATIENT: "Take this sheet to your visit or phone call. Tick each question as you ask it and write down what they say.",
    Role.REFERRER: "For a call with the provider, or to give to the patient. Tick each item as it is asked and record the provider's answer.",
}
SHEET_LATER = {
    Role.PATIENT: (
        "Entering your answers later",
        "1. Run `vetcheck interview` and answer from your notes, or",
        "2. Run `vetcheck template -o clinic.vetcheck.yaml`, write each answer in the file, then run `vetcheck report clinic.vetcheck.yaml`.",
        "To carry on with answers you already started, run `vetcheck interview --answers clinic.vetcheck.yaml`.",
    ),
    Role.REFERRER: (
        "Entering the answers later",
        "1. Run `vetcheck interview --role referrer` and answer from the notes, or",
        "2. Run `vetcheck template --role referrer -o clinic.vetcheck.yaml`, write each answer in the file, then run `vetcheck report clinic.vetcheck.yaml`.",
        "To continue answers already started, run `vetcheck interview --answers clinic.vetcheck.yaml`.",
    ),
}

# Titles and headings
REPORT_TITLE = "vetcheck report: {name}"
COMPARISON_TITLE = "vetcheck comparison of {count} providers"
SUMMARY = "Summary"
ABOUT = "About this report"
RED_FLAGS = "Red flags"
ASK_NEXT = "Questions to ask next"
MUST_ASK = "Must ask"
ALSO_ASK = "Also ask"
SECTION_SCORES = "Section scores"
ANSWERS_BY_SECTION = "Answers by section"
METHOD = "How the score was computed"
SOURCES = "Sources"
DISCLAIMER_HEADING = "Disclaimer"
OVERVIEW = "Overview"
SECTION_BY_SECTION = "Section by section"
WHERE_THEY_DIFFER = "Where they differ"

# Labels: facts under the title, table headers, the start of a detail line
LOCATION = "Location"
WEBSITE = "Website"
GATHERED = "Answers gathered"
WRITTEN = "Report written"
WRITTEN_FOR = "Written for"  # the role: --role can word a file for another reader
CHECKLIST = "Checklist"
MEASURE = "Measure"
RESULT = "Result"
GRADE = "Grade"
SCORE = "Score"
COVERAGE = "Coverage"
MUST_ASK_COUNT = "Must-ask questions"
OTHER_OPEN_COUNT = "Other open questions"
SECTION = "Section"
OPEN = "Open"
PROVIDER = "Provider"
QUESTION = "Question"
ANSWER_HEADING = "Answer"
NOTE_HEADING = "Note"
NOTE = "Note:"
WHY = "Why it matters:"
WHAT_TO_DO = "What to do:"
GOOD_ANSWER = "A good answer:"
HOW_TO_CHECK = "How to check:"
RED_FLAG = "Red flag"
CRITICAL = "(critical)"

# Sentences
NO_DATE = "date not given"
CHECKLIST_FACT = "{title} ({id} {version}, reviewed {reviewed})"
COMPARISON_CHECKLIST = "Checklist: {title} ({id} {version}). Written {today}."
SHARED_ONLY = (
    "These answers were started on different checklist versions ({versions}), "
    "so they are compared on the {count} questions they share."
)
GRADE_LINE = "Grade: {headline}."
INCOMPLETE = "Incomplete"
COVERAGE_OF = "{coverage} of what applies is answered"
KNOWN_GAPS = "Known gaps"
GOOD_CARE = "Good care looks like this:"
KNOWN_GAPS_SHOWN = 5  # the heaviest; the rest are in the answers by section
NO_RED_FLAGS = "None found among the questions answered."
EXPIRED = "Rules that may have changed"
EXPIRED_ITEM = "{citation}: in force until {until}."
EXPIRED_QUESTIONS = "Questions that rely on it:"
ALL_ANSWERED = "Every question that applies has an answer."
MUST_ASK_INTRO = "These matter most for safety and are not settled yet."
ALSO_ASK_INTRO = "Most important first."
ANSWER = "Answer: {answer}."
YES_IS_BAD = "here, yes is the bad answer"
SECTION_LINE = "Score {score} / 100, coverage {coverage}."
NO_SOURCES = "No sources are cited by the questions in this report."
NO_PROVIDER_RED_FLAGS = "None of these providers has a red flag among the questions answered."
SAME_ANSWERS = "The providers gave the same answers to every question compared."
RED_FLAGS_FIRST = "Red flags come first."
RED_FLAG_FOR_SOME = "a red flag for some"
CELL_IS_SCORE = "Each cell is the section score out of 100."


def grade_letter(report: Report) -> str:
    return report.grade.letter or INCOMPLETE


def ask_state(result: QuestionResult) -> str:
    """Why a question is still open."""
    if result.answer == "partly":
        asked_naturally = result.question.bad_answer == "yes"  # "Does the clinic promise a cure?"
        return "they say something like this" if asked_naturally else "only partly met so far"
    if result.answer == "n/a":
        return "marked not applicable, but it applies"
    return "not answered yet"


def did_not_apply(hidden: int) -> str:
    return f"{count(hidden, 'question')} did not apply to this kind of treatment."


def source_refs(sources: Iterable[str], numbers: Mapping[str, int]) -> str:
    """'(source 2)' or '(sources 1, 3)': the numbers of the sources a question cites."""
    refs = [str(numbers[sid]) for sid in sources if sid in numbers]
    return f"(source{'s' if len(refs) > 1 else ''} {', '.join(refs)})"


def score_text(report: Report) -> str:
    """'84 / 100', or why there is no score yet."""
    if report.score is not None:
        return f"{percent(report.score)} / 100"
    if report.coverage == 0:
        return "none yet: nothing answered"
    more = count(report.answers_needed, "more answer")
    return f"none yet: too few answers (at least {more} needed){answer_first(report)}"


def report_method(report: Report) -> str:
    """The scoring rules applied to this report, in numbers."""
    earned = sum(s.earned for s in report.sections)
    answered = sum(s.answered_weight for s in report.sections)
    applicable = sum(s.applicable_weight for s in report.sections)
    score = (
        "no score below the coverage minimum"
        if report.score is None
        else f"score {percent(report.score)}"
    )
    return (
        f"This report: {earned:g} of {answered} answered weight earned "
        f"({score}); {answered} of {applicable} applicable weight "
        f"answered (coverage {coverage_text(report.coverage)})."
    )


def verdict(report: Report) -> str:
    """The grade's verdict, followed by the known gaps where there is no red flag."""
    return " ".join(filter(None, [report.grade.verdict[report.role], _gaps_note(report)]))


def _gaps_note(report: Report) -> str:
    """After the verdict: the known gaps, so that a good letter never hides them."""
    n = len(report.known_gaps)
    if not n or report.red_flags:  # after "do not book", the red flags come first, alone
        return ""
    one, many = _GAPS_NOTE[report.role]
    return f"It falls short on {one if n == 1 else many.format(n=n)} (see Known gaps)."


def more_gaps(hidden: int) -> str:
    return f"{count(hidden, 'more gap')} in the answers by section below."


def section_score(section: SectionResult) -> str:
    """A section's score, or why it has none: never 'no answers' for a section answered in full."""
    if section.score is not None:
        return percent(section.score)
    if not any(r.question.scored for r in section.results):
        return "not scored"  # choice questions only: they decide which others apply
    if section.applicable_weight == 0:
        return "does not apply"
    if section.answered_weight:
        return "too few answers yet"
    return "no answers yet"


def section_line(section: SectionResult) -> str:
    if section.score is None and section.answered_weight and section.applicable_weight:
        return f"Too few answers yet for a score (coverage {section_coverage(section)})."
    if section.score is None:
        return f"{section_score(section).capitalize()}."
    return SECTION_LINE.format(score=percent(section.score), coverage=section_coverage(section))


# --- What changed between two answers files (issue 18) -----------------------------------------

DIFF_TITLE = "vetcheck: what changed at {name}"
DIFF_BANNER = {
    Role.PATIENT: "What changed between two answers files. It is not medical advice.",
    Role.REFERRER: "Changes between two evaluations. It is not clinical guidance.",
}
BEFORE, AFTER = "Before", "After"  # the older file, the newer one
DIFF_FILE = "{file}: answers gathered {evaluated}, checklist {version}."
DIFF_OTHER_CLINIC = "These files name different clinics ({old} and {new}): the changes below compare two clinics, not one clinic over time."
DIFF_TITLE_TWO = "vetcheck: what differs between {old} and {new}"
DIFF_SAME_FILE = "Both are the same file: nothing can have changed."
DIFF_VERSIONS = "The files were answered on different checklist versions ({old} and {new}). Both are scored on {now}, so part of a change in grade can come from the checklist rather than the clinic."
DIFF_OUT_OF_ORDER = "The first file is the newer one (its answers are dated later, or answered on a later checklist): the changes below read from the first file to the second, which is back in time."
GRADE_MOVED = "Grade"
MOVEMENT = {1: "better", 0: "no change in grade", -1: "worse"}
RAISED = "Red flags raised"
CLEARED = "Red flags cleared"
ANSWERS_CHANGED = "Answers changed"
NOTES_CHANGED = "Notes added, changed or removed"
NEW_QUESTIONS = "New questions in the newer checklist"
NEW_QUESTIONS_INTRO = {
    Role.PATIENT: "The newer checklist asks these; the older answers could not have answered them.",
    Role.REFERRER: "Items added in the newer checklist version, with no earlier answer to compare.",
}
NO_CHANGES = "None."
NOT_ANSWERED = "not in the file"
NO_NOTE = "no note"


# --- Which provider leads a comparison (issue 18) -----------------------------------------------

_LEADS = "{label} leads: grade {headline}, {flags}, {must}."
_LEVEL = "{labels} are level on red flags, grade, score and must-ask questions: {headline}."
_LEVEL_SHOWN = 4  # at most; more are 3 names, then "and N more"
_NEXT = "Next: {label}, grade {headline}."
_NO_LEAD_FLAGS = "No provider leads: each one has at least one red flag."
_NO_LEAD_GRADE = "No provider leads yet: none has enough answers for a grade."


def lead_text(comparison: "Comparison") -> str:
    """Which provider leads and why: no red flag first, then grade, score and the fewest
    must-ask questions (compare.rank_key); the next one, to say by how much."""
    from vetcheck.compare import lead

    labels, reports = comparison.labels, comparison.reports
    found = lead(reports)
    if found is None:
        flagged = all(r.red_flags for r in reports)
        return _NO_LEAD_FLAGS if flagged else _NO_LEAD_GRADE
    best = reports[found.best]
    headline = grade_headline(best)
    if found.level:
        names = [labels[found.best], *(labels[i] for i in found.level)]
        if len(names) > _LEVEL_SHOWN:
            names = [*names[:3], f"{len(names) - 3} more"]
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        text = _LEVEL.format(labels=listed, headline=headline)
    else:
        text = _LEADS.format(
            label=labels[found.best],
            headline=headline,
            flags="no red flags",
            must=count(len(best.must_ask), "must-ask question")
            if best.must_ask
            else "no must-ask questions",
        )
    if found.runner_up is not None:
        runner = reports[found.runner_up]
        text += " " + _NEXT.format(label=labels[found.runner_up], headline=grade_headline(runner))
    return text


# --- Re-check due (issue 18) -----------------------------------------------------------------

RECHECK = "Re-check due"
_RECHECK_AGED = {
    Role.PATIENT: "now. These answers are from {evaluated}, more than {months} ago. Clinics change staff, owners and rules: ask the questions again before you book.",
    Role.REFERRER: "now. The answers were gathered on {evaluated}, more than {months} ago; staffing, ownership and protocols change. Re-verify before referring.",
}
_RECHECK_RULE = {
    Role.PATIENT: "now. A rule these questions rely on ended on {ended} (see {section}).",
    Role.REFERRER: "now. A rule these items rely on ended on {ended} (see {section}).",
}
_RECHECK_BY = "by {due}, {why}."
_RECHECK_WHY_AGE = "{months} after the answers were gathered"
_RECHECK_WHY_RULE = "when a rule these questions rely on ends"
_RECHECK_FUTURE = {
    Role.PATIENT: "not known. The answers file says they were gathered on {evaluated}, which is after today: check the date after evaluated: in the file.",
    Role.REFERRER: "not known. The answers file gives an evaluation date after today ({evaluated}): check evaluated: in the file.",
}
_RECHECK_RULE_ENDS = " A rule these questions rely on ends: check again by {due}."
_RECHECK_UNDATED = {
    Role.PATIENT: "not known. This answers file does not say when the answers were gathered: write the date after evaluated: in the file, for example evaluated: 2026-11-20.",
    Role.REFERRER: "not known. The answers file gives no date of evaluation (evaluated:), so their age cannot be judged.",
}


def recheck_text(rc: "Recheck", role: Role) -> str:
    """When and why to check these answers again, for the report's reader."""
    months = count(rc.months, "month")
    if rc.overdue and rc.due == rc.aged_on:
        return _RECHECK_AGED[role].format(evaluated=rc.evaluated, months=months)
    if rc.overdue and rc.rule_ends is not None:
        ended = rc.rule_ends - timedelta(days=1)
        return _RECHECK_RULE[role].format(ended=ended, section=EXPIRED)
    if rc.aged_on is None:  # no date, or one after today: the answers' age is not known
        if rc.future:
            text = _RECHECK_FUTURE[role].format(evaluated=rc.evaluated)
        else:
            text = _RECHECK_UNDATED[role]
        if rc.rule_ends is not None:
            text += _RECHECK_RULE_ENDS.format(due=rc.rule_ends)
        return text
    why = _RECHECK_WHY_AGE.format(months=months) if rc.due == rc.aged_on else _RECHECK_WHY_RULE
    return _RECHECK_BY.format(due=rc.due, why=why)


# --- Official look-ups (issue 17) -------------------------------------------------------------

STATE_FOR_LOOKUPS = "State for look-ups"
UNCONFIRMED_PLACE = "link not confirmed"
NO_LINK = "no link confirmed yet: search for its name"
NATIONALLY = "Nationally:"
_WHERE = "Where to look in {state}:"
_WHERE_NATIONAL = "Where to look:"
_LICENSED_WHERE = {
    Role.PATIENT: "For video or phone visits, the prescriber's license must, with few exceptions, be from the state where you are during the visit.",
    Role.REFERRER: "For telehealth visits, the prescriber must, with few exceptions, be licensed in the state where the patient is located during the visit.",
}
# What a look-up cannot show, said where it is named (the look-ups card says more).
_CAVEATS = {
    LookUp.PDMP: {
        Role.PATIENT: "Only prescribers and pharmacists can search it: ask the prescriber whether they check it.",
        Role.REFERRER: "Searchable by prescribers and pharmacists only: ask whether the prescriber queries it.",
    },
    LookUp.DEA: {
        Role.PATIENT: "You cannot look up a DEA registration yourself: ask to see the certificate for the state you are in.",
        Role.REFERRER: "DEA registration cannot be verified by the public: ask to see the certificate for the state of care.",
    },
    LookUp.REMS: {
        Role.PATIENT: "A certified clinic may choose not to be listed: ask to see its certification, or call the REMS line at 1-855-382-6022.",
        Role.REFERRER: "Certified sites may opt out of the public listing: ask for the certification, or call the REMS line at 1-855-382-6022.",
    },
}
_BASIS = {  # by places.Basis
    "option": {Role.PATIENT: "as chosen with --state", Role.REFERRER: "as chosen with --state"},
    "patient_state": {
        Role.PATIENT: "where you are during visits: {given}",
        Role.REFERRER: "where the patient is during visits: {given}",
    },
    "location": {
        Role.PATIENT: "from the location: {given}",
        Role.REFERRER: "from the location: {given}",
    },
}
_NO_STATE = {
    Role.PATIENT: "none found{given}, so only national look-ups are named. To name your state's boards, run the same vetcheck command again with your state added, for example: --state TX",
    Role.REFERRER: "none found{given}, so only national look-ups are named. To name a state's boards, give --state (for example --state TX), or the state in the answers file's location or, for a telehealth program, its patient_state",
}
_REMOTE_FROM_LOCATION = {
    Role.PATIENT: " That is the clinic's state. For care at home or by video, the state where you are counts (with few exceptions): if that is not {state}, write your state after patient_state: in the answers file, or add --state and your state to the command.",
    Role.REFERRER: " That is the clinic's state. For telehealth care, the state where the patient is located counts (with few exceptions): if that is not {state}, give it as patient_state in the answers file or with --state.",
}
_CLINIC_ELSEWHERE = " The clinic itself is in {state}: for doses given there, its boards count too (--state {code})."
_UNCONFIRMED_NOTE = (
    ' A "link not confirmed" is one that could not be checked: make sure it is the official site.'
)
_STALE = (
    " These look-ups were last checked on {checked}, more than a year ago: a page may have moved."
)


class LookLine:
    """A question's official look-ups: the state's own places under a heading, the national
    ones after them, and what to keep in mind."""

    __slots__ = ("heading", "local", "national", "notes")

    def __init__(
        self,
        heading: str,
        local: "tuple[Place, ...]",
        national: "tuple[Place, ...]",
        notes: tuple[str, ...],
    ) -> None:
        self.heading = heading
        self.local = local
        self.national = national
        self.notes = notes

    def groups(self) -> "list[tuple[str, tuple[Place, ...]]]":
        """(lead, places) in the order shown: the state's, then "Nationally:" ones."""
        if not self.local:
            return [(self.heading, self.national)] if self.national else []
        return [
            (self.heading, self.local),
            *([(NATIONALLY, self.national)] if self.national else []),
        ]


def look_ups(where: "Where | None", question: Question, role: Role) -> LookLine | None:
    """Where to check this question for the state that counts; None when it names no look-up."""
    if where is None or not question.look_up:
        return None
    places = where.places(question.look_up)
    notes = [_CAVEATS[kind][role] for kind in question.look_up if kind in _CAVEATS]
    if where.remote and LookUp.LICENSE in question.look_up:
        notes.append(_LICENSED_WHERE[role])
    if not places and not notes:
        return None
    local = tuple(p for p in places if not p.national)
    national = tuple(p for p in places if p.national)
    heading = _WHERE.format(state=where.state_name) if local else _WHERE_NATIONAL
    return LookLine(heading, local, national, tuple(notes))


def place_text(place: "Place") -> str:
    """A place's name and what it is for, without its address (each format links that)."""
    return f"{place.name} ({place.what})" if place.what else place.name


def state_fact(where: "Where", today: date, role: Role = Role.PATIENT) -> str:
    """The report's line on which state's look-ups it names, and how it was found."""
    if where.state_name is not None:
        basis = _BASIS[where.basis][role].format(given=where.given)
        text = f"{where.state_name} ({basis})."
        if where.remote and where.basis == "location":
            text += _REMOTE_FROM_LOCATION[role].format(state=where.state_name)
        if where.clinic_state not in (None, where.code):
            text += _CLINIC_ELSEWHERE.format(state=where.clinic_state_name, code=where.clinic_state)
    else:
        given = f' in "{where.given}"' if where.given else ""
        text = _NO_STATE[role].format(given=given) + "."
    if any(not p.confirmed for p in where.places(LookUp)):
        text += _UNCONFIRMED_NOTE
    if where.stale(today):
        text += _STALE.format(checked=where.verified_on.isoformat())
    return text
