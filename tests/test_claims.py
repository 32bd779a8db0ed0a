"""`vetcheck claims`: the rules, the scanner on labelled text, reading each kind of file, and
the command's outputs and refusals."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vetcheck.claims import Block, Category, Scanner, sentences, split
from vetcheck.cli import app
from vetcheck.document import compose
from vetcheck.errors import InvalidInputError
from vetcheck.extract import read_document
from vetcheck.loader import claim_rules_from_node, load_checklist_ref, load_claim_rules
from vetcheck.render.claims import claims_schema

runner = CliRunner()
HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "claims"
SEEDS = FIXTURES / "seeds"
CORPUS = HERE / "claims_corpus"
RULES_FILE = HERE.parent / "checklists" / "claims" / "ketamine-claims.yaml"
RULES = load_claim_rules(None)
SCANNER = Scanner(RULES)


def run(*args: object):
    return runner.invoke(app, ["claims", *map(str, args)])


def _norm(text: str) -> str:
    swaps = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
    return " ".join("".join(swaps.get(c, c) for c in text).split()).lower()


# --- The rules ---------------------------------------------------------------------------


def test_builtin_rules_pass_their_own_examples() -> None:
    """Every rule flags each of its `fires` sentences and none of its `passes` sentences, and
    each of its patterns is exercised by a `fires` sentence (checked in full here: a run of
    `vetcheck claims` skips the built-in rules' examples for speed)."""
    rules = claim_rules_from_node(compose(RULES_FILE.read_text(), str(RULES_FILE)), "rules")
    assert len(rules.rules) >= 20
    assert {r.category for r in rules.rules} == set(Category)


def test_every_rule_has_a_firing_and_a_non_firing_example() -> None:
    for rule in RULES.rules:
        assert rule.fires and rule.passes, rule.id
        assert all(t == t.lower() for t in rule.triggers), rule.id


def test_a_broken_rules_file_is_refused_with_every_problem_and_its_line(tmp_path: Path) -> None:
    text = RULES_FILE.read_text()
    text = text.replace("'\\bcures?\\b'", "'\\bcures?(\\b'", 1)  # a pattern that does not compile
    text = text.replace(
        "sources: [ketalar-label, spravato-label, fda-2023-compounded]",
        "sources: [no-such-source]",
        1,
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    result = run("--rules", path, SEEDS / "000_bdf809346e066cfd.txt")
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any(
        re.search(r"rules\.yaml:\d+: rule 'cure': .*not a valid regular expression", e)
        for e in errors
    )
    assert any(
        re.search(r"rules\.yaml:\d+: rule 'fda-approved-psychiatric': source 'no-such-source'", e)
        for e in errors
    )


def test_an_example_that_stops_firing_is_named_with_its_line(tmp_path: Path) -> None:
    text = RULES_FILE.read_text().replace(
        "      - Ketamine cures depression.\n", "      - Ketamine helps some people.\n", 1
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        load_claim_rules(str(path))
    (problem,) = caught.value.problems
    assert (
        problem.line is not None
        and "rule 'cure': does not flag its example 'Ketamine helps some people.'"
        in problem.message
    )


# --- Recall and precision on labelled text -----------------------------------------------


def _seed_labels() -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted(SEEDS.glob("seed-*.yaml"))]


def test_seed_documents_claims_found_and_traps_left_alone() -> None:
    """On the four seed documents: at least 95% of the labelled claims are flagged and none of
    the labelled traps (accurate sentences that tempt a keyword rule)."""
    found = total = 0
    for labels in _seed_labels():
        document = read_document(SEEDS / labels["file"])
        flagged = [_norm(f.sentence.text) for f in SCANNER.scan(document.blocks)]
        for claim in labels["claims"]:
            total += 1
            quote = _norm(claim["quote"])
            found += any(quote in f or f in quote for f in flagged)
        for trap in labels["traps"]:
            quote = _norm(trap["quote"])
            assert not any(quote in f or f in quote for f in flagged), trap["quote"]
    assert found >= 0.95 * total, f"{found} of {total}"


def corpus_figures() -> dict[str, int]:
    """Counts over tests/claims_corpus/ (also written to docs/claims.md by docs/generate.py)."""
    counts = dict.fromkeys(
        [
            "clinic_claims",
            "clinic_found",
            "clinic_ok",
            "clinic_false",
            "careful_claims",
            "careful_found",
            "careful_ok",
            "careful_false",
            "pages",
        ],
        0,
    )
    for path in sorted(CORPUS.glob("*.yaml")):
        page = yaml.safe_load(path.read_text())
        counts["pages"] += 1
        kind = page["kind"]
        for sentence in page["sentences"]:
            flagged = bool(SCANNER.rules_for(" ".join(sentence["text"].split())))
            if sentence["label"] == "claim":
                counts[f"{kind}_claims"] += 1
                counts[f"{kind}_found"] += flagged
            else:
                counts[f"{kind}_ok"] += 1
                counts[f"{kind}_false"] += flagged
    return counts


def test_corpus_careful_pages_are_never_flagged_and_clinic_claims_are_found() -> None:
    """The labelled set of real pages: no accurate sentence of a careful page is flagged (that
    would be a defect), false flags on clinic pages stay under 1%, and at least 45% of clinic
    claims are found (docs/claims.md has the figures)."""
    counts = corpus_figures()
    assert counts["pages"] >= 80
    assert counts["careful_false"] == 0
    assert counts["clinic_false"] <= 0.01 * counts["clinic_ok"]
    assert counts["clinic_found"] >= 0.45 * counts["clinic_claims"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine is not a cure.",
        "IV ketamine is not FDA-approved for depression.",
        "Spravato is FDA-approved for treatment-resistant depression in adults, together with an oral antidepressant.",
        "Side effects include dissociation, nausea, dizziness and a rise in blood pressure.",
        "Studies suggest ketamine may help some people with depression.",
        "Beware of clinics that promise a cure or say ketamine has no side effects.",
        "It is a myth that ketamine is completely safe.",
        "Can ketamine cure depression?",
        "Some clinics falsely claim FDA approval for depression.",
        "Ketamine can be addictive, and we screen for substance use.",
        'Some clinics say ketamine is "completely safe", but it is not.',
        "You may hear that ketamine cures depression; the evidence says otherwise.",
        'Be skeptical of promises like "instant relief" or "no side effects".',
        # Negations earlier in the clause (from a new user's trial of real pages)
        "While ketamine therapy is very promising, a single treatment can't be counted on to cure depression.",
        "Ketamine is not completely safe.",
        "No drug is completely safe.",
        "Nobody should tell you ketamine is completely safe.",
        "Ketamine is not a treatment for Parkinson's disease.",
        "Ketamine is not used to treat Alzheimer's disease.",
        "We will not ask you to prepay for a package.",
        "We cannot say that ketamine works in one session.",
        "We never promise cures and guaranteed results.",
        "Unlike opioids, ketamine does not slow breathing at usual doses, though it can at higher doses.",
    ],
)
def test_accurate_sentences_are_not_flagged(sentence: str) -> None:
    assert SCANNER.rules_for(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Ketamine has no side effects and results are guaranteed.", "guarantee"),
        ("No more suffering: ketamine cures depression.", "cure"),
        ("Don't wait, ketamine cures depression.", "cure"),
        ("Ketamine is non\u00adaddictive.", "non-addictive"),  # a soft hyphen hides nothing
        ("Ketamine is extremely safe when provided by trained professionals.", "safe-absolute"),
        ("IV ketamine is 100% bioavailable and begins working in seconds.", "instant"),
    ],
)
def test_claims_next_to_a_negation_or_hidden_characters_are_still_found(
    sentence: str, rule: str
) -> None:
    found = [f.rule.id for f in SCANNER.scan([Block(sentence)])]
    assert rule in found


