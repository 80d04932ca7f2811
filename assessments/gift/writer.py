"""Writing GIFT: `dump` questions so that `parse(dump(questions)) == questions`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .questions import (
    _FORMAT,
    DEFAULT_FORMAT,
    DESCRIPTION,
    KINDS,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORTANSWER,
    SINGLE,
    TEXT_FORMATS,
    TRUEFALSE,
    ParsedAnswer,
    ParsedQuestion,
)

_SPECIAL = re.compile(r"([~=#{}:\\])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def _feedback(text: str) -> str:
    return f"#{_escape(text)}" if text else ""


def _weighted(marker: str, answer: ParsedAnswer, default: int, written: str | None = None) -> str:
    """An answer with its weight when not the marker's default; `written` is its GIFT text."""
    written = _escape(answer.text) if written is None else written
    weight = ""
    # A text starting with '%' would read as a weight, so it always gets an explicit one.
    if answer.fraction != default or written.startswith("%"):
        weight = f"%{answer.fraction.scaleb(2):f}%"
    return f"{marker}{weight}{written}{_feedback(answer.feedback)}"


def _dump_answers(question: ParsedQuestion) -> list[str]:
    kind, answers = question.kind, question.answers
    if kind == SINGLE:
        right = next((a for a in answers if a.fraction == 1), None)
        if right is None:
            raise ValueError("a single-choice question needs an option worth 100%")
        return [_weighted("=", a, 1) if a is right else _weighted("~", a, 0) for a in answers]
    if kind == MULTIPLE:
        return [_weighted("~", answer, 0) for answer in answers]
    if kind == SHORTANSWER:
        if any("->" in answer.text for answer in answers):
            raise ValueError("a short answer containing '->' would read as a matching pair")
        return [_weighted("=", answer, 1) for answer in answers]
    if kind == MATCHING:
        if any("->" in a.text or a.text.startswith("%") for a in answers):
            raise ValueError("a matching item cannot contain '->' or start with '%' in GIFT")
        return [
            f"={_escape(a.text)} -> {_escape(a.match or '')}{_feedback(a.feedback)}"
            for a in answers
        ]
    if kind == NUMERICAL:
        if len(answers) == 1 and answers[0].fraction == 1:
            return [f"#{answers[0].text}{_feedback(answers[0].feedback)}"]
        return ["#", *(_weighted("=", a, 1, written=a.text) for a in answers)]
    if kind == TRUEFALSE:
        rights = [a for a in answers if a.fraction == 1]
        if sorted(a.text for a in answers) != ["false", "true"] or len(rights) != 1:
            raise ValueError("a true/false question has a 'true' and a 'false' answer, one right")
        right, wrong = rights[0], next(a for a in answers if a is not rights[0])
        word = "TRUE" if right.text == "true" else "FALSE"
        # Empty feedback is left out, so that '#' never runs into the general feedback's '####'.
        if right.feedback:
            return [f"{word}{_feedback(wrong.feedback) or '#'}{_feedback(right.feedback)}"]
        return [f"{word}{_feedback(wrong.feedback)}"]
    if answers:
        raise ValueError(f"{kind} questions take no answers")
    return []


def _dump_question(question: ParsedQuestion) -> str:
    if question.kind not in KINDS or question.text_format not in TEXT_FORMATS:
        raise ValueError(f"cannot write a {question.kind} question in {question.text_format}")
    if not question.stem and (question.kind == DESCRIPTION or not question.stem_after):
        raise ValueError("a question needs some text")
    # GIFT can only show the missing space where there is a blank with text on that side.
    if (not question.space_before_blank and not (question.missing_word and question.stem)) or (
        not question.space_after_blank and not question.missing_word
    ):
        raise ValueError("only a blank with text beside it can be written without a space")
    head = f"::{_escape(question.name)}::" if question.name else ""
    # A stem that starts like a format marker or a comment needs a marker in front to survive.
    stem = question.stem
    if question.text_format != DEFAULT_FORMAT or _FORMAT.match(stem) or stem.startswith("//"):
        head += f"[{question.text_format}]"
    head += _escape(stem)
    if question.kind == DESCRIPTION:
        if question.answers or question.stem_after or question.general_feedback:
            raise ValueError("a description has no answers, blank or feedback")
        return head
    lines = _dump_answers(question)
    if question.general_feedback:
        lines.append(f"####{_escape(question.general_feedback)}")
    # One answer a line, as Moodle writes them; true/false, essays and a lone number stay inline.
    if question.kind in (SINGLE, MULTIPLE, SHORTANSWER, MATCHING) or lines[:1] == ["#"]:
        block = "{\n" + "".join(f"    {line}\n" for line in lines) + "}"
    else:
        block = "{" + "".join(lines) + "}"
    if not question.stem_after:
        return f"{head} {block}"
    before = " " if question.space_before_blank else ""
    after = (" " if question.space_after_blank else "") + _escape(question.stem_after)
    return f"{head}{before}{block}{after}"


def dump(questions: Iterable[ParsedQuestion]) -> str:
    """GIFT text for the questions, with a $CATEGORY: line wherever the category changes."""
    chunks = []
    category = None
    for question in questions:
        if (question.category or None) != category:
            category = question.category or None
            if category and "\n" in category:
                raise ValueError("a category path must be on one line")
            chunks.append(f"$CATEGORY: {category or ''}".rstrip())
        chunks.append(_dump_question(question))
    return "".join(f"{chunk}\n\n" for chunk in chunks)
