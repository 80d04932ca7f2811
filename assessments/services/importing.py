"""Moving question banks in and out: Moodle's GIFT format and a lossless JSON copy of a bank.

Every import is all-or-nothing: the whole file is read, mapped and checked first, each problem is
collected (with its line in a GIFT file, or its question number in a JSON file), and only a file
with no problem at all is written, inside one transaction. `ImportRefused` carries the problems.

What one file may hold is bounded by settings, so that the work of an import stays in proportion
to a size we chose: ACADEMY_IMPORT_MAX_QUESTIONS questions, ACADEMY_QUESTION_MAX_OPTIONS options
in each (services.validation refuses more in any question), and the first
ACADEMY_IMPORT_PROBLEMS_LISTED problems listed with the count of all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from complaint_standards.models import Expectation

from .. import gift
from ..formatting import canonical_number
from ..models import Choice, Question, QuestionBank, QuestionKind, Rubric, Scenario
from ..scoring import NUMBER_MAX_EXPONENT
from .errors import AssessmentError
from .gift_mapping import (
    category_path,
    question_fields_from_gift,
    sub_bank_name,
    to_gift,
    written_category,
)
from .questions import create_question
from .validation import check_question

JSON_FORMAT = "phso-academy-question-bank"
# Version 2 adds each question's "rubric" (a rubric's name, or null) and "difficulty" ("easy",
# "medium", "hard" or ""); version 1 files, written before both, still import without them.
JSON_VERSION = 2
JSON_VERSIONS_READ = (1, 2)


class ImportRefused(AssessmentError):
    """An import that changed nothing; `problems` lists the reasons, each ready to show, and
    `count` says how many there are in all (more than are listed when there are very many)."""

    def __init__(self, problems: list[str], *, count: int | None = None) -> None:
        self.problems = problems
        self.count = len(problems) if count is None else count
        message = "\n".join(problems)
        if self.unlisted:
            message += f"\n… and {self.unlisted:,} more"
        super().__init__(message)

    @property
    def unlisted(self) -> int:
        return self.count - len(self.problems)


class _Problems:
    """A file's problems as they are found: the first ACADEMY_IMPORT_PROBLEMS_LISTED of them
    kept, the rest only counted, so a file with a million problems costs no more to report."""

    def __init__(self) -> None:
        self.limit = settings.ACADEMY_IMPORT_PROBLEMS_LISTED
        self.listed: list[str] = []
        self.count = 0

    def add(self, problems: Iterable[str]) -> None:
        for problem in problems:
            self.count += 1
            if len(self.listed) < self.limit:
                self.listed.append(problem)

    def refuse(self) -> None:
        """Raise ImportRefused if any problem was found."""
        if self.count:
            raise ImportRefused(self.listed, count=self.count)


# No bank needs deeper or longer category paths, and a hostile file's would cost work for nothing.
MAX_CATEGORY_DEPTH = 10
MAX_CATEGORY_NAME = 100


def category_problems(path: tuple[str, ...]) -> list[str]:
    """What is wrong with a question's category path (its sub-banks, outermost first)."""
    if len(path) > MAX_CATEGORY_DEPTH:
        return [
            f"the category is {len(path):,} levels deep; at most {MAX_CATEGORY_DEPTH} are "
            "allowed: use fewer levels"
        ]
    return [
        f"the category name “{name[:40]}…” is {len(name):,} characters long; at most "
        f"{MAX_CATEGORY_NAME} are allowed"
        for name in path
        if len(name) > MAX_CATEGORY_NAME
    ][:1]


def check_question_count(count: int) -> None:
    """ImportRefused for a file of no questions, or of more than one import may hold."""
    limit = settings.ACADEMY_IMPORT_MAX_QUESTIONS
    if not count:
        raise ImportRefused(["the file has no questions in it"])
    if count > limit:
        raise ImportRefused(
            [
                f"the file has {count:,} questions; at most {limit:,} can be imported from one "
                "file: split it into smaller files"
            ]
        )