# --- Sentences ---------------------------------------------------------------------------


def test_sentences_keep_abbreviations_lines_and_list_items() -> None:
    text = "Dr. Lee leads the team. Results vary!\n\n- Ketamine cures depression\n- Call 988 now.\nA wrapped\nline ends here."
    found = list(sentences([Block(text, line=10)]))
    assert [(s.text, s.line) for s in found] == [
        ("Dr. Lee leads the team.", 10),
        ("Results vary!", 10),
        ("Ketamine cures depression", 12),
        ("Call 988 now.", 13),
        ("A wrapped line ends here.", 14),
    ]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n-#12\"\u201c\u201d'\u2019é")), max_size=80))
def test_every_sentence_is_text_of_the_input(text: str) -> None:
    """Whatever the text, each sentence found is a piece of it, white space aside: the quote a
    report shows is what the clinic wrote."""
    squeezed = " ".join(text.split())
    for piece, offset in split(text):
        assert text[offset : offset + len(piece)] == piece
        assert " ".join(piece.split()) in squeezed


# --- Reading files -----------------------------------------------------------------------


def test_a_saved_web_page_is_read_as_a_reader_sees_it(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Calm Clinic</title><style>p{color:red}</style>"
        "<script>var claim = 'Ketamine has no side effects.';</script></head><body>\n"
        "<nav><a href='/'>Home</a></nav>\n"
        "<h1>Ketamine &amp; you</h1>\n"
        "<p>Ketamine is <b>completely</b> safe.</p>\n"
        "<!-- Ketamine cures depression. -->\n"
        "<ul><li>Results are guaranteed.</li><li>Side effects include nausea.</li></ul>\n"
        "<p>Ketamine is a natural<br>alternative to pills.</p>\n"
        "</body></html>\n"
    )
    document = read_document(page)
    assert document.kind == "html"
    found = {(f.sentence.text, f.sentence.line, f.rule.id) for f in SCANNER.scan(document.blocks)}
    assert found == {
        ("Ketamine is completely safe.", 4, "safe-absolute"),
        ("Results are guaranteed.", 6, "guarantee"),
        ("Ketamine is a natural alternative to pills.", 7, "natural"),
    }


