"""Marketing claims: the claim-rules file (its model and checks) and the scanner. No I/O here.

A rule names a kind of false or misleading sentence a clinic's page may contain: patterns that
find it, patterns that clear it (a negation, the accurate version), the correction with the
checklist's sources, and sentences that must and must not be flagged, checked every time the
rules are loaded. The scanner reads sentence by sentence and leans towards silence: a sentence
that is hedged ("may", "studies suggest") or that reports or rebuts a claim ("a myth", "beware
of clinics that promise") is flagged only by rules written for that case.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import PurePath
from typing import ClassVar

from vetcheck.model import (
    ID_PATTERN,
    UNKNOWN,
    Answer,
    AnswerEntry,
    Answers,
    Checklist,
    Polarity,
    Question,
    Role,
    Source,
    Wording,
    spec,
    value,
)

_ID = {"pattern": ID_PATTERN, "max_length": 80}
_REGEX = {
    "max_length": 1000,
    "description": "A Python regular expression, matched without regard to case.",
}


class Category(StrEnum):
    """What kind of false or misleading claim a rule finds."""

    FDA_APPROVAL = "fda_approval"
    CURE_OR_GUARANTEE = "cure_or_guarantee"
    SAFETY_ABSOLUTE = "safety_absolute"
    NATURAL = "natural"
    UNSOURCED_SUCCESS_RATE = "unsourced_success_rate"
    INSTANT_OR_ONE_SESSION = "instant_or_one_session"
    UNPROVEN_INDICATION = "unproven_indication"
    PHARMACOLOGY_ERROR = "opioid_or_pharmacology_error"
    PRESSURE_OR_PACKAGE = "pressure_or_package"
    SUPERIORITY = "superiority_over_antidepressants"


@value(slots=True)
class ClaimRule:
    """One kind of false or misleading claim, how to find it, and what is true instead."""

    NOUN: ClassVar[str] = "rule"
    id: str = spec(description="Stable id of the rule.", **_ID)
    category: Category = spec()
    patterns: tuple[str, ...] = spec(
        description="A sentence matching any of these is flagged (unless cleared below).",
        min_items=1,
        item=_REGEX,
    )
    triggers: tuple[str, ...] = spec(
        description="Lower-case words or parts of words, one of which every sentence the rule flags contains: the patterns are tried only on those sentences, which keeps a long page fast. Each pattern must flag one of `fires`, so a missing trigger shows.",
        min_items=1,
        item={"max_length": 80},
    )
    explanation: Wording = spec(description="What is wrong with the claim.")
    correction: Wording = spec(description="What is true instead, as the sources say it.")
    sources: tuple[str, ...] = spec(
        description="Ids of the checklist's sources that support the correction.",
        min_items=1,
        item=_ID,
    )
    question: str = spec(description="The checklist question this finding informs.", **_ID)
    fires: tuple[str, ...] = spec(
        description="Sentences this rule must flag; checked whenever the rules are loaded.",
        min_items=1,
        item={"max_length": 2000},
    )
    passes: tuple[str, ...] = spec(
        description="Accurate or harmless sentences this rule must not flag; checked whenever the rules are loaded.",
        min_items=1,
        item={"max_length": 2000},
    )
    unless: tuple[str, ...] = spec(
        (),
        description="A sentence matching any of these is not flagged by this rule: the accurate version, a negation.",
        item=_REGEX,
    )
    negatable: bool = spec(
        True,
        description="A negation earlier in the same clause (see `negations`) clears the claim: 'cannot be counted on to cure'. Set false where the claim is itself a negation ('no side effects').",
    )
    hedged: bool = spec(
        False,
        description="Flag the claim even in a hedged sentence (may, could, studies suggest): for claims that no hedge makes accurate, such as an indication with no evidence at all.",
    )


@value()
class ClaimRules:
    """The rules `vetcheck claims` applies to a clinic's own text. See docs/claims.md."""

    TITLE: ClassVar[str] = "vetcheck claim rules"
    id: str = spec(description="Stable id of this set of rules.", **_ID)
    version: str = spec(description="Bump on every change.", numbers_ok=True, max_length=40)
    last_reviewed: date = spec(
        description="When the rules were last checked against their sources."
    )
    checklist: str = spec(
        description="The built-in checklist whose sources and questions the rules cite.", **_ID
    )
    language: str = spec(
        description="The language the patterns are written for (an ISO 639-1 code).",
        pattern=r"^[a-z]{2}$",
        max_length=2,
    )
    hedges: tuple[str, ...] = spec(
        description="A sentence matching any of these is hedged: only rules marked `hedged: true` flag it.",
        min_items=1,
        item=_REGEX,
    )
    negations: tuple[str, ...] = spec(
        description="Words that negate what follows them in a clause (not, never, cannot…); a `negatable` rule's claim after one of them is not flagged.",
        min_items=1,
        item=_REGEX,
    )
    clause_breaks: tuple[str, ...] = spec(
        description="What ends a clause for `negations` (a comma, a semicolon, 'but'): a negation before it does not reach the claim after it.",
        min_items=1,
        item=_REGEX,
    )
    reporting: tuple[str, ...] = spec(
        description="A sentence matching any of these reports or rebuts a claim (a myth, a warning about other clinics) rather than making it: no rule flags it.",
        min_items=1,
        item=_REGEX,
    )
    rules: tuple[ClaimRule, ...] = spec(min_items=1)
    path: str = spec("", file=False)  # where the rules were read from


