"""Structure-aware fuzzing of the checklist and answers loaders.

Random YAML-shaped documents (and random mutations of valid ones) must either load or be
refused with InvalidInputError: never any other exception. CI runs a bounded number of
examples; set VETCHECK_FUZZ_EXAMPLES for a longer run (docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import yaml
from conftest import MINI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetcheck.document import compose
from vetcheck.errors import InvalidInputError
from vetcheck.loader import answers_from_node, check_answers, checklist_from_node, load_checklist

CHECKLIST = load_checklist(MINI)
EXAMPLES = int(os.environ.get("VETCHECK_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "id",
    "title",
    "version",
    "last_reviewed",
    "audience",
    "sources",
    "sections",
    "questions",
    "scoring",
    "changelog",
    "section",
    "kind",
    "text",
    "patient",
    "referrer",
    "why",
    "good_answer",
    "verify",
    "weight",
    "critical",
    "red_flag",
    "show_if",
    "question",
    "any_of",
    "none_of",
    "options",
    "label",
    "citation",
    "url",
    "intro",
    "grades",
    "letter",
    "min",
    "verdict",
    "min_coverage",
    "red_flag_cap",
    "vetcheck",
    "checklist",
    "hash",
    "subject",
    "name",
    "location",
    "website",
    "evaluated",
    "role",
    "answers",
    "answer",
    "note",
    "setting",
    "licensed",
    "monitoring",
    "sitter",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "off",
            "n/a",
            "unknown",
            "partly",
            "clinic",
            "home",
            "2026-11-01",
            "2026-13-45",
            "1.0",
            "mini",
            "patient",
            "referrer",
            "choice",
            "yes_no",
            "A",
            "F",
            "~",
            "",
        ]
    ),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


def _load_any(text: str) -> None:
    """Load text as both formats; only InvalidInputError may escape."""
    try:
        node = compose(text, "fuzz.yaml")
    except InvalidInputError:
        return
    for build in (checklist_from_node, answers_from_node):
        try:
            result = build(node, "fuzz.yaml")
        except InvalidInputError:
            continue
        if build is answers_from_node:
            with contextlib.suppress(InvalidInputError):
                check_answers(result, CHECKLIST)  # type: ignore[arg-type]


@FUZZ
@given(documents)
def test_random_documents(doc: Any) -> None:
    """Random YAML-shaped documents never crash the loaders."""
    _load_any(yaml.dump(doc, Dumper=yaml.CSafeDumper, allow_unicode=True))


def _mutate(data: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data, key=str)))
        action = draw(st.sampled_from(["drop", "replace", "recurse", "add"]))
        data = dict(data)
        if action == "drop":
            del data[key]
        elif action == "replace":
            data[key] = draw(documents)
        elif action == "add":
            data[draw(keys)] = draw(documents)
        else:
            data[key] = _mutate(data[key], draw, depth + 1)
        return data
    if isinstance(data, list) and data:
        index = draw(st.integers(0, len(data) - 1))
        data = list(data)
        choice = draw(st.sampled_from(["drop", "replace", "recurse", "duplicate"]))
        if choice == "drop":
            del data[index]
        elif choice == "replace":
            data[index] = draw(documents)
        elif choice == "duplicate":
            data.insert(index, data[index])
        else:
            data[index] = _mutate(data[index], draw, depth + 1)
        return data
    return draw(documents)


VALID_CHECKLIST = yaml.safe_load(MINI.read_text())
VALID_ANSWERS = yaml.safe_load(
    "vetcheck: 1\nchecklist: {id: mini, version: '1.0'}\nsubject: {name: Clinic, evaluated: 2026-11-20}\n"
    "role: patient\nanswers: {setting: home, licensed: 'yes', experience: {answer: partly, note: hi}, sitter: 'no'}\n"
)


@FUZZ
@given(st.data())
def test_mutated_valid_files(data: st.DataObject) -> None:
    """Valid files with a few random edits (dropped, replaced, added, duplicated parts) never crash."""
    for base in (VALID_CHECKLIST, VALID_ANSWERS):
        doc = base
        for _ in range(data.draw(st.integers(1, 4))):
            doc = _mutate(doc, data.draw)
        _load_any(
            yaml.dump(
                doc,
                Dumper=yaml.CSafeDumper,
                allow_unicode=True,
                default_flow_style=data.draw(st.booleans()),
            )
        )


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},'\"&*!|>#\n ?%@`~")), max_size=120))
def test_random_yaml_punctuation(text: str) -> None:
    """Raw text heavy in YAML syntax characters never crashes the composer or loaders."""
    _load_any(text)
