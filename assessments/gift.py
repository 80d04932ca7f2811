"""Read and write Moodle's GIFT question format. Pure: no Django, so it can be property-tested.

GIFT (https://docs.moodle.org/en/GIFT_format) is how trainers move question banks in and out of
Moodle. `parse` turns a file into plain `ParsedQuestion`s or raises `GiftError` listing every
problem it found, each with its line; it never returns part of a broken file, so an import built on
it is all-or-nothing. `dump` writes questions back so that `parse(dump(qs)) == qs`.

Where Moodle is lenient in ways that would silently lose a trainer's work (an unknown answer block,
a malformed weight, a second answer block), we report a problem instead.

A missing-word question has text after its answer block ("Grant is {~buried =entombed} in Grant's
tomb."). Moodle shows it with BLANK where the block was; `with_blank` gives that text and
`split_at_blank` turns such a text back into the two parts, so a question can go out of the
Academy in missing-word form and come back with the same text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

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

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SPECIAL = re.compile(r"([~=#{}:\\])")
_UNESCAPED = {"n": "\n", **{char: char for char in "~=#{}:\\"}}
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]", re.IGNORECASE | re.ASCII)
_CATEGORY = re.compile(r"\s*\$CATEGORY:(.*)")
_PERCENT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")
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
    Numerical answers carry `value` and `tolerance`, or `minimum` and `maximum` for a range.
    `line` is where it is written in the file (0 when it was not read from one).
    """

    text: str
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    match: str | None = None
    value: Decimal | None = None
    tolerance: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    line: int = field(default=0, compare=False)  # where it is in the file; not content

    @classmethod
    def numeric(
        cls, *, fraction=Decimal(1), feedback="", line=0, **numbers: Decimal
    ) -> ParsedAnswer:
        """A numerical answer from value= (tolerance= 0 unless given) or minimum= and maximum=;
        its `text` is how GIFT spells it: '1822', '1822:2' or '1..5'."""
        if "value" in numbers:
            tolerance = numbers.setdefault("tolerance", Decimal(0))
            text = f"{numbers['value']}" + (f":{tolerance}" if tolerance else "")
        else:
            text = f"{numbers['minimum']}..{numbers['maximum']}"
        return cls(text=text, fraction=fraction, feedback=feedback, line=line, **numbers)


@dataclass(kw_only=True)
class ParsedQuestion:
    """A question as written in GIFT.

    In a missing-word question `stem` is the text before the answer block and `stem_after` the
    text after it; `space_before_blank` and `space_after_blank` say whether the block is set
    apart from them by white space ("from {...}." has none after). They stay True otherwise.
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


# --- Reading ---------------------------------------------------------------------------------


def _unescape(raw: str) -> str:
    # As in Moodle, an unknown escape such as \x stays as written.
    return _ESCAPED.sub(lambda match: _UNESCAPED.get(match[1], match[0]), raw)


class _Block:
    """One question's lines joined, with escaped characters masked so that searches skip them."""

    def __init__(self, lines: list[tuple[int, str]], problems: list[GiftProblem]) -> None:
        self.problems = problems  # shared by the whole file, so that all are reported at once
        self.raw = "\n".join(text for _, text in lines)
        # Same length as `raw`, so an index found in one is valid in the other.
        self.masked = _ESCAPED.sub("\0\0", self.raw)
        self.first_line = lines[0][0]
        self._numbers = [number for number, _ in lines]
        self._starts = list(accumulate((len(text) + 1 for _, text in lines[:-1]), initial=0))

    def line_at(self, index: int) -> int:
        return self._numbers[bisect_right(self._starts, index) - 1]

    def report(self, index: int, message: str) -> None:
        self.problems.append(GiftProblem(self.line_at(index), message))

    def find(self, needle: str, start: int, end: int) -> int:
        return self.masked.find(needle, start, end)

    def text(self, start: int, end: int) -> str:
        return _unescape(self.raw[start:end]).strip()

    def skip_space(self, start: int, end: int) -> int:
        chunk = self.masked[start:end]
        return start + len(chunk) - len(chunk.lstrip())


