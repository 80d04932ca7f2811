"""Reading a Moodle XML file into plain data (assessments.moodle_xml.questions).

The file is parsed by defusedxml's SAX reader, which refuses entity declarations (the
"billion laughs") and anything external (entities, DTDs) before they are expanded or fetched.
SAX gives each element its line, so every problem can say where it is. The work is one pass over
the file and one over the elements it made: linear in the file's size, however it is nested.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import InputSource

import defusedxml.sax
from defusedxml import DefusedXmlException, EntitiesForbidden

from .questions import (
    CATEGORY,
    HTML,
    MATCHING,
    ORDERING,
    MoodleAnswer,
    MoodleCategory,
    MoodleProblem,
    MoodleQuestion,
    MoodleSubquestion,
    MoodleText,
    MoodleXmlError,
)

# Elements of a <question> that are not simple settings: read on their own below.
_STRUCTURED = frozenset(
    {"name", "questiontext", "generalfeedback", "answer", "subquestion", "tags", "units"}
)


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def first(self, tag: str) -> _Element | None:
        return next((child for child in self.children if child.tag == tag), None)

    def all(self, tag: str) -> list[_Element]:
        return [child for child in self.children if child.tag == tag]

    def text_of(self, tag: str) -> str:
        """The text of the first child `tag`, as Moodle reads it: trimmed, "" when absent."""
        child = self.first(tag)
        return child.text.strip() if child is not None else ""


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator = None
        self.root: _Element | None = None
        self.open: list[_Element] = []

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    def startElement(self, name, attrs) -> None:  # noqa: N802
        element = _Element(name, dict(attrs), self.line())
        if self.open:
            self.open[-1].children.append(element)
        else:
            self.root = element
        self.open.append(element)

    def endElement(self, name) -> None:  # noqa: N802
        self.open.pop()

    def characters(self, content) -> None:
        if self.open:
            self.open[-1].parts.append(content)


def _tree(data: bytes | str) -> _Element:
    builder = _TreeBuilder()
    try:
        if isinstance(data, bytes):
            defusedxml.sax.parseString(data, builder)
        else:
            # Text is handed to expat as characters, which it reads whatever encoding the
            # file's declaration names (the text was decoded from it already).
            parser = defusedxml.sax.make_parser()
            parser.setContentHandler(builder)
            source = InputSource()
            source.setCharacterStream(io.StringIO(data))
            parser.parse(source)
    except EntitiesForbidden as error:
        if error.sysid or error.pubid:
            what = f"an external entity (“{error.name}” from {error.sysid or error.pubid})"
        else:
            what = f"an entity (“{error.name}”)"
        raise MoodleXmlError(
            [
                MoodleProblem(
                    builder.line(),
                    f"the file declares {what}, which is refused: entities can make a small "
                    "file expand without limit or read other files. Moodle never writes them; "
                    "export the file from Moodle again",
                )
            ]
        ) from error
    except DefusedXmlException as error:
        raise MoodleXmlError(
            [
                MoodleProblem(
                    builder.line(),
                    "the file refers to an external document (a DTD or entity), which is "
                    "refused: nothing outside the file is read. Moodle never writes one; remove "
                    "the <!DOCTYPE …> line",
                )
            ]
        ) from error
    except SAXParseException as error:
        raise MoodleXmlError(
            [
                MoodleProblem(
                    error.getLineNumber(),
                    f"this is not well-formed XML ({error.getMessage()}, at column "
                    f"{error.getColumnNumber() + 1}); nothing after it could be read",
                )
            ]
        ) from error
    assert builder.root is not None  # a document without a root element fails to parse
    return builder.root


def _text(element: _Element | None, default_format: str = HTML) -> MoodleText:
    if element is None:
        return MoodleText(format=default_format)
    return MoodleText(
        text=element.text_of("text"),
        format=element.attrs.get("format", default_format).strip() or default_format,
        files=[file.attrs.get("name", "") for file in element.all("file")],
    )


def _number(raw: str, what: str, line: int, problems: list[MoodleProblem]) -> Decimal | None:
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(MoodleProblem(line, f"{what} “{raw.strip()}” is not a number"))
        return None
    return number


def _fraction(answer: _Element, question_type: str, problems) -> Decimal | None:
    raw = answer.attrs.get("fraction", "0")
    if question_type == ORDERING:  # an item's position in the right order, not a percentage
        return _number(raw, "the position", answer.line, problems)
    percent = _number(raw, "the fraction", answer.line, problems)
    if percent is None:
        return None
    if not -100 <= percent <= 100:
        problems.append(
            MoodleProblem(answer.line, f"the fraction {raw.strip()} is not between -100 and 100")
        )
        return None
    return percent.scaleb(-2)


def _answer(element: _Element, question_type: str, problems) -> MoodleAnswer:
    tolerance = element.first("tolerance")
    return MoodleAnswer(
        text=_text(element),
        fraction=_fraction(element, question_type, problems),
        feedback=_text(element.first("feedback")),
        tolerance=(
            _number(tolerance.text, "the tolerance", tolerance.line, problems)
            if tolerance is not None and tolerance.text.strip()
            else None
        ),
        line=element.line,
    )


def _question(element: _Element, category: str) -> MoodleQuestion:
    question_type = element.attrs.get("type", "").strip()
    question_type = {"match": MATCHING}.get(question_type, question_type)
    problems: list[MoodleProblem] = []
    name = element.first("name")
    tags = element.first("tags")
    units = element.first("units")
    return MoodleQuestion(
        type=question_type,
        name=name.text_of("text") if name is not None else "",
        text=_text(element.first("questiontext")),
        general_feedback=_text(element.first("generalfeedback")),
        answers=[_answer(answer, question_type, problems) for answer in element.all("answer")],
        subquestions=[
            MoodleSubquestion(
                text=_text(sub),
                answer=(sub.first("answer") or _Element("answer", {}, 0)).text_of("text"),
                feedback=_text(sub.first("feedback")),
                line=sub.line,
            )
            for sub in element.all("subquestion")
        ],
        tags=[tag.text_of("text") for tag in tags.all("tag")] if tags is not None else [],
        settings={
            child.tag: child.text.strip()
            for child in element.children
            if child.tag not in _STRUCTURED and not child.children
        },
        units=len(units.all("unit")) if units is not None else 0,
        category=category,
        line=element.line,
        problems=problems,
    )


# A question element's start tag, up to the next "<" or ">" (so the search is linear however
# the file is written); its type, when it is a category.
_QUESTION_TAG = re.compile(r"<question\b([^<>]*)")
_CATEGORY_TYPE = re.compile(r"""\btype\s*=\s*["']\s*category\s*["']""")
# The encoding an XML declaration names, which comes first in the file (after a byte-order mark).
_DECLARED_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.-]*)["']"""
)