@dataclass
class _Draft:
    """A question ready to save: its fields, its options as Choice fields, and its tags."""

    fields: dict[str, Any]
    choices: list[dict[str, Any]]
    expectations: list[Expectation] = field(default_factory=list)
    # From GIFT and Moodle XML: the sub-bank it goes in (its category path under the chosen
    # bank), with the description of each sub-bank on that path where the file gives one (for
    # one that is made), the case study it is about (title and text), and its line.
    category: tuple[str, ...] = ()
    category_descriptions: tuple[str, ...] = ()
    scenario: tuple[str, str] | None = None
    line: int = 0


def _field_problems(draft: _Draft) -> list[str]:
    """What the database would refuse (lengths, digits), in words a trainer can act on."""
    problems = []
    checks = [("", Question(**draft.fields), ["bank"])]
    checks += [
        (f"option {n}: ", Choice(**choice), ["question"])
        for n, choice in enumerate(draft.choices, start=1)
    ]
    for prefix, instance, exclude in checks:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = instance._meta.get_field(name).verbose_name
                problems += [f"{prefix}{label}: {message}" for message in messages]
    return problems


def _check(draft: _Draft) -> list[str]:
    problems = _field_problems(draft)
    try:
        check_question(kind=draft.fields["kind"], choices=draft.choices)
    except AssessmentError as error:
        problems.append(str(error))
    return problems


def _save(
    drafts: list[_Draft], bank: QuestionBank, progress: Callable[[int], None] | None = None
) -> list[Question]:
    """Write the drafts into the bank (or the sub-banks their categories name), each with its
    case study: one already here with the same title and text, else a new one. Each question's
    first version is frozen as it is written (services.questions), so its history starts at
    the import. `progress` is told how many are written so far, after each one."""
    banks = _sub_banks(drafts, bank)
    scenarios = {
        (title, text): Scenario.objects.filter(title=title, text=text).order_by("pk").first()
        or Scenario.objects.create(title=title, text=text)
        for title, text in dict.fromkeys(draft.scenario for draft in drafts if draft.scenario)
    }
    questions = []
    for draft in drafts:
        choices = [Choice(sort_order=order, **choice) for order, choice in enumerate(draft.choices)]
        question = Question(
            bank=banks[draft.category],
            scenario=scenarios.get(draft.scenario),
            **draft.fields,
            choices=choices,
            expectations=draft.expectations,
        )
        questions.append(create_question(question=question))
        if progress is not None:
            progress(len(questions))
    return questions


def _sub_banks(drafts: list[_Draft], bank: QuestionBank) -> dict[tuple[str, ...], QuestionBank]:
    """The bank each category path names under `bank`: a sub-bank found by its name, or made
    (named after its parent, as "Parent / name", since bank names are unique everywhere, and
    with the description the file gives it); ImportRefused for a name that cannot be used."""
    banks, problems = {(): bank}, []
    for draft in drafts:
        for depth in range(1, len(draft.category) + 1):
            path = draft.category[:depth]
            if path in banks:
                continue
            parent, segment = banks[path[:-1]], path[-1]
            name = sub_bank_name(parent.name, segment)
            found = parent.children.filter(name__in=[segment, name]).order_by("pk").first()
            where = f"line {draft.line}: the category “{'/'.join(path)}”"
            if found is None and QuestionBank.objects.filter(name=name).exists():
                problems.append(
                    f"{where} would be the sub-bank “{name}”, but a bank of that name exists "
                    f"that is not under “{parent}”: rename that bank, or import into another"
                )
                banks[path] = parent
                continue
            if found is None:
                descriptions = draft.category_descriptions
                found = QuestionBank(
                    name=name,
                    parent=parent,
                    description=descriptions[depth - 1] if depth <= len(descriptions) else "",
                )
                try:
                    found.full_clean()
                except ValidationError as error:
                    problems += [f"{where} cannot be a sub-bank here: {m}" for m in error.messages]
                    banks[path] = parent
                    continue
                found.save()
            banks[path] = found
    if problems:
        raise ImportRefused(problems)
    return banks