def _blocks(text: str, problems: list[GiftProblem]) -> Iterable[_Block | tuple[str | None]]:
    """Blank lines separate questions; // lines are comments; $CATEGORY: lines stand alone."""
    lines: list[tuple[int, str]] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if lines:
                yield _Block(lines, problems)
            lines = []
        elif not lines and (category := _CATEGORY.match(line)):
            yield (category[1].strip() or None,)
        else:
            lines.append((number, line))
    if lines:
        yield _Block(lines, problems)


def parse(text: str) -> list[ParsedQuestion]:
    """Every question in a GIFT file, or GiftError with every problem if any question is bad."""
    problems: list[GiftProblem] = []
    questions: list[ParsedQuestion] = []
    category = None
    for block in _blocks(text, problems):
        if isinstance(block, tuple):
            (category,) = block
        elif (question := _read_question(block, category)) is not None:
            questions.append(question)
    if problems:
        raise GiftError(problems)
    return questions


def _read_question(block: _Block, category: str | None) -> ParsedQuestion | None:
    known_problems = len(block.problems)
    end = len(block.raw)
    start = block.skip_space(0, end)
    name = None
    if block.masked.startswith("::", start):
        close = block.find("::", start + 2, end)
        if close < 0:
            block.report(start, "the question name is not closed with '::' (write \\: for a colon)")
            return None
        name = block.text(start + 2, close) or None
        start = block.skip_space(close + 2, end)
    text_format = DEFAULT_FORMAT
    if marker := _FORMAT.match(block.masked, start):
        text_format, start = marker[1].lower(), marker.end()

    opening, closing = block.find("{", start, end), block.find("}", start, end)
    common = {"name": name, "text_format": text_format, "category": category}
    common["line"] = block.first_line
    if closing >= 0 and not 0 <= opening < closing:
        block.report(closing, "'}' closes no answer block (write \\} for a literal brace)")
        return None
    if opening < 0:
        stem = block.text(start, end)
        if not stem:
            block.report(start, "the question has no text")
            return None
        return ParsedQuestion(kind=DESCRIPTION, stem=stem, **common)
    if closing < 0:
        block.report(opening, "the answer block opened with '{' is never closed with '}'")
        return None
    if (nested := block.find("{", opening + 1, closing)) >= 0:
        where = f"before the '{{' on line {block.line_at(nested)}"
        block.report(opening, f"the answer block opened with '{{' is not closed {where}")
        return None
    extra = [index for index in (block.find(c, closing + 1, end) for c in "{}") if index >= 0]
    if extra:
        block.report(min(extra), "a second answer block: separate questions with a blank line")
        return None

    stem, stem_after = block.text(start, opening), block.text(closing + 1, end)
    if not stem and not stem_after:
        block.report(opening, "the question has no text")
    answers_end, general_feedback = closing, ""
    if (hashes := block.find("####", opening + 1, closing)) >= 0:
        answers_end, general_feedback = hashes, block.text(hashes + 4, closing)
    kind, answers = _read_answers(block, opening + 1, answers_end)
    if kind is None or len(block.problems) > known_problems:
        return None
    common.update(stem=stem, stem_after=stem_after, general_feedback=general_feedback)
    if stem_after:  # a missing-word question: is the block set apart from the text around it?
        common["space_before_blank"] = not stem or block.masked[opening - 1].isspace()
        common["space_after_blank"] = block.masked[closing + 1].isspace()
    return ParsedQuestion(kind=kind, answers=answers, **common)


@dataclass
class _Item:
    """One '=' or '~' answer of a block: where it is, its %weight% and its #feedback."""

    marker: str
    index: int
    weight: Decimal | None
    text_start: int
    text_end: int
    feedback: str


