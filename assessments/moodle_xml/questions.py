"""Moodle XML as plain data: what `parse` gives and `dump` takes, close to the file's own
elements, so that the mapping to our questions (services.moodle_mapping) is the only place that
decides what a Moodle question means here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Moodle's names for its text formats (the `format` attribute of a text element).
HTML = "html"
PLAIN = "plain_text"
MOODLE_AUTO = "moodle_auto_format"
MARKDOWN = "markdown"
WIKI = "wiki_like"
TEXT_FORMATS = (HTML, PLAIN, MOODLE_AUTO, MARKDOWN, WIKI)

# Question types (the `type` attribute of <question>); Moodle reads "match" as "matching" and
# "cloze" as "multianswer".
CATEGORY = "category"
MULTICHOICE = "multichoice"
TRUEFALSE = "truefalse"
SHORTANSWER = "shortanswer"
NUMERICAL = "numerical"
MATCHING = "matching"
ORDERING = "ordering"
ESSAY = "essay"
DESCRIPTION = "description"


@dataclass(frozen=True)
class MoodleProblem:
    line: int  # 1-based; 0 when the problem is the file's as a whole
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class MoodleXmlError(ValueError):
    """A file that is not a Moodle XML file we can read at all (not XML, hostile, not a quiz)."""

    def __init__(self, problems: list[MoodleProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class MoodleText:
    """A text element: its <text>, its format, and the names of the files embedded in it
    (<file name="…" encoding="base64">; their content is not kept)."""

    text: str = ""
    format: str = HTML
    files: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class MoodleAnswer:
    """An <answer>: an option, an accepted answer, or an ordering item. `fraction` is the
    attribute divided by 100 (None when it is not a number); ordering items keep their position
    there, as Moodle does. `tolerance` is a numerical answer's."""

    text: MoodleText
    fraction: Decimal | None = Decimal(0)
    feedback: MoodleText = field(default_factory=MoodleText)
    tolerance: Decimal | None = None
    line: int = field(default=0, compare=False)


@dataclass(kw_only=True)
class MoodleSubquestion:
    """A matching pair: the <subquestion>'s text and its <answer>. An empty text is an extra
    wrong answer. `feedback` is our addition (Moodle's pairs have none and Moodle skips it)."""

    text: MoodleText
    answer: str
    feedback: MoodleText = field(default_factory=MoodleText)
    line: int = field(default=0, compare=False)


@dataclass(kw_only=True)
class MoodleQuestion:
    """A <question>. `settings` holds the type's simple elements by name as written
    (single, usecase, gradingtype, responseformat, ...); `category` is the path of the category
    element before it ("" when there is none). `problems` are values that could not be read."""

    type: str
    name: str = ""
    text: MoodleText = field(default_factory=MoodleText)
    general_feedback: MoodleText = field(default_factory=MoodleText)
    answers: list[MoodleAnswer] = field(default_factory=list)
    subquestions: list[MoodleSubquestion] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    units: int = 0
    category: str = ""
    line: int = field(default=0, compare=False)
    problems: list[MoodleProblem] = field(default_factory=list, compare=False)


@dataclass(kw_only=True)
class MoodleCategory:
    """A <question type="category">: the questions after it belong to `path`."""

    path: str
    info: MoodleText = field(default_factory=MoodleText)
    line: int = field(default=0, compare=False)


def split_category_path(path: str) -> list[str]:
    """A category path's names: '$course$/top/A/B' -> ['$course$', 'top', 'A', 'B']. A name with
    a slash in it is written with the slash doubled ('Q//A' is the one name 'Q/A'); empty names
    are dropped."""
    names, current, index = [], [], 0
    while index < len(path):
        if path.startswith("//", index):
            current.append("/")
            index += 2
        elif path[index] == "/":
            names.append("".join(current))
            current = []
            index += 1
        else:
            current.append(path[index])
            index += 1
    names.append("".join(current))
    return [name.strip() for name in names if name.strip()]


def join_category_path(names: list[str]) -> str:
    """The inverse of split_category_path for names without spaces or slashes at their ends
    (a slash there cannot be told from the separator beside it, in Moodle as here)."""
    return "/".join(name.replace("/", "//") for name in names)
