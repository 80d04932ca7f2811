"""Reading GIFT: `parse` a file into questions, or report every problem with its line."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from .questions import (
    _FORMAT,
    DEFAULT_FORMAT,
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MIN_MATCHING_PAIRS,
    MULTIPLE,
    NUMERICAL,
    SHORTANSWER,
    SINGLE,
    TRUEFALSE,
    GiftError,
    GiftProblem,
    ParsedAnswer,
    ParsedQuestion,
)

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED = {"n": "\n", **{char: char for char in "~=#{}:\\"}}
_CATEGORY = re.compile(r"\s*\$CATEGORY:(.*)")
_PERCENT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")


def _unescape(raw: str) -> str:
    # As in Moodle, an unknown escape such as \x stays as written.
    return _ESCAPED.sub(lambda match: _UNESCAPED.get(match[1], match[0]), raw)


class _Block:
    """One question's lines joined, with escaped characters masked so that searches skip them."""

    def __init__(self, lines: list[tuple[int, str]], problems: list[GiftProblem]) -> None:
        self.text_format = DEFAULT_FORMAT  # the question's, once read: its texts' default
        self.problems = problems
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

    def formatted(self, start: int, end: int) -> tuple[str, str | None]:
        """An option's or feedback's text without the format marker it may start with, and that
        format when it is not the question's (None otherwise, and for an empty text)."""
        start = self.skip_space(start, end)
        text_format = None
        if marker := _FORMAT.match(self.masked, start, end):
            text_format, start = marker[1].lower(), marker.end()
        text = self.text(start, end)
        return text, text_format if text and text_format != self.text_format else None

    def skip_space(self, start: int, end: int) -> int:
        chunk = self.masked[start:end]
        return start + len(chunk) - len(chunk.lstrip())


def _blocks(text: str) -> Iterable[_Block | tuple[str | None]]:
    """Blank lines separate questions; // lines are comments; $CATEGORY: lines stand alone."""
    lines: list[tuple[int, str]] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if lines:
                yield _Block(lines, [])
            lines = []
        elif not lines and (category := _CATEGORY.match(line)):
            yield (category[1].strip() or None,)
        else:
            lines.append((number, line))
    if lines:
        yield _Block(lines, [])


def parse(text: str) -> list[ParsedQuestion]:
    """Every question in a GIFT file, or GiftError with every problem if any question is bad."""
    problems: list[GiftProblem] = []
    questions: list[ParsedQuestion] = []
    for question, found in read(text):
        problems += found
        if question is not None:
            questions.append(question)
    if problems:
        raise GiftError(problems)
    return questions


def read(
    text: str, *, max_answers: int | None = None
) -> Iterator[tuple[ParsedQuestion | None, list[GiftProblem]]]:
    """Each question of a GIFT file in turn, with the problems found in it in line order (the
    question is None when there are any), so that a caller can stop early or keep only some.

    A question with more than `max_answers` answers is refused before any of them is read: the
    work for a question stays in proportion to its text however its answers are written.
    """
    category = None
    for block in _blocks(text):
        if isinstance(block, tuple):
            (category,) = block
            continue
        question = _read_question(block, category, max_answers)
        yield question, sorted(block.problems, key=lambda problem: problem.line)


def count_questions(text: str) -> int:
    """How many questions (blocks of text between blank lines) a GIFT file holds, read or not."""
    return sum(not isinstance(block, tuple) for block in _blocks(text))


