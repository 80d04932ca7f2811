"""Read and write Moodle XML, the format Moodle and Totara question banks are exported in.
Pure: no Django, so it can be property-tested.

`parse` turns a file (bytes, or text) into plain `MoodleQuestion`s and `MoodleCategory`s in the
file's order, each with its line, or raises `MoodleXmlError` when the file cannot be read at all
(not well-formed XML, entity declarations or external references, which defusedxml refuses before
they are expanded, or not a <quiz>). `dump` writes items back so that `parse(dump(items)) ==
items`. What the questions mean here (kinds, marks, texts) is decided by the mapping in
assessments.services.moodle_mapping, which reads HTML and Markdown texts with assessments.texts,
as the GIFT import does.
"""

from .questions import (
    CATEGORY,
    DESCRIPTION,
    ESSAY,
    HTML,
    MARKDOWN,
    MATCHING,
    MOODLE_AUTO,
    MULTICHOICE,
    NUMERICAL,
    ORDERING,
    PLAIN,
    SHORTANSWER,
    TEXT_FORMATS,
    TRUEFALSE,
    WIKI,
    MoodleAnswer,
    MoodleCategory,
    MoodleProblem,
    MoodleQuestion,
    MoodleSubquestion,
    MoodleText,
    MoodleXmlError,
    join_category_path,
    split_category_path,
)
from .reader import count_questions, declared_encoding, looks_like_xml, parse
from .writer import document, dump, dump_question

__all__ = [
    "CATEGORY",
    "DESCRIPTION",
    "ESSAY",
    "HTML",
    "MARKDOWN",
    "MATCHING",
    "MOODLE_AUTO",
    "MULTICHOICE",
    "NUMERICAL",
    "ORDERING",
    "PLAIN",
    "SHORTANSWER",
    "TEXT_FORMATS",
    "TRUEFALSE",
    "WIKI",
    "MoodleAnswer",
    "MoodleCategory",
    "MoodleProblem",
    "MoodleQuestion",
    "MoodleSubquestion",
    "MoodleText",
    "MoodleXmlError",
    "count_questions",
    "declared_encoding",
    "document",
    "dump",
    "dump_question",
    "join_category_path",
    "looks_like_xml",
    "parse",
    "split_category_path",
]
