"""Loading and validation: every problem reported, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, write_answers

from vetcheck.errors import FileAccessError, InvalidInputError
from vetcheck.loader import check_answers, load_answers, load_checklist, parse_checklist
from vetcheck.model import Kind, Role

BROKEN = FIXTURES / "broken"

# fixture → (line, message fragment) for each problem it must report, and nothing else.
EXPECTED: dict[str, list[tuple[int | None, str]]] = {
    "syntax_error": [(45, "YAML syntax error")],
    "unknown_key": [(55, "question 'experience': unknown key 'wieght'; did you mean 'weight'?")],
    "wrong_types": [
        (64, "question 'monitoring': weight must be a whole number, not 'heavy'"),
        (65, "question 'monitoring': critical must be true or false, not 'maybe'"),
    ],
    "duplicate_question_id": [(82, "question 'experience': duplicate id (first used on line 48)")],
    "unknown_source": [(56, "unknown source 'src-z'")],
    "condition_later": [(80, "show_if names 'calm_room' (a later question)")],
    "condition_missing": [(80, "show_if names 'nowhere' (no such question)")],
    "condition_bad_option": [(81, "'garden' is not an option of 'setting'")],
    "missing_why": [(48, "question 'experience': missing required key 'why'")],
    "critical_without_red_flag": [(65, "a critical question needs red_flag text")],
    "unknown_section": [(58, "unknown section 'cure'")],
    "top_level_list": [(1, "the top level must be a mapping")],
    "alias_reuse": [(84, "anchors and aliases")],
    "many_problems": [
        (55, "unknown key 'wieght'"),
        (56, "unknown source 'src-z'"),
        (82, "duplicate id"),
    ],
    "empty": [(None, "the file is empty")],
    "choice_with_weight": [(25, "weight does not apply to a choice question")],
    "bad_date": [(4, "last_reviewed must be a date written YYYY-MM-DD")],
}


def test_every_broken_fixture_has_expectations() -> None:
    """Each file in fixtures/broken is pinned by this module (none is silently untested)."""
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_checklist_reports_each_problem_with_line(name: str) -> None:
    """Validation lists all problems of a broken file at once, each with its path and line."""
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(InvalidInputError) as info:
        load_checklist(path)
    problems = info.value.problems
    assert len(problems) == len(EXPECTED[name]), [str(p) for p in problems]
    for problem, (line, fragment) in zip(problems, EXPECTED[name], strict=True):
        assert problem.path == str(path)
        assert problem.line == line
        assert fragment in problem.message


def test_mini_checklist_loads_in_asking_order(mini) -> None:
    """A valid checklist loads with sections, kinds, conditions and role wording intact."""
    assert [q.id for q in mini.questions] == [
        "setting",
        "licensed",
        "experience",
        "monitoring",
        "sitter",
        "calm_room",
    ]
    setting = mini.question_by_id["setting"]
    assert setting.kind is Kind.CHOICE and [o.id for o in setting.options] == ["clinic", "home"]
    licensed = mini.question_by_id["licensed"]
    assert licensed.wording(Role.REFERRER) == "Is the prescriber licensed in the patient's state?"
    assert (
        mini.question_by_id["experience"].wording(Role.REFERRER)
        == "Has the team given this treatment many times?"
    )
    assert mini.question_by_id["sitter"].show_if is not None
    assert mini.version == "1.0"


def test_unquoted_numbers_and_booleans_keep_their_text() -> None:
    """`version: 1.10` stays '1.10' and `critical: yes` means true (YAML 1.1 words read as meant)."""
    text = (
        MINI.read_text()
        .replace('version: "1.0"', "version: 1.10")
        .replace("critical: true", "critical: yes", 1)
    )
    checklist = parse_checklist(text, "x.yaml")
    assert checklist.version == "1.10"
    assert checklist.question_by_id["licensed"].critical is True


def test_questions_are_ordered_by_section_and_conditions_follow_that_order() -> None:
    """A condition may name a question written later in the file when its section comes first."""
    text = MINI.read_text()
    block_start = text.index("  - id: setting")
    block_end = text.index("  - id: licensed")
    moved = text[:block_start] + text[block_end:] + text[block_start:block_end]
    checklist = parse_checklist(moved, "moved.yaml")
    order = [q.id for q in checklist.questions]
    assert order == ["licensed", "experience", "setting", "monitoring", "sitter", "calm_room"]


def test_hash_ignores_prose_but_not_meaning(mini) -> None:
    """Rewording a question keeps the content hash; changing its weight changes it."""
    text = MINI.read_text()
    reworded = parse_checklist(
        text.replace("A calm room makes the session easier.", "Calm helps."), "a.yaml"
    )
    reweighted = parse_checklist(text.replace("    weight: 2\n", "    weight: 3\n"), "b.yaml")
    assert reworded.content_hash == mini.content_hash
    assert reweighted.content_hash != mini.content_hash


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "yes"),
        ("off", "no"),
        ("true", "yes"),
        ("False", "no"),
        ("YES", "yes"),
        ('"no"', "no"),
        ("n/a", "n/a"),
        ("partly", "partly"),
        ("unknown", "unknown"),
    ],
)
def test_answer_words_are_read_as_the_person_meant(
    tmp_path: Path, mini, written: str, meant: str
) -> None:
    """Unquoted yes/no/on/off are never turned into anything but the answer words."""
    path = write_answers(tmp_path, f"  licensed: {written}")
    answers, warnings = check_answers(load_answers(path), mini)
    assert answers.entries["licensed"].value == meant
    assert warnings == []


def test_choice_answer_that_looks_like_a_boolean_is_kept(tmp_path: Path) -> None:
    """A choice option id such as `no_clinic` or an answer `no` for a choice is never coerced."""
    checklist = load_checklist(MINI)
    path = write_answers(tmp_path, "  setting: no")
    with pytest.raises(InvalidInputError) as info:
        check_answers(load_answers(path), checklist)
    assert "'setting': 'no' is not an answer it accepts; use one of: clinic, home, unknown" in str(
        info.value
    )


def test_answers_with_unknown_ids_and_values_report_lines(tmp_path: Path, mini) -> None:
    """Unknown question ids and unaccepted values are each reported with their line."""
    path = write_answers(tmp_path, "  licensed: maybe\n  nonsense_q: yes\n  experience: yes")
    with pytest.raises(InvalidInputError) as info:
        check_answers(load_answers(path), mini)
    found = [(p.line, p.message) for p in info.value.problems]
    assert found == [
        (
            8,
            "'licensed': 'maybe' is not an answer it accepts; use one of: yes, partly, no, unknown, n/a",
        ),
        (9, "unknown question id 'nonsense_q' (not in mini 1.0); remove it or fix the id"),
    ]


def test_answers_for_another_checklist_are_refused(tmp_path: Path, mini) -> None:
    """An answers file naming a different checklist id is an error, not a silent mis-score."""
    path = tmp_path / "a.yaml"
    path.write_text(
        "vetcheck: 1\nchecklist: {id: other}\nsubject: {name: X}\nrole: patient\nanswers: {}\n"
    )
    with pytest.raises(InvalidInputError, match="for checklist 'other', not 'mini'"):
        check_answers(load_answers(path), mini)


def test_answers_for_another_version_warn(tmp_path: Path, mini) -> None:
    """A different checklist version is a warning: shared questions still count."""
    path = write_answers(tmp_path, "  licensed: yes").read_text().replace('"1.0"', '"0.9"')
    (tmp_path / "old.yaml").write_text(path)
    answers, warnings = check_answers(load_answers(tmp_path / "old.yaml"), mini)
    assert answers.entries["licensed"].value == "yes"
    assert len(warnings) == 1 and "version 0.9" in warnings[0]


def test_answer_with_note_and_multiline_text(tmp_path: Path, mini) -> None:
    """An answer may carry a note; notes keep their text."""
    path = write_answers(
        tmp_path, '  licensed: {answer: partly, note: "Board site\\nshows a lapse"}'
    )
    answers, _ = check_answers(load_answers(path), mini)
    assert answers.entries["licensed"].note == "Board site\nshows a lapse"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\x01\x02binary", "binary file"),
        (b"name: caf\xe9\n", "not valid UTF-8"),
        (b"- just\n- a list\n", "the top level must be a mapping"),
        (b"just a scalar\n", "the top level must be a mapping"),
    ],
)
def test_unreadable_content_is_one_clear_problem(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    """Binary, non-UTF-8 or wrongly shaped files give one clear problem."""
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as info:
        load_answers(path)
    assert fragment in str(info.value)


def test_missing_file_and_folder_are_file_errors(tmp_path: Path) -> None:
    """A missing path or a folder is a file-access error naming the path."""
    with pytest.raises(FileAccessError, match="no such file"):
        load_checklist(tmp_path / "nope.yaml")
    with pytest.raises(FileAccessError, match="is a folder"):
        load_checklist(tmp_path)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """A 'billion laughs' document is refused without expanding it."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 9)]
    lines += ["questions: *a8"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines))
    with pytest.raises(InvalidInputError, match="anchors and aliases"):
        load_checklist(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    """Pathologically nested data is refused before it is walked."""
    path = tmp_path / "deep.yaml"
    path.write_text("questions: " + "[" * 500 + "]" * 500)
    with pytest.raises(InvalidInputError, match="nested more than"):
        load_checklist(path)


@pytest.mark.parametrize("route", ["licensed", "nowhere"])
def test_route_question_must_be_a_choice_question(route: str) -> None:
    """A checklist's route_question names one of its choice questions, or it is refused."""
    text = MINI.read_text().replace("route_question: setting", f"route_question: {route}")
    with pytest.raises(InvalidInputError) as info:
        parse_checklist(text, "route.yaml")
    (problem,) = info.value.problems
    assert problem.line == 10
    assert f"route_question '{route}' is not a choice question" in problem.message


def test_route_question_selects_the_question_sheet(mini) -> None:
    """The question sheet for one route lists only that route's questions."""
    from vetcheck.render.markdown import render_question_sheet
    from vetcheck.render.sheet import Sheet

    assert mini.route is not None and mini.route.id == "setting"
    sitter = "Will an adult stay with you at home"
    assert sitter in render_question_sheet(Sheet(mini, Role.PATIENT, "home"))
    assert sitter not in render_question_sheet(Sheet(mini, Role.PATIENT, "clinic"))


def test_model_values_are_values_not_tuples(mini) -> None:
    """Model objects compare by type and fields, never equal a tuple, do not unpack, and say
    what they hold; being equal by value, they are not hashable (an id-based hash would lie)."""
    from vetcheck.model import Section, Source

    source = Source("a", "b")
    assert source == Source("a", "b")
    assert source != Source("a", "c") and source != Source("a", "b", "https://x.example")
    assert source != ("a", "b", None) and Section("a", "b", "c") != Section("a", "b", "d")
    assert repr(source) == "Source(id='a', citation='b', url=None, valid_until=None)"
    with pytest.raises(TypeError):
        _ = tuple(source)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        hash(source)
    assert (
        mini == parse_checklist(MINI.read_text(), str(MINI))
        and mini.questions[0] == mini.questions[0]
    )


def test_model_fields_cannot_be_assigned_under_mypy(tmp_path) -> None:
    """Immutability is checked statically: mypy (strict, in CI) rejects assigning a field."""
    api = pytest.importorskip("mypy.api")
    code = tmp_path / "assign.py"
    code.write_text(
        "from vetcheck.model import Source\n"
        "source = Source('a', 'b')\n"
        "source.id = 'c'\n"
        "other = source.__class__('a', 'b')\n"
    )
    out, _, status = api.run(["--no-incremental", "--follow-imports=silent", str(code)])
    assert status == 1 and "assign.py:3: error" in out and "read-only" in out, out
    assert "assign.py:4" not in out


# --- The built-in checklist's data copy ------------------------------------------------------


def test_builtin_checklist_comes_from_its_data_copy_equal_to_the_yaml(monkeypatch) -> None:
    """While the copy is current, the built-in checklist is built from it, equal in every field
    (the content hash and path too) to reading and checking the YAML."""
    from vetcheck import loader
    from vetcheck.resources import builtin_dir

    path = builtin_dir() / "ketamine-provider.yaml"
    from_yaml = load_checklist(path)
    monkeypatch.setattr(loader, "compose", lambda *a: pytest.fail("read the YAML"))
    from_copy = loader.load_checklist_ref(None)
    assert from_copy == from_yaml
    assert (from_copy.content_hash, from_copy.path) == (from_yaml.content_hash, str(path))


@pytest.mark.parametrize("damage", ["stale key", "not json", "wrong shape", "missing"])
def test_a_copy_that_is_not_current_is_never_used(tmp_path: Path, damage: str) -> None:
    """A copy whose key does not match the YAML and the code, or that cannot be read, is ignored."""
    import json

    from vetcheck import loader

    yaml_path = tmp_path / "mini.yaml"
    yaml_path.write_text(MINI.read_text())
    copy = loader.data_copy_path(yaml_path)
    copy.write_text(loader.data_copy(yaml_path))
    built = loader.load_data_copy(yaml_path)
    assert built == load_checklist(yaml_path) and built is not None
    assert built.content_hash == load_checklist(yaml_path).content_hash

    data = json.loads(copy.read_text())
    if damage == "stale key":  # the YAML changed after the copy was made
        yaml_path.write_text(MINI.read_text().replace("weight: 2", "weight: 3"))
    elif damage == "not json":
        copy.write_text("{")
    elif damage == "wrong shape":
        data["checklist"]["questions"] = [{"no such key": 1}]
        copy.write_text(json.dumps(data))
    else:
        copy.unlink()
    assert loader.load_data_copy(yaml_path) is None


def test_the_copy_key_covers_the_code_that_reads_the_yaml(tmp_path: Path, monkeypatch) -> None:
    """Changing the model (or the schema, loader or YAML reader) changes the key."""
    from vetcheck import loader

    yaml_path = tmp_path / "mini.yaml"
    yaml_path.write_text(MINI.read_text())
    before = loader.data_copy_key(yaml_path)
    code = tmp_path / "code"
    code.mkdir()
    for name in loader._READERS:
        (code / name).write_text((Path(loader.__file__).parent / name).read_text())
    monkeypatch.setattr(loader, "__file__", str(code / "loader.py"))
    loader._readers_crc.cache_clear()  # a run reads the code once; here it changes under it
    assert loader.data_copy_key(yaml_path) == before
    for name in loader._READERS:
        original = (code / name).read_text()
        (code / name).write_text(original + "\n# changed\n")
        loader._readers_crc.cache_clear()
        assert loader.data_copy_key(yaml_path) != before, name
        (code / name).write_text(original)
    loader._readers_crc.cache_clear()
