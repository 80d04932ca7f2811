"""Questions as GIFT writes them: the plain data `parse` gives and `dump` takes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
SHORTANSWER = "shortanswer"
NUMERICAL = "numerical"
MATCHING = "matching"
ESSAY = "essay"
DESCRIPTION = "description"
KINDS = (SINGLE, MULTIPLE, TRUEFALSE, SHORTANSWER, NUMERICAL, MATCHING, ESSAY, DESCRIPTION)

TEXT_FORMATS = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"  # what Moodle assumes when a question names no format
# Moodle's question form wants 3 pairs, but its GIFT import accepts 2; so do we.
MIN_MATCHING_PAIRS = 2

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]", re.IGNORECASE | re.ASCII)
# A numerical question's "any other answer" (Moodle's '*'), written `~#feedback` after the others.
ANY_OTHER = "*"
# Where a missing-word question's answers go: five underscores, as Moodle's own GIFT import writes.
BLANK = "_____"
_BLANK = re.compile(rf"(?<!_){BLANK}(?!_)")  # exactly five, not part of a longer line


@dataclass(frozen=True)
class GiftProblem:
    line: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftError(ValueError):
    """A GIFT file that cannot be imported; `problems` lists every one found, in line order."""

    def __init__(self, problems: list[GiftProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(kw_only=True)
class ParsedAnswer:
    """One option, accepted answer, matching pair (`text` -> `match`) or numerical answer.

    `fraction` is the share of the mark it earns (-1..1; negative only for choice questions).
    Numerical answers carry `value` and `tolerance`, or `minimum` and `maximum` for a range; the
    one with `text` ANY_OTHER and no numbers is what every other answer earns (0) and is told.
    `text_format` and `feedback_format` are set only where the text names a format of its own
    ("~[html]<b>a</b>"); otherwise the text is in the question's format, as in Moodle.
    `line` is where it is written in the file (0 when it was not read from one).
    """

    text: str
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    text_format: str | None = None
    feedback_format: str | None = None
    match: str | None = None
    value: Decimal | None = None
    tolerance: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    line: int = field(default=0, compare=False)  # where it is in the file; not content

    @classmethod
    def numeric(
        cls, *, fraction=Decimal(1), feedback="", feedback_format=None, line=0, **numbers: Decimal
    ) -> ParsedAnswer:
        """A numerical answer from value= (tolerance= 0 unless given) or minimum= and maximum=;
        its `text` is how GIFT spells it: '1822', '1822:2' or '1..5'."""
        if "value" in numbers:
            tolerance = numbers.setdefault("tolerance", Decimal(0))
            text = f"{numbers['value']}" + (f":{tolerance}" if tolerance else "")
        else:
            text = f"{numbers['minimum']}..{numbers['maximum']}"
        return cls(
            text=text,
            fraction=fraction,
            feedback=feedback,
            feedback_format=feedback_format,
            line=line,
            **numbers,
        )

    @classmethod
    def any_other(cls, *, feedback="", feedback_format=None, line=0) -> ParsedAnswer:
        """A numerical question's answer for every number no other answer accepts."""
        return cls(text=ANY_OTHER, feedback=feedback, feedback_format=feedback_format, line=line)

    @property
    def is_any_other(self) -> bool:
        return self.text == ANY_OTHER and self.value is None and self.minimum is None


@dataclass(kw_only=True)
class ParsedQuestion:
    """A question as written in GIFT.

    In a missing-word question `stem` is the text before the answer block and `stem_after` the
    text after it; `space_before_blank` and `space_after_blank` say whether the block is set
    apart from them by white space ("from {...}." has none after). They stay True otherwise.
    A description (no answer block) has only a name, a stem and its format.
    """

    kind: str
    name: str | None = None
    stem: str = ""
    stem_after: str = ""
    space_before_blank: bool = True
    space_after_blank: bool = True
    text_format: str = DEFAULT_FORMAT
    category: str | None = None
    general_feedback: str = ""
    general_feedback_format: str | None = None  # set only where it differs from text_format
    answers: list[ParsedAnswer] = field(default_factory=list)
    line: int = field(default=0, compare=False)  # where it starts in the file; not content

    @property
    def missing_word(self) -> bool:
        return bool(self.stem_after)


def with_blank(question: ParsedQuestion) -> str:
    """The question's text as Moodle shows it: BLANK where a missing-word question's answer block
    was ("Grant is _____ in Grant's tomb."), else just the stem."""
    if not question.missing_word:
        return question.stem
    before = question.stem + (" " if question.stem and question.space_before_blank else "")
    after = (" " if question.space_after_blank else "") + question.stem_after
    return before + BLANK + after


def split_at_blank(text: str) -> dict[str, str | bool] | None:
    """The missing-word parts of a text with one BLANK and some text after it, as keyword
    arguments for ParsedQuestion (so that `with_blank` gives the text back exactly); None for any
    other text, which is then written as it is."""
    blanks = list(_BLANK.finditer(text))
    if len(blanks) != 1:
        return None
    before, after = text[: blanks[0].start()], text[blanks[0].end() :]
    parts = {
        "stem": before.removesuffix(" "),
        "stem_after": after.removeprefix(" "),
        "space_before_blank": before.endswith(" ") or not before,
        "space_after_blank": after.startswith(" "),
    }
    # GIFT trims the text either side of the block, so only trimmed parts come back the same.
    if any(parts[key] != parts[key].strip() for key in ("stem", "stem_after")):
        return None
    question = ParsedQuestion(kind=SINGLE, **parts)
    return parts if question.missing_word and with_blank(question) == text else None