def test_hidden_text_and_line_breaks_are_read_as_a_browser_shows_them(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p hidden>Ketamine cures depression.</p>"
        "<div style='display: none'>Results are guaranteed.</div>"
        "<span aria-hidden='true'>Ketamine is completely safe.</span>"
        "<p>Ketamine is a natural<br>alternative.</p></body></html>"
    )
    found = {(f.sentence.text, f.rule.id) for f in SCANNER.scan(read_document(page).blocks)}
    assert found == {("Ketamine is a natural alternative.", "natural")}


def test_a_pdf_is_read_page_by_page() -> None:
    document = read_document(FIXTURES / "brochure.pdf")
    assert document.kind == "pdf" and document.pages == 2
    found = {(f.sentence.text, f.sentence.page, f.rule.id) for f in SCANNER.scan(document.blocks)}
    assert found == {
        ("Ketamine has no side effects and results are guaranteed.", 1, "no-side-effects"),
        ("Ketamine has no side effects and results are guaranteed.", 1, "guarantee"),
        ("Ketamine is a natural alternative to antidepressants.", 2, "natural"),
    }


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is not text, a saved web page or a PDF",
        ),
        ("brochure.docx", b"PK\x03\x04\x14\x00\x06\x00", "is a word-processor document"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "is a damaged PDF"),
        ("fake.pdf", b"Just some text pretending.", "is not a PDF"),
        ("empty.txt", b"", "has no text to read"),
        ("blank.html", b"<html><body>   </body></html>", "has no text to read"),
        (
            "pagina.html",
            "<html><body><p>La ketamina es un medicamento que se usa para la anestesia. "
            "Nuestra clínica ofrece infusiones con supervisión médica durante todo el proceso, "
            "y cada paciente recibe una evaluación completa antes de la primera sesión. "
            "Los resultados varían según la persona y el tratamiento.</p></body></html>",
            "does not look like English",
        ),
    ],
)
def test_what_cannot_be_read_is_one_clear_line_and_exit_3(
    tmp_path: Path, name: str, data: bytes | str, message: str
) -> None:
    path = _write(tmp_path, name, data)
    result = run(path)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == f"error: {path}: {message}" or (
        result.stderr.startswith(f"error: {path}: {message}")
        and len(result.stderr.strip().splitlines()) == 1
    )


def test_a_short_page_in_another_language_is_refused(tmp_path: Path) -> None:
    text = "Ketamin ist ein Narkosemittel. Unsere Klinik bietet Infusionen an. Die Ergebnisse sind nicht garantiert."
    result = run(_write(tmp_path, "seite.txt", text))
    assert result.exit_code == 3
    assert "does not look like English" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [("locked.pdf", "locked with a password"), ("scanned.pdf", "has no text to read")],
)
def test_locked_and_scanned_pdfs_are_refused(name: str, message: str) -> None:
    result = run(FIXTURES / name)
    assert result.exit_code == 3
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk is used
    result = run(path)
    assert result.exit_code == 3
    assert "is larger than 50 MB" in result.stderr


