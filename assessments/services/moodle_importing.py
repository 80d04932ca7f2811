"""Question banks in and out as Moodle XML, the format Moodle and Totara banks are exported in.

Like the GIFT and JSON imports (services.importing), an import is all-or-nothing: the file is
read (assessments.moodle_xml), every question mapped (services.moodle_mapping) and checked, and
every problem collected with its line and question name, before anything is written; only a file
with no problem at all is saved, in one transaction.

Moodle's categories become sub-banks of the bank chosen for the import. A category path's
context and "top" ("$course$/top/…") are left out; when every question in the file sits in one
category (and its sub-categories), as in a file Moodle or we export from one category, that
category is the chosen bank itself. Each deeper category is a sub-bank named "<parent> / <name>"
(bank names are unique across the Academy, so a bare "Week 1" would clash), made if missing.
Descriptions become case studies (a case study with the same title and text is reused), and
questions tagged "case-study:<title>" are about the one of that title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import moodle_xml as mx
from ..models import Question, QuestionBank, Scenario
from .importing import ImportRefused, _check, _Draft, _save, title_from_stem
from .moodle_mapping import (
    CASE_STUDY_TAG,
    Lookups,
    description_for,
    from_moodle,
    plain_text,
    to_moodle,
)

SUB_BANK_SEPARATOR = " / "
_CONTEXT_ROOT = "top"


@dataclass
class MoodleDraft(_Draft):
    """A question ready to save, with the category path (below the chosen bank) it goes in and
    the case study it is about."""

    path: tuple[str, ...] = ()
    case_study: str | None = None
    line: int = 0


@dataclass
class MoodleRead:
    """Everything a Moodle XML file adds: its questions in file order, the case studies its
    descriptions make (title -> text), and each sub-bank's description (path -> text)."""

    drafts: list[MoodleDraft]
    case_studies: dict[str, str] = field(default_factory=dict)
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)


def _category_names(path: str) -> list[str]:
    names = mx.split_category_path(path)
    if names and names[0].startswith("$") and names[0].endswith("$"):
        names = names[1:]
    if names and names[0] == _CONTEXT_ROOT:
        names = names[1:]
    return names


def sub_bank_name(parent: str, name: str) -> str:
    return f"{parent}{SUB_BANK_SEPARATOR}{name}"