def decode_text(data: bytes) -> str:
    """An uploaded file's text (UTF-8, with or without a byte-order mark), or ImportRefused
    saying where the first byte that is not UTF-8 is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [
                f"line {line}: the file is not UTF-8 text (byte 0x{data[error.start]:02x} at "
                f"position {error.start}); save it as UTF-8 and try again"
            ]
        ) from error


# --- GIFT in --------------------------------------------------------------------------------


def title_from_stem(stem: str) -> str:
    """A title for a question that has no name: the start of its text, cut at a word."""
    words = " ".join(stem.split())
    limit = 60
    if len(words) <= limit:
        return words or "Untitled question"
    cut = words[:limit].rsplit(" ", 1)[0] or words[:limit]
    return cut.rstrip(" ,;:.") + "…"


def _unscorable_numbers(parsed: gift.ParsedQuestion) -> list[gift.GiftProblem]:
    """A numerical answer beyond what any learner's answer may be could never be scored, and a
    range's middle computed from it can overflow: each such answer, refused on its line.
    adjusted() reads a number's power of ten without expanding it."""
    if parsed.kind != gift.NUMERICAL:
        return []
    return [
        gift.GiftProblem(
            answer.line or parsed.line,
            f"numerical answer {number} ('{answer.text}') is too large or too small: numbers "
            f"here have at most {NUMBER_MAX_EXPONENT} digits before the decimal point and "
            f"{NUMBER_MAX_EXPONENT} after it",
        )
        for number, answer in enumerate(parsed.answers, start=1)
        if any(
            value and abs(value.adjusted()) > NUMBER_MAX_EXPONENT
            for value in (answer.value, answer.tolerance, answer.minimum, answer.maximum)
        )
    ]


def _draft_from_gift(parsed: gift.ParsedQuestion) -> tuple[_Draft | None, list[gift.GiftProblem]]:
    """The question to save for a parsed one, or None, and what stops it (each with its line)."""
    if unscorable := _unscorable_numbers(parsed):
        return None, unscorable
    fields, choices, problems = question_fields_from_gift(parsed)
    category = category_path(parsed.category)
    refused = category_problems(category)
    draft = _Draft(
        fields={"title": parsed.name or title_from_stem(fields["stem"]), **fields},
        choices=choices,
        category=() if refused else category,
        line=parsed.line,
    )
    found = refused + _check(draft)
    return draft, problems + [gift.GiftProblem(parsed.line, p) for p in found]


def _case_studies(
    parsed_questions: list[gift.ParsedQuestion],
) -> tuple[list[tuple[gift.ParsedQuestion, tuple[str, str] | None]], list[gift.GiftProblem]]:
    """Each question with the case study it follows, and what is wrong with the descriptions.

    A description (text with no answer block) is the case-study text of the questions after it,
    up to the next description or $CATEGORY line; descriptions one after another are one case
    study, titled by the first one's name (or the start of its text)."""
    placed, problems = [], []
    scenario, texts, first, owned = None, [], None, True

    def close() -> None:
        if texts and not owned:
            problems.append(
                gift.GiftProblem(
                    first.line,
                    "this description is followed by no question: a description becomes the "
                    "case study of the questions after it, so add them or remove it",
                )
            )

    for parsed in parsed_questions:
        if first is not None and parsed.category != first.category:
            close()
            scenario, texts, first, owned = None, [], None, True
        if parsed.kind == gift.DESCRIPTION:
            if owned:  # a new case study, not the next paragraph of one with no question yet
                texts, first = [], parsed
            fields, _, found = question_fields_from_gift(parsed)
            problems += found
            texts.append(fields["stem"])
            title = first.name or title_from_stem(texts[0])
            scenario, owned = (title, "\n\n".join(texts)), False
            continue
        owned = True
        placed.append((parsed, scenario))
    close()
    return placed, problems