# --- The scanner -----------------------------------------------------------------------------


@value(slots=True)
class Block:
    """A run of text from a document that sentences do not cross: a paragraph, a list item, a
    heading, or a page of a PDF. `line` or `page` says where it starts."""

    text: str
    line: int | None = None
    page: int | None = None


@value(slots=True)
class Sentence:
    text: str  # as in the input, with each run of white space shown as one space
    line: int | None
    page: int | None


@value(slots=True)
class Finding:
    file: str
    sentence: Sentence
    rule: ClaimRule


@value(slots=True)
class FileRead:
    """One input as read: what it was, and how much text it held."""

    path: str
    kind: str  # text, markdown, html or pdf
    sentences: int
    pages: int | None = None


@value()
class ClaimsResult:
    """What `vetcheck claims` found, with what a report needs to explain it."""

    rules: ClaimRules
    checklist: Checklist
    files: tuple[FileRead, ...]
    findings: tuple[Finding, ...]
    role: Role

    def sources(self) -> list[Source]:
        """The checklist's sources the findings cite, in the checklist's order."""
        cited = {s for f in self.findings for s in f.rule.sources}
        return [s for s in self.checklist.sources if s.id in cited]

    def question(self, finding: Finding) -> Question:
        return next(q for q in self.checklist.questions if q.id == finding.rule.question)


class Scanner:
    """The rules, compiled once; `scan` applies them to a document's blocks."""

    def __init__(self, rules: ClaimRules) -> None:
        self.rules = rules
        # Substring tests are the cheapest first step: ~150 of them cost less than one search.
        self._triggers = tuple(sorted({t for r in rules.rules for t in r.triggers}))
        self._rules_of = {
            t: {i for i, r in enumerate(rules.rules) if t in r.triggers} for t in self._triggers
        }
        # Patterns are compiled when first needed: compiling all of them costs more than
        # scanning a short page, and a page rarely triggers every rule.
        self._compiled: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
        self._hedge: re.Pattern[str] | None = None
        self._reporting: re.Pattern[str] | None = None
        self._negation: re.Pattern[str] | None = None
        self._clause: re.Pattern[str] | None = None

    def _patterns(self, i: int) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        if i not in self._compiled:
            rule = self.rules.rules[i]
            unless = _union(rule.unless) if rule.unless else None
            self._compiled[i] = (_union(rule.patterns), unless)
        return self._compiled[i]

    def rules_for(self, text: str) -> list[ClaimRule]:
        """The rules that flag one sentence. Cheapest first: a rule's patterns are tried only
        where one of its triggers appears, and the hedges and reporting phrases only where a
        rule matched."""
        lower = text.lower()
        candidates: set[int] = set()
        for trigger in filter(lower.__contains__, self._triggers):  # the loop runs in C
            candidates |= self._rules_of[trigger]
        if not candidates:
            return []
        matched = []
        for i in sorted(candidates):
            patterns, cleared = self._patterns(i)
            found = patterns.search(text)
            if found is None or (cleared is not None and cleared.search(text)):
                continue
            rule = self.rules.rules[i]
            if rule.negatable and self._negated(text, found.start()):
                continue
            matched.append(rule)
        if not matched:
            return []
        if self._reporting is None:
            self._reporting = _union(self.rules.reporting)
            self._hedge = _union(self.rules.hedges)
        if self._reporting.search(text):
            return []
        assert self._hedge is not None
        if any(not rule.hedged for rule in matched) and self._hedge.search(text):
            return [rule for rule in matched if rule.hedged]
        return matched

    def _negated(self, text: str, start: int) -> bool:
        """Whether a negation comes before `start` in the same clause."""
        if self._negation is None:
            self._negation = _union(self.rules.negations)
            self._clause = _union(self.rules.clause_breaks)
        assert self._clause is not None
        # Breaks are found in the whole sentence: "and" is one only before a new subject.
        begin = max((m.end() for m in self._clause.finditer(text) if m.end() <= start), default=0)
        return self._negation.search(text, begin, start) is not None

    def scan(self, blocks: Iterable[Block], file: str = "") -> list[Finding]:
        return self.read(blocks, file)[1]

    def read(
        self, blocks: Iterable[Block], file: str, kind: str = "text", pages: int | None = None
    ) -> tuple[FileRead, list[Finding]]:
        """One document's findings, and what was read of it."""
        read = list(sentences(blocks))
        found = [Finding(file, s, rule) for s in read for rule in self.rules_for(s.text)]
        return FileRead(file, kind, len(read), pages), found


