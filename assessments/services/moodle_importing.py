"""Question banks in and out as Moodle XML, the format Moodle and Totara banks are exported in.

Like the GIFT and JSON imports (services.importing), an import is all-or-nothing: the file is
read (assessments.moodle_xml), every question mapped (services.moodle_mapping) and checked, and
every problem collected with its line and question name, before anything is written; only a file
with no problem at all is saved, in one transaction.

Moodle's categories become sub-banks of the bank chosen for the import. A category path's
context and "top" ("$course$/top/…") are left out; when every question in the file sits in one
category (and its sub-categories), as in a file Moodle or we export from one category, that
category is the chosen bank itself. Deeper categories become sub-banks as GIFT's $CATEGORY
paths do (services.importing), each with its category's description when it is made.
Descriptions become case studies, and questions tagged "case-study:<title>" are about the one of
that title; a description no question is tagged with is refused, as GIFT refuses one no question
follows. The file is read as text (moodle_xml_text), so that it goes through the same import
pipeline as GIFT (services.bank_imports): the same limits, and a worker for a large file.
"""

from __future__ import annotations

import codecs
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.db import transaction

from .. import moodle_xml as mx
from ..models import Question, QuestionBank
from .importing import (
    ImportRefused,
    _case_study_problems,
    _check,
    _Draft,
    _Problems,
    _save,
    bank_tree,
    category_problems,
    check_question_count,
    decode_text,
    title_from_stem,
)
from .moodle_mapping import (
    CASE_STUDY_TAG,
    Lookups,
    description_for,
    from_moodle,
    plain_text,
    to_moodle,
)

_CONTEXT_ROOT = "top"
_UTF_8 = codecs.lookup("utf-8").name


@functools.lru_cache(maxsize=256)
def _category_names(path: str) -> tuple[str, ...]:
    """A category path's names below its context and "top". Cached: every question in a
    category has the same path, and a hostile file's may be long."""
    names = tuple(mx.split_category_path(path))
    if names and names[0].startswith("$") and names[0].endswith("$"):
        names = names[1:]
    if names and names[0] == _CONTEXT_ROOT:
        names = names[1:]
    return names


def moodle_xml_text(data: bytes) -> str:
    """A Moodle XML file's text, decoded as its XML declaration says (UTF-8, as Moodle writes,
    when it names no encoding), or ImportRefused. Imports read the text, so that one waiting
    for a worker is kept in the database as any other file is."""
    declared = mx.declared_encoding(data)
    try:
        codec = codecs.lookup(declared or _UTF_8)
    except LookupError:
        codec = None
    if codec is None or not codec.name.startswith(("utf-8", "iso8859", "cp125", "ascii")):
        raise ImportRefused(
            [
                f"line 1: the file says it is written in “{declared}”, which is not read here: "
                "export it from Moodle again, or save it as UTF-8"
            ]
        )
    if codec.name == _UTF_8:
        return decode_text(data)
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [f"line {line}: the file is not {declared} text, as it says it is; save it as UTF-8"]
        ) from error


def _where(question: mx.MoodleQuestion) -> str:
    return f"“{question.name or title_from_stem(question.text.text)}”"


def _below_bank(items: list) -> Callable[[str], tuple[str, ...]]:
    """How a category path is read below the chosen bank: its context and "top" left out, and
    the one category every question is in (when there is one) taken as the bank itself."""
    firsts = {
        tuple(_category_names(item.category)[:1])
        for item in items
        if isinstance(item, mx.MoodleQuestion)
    }
    root = next(iter(firsts)) if len(firsts) == 1 else ()

    def below(path: str) -> tuple[str, ...]:
        names = _category_names(path)
        return names[len(root) :] if root and names[: len(root)] == root else names

    return below


@dataclass
class _Reading:
    """What is found while a file is read: the case studies its descriptions make (title ->
    text, and the line of each), the descriptions of its categories (path -> text), and its
    problems as (line, text) to be listed in line order."""

    case_studies: dict[str, tuple[str, int]] = field(default_factory=dict)
    titles: Counter[str] = field(default_factory=Counter)
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def problem(self, line: int, where: str, message: str) -> None:
        self.problems.append((line, f"line {line}, {where}: {message}"))


def _read_description(item: mx.MoodleQuestion, reading: _Reading) -> None:
    text, found = plain_text(item.text, "the text", item.line)
    title = item.name or title_from_stem(text)
    for problem in found:
        reading.problem(problem.line, _where(item), problem.message)
    for message in _case_study_problems(title, text):
        reading.problem(item.line, _where(item), f"as a case study, its {message}")
    reading.case_studies[title] = (text, item.line)
    reading.titles[title] += 1


def _read_question(
    item: mx.MoodleQuestion, path: tuple[str, ...], lookups: Lookups, reading: _Reading
) -> tuple[_Draft | None, str | None]:
    """The draft for a question, if it could be mapped, and the case study its tag names."""
    limit = settings.ACADEMY_QUESTION_MAX_OPTIONS
    options = len(item.answers) + len(item.subquestions)
    if options > limit:
        # Refused before each option is read, which would be the costly part.
        reading.problem(
            item.line, _where(item), f"{options:,} options; at most {limit:,} are allowed"
        )
        return None, None
    mapped = from_moodle(item, lookups)
    for problem in mapped.problems:
        reading.problem(problem.line, _where(item), problem.message)
    if "kind" not in mapped.fields:
        return None, None
    draft = _Draft(
        fields={"title": item.name or title_from_stem(mapped.fields["stem"]), **mapped.fields},
        choices=mapped.choices,
        expectations=mapped.expectations,
        category=path,
        category_descriptions=tuple(
            reading.categories.get(path[:depth], "") for depth in range(1, len(path) + 1)
        ),
        line=item.line,
    )
    # A value that could not be read (a fraction that is not a number) would only be reported
    # again by the checks, as a missing right answer.
    if not item.problems:
        for message in _check(draft):
            reading.problem(item.line, _where(item), message)
    return draft, mapped.case_study