def _case_study_problems(title: str, text: str) -> list[str]:
    try:
        Scenario(title=title, text=text).full_clean()
    except ValidationError as error:
        return [
            f"{Scenario._meta.get_field(name).verbose_name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def read_gift(text: str) -> list[_Draft]:
    """The questions of a GIFT file ready to save, or ImportRefused with its problems in line
    order: what GIFT cannot read and what we cannot keep are found in the same pass, so a
    trainer sees both at once."""
    check_question_count(gift.count_questions(text))
    parsed_questions, problems = [], []
    for parsed, found in gift.read(text, max_answers=settings.ACADEMY_QUESTION_MAX_OPTIONS):
        problems += found
        if parsed is not None:
            parsed_questions.append(parsed)
    placed, found = _case_studies(parsed_questions)
    problems += found
    if not placed and not problems:
        raise ImportRefused(["the file has no questions in it"])
    drafts, checked = [], set()
    for parsed, scenario in placed:
        draft, found = _draft_from_gift(parsed)
        if draft is not None:
            draft.scenario = scenario
            drafts.append(draft)
        if scenario is not None and scenario not in checked:
            checked.add(scenario)
            found += [
                gift.GiftProblem(parsed.line, f"the case study before this question: {message}")
                for message in _case_study_problems(*scenario)
            ]
        problems += found
    listed = _Problems()
    listed.add(str(problem) for problem in sorted(problems, key=lambda p: p.line))
    listed.refuse()
    return drafts


def import_gift(*, text: str, bank: QuestionBank, by=None) -> list[Question]:
    """Add every question of a GIFT file to the bank, or none: ImportRefused lists each problem
    by line. A $CATEGORY path puts the questions after it in sub-banks of the bank (made where
    missing); descriptions become the case studies of the questions after them. (`by`, the
    trainer importing, is accepted for when imports are audited; an import is not a high-stakes
    change.)"""
    drafts = read_gift(text)
    with transaction.atomic():
        return _save(drafts, bank)


# --- GIFT out -------------------------------------------------------------------------------


@dataclass
class GiftExport:
    """The GIFT text; the questions GIFT cannot express, left out, as (title, reason); and the
    questions written without something GIFT cannot carry (an essay's rubric), as (title, what)."""

    text: str
    count: int
    skipped: list[tuple[str, str]]
    notes: list[tuple[str, str]] = field(default_factory=list)


def bank_tree(bank: QuestionBank) -> list[tuple[list[str], QuestionBank]]:
    """The bank and every bank under it, depth first, each with the names of the banks on its
    path below `bank`: each by its own name, without the "Parent / " an import gave it (what
    an export writes as its category)."""
    found, stack, seen = [], [([], bank)], set()
    while stack:
        names, each = stack.pop()
        if each.pk in seen:
            continue
        seen.add(each.pk)
        found.append((names, each))
        prefix = sub_bank_name(each.name, "")
        stack += [
            ([*names, child.name.removeprefix(prefix)], child)
            for child in each.children.order_by("-name")
        ]
    return found


def export_gift(*, bank: QuestionBank) -> GiftExport:
    """The bank's questions as GIFT, in the order they were added, then those of each bank under
    it after a $CATEGORY line with its path. Each case study is written as a description just
    before its questions, which follow the questions of that bank that have none, so that the
    file imports back into the same banks and case studies. Questions GIFT cannot express
    (ordering, case-sensitive short answers, texts GIFT would misread) are left out and listed;
    essays are written without their rubric, and noted."""
    parsed, skipped, notes, count = [], [], [], 0
    for names, each in bank_tree(bank):
        category = written_category(names)
        questions = list(
            each.questions.order_by("pk")
            .select_related("rubric", "scenario")
            .prefetch_related("choices")
        )
        first_seen = {}
        for index, question in enumerate(questions):
            first_seen.setdefault(question.scenario_id, index)
        questions.sort(key=lambda q: (q.scenario_id is not None, first_seen[q.scenario_id]))
        previous = None
        for question in questions:
            try:
                written = to_gift(question)
                gift.dump([written])  # refuses what GIFT would read back differently
            except ValueError as error:
                skipped.append((question.title, str(error)))
                continue
            if question.scenario is not None and question.scenario_id != previous:
                description = gift.ParsedQuestion(
                    kind=gift.DESCRIPTION, name=question.scenario.title, stem=question.scenario.text
                )
                parsed.append(replace(description, category=category))
            previous = question.scenario_id
            parsed.append(replace(written, category=category))
            count += 1
            if question.rubric is not None:
                notes.append(
                    (
                        question.title,
                        f"written without its rubric “{question.rubric}” (GIFT has none)",
                    )
                )
    return GiftExport(text=gift.dump(parsed), count=count, skipped=skipped, notes=notes)


# --- JSON: a lossless copy of a whole bank --------------------------------------------------


def export_bank_json(*, bank: QuestionBank) -> dict:
    """Everything about the bank and its questions, as JSON-ready data (decimals as strings)."""
    questions = (
        bank.questions.order_by("pk")
        .select_related("rubric")
        .prefetch_related("choices", "expectations__principle__framework")
    )
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "bank": {"name": bank.name, "description": bank.description},
        "questions": [
            {
                "title": question.title,
                "kind": question.kind,
                "stem": question.stem,
                "case_sensitive": question.case_sensitive,
                "general_feedback": question.general_feedback,
                "difficulty": question.difficulty,
                "rubric": question.rubric.name if question.rubric else None,
                "expectations": sorted(
                    (
                        {"framework": e.principle.framework.slug, "code": e.code}
                        for e in question.expectations.all()
                    ),
                    key=lambda ref: (ref["framework"], [int(n) for n in ref["code"].split(".")]),
                ),
                "choices": [
                    {
                        "text": c.text,
                        "is_correct": c.is_correct,
                        "fraction": canonical_number(c.fraction),
                        "match_text": c.match_text,
                        "value": canonical_number(c.value),
                        "tolerance": canonical_number(c.tolerance),
                        "feedback": c.feedback,
                    }
                    for c in question.choices.all()
                ],
            }
            for question in questions
        ],
    }