class _Problems:
    """Problems as a trainer reads them, in line order: "line 12, “Name”: what is wrong"."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, where: str, message: str) -> None:
        self.found.append((line, f"line {line}, {where}: {message}"))

    def sorted(self) -> list[str]:
        return [text for _, text in sorted(self.found, key=lambda found: found[0])]


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
        names = tuple(_category_names(path))
        return names[len(root) :] if root and names[: len(root)] == root else names

    return below


def _read_description(item: mx.MoodleQuestion, read: MoodleRead, problems: _Problems) -> str:
    text, found = plain_text(item.text, "the text", item.line)
    title = item.name or title_from_stem(text)
    for problem in found:
        problems.add(problem.line, _where(item), problem.message)
    try:
        Scenario(title=title, text=text).full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Scenario._meta.get_field(name).verbose_name
            for message in messages:
                problems.add(item.line, _where(item), f"as a case study, its {label}: {message}")
    read.case_studies[title] = text
    return title


def _read_question(
    item: mx.MoodleQuestion, path: tuple[str, ...], lookups: Lookups, problems: _Problems
) -> MoodleDraft | None:
    mapped = from_moodle(item, lookups)
    for problem in mapped.problems:
        problems.add(problem.line, _where(item), problem.message)
    if "kind" not in mapped.fields:
        return None
    draft = MoodleDraft(
        fields={"title": item.name or title_from_stem(mapped.fields["stem"]), **mapped.fields},
        choices=mapped.choices,
        expectations=mapped.expectations,
        path=path,
        case_study=mapped.case_study,
        line=item.line,
    )
    # A value that could not be read (a fraction that is not a number) would only be reported
    # again by the checks, as a missing right answer.
    if not item.problems:
        for message in _check(draft):
            problems.add(item.line, _where(item), message)
    return draft


def _sub_bank_problems(bank_name: str, read: MoodleRead, problems: _Problems) -> None:
    """Sub-banks whose names would be too long, or are taken by a bank somewhere else."""
    limit = QuestionBank._meta.get_field("name").max_length
    first_line: dict[tuple[str, ...], int] = {}
    for draft in read.drafts:
        for depth in range(1, len(draft.path) + 1):
            first_line.setdefault(draft.path[:depth], draft.line)
    names = sub_bank_names(bank_name, first_line)
    taken = {
        bank.name: bank.parent.name if bank.parent else None
        for bank in QuestionBank.objects.filter(name__in=names.values()).select_related("parent")
    }
    for path, name in sorted(names.items()):
        where = f"category “{mx.join_category_path(list(path))}”"
        parent = names.get(path[:-1], bank_name)
        if len(name) > limit:
            problems.add(
                first_line[path],
                where,
                f"its sub-bank would be called “{name}”, longer than {limit} characters: "
                "shorten the category's name or the bank's",
            )
        elif name in taken and taken[name] != parent:
            problems.add(
                first_line[path],
                where,
                f"its sub-bank would be called “{name}”, but a bank of that name exists that is "
                f"not under “{parent}”: rename that bank, or import into another",
            )


def sub_bank_names(bank_name: str, paths) -> dict[tuple[str, ...], str]:
    """The name of the sub-bank each category path (below the bank) goes in."""
    names = {}
    for path in sorted(paths, key=len):
        names[path] = sub_bank_name(names.get(path[:-1], bank_name), path[-1])
    return names


def read_moodle_xml(data: bytes, *, bank_name: str) -> MoodleRead:
    """The questions, case studies and sub-banks a Moodle XML file adds to the bank called
    `bank_name`, or ImportRefused listing every problem, each with its line and question."""
    try:
        items = mx.parse(data)
    except mx.MoodleXmlError as error:
        raise ImportRefused([str(problem) for problem in error.problems]) from error
    below = _below_bank(items)
    lookups = Lookups.load()
    problems = _Problems()
    read = MoodleRead(drafts=[])
    titles: Counter[str] = Counter()
    for item in items:
        if isinstance(item, mx.MoodleCategory):
            path = below(item.path)
            if path:
                read.categories[path] = plain_text(item.info, "its description", item.line)[0]
        elif item.type == mx.DESCRIPTION:
            titles[_read_description(item, read, problems)] += 1
        else:
            draft = _read_question(item, below(item.category), lookups, problems)
            if draft is not None:
                read.drafts.append(draft)
    for draft in read.drafts:
        title = draft.case_study
        if title is not None and titles[title] != 1:
            problems.add(
                draft.line,
                f"“{draft.fields['title']}”",
                f"its tag “{CASE_STUDY_TAG}{title}” names "
                + (
                    "no description in this file: add the case study as a description of "
                    "that name, or remove the tag"
                    if not titles[title]
                    else f"{titles[title]} descriptions in this file: give them different names"
                ),
            )
    _sub_bank_problems(bank_name, read, problems)
    if problems.found:
        raise ImportRefused(problems.sorted())
    if not read.drafts and not read.case_studies:
        raise ImportRefused(["the file has no questions in it"])
    return read


def _sub_bank(name: str, parent: QuestionBank, description: str) -> QuestionBank:
    bank, _ = QuestionBank.objects.get_or_create(
        name=name, defaults={"parent": parent, "description": description}
    )
    return bank


@transaction.atomic
def import_moodle_xml(*, data: bytes, bank: QuestionBank, by=None) -> list[Question]:
    """Add every question of a Moodle XML file to the bank and the sub-banks its categories
    name, and its descriptions as case studies, or nothing: ImportRefused lists each problem
    with its line and question. (`by` is accepted for when imports are audited.)"""
    read = read_moodle_xml(data, bank_name=bank.name)
    scenarios = {
        title: Scenario.objects.filter(title=title, text=text).first()
        or Scenario.objects.create(title=title, text=text)
        for title, text in read.case_studies.items()
    }
    banks = {(): bank}
    names = sub_bank_names(
        bank.name, {d.path[:n] for d in read.drafts for n in range(1, len(d.path) + 1)}
    )
    for path in sorted(names, key=len):
        banks[path] = _sub_bank(names[path], banks[path[:-1]], read.categories.get(path, ""))
    questions = []
    for draft in read.drafts:
        if draft.case_study is not None:
            draft.fields["scenario"] = scenarios[draft.case_study]
        questions += _save([draft], banks[draft.path])
    return questions


# --- Out ------------------------------------------------------------------------------------


@dataclass
class MoodleExport:
    """The Moodle XML text; how many questions it holds; the questions left out, as (title,
    reason); and the questions written differently, as (title, how)."""

    text: str
    count: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _with_sub_banks(bank: QuestionBank) -> list[tuple[QuestionBank, list[str]]]:
    """The bank and every bank under it, each with its category names below the bank."""
    found, queue, seen = [], [(bank, [])], set()
    while queue:
        current, names = queue.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        found.append((current, names))
        prefix = current.name + SUB_BANK_SEPARATOR
        for child in current.children.order_by("name"):
            name = child.name.removeprefix(prefix) if child.name.startswith(prefix) else child.name
            queue.append((child, [*names, name]))
    return found


def export_moodle_xml(*, bank: QuestionBank) -> MoodleExport:
    """The bank and its sub-banks as Moodle XML: a category per bank
    ("$course$/top/<bank>/<sub-bank>…"), its questions in the order they were added, and each
    case study as a description before the first question about it."""
    parts, skipped, notes, written = [], [], [], set()
    count = 0
    for current, names in _with_sub_banks(bank):
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
            try:
                text = mx.dump_question(moodle)
                scenario = question.scenario
                if scenario is not None and scenario.pk not in written:
                    text = mx.dump_question(description_for(scenario)) + "\n" + text
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