def count_questions(text: str) -> int:
    """How many questions (of any type but category, descriptions included) a Moodle XML file
    holds, counted from their start tags without parsing the file."""
    return sum(not _CATEGORY_TYPE.search(match.group(1)) for match in _QUESTION_TAG.finditer(text))


def declared_encoding(data: bytes) -> str | None:
    """The character encoding a file's XML declaration names, if it names one."""
    match = _DECLARED_ENCODING.match(data)
    return match.group(1).decode("ascii") if match else None


def looks_like_xml(data: bytes) -> bool:
    """Whether a file is Moodle XML rather than GIFT text: after a byte-order mark and white
    space it starts with an XML declaration or Moodle's <quiz> (a GIFT question may start with
    an HTML tag of its own)."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith((b"<?xml", b"<quiz"))


def parse(data: bytes | str) -> list[MoodleQuestion | MoodleCategory]:
    """The categories and questions of a Moodle XML file (its bytes, or its text once decoded),
    in the file's order.

    Raises MoodleXmlError when the file cannot be read as a whole: not well-formed (with the
    line), entity declarations or external references (refused before they are expanded), or a
    root element other than <quiz>. Values that cannot be read inside one question (a fraction
    that is not a number) are left in that question's `problems`, so that every question's
    problems can be listed together."""
    root = _tree(data)
    if root.tag != "quiz":
        raise MoodleXmlError(
            [
                MoodleProblem(
                    root.line,
                    f"this is not a Moodle XML question file: it starts with <{root.tag}>, "
                    "where Moodle's files start with <quiz>",
                )
            ]
        )
    items: list[MoodleQuestion | MoodleCategory] = []
    category = ""
    for element in root.all("question"):
        if element.attrs.get("type", "").strip() == CATEGORY:
            category = (element.first("category") or _Element("category", {}, 0)).text_of("text")
            items.append(
                MoodleCategory(path=category, info=_text(element.first("info")), line=element.line)
            )
        else:
            items.append(_question(element, category))
    return items