def _union(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def compile_problem(pattern: str) -> str | None:
    """Why a pattern is not a valid regular expression, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


# Characters a page may hide inside words ("non\u00adaddictive"): soft hyphen, zero-width
# space, joiners, word joiner, byte order mark. Removed before a sentence is read or quoted.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "no",
        "jr",
        "sr",
        "prof",
        "approx",
        "dept",
        "fig",
        "e.g",
        "i.e",
        "u.s",
        "a.m",
        "p.m",
        "ph.d",
        "m.d",
        "mg",
        "ml",
        "min",
        "hr",
        "hrs",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*\s+")
_MARKER = re.compile(r"^\s*(?:[-*+•▪◦\u2013]|\d{1,3}[.)]|#{1,6})\s+")


def sentences(blocks: Iterable[Block]) -> Iterator[Sentence]:
    """Each block's sentences, with the line (or page) each starts on."""
    for block in blocks:
        line, counted = block.line, 0
        for text, offset in split(block.text):
            if line is not None:  # newlines counted since the last sentence: linear in the text
                line += block.text.count("\n", counted, offset)
                counted = offset
            yield Sentence(" ".join(text.translate(_INVISIBLE).split()), line, block.page)


def split(text: str) -> list[tuple[str, int]]:
    """A block's sentences with their offsets: ends at . ! ? or … followed by space, except
    after an abbreviation, an initial or a decimal point; and at a line that starts a list item
    or heading, or after an empty line."""
    out: list[tuple[str, int]] = []
    for part, start in _paragraphs(text):
        begin = 0
        for match in _BOUNDARY.finditer(part):
            end = match.end()
            if end == len(part) or _continues(part[begin : match.start() + 1], part[end : end + 4]):
                continue
            _add(out, part[begin:end], start + begin)
            begin = end
        _add(out, part[begin:], start + begin)
    return out


def _paragraphs(text: str) -> Iterator[tuple[str, int]]:
    """Paragraphs and list items, each with its offset; list markers and # are dropped."""
    start, offset, lines = None, 0, text.split("\n")
    chunk: list[str] = []
    for line in lines:
        marker = _MARKER.match(line)
        if not line.strip() or marker:
            if chunk and start is not None:
                yield "\n".join(chunk), start
            chunk, start = [], None
        if line.strip():
            body = line[marker.end() :] if marker else line
            if start is None:
                start = offset + (marker.end() if marker else 0)
            chunk.append(body)
        offset += len(line) + 1
    if chunk and start is not None:
        yield "\n".join(chunk), start


def _continues(before: str, after: str) -> bool:
    """Whether the text after a full stop goes on with the same sentence."""
    words = before.split()
    last = words[-1].lower().rstrip(".!?…\"'\u201d\u2019)]") if words else ""
    if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
        return True  # "Dr. Lee", "J. Smith"
    head = after.lstrip("\"'\u201c\u2018([")[:1]
    return head.islower()  # "… approx. twice", a lower-case word goes on


def _add(out: list[tuple[str, int]], text: str, offset: int) -> None:
    stripped = text.strip()
    if any(c.isalpha() for c in stripped):
        out.append((stripped, offset + len(text) - len(text.lstrip())))


# --- Checking a rules file beyond its shape --------------------------------------------------


RuleProblem = tuple[object, str, str]  # (the rules or a rule, the key at fault, the message)


def rule_problems(
    rules: ClaimRules, source_ids: set[str], question_ids: set[str], full: bool = True
) -> list[RuleProblem]:
    """What is wrong across the rules: unknown sources or questions and, when `full`, patterns
    that do not compile and examples that the rules do not treat as they say."""
    out: list[RuleProblem] = []
    seen: set[str] = set()
    for rule in rules.rules:
        if rule.id in seen:
            out.append((rule, "id", f"rule '{rule.id}': the id is used by more than one rule"))
        seen.add(rule.id)
        for source in rule.sources:
            if source not in source_ids:
                out.append(
                    (
                        rule,
                        "sources",
                        f"rule '{rule.id}': source '{source}' is not in the checklist '{rules.checklist}'",
                    )
                )
        if rule.question not in question_ids:
            out.append(
                (
                    rule,
                    "question",
                    f"rule '{rule.id}': question '{rule.question}' is not in the checklist '{rules.checklist}'",
                )
            )
    if not full:
        return out
    for key, patterns in (
        ("hedges", rules.hedges),
        ("reporting", rules.reporting),
        ("negations", rules.negations),
        ("clause_breaks", rules.clause_breaks),
    ):
        for pattern in patterns:
            problem = compile_problem(pattern)
            if problem:
                out.append(
                    (
                        rules,
                        key,
                        f"{key}: '{pattern}' is not a valid regular expression ({problem})",
                    )
                )
    for rule in rules.rules:
        name = f"rule '{rule.id}'"
        for key, patterns in (("patterns", rule.patterns), ("unless", rule.unless)):
            for pattern in patterns:
                problem = compile_problem(pattern)
                if problem:
                    out.append(
                        (
                            rule,
                            key,
                            f"{name}: '{pattern}' is not a valid regular expression ({problem})",
                        )
                    )
    if out:
        return out  # the examples are tried only with rules that compile and cite what exists
    scanner = Scanner(rules)
    for rule in rules.rules:
        name = f"rule '{rule.id}'"
        for pattern in rule.patterns:
            compiled = re.compile(pattern, re.IGNORECASE)
            if not any(compiled.search(example) for example in rule.fires):
                out.append(
                    (
                        rule,
                        "patterns",
                        f"{name}: no example in fires matches '{_clip(pattern)}'; add one",
                    )
                )
        for trigger in rule.triggers:
            if trigger != trigger.lower():
                out.append((rule, "triggers", f"{name}: trigger '{trigger}' must be lower case"))
        for example in rule.fires:
            if not any(f.rule.id == rule.id for f in scanner.scan([Block(example)])):
                out.append((rule, "fires", f"{name}: does not flag its example '{_clip(example)}'"))
        for example in rule.passes:
            if any(f.rule.id == rule.id for f in scanner.scan([Block(example)])):
                out.append(
                    (rule, "passes", f"{name}: flags its accurate example '{_clip(example)}'")
                )
    return out


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Into the vetting: findings as notes and proposed answers --------------------------------


@value(slots=True)
class Proposal:
    """What a page's findings suggest for one checklist question of an answers file."""

    question: Question
    answer: str  # the bad answer: yes where yes is bad, otherwise no
    note: str  # the note the entry would have: the old one, then each new quote
    current: AnswerEntry | None  # the entry in the file now
    quoted: int  # quotes added to the note by this run (none when the note is full)

    @property
    def changes_answer(self) -> bool:
        return self.current is None or self.current.value != self.answer

    @property
    def overrides(self) -> bool:
        """Whether it would replace an answer the person gave (anything but unknown)."""
        return self.current is not None and self.current.value not in (self.answer, UNKNOWN)


MAX_QUOTES = 5  # per question and run; the claims report lists every finding
MAX_QUOTE = 400  # characters of one quoted sentence
MAX_NOTE = 20_000  # what an answers file's note holds (AnswerEntry.note)


def proposals(
    findings: Sequence[Finding], checklist: Checklist, answers: Answers
) -> list[Proposal]:
    """For each question the findings inform, the answer they point to and the note quoting
    them: up to five quotes a run, each at most 400 characters, never past what a note holds,
    so the file stays one vetcheck reads back. A quote already in the note is not added again,
    so running twice changes nothing."""
    by_question: dict[str, list[Finding]] = {}
    for finding in findings:
        by_question.setdefault(finding.rule.question, []).append(finding)
    out = []
    for question in checklist.questions:
        found = by_question.get(question.id)
        if not found:
            continue
        current = answers.entries.get(question.id)
        note = (current.note if current else None) or ""
        added = 0
        for finding in found:
            text = finding.sentence.text
            if len(text) > MAX_QUOTE:
                text = text[: MAX_QUOTE - 1] + "\u2026"
            quote = f"\u201c{text}\u201d"
            if quote in note:
                continue
            if added == MAX_QUOTES:
                more = "(More sentences on this were flagged: see the claims report.)"
                if more not in note and len(note) + len(more) + 1 <= MAX_NOTE:
                    note += f"\n{more}"
                break
            place = f"{PurePath(finding.file).name}, " + (
                f"page {finding.sentence.page}"
                if finding.sentence.page is not None
                else f"line {finding.sentence.line}"
            )
            line = f"The clinic's own words ({place}): {quote}"
            if len(note) + len(line) + 1 > MAX_NOTE:
                break
            note = f"{note}\n{line}" if note else line
            added += 1
        bad = Answer.YES if question.polarity is Polarity.YES_IS_BAD else Answer.NO
        out.append(Proposal(question, bad.value, note, current, added))
    return out
