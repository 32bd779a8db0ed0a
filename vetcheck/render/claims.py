"""What `vetcheck claims` found → markdown, JSON (with its JSON Schema) or one HTML page.

The words are here once, for patients and for referring clinicians; each format adds markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal, cast

from vetcheck.claims import Category, ClaimsResult, Finding
from vetcheck.model import Role, Source
from vetcheck.render.json import JSON, spec, to_data

FORMAT_VERSION: Final = 1

CATEGORY_TITLES: dict[Category, dict[Role, str]] = {
    Category.FDA_APPROVAL: {
        Role.PATIENT: "Wrong about FDA approval",
        Role.REFERRER: "Misstated FDA approval status",
    },
    Category.CURE_OR_GUARANTEE: {
        Role.PATIENT: "Promises a cure, sure results or more than studies show",
        Role.REFERRER: "Claims of cure, guarantee or permanence",
    },
    Category.SAFETY_ABSOLUTE: {
        Role.PATIENT: "Says ketamine is free of risk",
        Role.REFERRER: "Absolute safety claims",
    },
    Category.NATURAL: {
        Role.PATIENT: 'Calls ketamine "natural"',
        Role.REFERRER: '"Natural" claims',
    },
    Category.UNSOURCED_SUCCESS_RATE: {
        Role.PATIENT: "Success numbers with no source",
        Role.REFERRER: "Unsourced response rates",
    },
    Category.INSTANT_OR_ONE_SESSION: {
        Role.PATIENT: "Promises instant or one-session results",
        Role.REFERRER: "Instant or single-session efficacy claims",
    },
    Category.UNPROVEN_INDICATION: {
        Role.PATIENT: "Illnesses ketamine is not proven to treat",
        Role.REFERRER: "Indications beyond the evidence",
    },
    Category.PHARMACOLOGY_ERROR: {
        Role.PATIENT: "Wrong facts about what ketamine is or does",
        Role.REFERRER: "Pharmacology errors and mechanism claims stated as fact",
    },
    Category.PRESSURE_OR_PACKAGE: {
        Role.PATIENT: "Pressure to pay ahead",
        Role.REFERRER: "Prepayment pressure and urgency tactics",
    },
    Category.SUPERIORITY: {
        Role.PATIENT: "Says ketamine beats antidepressants",
        Role.REFERRER: "Unsupported superiority over antidepressants",
    },
}

TITLE = "vetcheck claims: {name}"
DISCLAIMER = {
    Role.PATIENT: (
        "vetcheck compares a clinic's own words with a list of known false or misleading claims. "
        "It is not medical advice, and it can miss things: a page with no findings is not proof "
        "that everything on it is true. Talk with your own doctor before you decide. If you are "
        "in crisis, call your local emergency number (in the US, call or text 988)."
    ),
    Role.REFERRER: (
        "Automated, rule-based screen of provider marketing for known false or misleading claims; "
        "not exhaustive and not a clinical assessment. The absence of findings does not establish "
        "that the material is accurate."
    ),
}
SUMMARY = {
    Role.PATIENT: "{findings} in {sentences} from {files}.",
    Role.REFERRER: "{findings} in {sentences} from {files}.",
}
NOTHING_FOUND = {
    Role.PATIENT: (
        "No sentence matched vetcheck's rules. That does not mean all of it is true: the rules "
        "catch common false claims, not every one. Still ask the questions in your checklist."
    ),
    Role.REFERRER: (
        "No sentence matched the current rules. The screen covers common claim patterns only; "
        "review the material directly."
    ),
}
LEAD = {
    Role.PATIENT: "Each quote below is exactly as the clinic wrote it, with what is wrong and what is true instead.",
    Role.REFERRER: "Each quotation is verbatim from the provider's material, with the error, the correction and its sources.",
}
WHERE, WRONG, FACTS, SOURCES_LABEL = "Where:", "What is wrong:", "What is true:", "Sources:"
QUESTION = {Role.PATIENT: "In your checklist:", Role.REFERRER: "Checklist question:"}
ABOUT = (
    "Rules: {id} {version}, last reviewed {reviewed}, for English text. Sentences are read one "
    "at a time; a hedged sentence (may, could, studies suggest) or one that warns about a claim "
    "is flagged only where no hedge makes the claim true."
)


def where(finding: Finding) -> str:
    s = finding.sentence
    place = f"page {s.page}" if s.page is not None else f"line {s.line}" if s.line else ""
    return f"{finding.file}, {place}" if place else finding.file


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary(result: ClaimsResult) -> str:
    sentences = sum(f.sentences for f in result.files)
    return SUMMARY[result.role].format(
        findings=_count(len(result.findings), "finding"),
        sentences=_count(sentences, "sentence"),
        files=_count(len(result.files), "file"),
    )


def by_category(result: ClaimsResult) -> list[tuple[Category, int]]:
    counts: dict[Category, int] = {}
    for f in result.findings:
        counts[f.rule.category] = counts.get(f.rule.category, 0) + 1
    return [(c, counts[c]) for c in Category if c in counts]


# --- Markdown --------------------------------------------------------------------------------


def render_claims_markdown(result: ClaimsResult, today: date) -> str:
    from vetcheck.render.markdown import escape

    role = result.role
    numbers = {s.id: i for i, s in enumerate(result.sources(), 1)}
    name = result.files[0].path if len(result.files) == 1 else _count(len(result.files), "file")
    out = [f"# {escape(TITLE.format(name=name))}", "", f"> {escape(DISCLAIMER[role])}", ""]
    out += ["## Summary", "", f"**{escape(summary(result))}**", ""]
    if result.findings:
        out += ["| Kind of claim | Findings |", "| --- | --- |"]
        out += [f"| {escape(CATEGORY_TITLES[c][role])} | {n} |" for c, n in by_category(result)]
        out += ["", "## Findings", "", escape(LEAD[role]), ""]
        for i, f in enumerate(result.findings, 1):
            q = result.question(f)
            refs = ", ".join(f"[{n}]" for n in sorted(numbers[s] for s in f.rule.sources))
            out += [
                f"### {i}. {escape(CATEGORY_TITLES[f.rule.category][role])}",
                "",
                f"> {escape(f.sentence.text)}",
                "",
                f"- **{WHERE}** {escape(where(f))}",
                f"- **{WRONG}** {escape(f.rule.explanation[role])}",
                f"- **{FACTS}** {escape(f.rule.correction[role])}",
                f"- **{SOURCES_LABEL}** {refs}",
                f"- **{QUESTION[role]}** {escape(q.text[role])} ({escape(q.id)})",
                "",
            ]
        out += ["## Sources", ""]
        out += [_source_line(i, s) for i, s in enumerate(result.sources(), 1)]
        out += [""]
    else:
        out += [escape(NOTHING_FOUND[role]), ""]
    out += ["## About these findings", ""]
    out += [
        f"- {escape(f.path)}: {f.kind}, {_count(f.sentences, 'sentence')}" for f in result.files
    ]
    rules = result.rules
    out += [
        "",
        escape(ABOUT.format(id=rules.id, version=rules.version, reviewed=rules.last_reviewed)),
        "",
    ]
    out += [f"Written {today.isoformat()}.", ""]
    return "\n".join(out)


def _source_line(number: int, source: Source) -> str:
    from vetcheck.render.markdown import escape, link

    line = f"{number}. {escape(source.citation)}"
    return f"{line} {link(source.url)}" if source.url else line


# --- JSON ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SourceData:
    id: str
    citation: str
    url: str | None = field(metadata=spec(optional=True))


@dataclass(frozen=True, kw_only=True)
class FindingData:
    file: str
    line: int | None = field(
        metadata=spec(
            "Line where the sentence starts (text, markdown, web page).", optional=True, minimum=1
        )
    )
    page: int | None = field(metadata=spec("Page of a PDF.", optional=True, minimum=1))
    text: str = field(
        metadata=spec(
            "The flagged sentence as in the input, each run of white space shown as one space."
        )
    )
    category: Category
    rule: str
    explanation: str
    correction: str
    question: str = field(metadata=spec("The checklist question this finding informs."))
    sources: list[SourceData]


Kind = Literal["text", "markdown", "html", "pdf"]


@dataclass(frozen=True, kw_only=True)
class FileData:
    file: str
    kind: Kind
    sentences: int = field(metadata=spec(minimum=0))
    pages: int | None = field(metadata=spec(optional=True, minimum=1))


@dataclass(frozen=True, kw_only=True)
class RulesData:
    id: str
    version: str
    last_reviewed: date
    checklist: str


@dataclass(frozen=True, kw_only=True)
class ClaimsData:
    format: Literal["vetcheck-claims"]
    format_version: Literal[1]
    generated: date
    role: Role
    rules: RulesData
    files: list[FileData]
    findings: list[FindingData]
    disclaimer: str


def claims_data(result: ClaimsResult, today: date) -> ClaimsData:
    role = result.role
    by_id = {s.id: s for s in result.checklist.sources}
    return ClaimsData(
        format="vetcheck-claims",
        format_version=FORMAT_VERSION,
        generated=today,
        role=role,
        rules=RulesData(
            id=result.rules.id,
            version=result.rules.version,
            last_reviewed=result.rules.last_reviewed,
            checklist=result.rules.checklist,
        ),
        files=[
            FileData(file=f.path, kind=cast(Kind, f.kind), sentences=f.sentences, pages=f.pages)
            for f in result.files
        ],
        findings=[
            FindingData(
                file=f.file,
                line=f.sentence.line if f.sentence.page is None else None,
                page=f.sentence.page,
                text=f.sentence.text,
                category=f.rule.category,
                rule=f.rule.id,
                explanation=f.rule.explanation[role],
                correction=f.rule.correction[role],
                question=f.rule.question,
                sources=[
                    SourceData(id=s, citation=by_id[s].citation, url=by_id[s].url)
                    for s in f.rule.sources
                ],
            )
            for f in result.findings
        ],
        disclaimer=DISCLAIMER[role],
    )


def render_claims_json(result: ClaimsResult, today: date) -> str:
    return json.dumps(to_data(claims_data(result, today)), indent=2, ensure_ascii=False) + "\n"


def claims_schema() -> JSON:
    """JSON Schema of `vetcheck claims --format json`."""
    from vetcheck.render.json import _object_schema

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vetcheck.invalid/schema/claims.schema.json",
        "title": "vetcheck claims",
        "description": "Output of `vetcheck claims --format json`: each flagged sentence with its category, rule, explanation, correction and sources.",
        **_object_schema(ClaimsData),
    }


# --- HTML ------------------------------------------------------------------------------------


def render_claims_html(result: ClaimsResult, today: date) -> str:
    from vetcheck.render.html import _environment

    numbers = {s.id: i for i, s in enumerate(result.sources(), 1)}
    name = result.files[0].path if len(result.files) == 1 else _count(len(result.files), "file")
    template = _environment().get_template("claims.html.j2")
    return template.render(
        result=result,
        role=result.role,
        today=today,
        numbers=numbers,
        title=TITLE.format(name=name),
        summary=summary(result),
        categories=by_category(result),
        words=_Words,
        where=where,
        refs=lambda f: sorted(numbers[s] for s in f.rule.sources),
    )


class _Words:
    """The words above, for the template."""

    CATEGORY_TITLES = CATEGORY_TITLES
    DISCLAIMER = DISCLAIMER
    NOTHING_FOUND = NOTHING_FOUND
    LEAD = LEAD
    WHERE, WRONG, FACTS, SOURCES_LABEL, QUESTION = WHERE, WRONG, FACTS, SOURCES_LABEL, QUESTION
    ABOUT = ABOUT