_CODE = re.compile(r"([0-9]+)\.([0-9]+)")
_QUESTION_KEYS = {
    "title": str,
    "kind": str,
    "stem": str,
    "case_sensitive": bool,
    "general_feedback": str,
    "expectations": list,
    "choices": list,
}
# Keys absent from older versions of the file; what they hold is checked on its own.
_OPTIONAL_QUESTION_KEYS = {"rubric": object, "difficulty": str}
_CHOICE_KEYS = {"text": str, "is_correct": bool, "match_text": str, "feedback": str}
_CHOICE_NUMBERS = ("fraction", "value", "tolerance")


def _shape_problems(data: dict, keys: dict[str, type], optional=frozenset()) -> list[str]:
    problems = [f"“{key}” is missing" for key in keys if key not in data and key not in optional]
    problems += [f"“{key}” is not expected here" for key in data if key not in keys]
    problems += [
        f"“{key}” should be {'true or false' if kind is bool else kind.__name__ + ' data'}"
        for key, kind in keys.items()
        if key in data and not isinstance(data[key], kind)
    ]
    return problems


def _json_choice(raw) -> tuple[dict, list[str]]:
    if not isinstance(raw, dict):
        return {}, ["is not an object"]
    problems = _shape_problems(raw, {**_CHOICE_KEYS, **dict.fromkeys(_CHOICE_NUMBERS, object)})
    choice = {key: raw[key] for key in _CHOICE_KEYS if isinstance(raw.get(key), _CHOICE_KEYS[key])}
    for key in _CHOICE_NUMBERS:
        value = raw.get(key)
        if value is None:
            choice[key] = None
            continue
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            number = Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
            choice[key] = number
        except InvalidOperation:
            problems.append(f'“{key}” should be a number written as a string, like "0.5"')
    return choice, problems


def _json_expectations(refs: list, known: dict) -> tuple[list[Expectation], list[str]]:
    found, problems = [], []
    for ref in refs:
        if not (
            isinstance(ref, dict)
            and set(ref) == {"framework", "code"}
            and isinstance(ref["framework"], str)
            and isinstance(ref["code"], str)
            and _CODE.fullmatch(ref["code"])
        ):
            problems.append('an expectation should look like {"framework": "nhs", "code": "2.3"}')
            continue
        expectation = known.get((ref["framework"], ref["code"]))
        if expectation is None:
            problems.append(
                f"expectation {ref['code']} of the framework “{ref['framework']}” does not exist "
                "here"
            )
        else:
            found.append(expectation)
    return found, problems


def _json_rubric(raw: dict, rubrics: dict[str, Rubric]) -> tuple[Rubric | None, list[str]]:
    """The rubric a question names ("rubric": its name, or null), which must exist here."""
    name = raw.get("rubric")
    if name is None:
        return None, []
    if not isinstance(name, str):
        return None, ["“rubric” should be a rubric's name, or null"]
    if raw.get("kind") != QuestionKind.ESSAY:
        return None, ["only essay questions have a rubric: set “rubric” to null"]
    if name not in rubrics:
        return None, [f"the rubric “{name}” does not exist here: add a rubric of that name first"]
    return rubrics[name], []