def test_a_missing_file_is_exit_4(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.html")
    assert result.exit_code == 4
    assert "no such file" in result.stderr


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    page = _write(tmp_path, "page.txt", "Ketamine cures depression.")
    result = run(page, page, "-f", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["findings"]) == 1
    assert "given more than once" in result.stderr


def test_missing_and_invalid_files_are_all_named_with_exit_4(tmp_path: Path) -> None:
    bad = _write(tmp_path, "b.txt", b"")
    result = run(tmp_path / "missing.html", bad)
    assert result.exit_code == 4
    assert "missing.html: no such file" in result.stderr and "b.txt: has no text" in result.stderr


def test_every_unreadable_file_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", "Ketamine cures depression.")
    bad1 = _write(tmp_path, "a.png", b"\x00\x01")
    bad2 = _write(tmp_path, "b.txt", b"")
    out = tmp_path / "out.md"
    result = run(good, bad1, bad2, "-o", out)
    assert result.exit_code == 3
    assert str(bad1) in result.stderr and str(bad2) in result.stderr
    assert not out.exists()


# --- The command's outputs ---------------------------------------------------------------

SEED = SEEDS / "002_542177183007f75e.txt"


def test_markdown_quotes_each_claim_with_its_correction_and_sources() -> None:
    result = run(SEED)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# vetcheck claims:")
    assert "not medical advice" in out
    assert "> Its effects are instantaneous." in out
    assert "- **Where:**" in out and "line " in out
    assert "## Sources" in out and "Federal Trade Commission" in out


def test_json_output_validates_and_quotes_the_input_exactly() -> None:
    result = run(SEED, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(
        claims_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(data)
    text = " ".join(SEED.read_text().split())
    assert data["findings"]
    for finding in data["findings"]:
        assert {"file", "text", "category", "rule", "explanation", "sources"} <= finding.keys()
        assert finding["text"] in text
        assert finding["line"] >= 1 and finding["sources"][0]["citation"]


def test_claims_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(claims_schema())


def test_referrer_wording_is_clinical_and_never_says_you() -> None:
    result = run(SEED, "--role", "referrer")
    assert result.exit_code == 0
    quotes = re.findall(r"^> .*$", result.stdout, flags=re.M)
    ours = "\n".join(
        line
        for line in result.stdout.splitlines()
        if not line.startswith("> ") or line in quotes[:1]
    )
    body = ours.replace(quotes[0], "") if quotes else ours
    assert not re.search(r"\byou(r)?\b", body, flags=re.I), body
    assert "Pharmacology errors" in result.stdout or "Unsupported superiority" in result.stdout


def test_html_escapes_what_the_page_said(tmp_path: Path) -> None:
    page = _write(tmp_path, "x.txt", "Ketamine has no side effects <script>alert(1)</script>.")
    result = run(page, "--format", "html")
    assert result.exit_code == 0
    assert "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_no_findings_says_it_is_not_a_clean_bill(tmp_path: Path) -> None:
    page = _write(
        tmp_path,
        "calm.txt",
        "Our nurses check your blood pressure before and after each dose. Results vary.",
    )
    result = run(page)
    assert result.exit_code == 0
    assert "**0 findings in 2 sentences from 1 file.**" in result.stdout
    assert "does not mean all of it is true" in result.stdout


def test_output_never_replaces_an_input(tmp_path: Path) -> None:
    page = _write(tmp_path, "page.txt", "Ketamine cures depression.")
    result = run(page, "-o", page)
    assert result.exit_code == 2
    assert page.read_text() == "Ketamine cures depression."


def test_output_file_is_written_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "claims.md"
    result = run(SEED, "-o", out)
    assert result.exit_code == 0
    assert out.read_text().startswith("# vetcheck claims:")
    assert out.stat().st_mode & 0o777 == 0o600


def test_written_today() -> None:
    result = run(SEED)
    assert f"Written {date.today().isoformat()}." in result.stdout


# --- Into the vetting: --answers -----------------------------------------------------------

BROCHURE = FIXTURES / "brochure.pdf"


def _answers(tmp_path: Path, edit: dict[str, str] | None = None) -> Path:
    path = tmp_path / "clinic.vetcheck.yaml"
    result = runner.invoke(app, ["template", "-s", "Harbor", "-o", str(path)])
    assert result.exit_code == 0
    text = path.read_text()
    for question, answer in (edit or {}).items():
        text = text.replace(f"\n  {question}: unknown\n", f"\n  {question}: {answer}\n")
    path.write_text(text)
    return path


def _entries(path: Path) -> dict[str, tuple[object, str | None]]:
    from vetcheck.loader import load_answers

    return {k: (e.value, e.note) for k, e in load_answers(path).entries.items()}


def test_findings_become_notes_and_answers_where_none_was_given(tmp_path: Path) -> None:
    path = _answers(tmp_path)
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "claims.md")
    assert result.exit_code == 0, result.output
    entries = _entries(path)
    quote = "\u201cKetamine has no side effects and results are guaranteed.\u201d"
    assert entries["claims_no_risks"] == (
        "yes",
        f"The clinic's own words (brochure.pdf, page 1): {quote}",
    )
    assert entries["claims_cure"][0] == "yes"
    assert entries["accurate_information"][0] == "no"  # "a natural alternative", page 2
    assert "Recorded in" in result.stderr and "answer set to 'yes' (was 'unknown')" in result.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    report = runner.invoke(app, ["report", str(path)])
    red_flags = report.stdout.split("## Red flags", 1)[1].split("## ", 1)[0]
    assert "Note: The clinic's own words (brochure.pdf, page 1):" in red_flags


def test_an_answer_the_person_gave_is_kept_unless_they_say_yes(tmp_path: Path) -> None:
    path = _answers(tmp_path, {"claims_cure": "no"})
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "a.md")
    assert result.exit_code == 0
    value, note = _entries(path)["claims_cure"]
    assert value == "no" and note is not None and "results are guaranteed" in note
    assert "kept your answer 'no'" in result.stderr
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "b.md", "--yes")
    assert result.exit_code == 0
    assert _entries(path)["claims_cure"][0] == "yes"