def _case_study_of(draft: _Draft, title: str | None, reading: _Reading) -> None:
    """The case study a question's tag names: one description of that title in the file."""
    if title is None:
        return
    count = reading.titles[title]
    if count == 1:
        draft.scenario = (title, reading.case_studies[title][0])
        return
    reading.problem(
        draft.line,
        f"“{draft.fields['title']}”",
        f"its tag “{CASE_STUDY_TAG}{title}” names "
        + (
            "no description in this file: add the case study as a description of that name, or "
            "remove the tag"
            if not count
            else f"{count} descriptions in this file: give them different names"
        ),
    )


def read_moodle_xml(text: str) -> list[_Draft]:
    """The questions of a Moodle XML file ready to save (each with the sub-bank its category
    names below the chosen bank and the case study its tag names), or ImportRefused listing
    its problems in line order, each with its line and question."""
    check_question_count(mx.count_questions(text))
    try:
        items = mx.parse(text)
    except mx.MoodleXmlError as error:
        raise ImportRefused([str(problem) for problem in error.problems]) from error
    below = _below_bank(items)
    lookups = Lookups.load()
    reading = _Reading()
    read: list[tuple[_Draft, str | None]] = []
    for item in items:
        if isinstance(item, mx.MoodleCategory):
            if path := below(item.path):
                text, found = plain_text(item.info, "its description", item.line)
                for problem in found:
                    reading.problem(problem.line, f"category “{item.path}”", problem.message)
                reading.categories[path] = text
        elif item.type == mx.DESCRIPTION:
            _read_description(item, reading)
        else:
            path = below(item.category)
            for message in category_problems(path):
                reading.problem(item.line, _where(item), message)
                path = ()
            draft, case_study = _read_question(item, path, lookups, reading)
            if draft is not None:
                read.append((draft, case_study))
    for draft, case_study in read:
        _case_study_of(draft, case_study, reading)
    used = {draft.scenario[0] for draft, _ in read if draft.scenario is not None}
    for title, (_, line) in reading.case_studies.items():
        # A title two descriptions share is reported once, by the question that names it.
        if title not in used and reading.titles[title] == 1:
            reading.problem(
                line,
                f"“{title}”",
                "this description is the case study of no question: tag the questions about it "
                f"“{CASE_STUDY_TAG}{title}”, or remove it",
            )
    problems = _Problems()
    problems.add(text for _, text in sorted(reading.problems, key=itemgetter(0)))
    problems.refuse()
    if not read:
        raise ImportRefused(["the file has no questions in it"])
    return [draft for draft, _ in read]


def import_moodle_xml(
    *, bank: QuestionBank, data: bytes | None = None, text: str | None = None, by=None
) -> list[Question]:
    """Add every question of a Moodle XML file (its bytes, or its text from moodle_xml_text) to
    the bank and the sub-banks its categories name, each with the case study its tag names, or
    nothing: ImportRefused lists each problem with its line and question. (`by` is accepted
    for when imports are audited.)"""
    drafts = read_moodle_xml(moodle_xml_text(data) if text is None else text)
    with transaction.atomic():
        return _save(drafts, bank)


# --- Out ------------------------------------------------------------------------------------


@dataclass
class MoodleExport:
    """The Moodle XML text; how many questions it holds; the questions left out, as (title,
    reason); and the questions written differently, as (title, how)."""

    text: str
    count: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def export_moodle_xml(*, bank: QuestionBank) -> MoodleExport:
    """The bank and its sub-banks as Moodle XML: a category per bank
    ("$course$/top/<bank>/<sub-bank>…"), its questions in the order they were added, and each
    case study as a description before the first question about it."""
    parts, skipped, notes, written = [], [], [], set()
    count = 0
    # Case studies may share a title, but a tag names one description: later ones are numbered.
    case_study_names: dict[int, str] = {}
    taken: set[str] = set()

    def name_of(scenario) -> str:
        if scenario.pk not in case_study_names:
            name, number = scenario.title, 1
            while name in taken:
                number += 1
                name = f"{scenario.title} ({number})"
            case_study_names[scenario.pk] = name
            taken.add(name)
        return case_study_names[scenario.pk]

    for names, current in bank_tree(bank):
        category = mx.MoodleCategory(
            path=mx.join_category_path(["$course$", _CONTEXT_ROOT, bank.name, *names]),
            info=mx.MoodleText(current.description, mx.PLAIN),
        )
        parts.append(mx.dump_question(category))
        questions = (
            current.questions.order_by("pk")
            .select_related("rubric", "scenario")
            .prefetch_related("choices", "expectations__principle__framework")
        )
        for question in questions:
            moodle, note = to_moodle(question)
            scenario = question.scenario
            if scenario is not None and name_of(scenario) != scenario.title:
                moodle.tags = [
                    f"{CASE_STUDY_TAG}{name_of(scenario)}"
                    if tag == f"{CASE_STUDY_TAG}{scenario.title}"
                    else tag
                    for tag in moodle.tags
                ]
            try:
                text = mx.dump_question(moodle)
                if scenario is not None and scenario.pk not in written:
                    description = description_for(scenario, name_of(scenario))
                    text = mx.dump_question(description) + "\n" + text
            except ValueError as error:
                skipped.append((question.title, str(error)))
                continue
            if scenario is not None:
                written.add(scenario.pk)
            parts.append(text)
            count += 1
            if note:
                notes.append((question.title, note))
    return MoodleExport(text=mx.document(parts), count=count, skipped=skipped, notes=notes)
