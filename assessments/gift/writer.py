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


def _formatted(text: str, text_format: str | None, default: str) -> str:
    """A text with its format marker when it has a format of its own, or when it starts like a
    marker and would otherwise lose its start to one."""
    if text_format is not None and text_format not in TEXT_FORMATS:
        raise ValueError(f"cannot write a text in {text_format}")
    if text_format is not None or _FORMAT.match(text):
        return f"[{text_format or default}]{_escape(text)}"
    return _escape(text)


def _feedback(text: str, text_format: str | None, default: str) -> str:
    return f"#{_formatted(text, text_format, default)}" if text else ""


def _weighted(
    marker: str, answer: ParsedAnswer, default_fraction: int, text_format: str, written=None
) -> str:
    """An answer with its weight when not the marker's default; `written` is its GIFT text."""
    if written is None:
        written = _formatted(answer.text, answer.text_format, text_format)
    weight = ""
    # A text starting with '%' would read as a weight, so it always gets an explicit one.
    if answer.fraction != default_fraction or written.startswith("%"):
        weight = f"%{answer.fraction.scaleb(2):f}%"
    feedback = _feedback(answer.feedback, answer.feedback_format, text_format)
    return f"{marker}{weight}{written}{feedback}"


def _dump_answers(question: ParsedQuestion) -> list[str]:
    kind, answers, text_format = question.kind, question.answers, question.text_format
    if kind == SINGLE:
        # Every option worth 100% is written with '=' (each earns full marks, as in Moodle),
        # but one '~' must stay, or the question would read back as a short answer.
        rights = [a for a in answers if a.fraction == 1]
        if not rights:
            raise ValueError("a single-choice question needs an option worth 100%")
        equals = {id(a) for a in (rights if len(rights) < len(answers) else rights[:1])}
        return [
            _weighted("=", a, 1, text_format)
            if id(a) in equals
            else _weighted("~", a, 0, text_format)
            for a in answers
        ]
    if kind == MULTIPLE:
        return [_weighted("~", answer, 0, text_format) for answer in answers]
    if kind == SHORTANSWER:
        if any("->" in answer.text for answer in answers):
            raise ValueError("a short answer containing '->' would read as a matching pair")
        return [_weighted("=", answer, 1, text_format) for answer in answers]
    if kind == MATCHING:
        if any("->" in a.text or a.text.startswith("%") for a in answers):
            raise ValueError("a matching item cannot contain '->' or start with '%' in GIFT")
        return [
            f"={_formatted(a.text, a.text_format, text_format)} -> {_escape(a.match or '')}"
            f"{_feedback(a.feedback, a.feedback_format, text_format)}"
            for a in answers
        ]
    if kind == NUMERICAL:
        return _dump_numerical(answers, text_format)
    if kind == TRUEFALSE:
        rights = [a for a in answers if a.fraction == 1]
        if sorted(a.text for a in answers) != ["false", "true"] or len(rights) != 1:
            raise ValueError("a true/false question has a 'true' and a 'false' answer, one right")
        right, wrong = rights[0], next(a for a in answers if a is not rights[0])
        word = "TRUE" if right.text == "true" else "FALSE"
        wrong_feedback = _feedback(wrong.feedback, wrong.feedback_format, text_format)
        right_feedback = _feedback(right.feedback, right.feedback_format, text_format)
        # Empty feedback is left out, so that '#' never runs into the general feedback's '####'.
        if right_feedback:
            return [f"{word}{wrong_feedback or '#'}{right_feedback}"]
        return [f"{word}{wrong_feedback}"]
    if answers:
        raise ValueError(f"{kind} questions take no answers")
    return []


def _dump_numerical(answers: list[ParsedAnswer], text_format: str) -> list[str]:
    """Accepted numbers, then `~#feedback` for any other answer (Moodle reads all after '~')."""
    others = [a for a in answers if a.is_any_other]
    if len(others) > 1 or (others and answers[-1] is not others[0]):
        raise ValueError("a numerical question has at most one 'any other answer', written last")
    accepted = [a for a in answers if not a.is_any_other]
    if others and others[0].fraction:
        raise ValueError("any other numerical answer earns nothing")
    tail = [f"~{_feedback(a.feedback, a.feedback_format, text_format) or '#'}" for a in others]
    if len(accepted) == 1 and accepted[0].fraction == 1 and not others:
        answer = accepted[0]
        return [f"#{answer.text}{_feedback(answer.feedback, answer.feedback_format, text_format)}"]
    return ["#", *(_weighted("=", a, 1, text_format, written=a.text) for a in accepted), *tail]


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
        general = question.general_feedback
        lines.append(
            f"####{_formatted(general, question.general_feedback_format, question.text_format)}"
        )
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