def test_running_twice_changes_nothing_more(tmp_path: Path) -> None:
    path = _answers(tmp_path)
    assert run(BROCHURE, "--answers", path, "-o", tmp_path / "a.md").exit_code == 0
    first = path.read_text()
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "b.md")
    assert result.exit_code == 0
    assert path.read_text() == first
    assert "nothing changed" in result.stderr


def test_comments_the_person_wrote_are_kept_in_a_copy(tmp_path: Path) -> None:
    path = _answers(tmp_path)
    path.write_text(path.read_text() + "# called them on Monday\n")
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "a.md")
    assert result.exit_code == 0
    copy = tmp_path / "clinic.copy.vetcheck.yaml"
    assert "# called them on Monday" in copy.read_text()
    assert str(copy) in result.stderr


def test_yes_needs_answers() -> None:
    result = run(SEEDS / "000_bdf809346e066cfd.txt", "--yes")
    assert result.exit_code == 2
    assert "--yes goes with --answers" in result.stderr


@pytest.mark.parametrize("problem", ["missing", "other checklist"])
def test_a_bad_answers_file_is_refused_before_anything_is_written(
    tmp_path: Path, problem: str
) -> None:
    path = _answers(tmp_path)
    if problem == "missing":
        path.unlink()
    else:
        path.write_text(path.read_text().replace("id: ketamine-provider", "id: another-checklist"))
    out = tmp_path / "claims.md"
    result = run(BROCHURE, "--answers", path, "-o", out)
    assert result.exit_code == (4 if problem == "missing" else 3)
    assert not out.exists() and result.stdout == ""


@pytest.mark.parametrize("where", ["page", "output"])
def test_the_answers_file_is_never_a_page_or_the_output(tmp_path: Path, where: str) -> None:
    path = _answers(tmp_path)
    before = path.read_text()
    args = (
        [path, "--answers", path] if where == "page" else [BROCHURE, "--answers", path, "-o", path]
    )
    result = run(*args)
    assert result.exit_code == 2
    assert path.read_text() == before