def _read_item(block: _Block, index: int, end: int) -> _Item:
    start = block.skip_space(index + 1, end)
    weight = None
    if block.masked.startswith("%", start):
        close = block.find("%", start + 1, end)
        if close < 0:
            block.report(start, "a weight opened with '%' has no closing '%' (e.g. ~%50%answer)")
        else:
            raw = block.raw[start + 1 : close].strip()
            if _PERCENT.fullmatch(raw) and -100 <= Decimal(raw) <= 100:
                weight = Decimal(raw).scaleb(-2)
            else:
                block.report(start, f"'%{raw}%' is not a percentage between -100% and 100%")
            start = close + 1
    hash_ = block.find("#", start, end)
    feedback = "" if hash_ < 0 else block.text(hash_ + 1, end)
    text_end = end if hash_ < 0 else hash_
    return _Item(block.masked[index], index, weight, start, text_end, feedback)


def _read_items(block: _Block, start: int, end: int) -> list[_Item]:
    marks = [index for index in range(start, end) if block.masked[index] in "=~"]
    if marks and block.masked[start : marks[0]].strip():
        hint = "start each answer with '=' (right) or '~' (wrong)"
        block.report(block.skip_space(start, end), f"text before the first answer: {hint}")
    return [
        _read_item(block, mark, following)
        for mark, following in zip(marks, [*marks[1:], end][: len(marks)], strict=True)
    ]


def _read_answers(block: _Block, start: int, end: int) -> tuple[str | None, list[ParsedAnswer]]:
    body = block.masked[start:end].strip()
    if not body:
        return ESSAY, []
    if body.startswith("#"):
        return NUMERICAL, _numerical(block, block.find("#", start, end), end)
    items = _read_items(block, start, end)
    if not items:
        return _true_false(block, start, end)
    if any(item.marker == "~" for item in items):
        return _choice(block, items)
    if any(block.find("->", item.text_start, item.text_end) >= 0 for item in items):
        return MATCHING, _matching(block, items)
    return SHORTANSWER, _short_answers(block, items)


def _answers(block: _Block, items: list[_Item], what: str) -> list[ParsedAnswer]:
    answers = []
    for item in items:
        text = block.text(item.text_start, item.text_end)
        if not text:
            block.report(item.index, f"{what} has no text")
        fraction = Decimal(item.marker == "=") if item.weight is None else item.weight
        answers.append(
            ParsedAnswer(
                text=text,
                fraction=fraction,
                feedback=item.feedback,
                line=block.line_at(item.index),
            )
        )
    return answers


def _choice(block: _Block, items: list[_Item]) -> tuple[str, list[ParsedAnswer]]:
    # As in Moodle: one '=' makes it single choice; only '~' (with weights) is multiple response.
    kind = SINGLE if any(item.marker == "=" for item in items) else MULTIPLE
    answers = _answers(block, items, "an option")
    if len(answers) < 2:
        block.report(items[0].index, "a multiple-choice question needs at least two options")
    elif kind == SINGLE and not any(answer.fraction == 1 for answer in answers):
        block.report(items[0].index, "no option is worth 100%: mark the right one with '='")
    elif kind == MULTIPLE and not any(answer.fraction > 0 for answer in answers):
        block.report(items[0].index, "no option has a positive weight such as ~%50%")
    return kind, answers


def _short_answers(block: _Block, items: list[_Item]) -> list[ParsedAnswer]:
    answers = _answers(block, items, "an accepted answer")
    for item, answer in zip(items, answers, strict=True):
        if answer.fraction < 0:
            block.report(item.index, "only multiple-choice options can have a negative weight")
    if not any(answer.fraction == 1 for answer in answers):
        block.report(items[0].index, "no accepted answer is worth 100%")
    return answers


