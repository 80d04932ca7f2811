"""Writing plain data (assessments.moodle_xml.questions) as a Moodle XML file that Moodle's
importer and our `parse` both read back: `parse(dump(items)) == items`.

Written by hand rather than with ElementTree so that a carriage return in a text survives (XML
readers turn a raw one into a line feed; it is written as a character reference) and so that the
layout is Moodle's own: one element per line, indented, texts inside <text>.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .questions import (
    CATEGORY,
    ORDERING,
    MoodleAnswer,
    MoodleCategory,
    MoodleQuestion,
    MoodleText,
)

# Characters XML 1.0 cannot carry at all, even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}
_ESCAPE = re.compile('[&<>"\r]')


def _escape(text: str) -> str:
    if _NOT_XML.search(text):
        raise ValueError("its text has a control character that an XML file cannot hold")
    return _ESCAPE.sub(lambda match: _ESCAPES[match.group()], text)


def _number(number: Decimal) -> str:
    """12.500000 as 12.5 and 1E+1 as 10: the plain digits Moodle reads."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def add(self, line: str) -> None:
        self.lines.append("  " * self.depth + line)

    def leaf(self, tag: str, value: str) -> None:
        self.add(f"<{tag}>{_escape(value)}</{tag}>")

    def text(self, tag: str, text: MoodleText, attrs: str = "") -> None:
        if text.files:
            raise ValueError("embedded files are not written")
        self.add(f'<{tag}{attrs} format="{_escape(text.format)}">')
        self.depth += 1
        self.leaf("text", text.text)
        self.depth -= 1
        self.add(f"</{tag}>")

    def named(self, tag: str, name: str) -> None:
        self.add(f"<{tag}>")
        self.depth += 1
        self.leaf("text", name)
        self.depth -= 1
        self.add(f"</{tag}>")


def _answer(out: _Lines, answer: MoodleAnswer, question_type: str) -> None:
    if answer.fraction is None:
        raise ValueError("an answer has no fraction")
    fraction = answer.fraction if question_type == ORDERING else answer.fraction.scaleb(2)
    out.add(f'<answer fraction="{_number(fraction)}" format="{_escape(answer.text.format)}">')
    out.depth += 1
    out.leaf("text", answer.text.text)
    out.text("feedback", answer.feedback)
    if answer.tolerance is not None:
        out.leaf("tolerance", _number(answer.tolerance))
    out.depth -= 1
    out.add("</answer>")


def _question(out: _Lines, question: MoodleQuestion) -> None:
    out.add(f'<question type="{_escape(question.type)}">')
    out.depth += 1
    out.named("name", question.name)
    out.text("questiontext", question.text)
    out.text("generalfeedback", question.general_feedback)
    for tag, value in question.settings.items():
        out.leaf(tag, value)
    for answer in question.answers:
        _answer(out, answer, question.type)
    for sub in question.subquestions:
        out.add(f'<subquestion format="{_escape(sub.text.format)}">')
        out.depth += 1
        out.leaf("text", sub.text.text)
        out.named("answer", sub.answer)
        if sub.feedback.text:
            out.text("feedback", sub.feedback)
        out.depth -= 1
        out.add("</subquestion>")
    if question.tags:
        out.add("<tags>")
        out.depth += 1
        for tag in question.tags:
            out.named("tag", tag)
        out.depth -= 1
        out.add("</tags>")
    out.depth -= 1
    out.add("</question>")


def dump_question(question: MoodleQuestion | MoodleCategory) -> str:
    """One <question> element, or ValueError when it cannot be written so that it reads back the
    same (a control character XML cannot hold, embedded files, units). Texts are read back
    trimmed, as Moodle reads them."""
    out = _Lines()
    out.depth = 1
    if isinstance(question, MoodleCategory):
        out.add(f'<question type="{CATEGORY}">')
        out.depth += 1
        out.named("category", question.path)
        out.text("info", question.info)
        out.depth -= 1
        out.add("</question>")
    elif question.units:
        raise ValueError("units are not written")
    else:
        _question(out, question)
    return "\n".join(out.lines)


def document(questions: list[str]) -> str:
    """A whole Moodle XML file around <question> elements written by dump_question."""
    body = "".join(question + "\n" for question in questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}</quiz>\n'


def dump(items: list[MoodleQuestion | MoodleCategory]) -> str:
    """A whole Moodle XML file: the items in order inside <quiz>."""
    return document([dump_question(item) for item in items])