def _list(value) -> list:
    """What a key that should hold a list holds, or nothing (its shape is reported apart)."""
    return value if isinstance(value, list) else []


def read_bank_json(data) -> tuple[dict, list[_Draft]]:
    """The bank details and questions of an exported bank, or ImportRefused with its problems."""
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ImportRefused(["this is not a question bank exported from the Academy"])
    if data.get("version") not in JSON_VERSIONS_READ:
        read = " and ".join(str(version) for version in JSON_VERSIONS_READ)
        raise ImportRefused(
            [f"this file is version {data.get('version')!r}; versions {read} are read"]
        )
    problems = _shape_problems(
        data, {"format": str, "version": int, "bank": dict, "questions": list}
    )
    bank = data.get("bank") if isinstance(data.get("bank"), dict) else {}
    if not isinstance(bank.get("description", ""), str):
        problems.append("the bank's “description” should be text")
    if problems:
        raise ImportRefused(problems)
    check_question_count(len(data["questions"]))
    max_options = settings.ACADEMY_QUESTION_MAX_OPTIONS
    known = {
        (e.principle.framework.slug, e.code): e
        for e in Expectation.objects.select_related("principle__framework")
    }
    rubrics = {rubric.name: rubric for rubric in Rubric.objects.all()}
    drafts, problems = [], _Problems()
    for number, raw in enumerate(data["questions"], start=1):
        where = f"question {number}"
        if not isinstance(raw, dict):
            problems.add([f"{where}: is not an object"])
            continue
        if isinstance(raw.get("title"), str):
            where += f" (“{raw['title']}”)"
        found = _shape_problems(
            raw, {**_QUESTION_KEYS, **_OPTIONAL_QUESTION_KEYS}, optional=_OPTIONAL_QUESTION_KEYS
        )
        raw_choices = _list(raw.get("choices"))
        if len(raw_choices) > max_options:
            # Refused before each option is checked, which would be the costly part.
            found.append(f"{len(raw_choices):,} options; at most {max_options:,} are allowed")
            raw_choices = []
        choices = []
        for index, raw_choice in enumerate(raw_choices, start=1):
            choice, choice_problems = _json_choice(raw_choice)
            choices.append(choice)
            found += [f"option {index}: {problem}" for problem in choice_problems]
        expectations, missing = _json_expectations(_list(raw.get("expectations")), known)
        found += missing
        rubric, rubric_problems = _json_rubric(raw, rubrics)
        found += rubric_problems
        if not found:
            fields = ("title", "kind", "stem", "case_sensitive", "general_feedback")
            draft = _Draft(
                fields={
                    **{key: raw[key] for key in fields},
                    "difficulty": raw.get("difficulty", ""),
                    "rubric": rubric,
                },
                choices=choices,
                expectations=expectations,
            )
            found = _check(draft)
            drafts.append(draft)
        problems.add(f"{where}: {problem}" for problem in found)
    problems.refuse()
    return {"description": bank.get("description", "")}, drafts


def import_bank_json(*, data, bank_name: str) -> QuestionBank:
    """A new bank called `bank_name` with every question of an exported bank, or nothing."""
    name = " ".join((bank_name or "").split())
    if not name:
        raise ImportRefused(["give the new bank a name"])
    bank_fields, drafts = read_bank_json(data)
    with transaction.atomic():
        if QuestionBank.objects.filter(name=name).exists():
            raise ImportRefused([f"a bank called “{name}” already exists: choose another name"])
        bank = QuestionBank(name=name, **bank_fields)
        try:
            bank.full_clean()
        except ValidationError as error:
            raise ImportRefused([f"bank: {m}" for m in error.messages]) from error
        bank.save()
        _save(drafts, bank)
    return bank


@transaction.atomic
def bank_named(*, name: str) -> QuestionBank:
    """The bank with this name, created (empty) if there is none yet."""
    name = " ".join(name.split())
    if not name:
        raise AssessmentError("Give the bank a name.")
    if len(name) > QuestionBank._meta.get_field("name").max_length:
        raise AssessmentError("A bank's name must be at most 200 characters.")
    bank, _ = QuestionBank.objects.get_or_create(name=name)
    return bank