def _matching(block: _Block, items: list[_Item]) -> list[ParsedAnswer]:
    answers = []
    for item in items:
        if item.weight is not None:
            block.report(item.index, "matching pairs cannot have a weight")
        arrow = block.find("->", item.text_start, item.text_end)
        if arrow < 0:
            block.report(item.index, "a matching pair needs '->', as in =item -> match")
            continue
        match = block.text(arrow + 2, item.text_end)
        if not match:
            block.report(item.index, "a matching pair has nothing after '->'")
        # An empty left side is allowed: Moodle uses it for an extra, distracting match.
        left = block.text(item.text_start, arrow)
        answers.append(
            ParsedAnswer(
                text=left, match=match, feedback=item.feedback, line=block.line_at(item.index)
            )
        )
    if len(answers) == len(items) and sum(bool(a.text) for a in answers) < MIN_MATCHING_PAIRS:
        block.report(items[0].index, f"matching needs at least {MIN_MATCHING_PAIRS} pairs")
    return answers


def _true_false(block: _Block, start: int, end: int) -> tuple[str | None, list[ParsedAnswer]]:
    hash_ = block.find("#", start, end)
    word = block.masked[start : end if hash_ < 0 else hash_].strip().upper()
    if word not in _TRUE + _FALSE:
        hint = "start answers with '=' or '~', or write {T}, {F}, {#number}, or {} for an essay"
        block.report(block.skip_space(start, end), f"unrecognised answer block: {hint}")
        return None, []
    # Moodle's order: {T#feedback for a wrong answer#feedback for the right answer}.
    wrong = right = ""
    if hash_ >= 0:
        second = block.find("#", hash_ + 1, end)
        wrong = block.text(hash_ + 1, end if second < 0 else second)
        right = "" if second < 0 else block.text(second + 1, end)
    truth, line = word in _TRUE, block.line_at(block.skip_space(start, end))
    return TRUEFALSE, [
        ParsedAnswer(
            text="true", fraction=Decimal(truth), feedback=right if truth else wrong, line=line
        ),
        ParsedAnswer(
            text="false", fraction=Decimal(not truth), feedback=wrong if truth else right, line=line
        ),
    ]


def _numerical(block: _Block, hash_: int, end: int) -> list[ParsedAnswer]:
    # {#1822:1} is one answer; {#=1822:0 =%50%1822:2} is several. The '#' then acts as the '='.
    items = _read_items(block, hash_ + 1, end) or [_read_item(block, hash_, end)]
    answers = []
    for item in items:
        fraction = Decimal(1) if item.weight is None else item.weight
        if item.marker == "~":
            block.report(item.index, "numerical answers start with '=' ('~' is not supported here)")
        elif fraction < 0:
            block.report(item.index, "only multiple-choice options can have a negative weight")
        elif isinstance(numbers := _numbers(block.text(item.text_start, item.text_end)), str):
            block.report(item.index, numbers)
        else:
            answers.append(
                ParsedAnswer.numeric(
                    **numbers,
                    fraction=fraction,
                    feedback=item.feedback,
                    line=block.line_at(item.index),
                )
            )
    if len(answers) == len(items) and not any(answer.fraction == 1 for answer in answers):
        block.report(items[0].index, "no numerical answer is worth 100%")
    return answers


def _numbers(spec: str) -> dict[str, Decimal] | str:
    """value[:tolerance] or minimum..maximum as keyword arguments, or what is wrong with it."""
    if not spec:
        return "a numerical answer needs a number"
    if ".." in spec:
        low, high = (part.strip() for part in spec.split("..", 1))
        if not (_NUMBER.fullmatch(low) and _NUMBER.fullmatch(high)):
            return f"'{spec}' is not a range of numbers such as 1..5"
        if Decimal(low) > Decimal(high):
            return f"the range '{spec}' starts above where it ends"
        return {"minimum": Decimal(low), "maximum": Decimal(high)}
    value, colon, tolerance = (part.strip() for part in spec.partition(":"))
    if not _NUMBER.fullmatch(value):
        return f"'{value}' is not a number"
    if colon and not _NUMBER.fullmatch(tolerance):
        return f"the tolerance '{tolerance}' is not a number"
    if colon and Decimal(tolerance) < 0:
        return "a tolerance cannot be negative"
    return {"value": Decimal(value), "tolerance": Decimal(tolerance) if colon else Decimal(0)}


# --- Writing ---------------------------------------------------------------------------------


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