def _read_question(
    block: _Block, category: str | None, max_answers: int | None = None
) -> ParsedQuestion | None:
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
    block.text_format = text_format

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
    answers_end, general_feedback, feedback_format = closing, "", None
    if (hashes := block.find("####", opening + 1, closing)) >= 0:
        answers_end = hashes
        general_feedback, feedback_format = block.formatted(hashes + 4, closing)
    count = sum(block.masked.count(marker, opening + 1, answers_end) for marker in "=~")
    if max_answers is not None and count > max_answers:
        block.report(
            opening,
            f"the question has {count:,} answers; at most {max_answers:,} are allowed in one",
        )
        return None
    kind, answers = _read_answers(block, opening + 1, answers_end)
    if kind is None or len(block.problems) > known_problems:
        return None
    common.update(
        stem=stem,
        stem_after=stem_after,
        general_feedback=general_feedback,
        general_feedback_format=feedback_format,
    )
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
    feedback_format: str | None


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
    feedback, feedback_format = ("", None) if hash_ < 0 else block.formatted(hash_ + 1, end)
    text_end = end if hash_ < 0 else hash_
    return _Item(block.masked[index], index, weight, start, text_end, feedback, feedback_format)


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
        text, text_format = block.formatted(item.text_start, item.text_end)
        if not text:
            block.report(item.index, f"{what} has no text")
        fraction = Decimal(item.marker == "=") if item.weight is None else item.weight
        answers.append(
            ParsedAnswer(
                text=text,
                fraction=fraction,
                feedback=item.feedback,
                text_format=text_format,
                feedback_format=item.feedback_format,
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
        # As in Moodle, only the left side may name a format; the match is plain text.
        left, left_format = block.formatted(item.text_start, arrow)
        answers.append(
            ParsedAnswer(
                text=left,
                match=match,
                feedback=item.feedback,
                text_format=left_format,
                feedback_format=item.feedback_format,
                line=block.line_at(item.index),
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
    wrong = right = ("", None)
    if hash_ >= 0:
        second = block.find("#", hash_ + 1, end)
        wrong = block.formatted(hash_ + 1, end if second < 0 else second)
        right = ("", None) if second < 0 else block.formatted(second + 1, end)
    truth, line = word in _TRUE, block.line_at(block.skip_space(start, end))
    feedback = {True: right if truth else wrong, False: wrong if truth else right}
    return TRUEFALSE, [
        ParsedAnswer(
            text=str(value).lower(),
            fraction=Decimal(value == truth),
            feedback=feedback[value][0],
            feedback_format=feedback[value][1],
            line=line,
        )
        for value in (True, False)
    ]


def _numerical(block: _Block, hash_: int, end: int) -> list[ParsedAnswer]:
    # {#1822:1} is one answer; {#=1822:0 =%50%1822:2} is several. The '#' then acts as the '='.
    # As in Moodle, everything from the first '~' is the feedback for any other answer.
    tilde = block.find("~", hash_ + 1, end)
    answers_end = end if tilde < 0 else tilde
    items = _read_items(block, hash_ + 1, answers_end)
    if not items and block.masked[hash_ + 1 : answers_end].strip():
        items = [_read_item(block, hash_, answers_end)]
    answers = []
    for item in items:
        fraction = Decimal(1) if item.weight is None else item.weight
        if fraction < 0:
            block.report(item.index, "only multiple-choice options can have a negative weight")
        elif isinstance(numbers := _numbers(block.text(item.text_start, item.text_end)), str):
            block.report(item.index, numbers)
        else:
            answers.append(
                ParsedAnswer.numeric(
                    **numbers,
                    fraction=fraction,
                    feedback=item.feedback,
                    feedback_format=item.feedback_format,
                    line=block.line_at(item.index),
                )
            )
    if not items:
        block.report(hash_, "a numerical answer needs a number")
    elif len(answers) == len(items) and not any(answer.fraction == 1 for answer in answers):
        block.report(items[0].index, "no numerical answer is worth 100%")
    if tilde >= 0:
        other = _read_item(block, tilde, end)
        if other.weight is not None or block.masked[other.text_start : other.text_end].strip():
            block.report(
                tilde,
                "after '~' a numerical question takes only '#feedback' for any other answer "
                "(write each accepted number with '=')",
            )
        answers.append(
            ParsedAnswer.any_other(
                feedback=other.feedback,
                feedback_format=other.feedback_format,
                line=block.line_at(tilde),
            )
        )
    return answers


def _numbers(spec: str) -> dict[str, Decimal] | str:
    """value[:tolerance] or minimum..maximum as keyword arguments, or what is wrong with it."""
    if not spec:
        return "a numerical answer needs a number"
    if ".." in spec:
        low, high = (part.strip() for part in spec.split("..", 1))
        if not (_NUMBER.fullmatch(low) and _NUMBER.fullmatch(high)):
            return f"'{spec}' is not a range of numbers such as 1..5"
        # Moodle keeps a range's midpoint and the size of its half-width, so 5..1 is 1..5.
        low, high = sorted((Decimal(low), Decimal(high)))
        return {"minimum": low, "maximum": high}
    value, colon, tolerance = (part.strip() for part in spec.partition(":"))
    if not _NUMBER.fullmatch(value):
        return f"'{value}' is not a number"
    if colon and not _NUMBER.fullmatch(tolerance):
        return f"the tolerance '{tolerance}' is not a number"
    if colon and Decimal(tolerance) < 0:
        return "a tolerance cannot be negative"
    return {"value": Decimal(value), "tolerance": Decimal(tolerance) if colon else Decimal(0)}
