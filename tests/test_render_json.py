"""The JSON report: its schema is strict, derived from the same records as the data, and real output validates."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from vetcheck.compare import compare
from vetcheck.loader import check_answers, load_answers, load_checklist
from vetcheck.model import Answers, Checklist
from vetcheck.render.json import render_comparison_json, render_json, report_schema
from vetcheck.resources import builtin_dir
from vetcheck.scoring import score

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
TODAY = date(2026, 11, 22)
VALIDATOR = jsonschema.Draft202012Validator(
    report_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


@pytest.fixture(scope="module")
def builtin() -> Checklist:
    return load_checklist(builtin_dir() / "ketamine-provider.yaml")


@pytest.fixture(scope="module")
def examples(builtin: Checklist) -> list[Answers]:
    return [check_answers(load_answers(path), builtin)[0] for path in EXAMPLES]


@pytest.fixture(scope="module")
def report(builtin: Checklist, examples: list[Answers]) -> dict[str, Any]:
    return json.loads(render_json(score(builtin, examples[1]), TODAY))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def comparison(builtin: Checklist, examples: list[Answers]) -> dict[str, Any]:
    return json.loads(render_comparison_json(compare(builtin, examples), TODAY))  # type: ignore[no-any-return]


def objects(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from objects(value)


def test_schema_is_itself_valid() -> None:
    """The published schema is a valid draft 2020-12 JSON Schema."""
    jsonschema.Draft202012Validator.check_schema(report_schema())


def test_every_object_in_the_schema_is_closed() -> None:
    """Each object declares its properties and allows no others."""
    found = list(objects(report_schema()))
    assert len(found) >= 11  # one per record declared in vetcheck/render/json.py
    for obj in found:
        assert obj["additionalProperties"] is False, obj
        assert set(obj["required"]) <= set(obj["properties"])


def test_real_report_and_comparison_validate(
    report: dict[str, Any], comparison: dict[str, Any]
) -> None:
    """The examples' report and their comparison validate, dates included."""
    VALIDATOR.validate(report)
    VALIDATOR.validate(comparison)
    assert "label" not in report
    assert [p["label"] for p in comparison["providers"]] == [
        "Harbor Light Psychiatry (fictional)",
        "QuickCalm Ketamine Direct (fictional)",
    ]
    assert list(comparison["providers"][0])[:2] == ["label", "format"]


@pytest.mark.parametrize(
    "where",
    [
        [],
        ["checklist"],
        ["subject"],
        ["grade"],
        ["counts"],
        ["sections", 0],
        ["questions", 3],
        ["sources", 0],
    ],
)
def test_an_unexpected_field_fails_in_a_report(report: dict[str, Any], where: list[Any]) -> None:
    """A field the records do not declare is rejected at any depth of a report."""
    _assert_surprise_rejected(report, where)


@pytest.mark.parametrize(
    "where", [[], ["checklist"], ["providers", 1], ["providers", 0, "grade"], ["differences", 0]]
)
def test_an_unexpected_field_fails_in_a_comparison(
    comparison: dict[str, Any], where: list[Any]
) -> None:
    """A field the records do not declare is rejected at any depth of a comparison."""
    _assert_surprise_rejected(comparison, where)


def _assert_surprise_rejected(data: dict[str, Any], where: list[Any]) -> None:
    changed = copy.deepcopy(data)
    target = changed
    for key in where:
        target = target[key]
    target["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(changed)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("disclaimer"),
        lambda d: d.update(generated="22 Nov 2026"),
        lambda d: d.update(score=101),
        lambda d: d["questions"][0].update(status="fine"),
        lambda d: d.update(label=None),
    ],
)
def test_a_wrong_report_fails(report: dict[str, Any], change: Any) -> None:
    """A missing field, a bad date, a score past 100, an unknown status or a null label fail."""
    changed = copy.deepcopy(report)
    change(changed)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(changed)


def test_a_provider_needs_its_label(comparison: dict[str, Any]) -> None:
    """In a comparison every provider carries its label."""
    changed = copy.deepcopy(comparison)
    del changed["providers"][0]["label"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(changed)