def test_an_answers_file_changed_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the file changes while the pages are read (an editor, an interview), vetcheck leaves
    it as the other writer saved it, says so and exits 4."""
    import vetcheck.extract

    path = _answers(tmp_path)
    real = vetcheck.extract.read_document

    def read_and_edit(page: Path) -> object:
        path.write_text(path.read_text() + "# saved by an editor meanwhile\n")
        return real(page)

    monkeypatch.setattr(vetcheck.extract, "read_document", read_and_edit)
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "a.md")
    assert result.exit_code == 4
    assert "changed while the pages were read" in result.stderr
    assert path.read_text().endswith("# saved by an editor meanwhile\n")


def test_many_findings_make_a_note_the_answers_file_can_hold(tmp_path: Path) -> None:
    """A brochure repeating a claim 500 times adds five quotes and a pointer to the report,
    and the answers file still loads."""
    from vetcheck.model import AnswerEntry
    from vetcheck.schema import max_length

    page = _write(
        tmp_path,
        "many.txt",
        "\n".join(
            f"Our ketamine is the cure for your depression, say {i} of our patients."
            for i in range(500)
        ),
    )
    path = _answers(tmp_path)
    result = run(page, "--answers", path, "-o", tmp_path / "a.md")
    assert result.exit_code == 0, result.output
    value, note = _entries(path)["claims_cure"]
    assert value == "yes" and note is not None
    assert note.count("The clinic's own words") == 5 and "see the claims report" in note
    assert len(note) <= max_length(AnswerEntry, "note")


@pytest.mark.parametrize("role", ["patient", "referrer"])
def test_markdown_is_lint_clean(role: str) -> None:
    from test_render_markdown import lint

    result = run(SEED, BROCHURE, "--role", role)
    assert result.exit_code == 0
    assert lint(result.stdout) == []


def test_at_a_terminal_the_person_is_asked_before_an_answer_is_replaced(tmp_path: Path) -> None:
    """In a real pseudo-terminal: no keeps the answer; yes replaces it."""
    import sys

    import pexpect
    from conftest import spawn

    for reply, expected in (("n", "no"), ("y", "yes")):
        path = _answers(tmp_path, {"claims_cure": "no"})
        command = [
            sys.executable,
            "-m",
            "vetcheck",
            "claims",
            str(BROCHURE),
            "--answers",
            str(path),
            "-o",
            str(tmp_path / f"{reply}.md"),
        ]
        child = spawn(tmp_path, command=command)
        child.expect("you answered 'no'; the page points to 'yes'. Change it\\?")
        child.sendline(reply)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert _entries(path)["claims_cure"][0] == expected
        path.unlink()


def test_patient_wording_reads_at_grade_8() -> None:
    """What a patient reads in sentences (explanations, corrections, the disclaimer) is at
    Flesch-Kincaid grade 8 or lower on average and never above 10, as the checklist's. (Titles
    of three or four words are too short for the formula.)"""
    import textstat

    from vetcheck.model import Role
    from vetcheck.render.claims import DISCLAIMER, NOTHING_FOUND

    texts = {
        f"{r.id} {k}": getattr(r, k).patient
        for r in RULES.rules
        for k in ("explanation", "correction")
    }
    texts |= {"disclaimer": DISCLAIMER[Role.PATIENT], "nothing found": NOTHING_FOUND[Role.PATIENT]}
    grades = {k: textstat.flesch_kincaid_grade(v) for k, v in texts.items()}
    assert {k: round(g, 1) for k, g in grades.items() if g > 10} == {}
    assert sum(grades.values()) / len(grades) <= 8


@pytest.mark.parametrize("suffix", [".txt", ".html"])
@pytest.mark.parametrize(
    ("codec", "mark"),
    [
        ("utf-16-le", b""),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b""),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
def test_a_page_saved_as_utf_16_or_32_is_read_like_utf_8(
    tmp_path: Path, suffix: str, codec: str, mark: bytes
) -> None:
    """Issue 14: Windows tools save "Unicode" text as UTF-16 (often without a byte order mark);
    such a page is read, not called "not text" or "not English"."""
    text = "Our ketamine treatment cures depression forever, with no side effects at all."
    if suffix == ".html":
        text = f"<!doctype html><html><body><p>{text}</p></body></html>"
    page = tmp_path / f"page{suffix}"
    page.write_bytes(mark + text.encode(codec))
    plain = tmp_path / f"plain{suffix}"
    plain.write_text(text, encoding="utf-8")

    def findings(path: Path) -> list[str]:
        result = runner.invoke(app, ["claims", str(path), "-f", "json"])
        assert result.exit_code == 0, result.stderr
        return [f["rule"] for f in json.loads(result.stdout)["findings"]]

    assert findings(page) == findings(plain) != []


def test_a_full_note_is_never_said_to_hold_a_quote(tmp_path: Path) -> None:
    """Issue 14: where the note has no room left, the answer may change but the message says
    the quote is only in the claims report, never "the quote is its note"."""
    path = _answers(tmp_path)
    full = "x" * 19_990
    path.write_text(
        path.read_text().replace(
            "\n  claims_cure: unknown\n", f'\n  claims_cure: {{answer: unknown, note: "{full}"}}\n'
        )
    )
    result = run(BROCHURE, "--answers", path, "-o", tmp_path / "a.md")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    number = f"Q{load_checklist_ref(None).number('claims_cure')}"
    assert (
        f"{number}: answer set to 'yes' (was 'unknown'); its note is full, so the quote is only in the claims report"
        in said
    )
    assert _entries(path)["claims_cure"] == ("yes", full)
