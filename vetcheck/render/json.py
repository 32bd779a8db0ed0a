"""Report model → JSON for other programs: a stable, versioned structure with a JSON Schema.

Version 1. Fields are only ever added within a version; a removal or change of meaning bumps
`format_version`. Scores are unrounded numbers (0-100) next to their shown integer.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from vetcheck.compare import Comparison
from vetcheck.model import QuestionResult, Report
from vetcheck.render.common import DISCLAIMER, cited_sources
from vetcheck.scoring import round_half_up

FORMAT_VERSION = 1
JSON = dict[str, Any]


def report_data(report: Report, today: date) -> JSON:
    """The report as plain data (also embedded, one per provider, in a comparison)."""
    sub = report.answers.subject
    cl = report.checklist
    return {
        "format": "vetcheck-report",
        "format_version": FORMAT_VERSION,
        "generated": today.isoformat(),
        "checklist": {
            "id": cl.id,
            "version": cl.version,
            "last_reviewed": cl.last_reviewed.isoformat(),
            "title": cl.title,
        },
        "subject": {
            "name": sub.name,
            "location": sub.location,
            "website": sub.website,
            "evaluated": None if sub.evaluated is None else sub.evaluated.isoformat(),
        },
        "role": report.role.value,
        "score": report.score,
        "score_shown": None if report.score is None else round_half_up(report.score),
        "coverage": report.coverage,
        "grade": {
            "letter": report.grade.letter,
            "capped_from": report.grade.capped_from,
            "verdict": report.grade.verdict,
        },
        "counts": {
            "red_flags": len(report.red_flags),
            "must_ask": len(report.must_ask),
            "open": len(report.open_questions),
        },
        "red_flags": [r.question.id for r in report.red_flags],
        "must_ask": [r.question.id for r in report.must_ask],
        "open_questions": [r.question.id for r in report.open_questions],
        "sections": [
            {
                "id": s.section.id,
                "title": s.section.title,
                "score": s.score,
                "coverage": s.coverage,
                "answered_weight": s.answered_weight,
                "applicable_weight": s.applicable_weight,
            }
            for s in report.sections
        ],
        "questions": [_question(r, report) for r in report.results],
        "sources": [
            {"id": s.id, "citation": s.citation, "url": s.url}
            for s in cited_sources(report.results, cl.sources)
        ],
        "disclaimer": DISCLAIMER,
    }


def _question(r: QuestionResult, report: Report) -> JSON:
    q = r.question
    return {
        "id": q.id,
        "section": q.section,
        "text": q.wording(report.role),
        "kind": q.kind.value,
        "weight": q.weight if q.scored else 0,
        "critical": q.critical,
        "shown": r.shown,
        "answer": r.answer,
        "note": r.note,
        "status": r.status.value,
    }


def render_json(report: Report, today: date) -> str:
    return json.dumps(report_data(report, today), indent=2, ensure_ascii=False) + "\n"


def render_comparison_json(comparison: Comparison, today: date) -> str:
    data = {
        "format": "vetcheck-comparison",
        "format_version": FORMAT_VERSION,
        "generated": today.isoformat(),
        "checklist": {"id": comparison.checklist.id, "version": comparison.checklist.version},
        "answer_versions": list(comparison.versions),
        "shared_questions_only": comparison.shared_only,
        "questions_compared": comparison.compared,
        "providers": [
            {"label": label, **report_data(report, today)}
            for label, report in zip(comparison.labels, comparison.reports, strict=True)
        ],
        "differences": [
            {
                "question": d.question_id,
                "red_flag": d.has_red_flag,
                "answers": [r.answer if r.shown else None for r in d.results],
            }
            for d in comparison.differences
        ],
        "disclaimer": DISCLAIMER,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_NULLABLE_STR = {"type": ["string", "null"]}
_SCORE = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
_FRACTION = {"type": "number", "minimum": 0, "maximum": 1}
_IDS = {"type": "array", "items": {"type": "string"}}

_REPORT: JSON = {
    "type": "object",
    "required": [
        "format",
        "format_version",
        "generated",
        "checklist",
        "subject",
        "role",
        "score",
        "score_shown",
        "coverage",
        "grade",
        "counts",
        "red_flags",
        "must_ask",
        "open_questions",
        "sections",
        "questions",
        "sources",
        "disclaimer",
    ],
    "properties": {
        "format": {"const": "vetcheck-report"},
        "format_version": {"const": FORMAT_VERSION},
        "generated": {"type": "string", "format": "date"},
        "label": {"type": "string", "description": "Unique display name (comparisons only)."},
        "checklist": {
            "type": "object",
            "required": ["id", "version", "last_reviewed", "title"],
            "properties": {
                "id": {"type": "string"},
                "version": {"type": "string"},
                "last_reviewed": {"type": "string"},
                "title": {"type": "string"},
            },
        },
        "subject": {
            "type": "object",
            "required": ["name", "location", "website", "evaluated"],
            "properties": {
                "name": {"type": "string"},
                "location": _NULLABLE_STR,
                "website": _NULLABLE_STR,
                "evaluated": _NULLABLE_STR,
            },
        },
        "role": {"enum": ["patient", "referrer"]},
        "score": {
            **_SCORE,
            "description": "Weight earned / weight answered x 100, unrounded; null when nothing is answered.",
        },
        "score_shown": {
            "type": ["integer", "null"],
            "description": "The score rounded half up, as shown to people.",
        },
        "coverage": {**_FRACTION, "description": "Weight answered / weight applicable."},
        "grade": {
            "type": "object",
            "required": ["letter", "capped_from", "verdict"],
            "properties": {
                "letter": {
                    **_NULLABLE_STR,
                    "description": "null when coverage is too low for a letter (incomplete).",
                },
                "capped_from": {
                    **_NULLABLE_STR,
                    "description": "The letter the score alone earned, when red flags capped it.",
                },
                "verdict": {"type": "string"},
            },
        },
        "counts": {
            "type": "object",
            "required": ["red_flags", "must_ask", "open"],
            "properties": {
                k: {"type": "integer", "minimum": 0} for k in ("red_flags", "must_ask", "open")
            },
        },
        "red_flags": _IDS,
        "must_ask": _IDS,
        "open_questions": _IDS,
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "title",
                    "score",
                    "coverage",
                    "answered_weight",
                    "applicable_weight",
                ],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "score": _SCORE,
                    "coverage": _FRACTION,
                    "answered_weight": {"type": "integer"},
                    "applicable_weight": {"type": "integer"},
                },
            },
        },
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "section",
                    "text",
                    "kind",
                    "weight",
                    "critical",
                    "shown",
                    "answer",
                    "note",
                    "status",
                ],
                "properties": {
                    "id": {"type": "string"},
                    "section": {"type": "string"},
                    "text": {"type": "string"},
                    "kind": {"enum": ["yes_no", "choice"]},
                    "weight": {"type": "integer", "minimum": 0},
                    "critical": {"type": "boolean"},
                    "shown": {"type": "boolean"},
                    "answer": {"type": "string"},
                    "note": _NULLABLE_STR,
                    "status": {
                        "enum": ["red_flag", "must_ask", "open", "answered", "n/a", "context"]
                    },
                },
            },
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "citation", "url"],
                "properties": {
                    "id": {"type": "string"},
                    "citation": {"type": "string"},
                    "url": _NULLABLE_STR,
                },
            },
        },
        "disclaimer": {"type": "string"},
    },
}

_COMPARISON: JSON = {
    "type": "object",
    "required": [
        "format",
        "format_version",
        "generated",
        "checklist",
        "answer_versions",
        "shared_questions_only",
        "questions_compared",
        "providers",
        "differences",
        "disclaimer",
    ],
    "properties": {
        "format": {"const": "vetcheck-comparison"},
        "format_version": {"const": FORMAT_VERSION},
        "generated": {"type": "string", "format": "date"},
        "checklist": {"type": "object", "required": ["id", "version"]},
        "answer_versions": {"type": "array", "items": {"type": "string"}},
        "shared_questions_only": {"type": "boolean"},
        "questions_compared": {"type": "integer", "minimum": 0},
        "providers": {"type": "array", "items": {"$ref": "#/$defs/report", "required": ["label"]}},
        "differences": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["question", "red_flag", "answers"],
                "properties": {
                    "question": {"type": "string"},
                    "red_flag": {"type": "boolean"},
                    "answers": {
                        "type": "array",
                        "items": _NULLABLE_STR,
                        "description": "One per provider; null where the question does not apply.",
                    },
                },
            },
        },
        "disclaimer": {"type": "string"},
    },
}


def report_schema() -> JSON:
    """JSON Schema for `--format json` output of `report` and `compare`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vetcheck.invalid/schema/report.schema.json",
        "title": "vetcheck report",
        "description": "Output of `vetcheck report --format json` (format vetcheck-report) or `vetcheck compare --format json` (format vetcheck-comparison).",
        "oneOf": [{"$ref": "#/$defs/report"}, {"$ref": "#/$defs/comparison"}],
        "$defs": {"report": _REPORT, "comparison": _COMPARISON},
    }
