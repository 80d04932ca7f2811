"""How our questions map to Moodle's GIFT questions (assessments.gift) and back: kinds,
options, weights and accepted answers. The bank imports and exports (services.importing) use it."""

import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal

from .. import gift, texts
from ..models import Choice, Question, QuestionKind

_FRACTION_PLACES = Decimal(1).scaleb(-Choice._meta.get_field("fraction").decimal_places)


# Moodle's path starts with the context it was exported from ($course$, $system$, ...) and its
# "top" category; neither is a bank here. A '/' inside a category's name is written '//'.
_CONTEXT = re.compile(r"\$[a-z]+\$")
_SLASH = "\0"
# How a sub-bank made by an import is named: bank names are unique across all banks.
_SUB_BANK = "{parent} / {name}"


@functools.lru_cache(maxsize=256)
def category_path(category: str | None) -> tuple[str, ...]:
    """The sub-bank names a $CATEGORY line gives, outermost first ("$course$/top/Complaints/
    Welcoming" and "Complaints/Welcoming" give the same two). Cached: every question after a
    $CATEGORY line asks for the same one, and a hostile file's may be long."""
    segments = [
        segment.replace(_SLASH, "/").strip()
        for segment in (category or "").replace("//", _SLASH).split("/")
    ]
    segments = [segment for segment in segments if segment]
    if segments and _CONTEXT.fullmatch(segments[0]):
        segments = segments[1:]
        if segments[:1] == ["top"]:
            segments = segments[1:]
    return tuple(segments)


def sub_bank_name(parent: str, name: str) -> str:
    return _SUB_BANK.format(parent=parent, name=name)


def written_category(names: list[str]) -> str | None:
    """The $CATEGORY path for a sub-bank, from the names of the banks on its path, outermost
    first (as services.importing.bank_tree gives them)."""
    return "/".join(name.replace("/", "//") for name in names) or None


def kept_fraction(weight: Decimal) -> Decimal:
    """A weight (e.g. 33.33333% as 0.3333333) in the places Choice.fraction keeps."""
    return weight.quantize(_FRACTION_PLACES, rounding=ROUND_HALF_EVEN)


class _Texts:
    """Turns a parsed question's texts into plain text (assessments.texts), each in its own
    format or the question's, collecting what cannot be kept on the line it was written on."""

    def __init__(self, parsed: gift.ParsedQuestion) -> None:
        self.parsed = parsed
        self.problems: list[gift.GiftProblem] = []

    def plain(self, text: str, text_format: str | None, line: int = 0) -> str:
        plain, things = texts.plain_text(text, text_format or self.parsed.text_format)
        where = line or self.parsed.line
        self.problems += [
            gift.GiftProblem(where, texts.problem("the text", thing)) for thing in things
        ]
        return plain


def question_fields_from_gift(
    parsed: gift.ParsedQuestion,
) -> tuple[dict, list[dict], list[gift.GiftProblem]]:
    """Our question's text fields, kind and options for a parsed question (a description's text
    is its stem, with no kind), and what cannot be carried over, each on its line.

    A missing-word question keeps its kind; its stem gets gift.BLANK where the answers were."""
    texts = _Texts(parsed)
    fields = {"stem": texts.plain(gift.with_blank(parsed), None)}
    if parsed.kind == gift.DESCRIPTION:
        return fields, [], texts.problems
    fields["general_feedback"] = texts.plain(
        parsed.general_feedback, parsed.general_feedback_format
    )
    fields["kind"], choices = _choices(parsed, texts)
    return fields, choices, texts.problems


def _choices(parsed: gift.ParsedQuestion, texts: _Texts) -> tuple[str, list[dict]]:
    answers = parsed.answers

    def option_text(answer: gift.ParsedAnswer) -> str:
        return texts.plain(answer.text, answer.text_format, answer.line)

    def feedback(answer: gift.ParsedAnswer) -> str:
        return texts.plain(answer.feedback, answer.feedback_format, answer.line)

    if parsed.kind == gift.ESSAY:
        return QuestionKind.ESSAY, []
    if parsed.kind == gift.SINGLE:
        choices = []
        for number, answer in enumerate(answers, start=1):
            if answer.fraction < 0:
                weight = f"{answer.fraction.scaleb(2):f}%"
                message = (
                    f"option {number} (“{answer.text}”) takes away {weight[1:]}, but a "
                    "single-choice option here earns 0 to 100% and never takes marks away: "
                    f"remove '%{weight}' to make it a wrong option worth nothing"
                )
                texts.problems.append(gift.GiftProblem(answer.line or parsed.line, message))
            mark = {} if answer.fraction <= 0 else accepted_mark(answer.fraction)
            choices.append({"text": option_text(answer), "feedback": feedback(answer), **mark})
        return QuestionKind.SINGLE_CHOICE, choices
    if parsed.kind == gift.MULTIPLE:
        choices = [
            {
                "text": option_text(a),
                "is_correct": a.fraction > 0,
                "fraction": kept_fraction(a.fraction),
                "feedback": feedback(a),
            }
            for a in answers
        ]
        return QuestionKind.MULTIPLE_RESPONSE, choices
    if parsed.kind == gift.TRUEFALSE:
        choices = [
            {"text": a.text.capitalize(), "is_correct": a.fraction == 1, "feedback": feedback(a)}
            for a in answers
        ]
        return QuestionKind.TRUE_FALSE, choices
    if parsed.kind == gift.SHORTANSWER:
        # As in Moodle, an accepted answer is compared as typed: a format marker is taken off,
        # but the text is never rendered.
        choices = [
            {"text": a.text, "feedback": feedback(a), **accepted_mark(a.fraction)} for a in answers
        ]
        return QuestionKind.SHORT_ANSWER, choices
    if parsed.kind == gift.NUMERICAL:
        choices = []
        for answer in answers:
            if answer.is_any_other:
                choices.append({"value": None, "is_correct": False, "feedback": feedback(answer)})
                continue
            if answer.value is not None:
                value, tolerance = answer.value, answer.tolerance or Decimal(0)
            else:
                value = (answer.minimum + answer.maximum) / 2
                tolerance = (answer.maximum - answer.minimum) / 2
            choices.append(
                {
                    "value": value,
                    "tolerance": tolerance or None,
                    "feedback": feedback(answer),
                    **accepted_mark(answer.fraction),
                }
            )
        return QuestionKind.NUMERICAL, choices
    # As in Moodle, the right-hand side of a pair is plain text.
    choices = [
        {"text": option_text(a), "match_text": a.match or "", "feedback": feedback(a)}
        for a in answers
    ]
    return QuestionKind.MATCHING, choices


def accepted_mark(fraction: Decimal) -> dict:
    """An accepted answer's mark as Choice fields: ticked correct when full (once rounded to the
    places a fraction is kept to, so 99.999999% is full), else its part of the mark."""
    kept = kept_fraction(fraction)
    if kept == 1:
        return {"is_correct": True}
    return {"is_correct": False, "fraction": kept}


# Our kinds that go out in missing-word form when their stem has one gift.BLANK (Moodle's
# missing-word kinds); any other stem with a blank is written as it is and reads back the same.
_MISSING_WORD_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.SHORT_ANSWER)


def _plain(number: Decimal) -> Decimal:
    """1822.000000 as 1822, so the GIFT reads as a person would write it."""
    return Decimal(format(number.normalize(), "f"))


def _weight(choice: Choice, share: Decimal) -> Decimal:
    """A multiple-response option's weight: its fraction, else its equal share (or penalty)."""
    if choice.fraction is not None:
        return _plain(choice.fraction)
    return share if choice.is_correct else -share


def _accepted_mark(choice: Choice) -> Decimal:
    """A single-choice option's or accepted answer's weight: its fraction, else all or nothing."""
    if choice.fraction is not None:
        return _plain(choice.fraction)
    return Decimal(1) if choice.is_correct else Decimal(0)


def to_gift(question: Question) -> gift.ParsedQuestion:
    choices = list(question.choices.all())
    kind = question.kind
    answers: list[gift.ParsedAnswer]
    texts = [choice.text.strip().lower() for choice in choices]
    if kind == QuestionKind.TRUE_FALSE and sorted(texts) == ["false", "true"]:
        gift_kind = gift.TRUEFALSE
        answers = [
            gift.ParsedAnswer(
                text=choice.text.strip().lower(),
                fraction=Decimal(choice.is_correct),
                feedback=choice.feedback,
            )
            for choice in choices
        ]
        answers.sort(key=lambda answer: answer.text != "true")
    elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
        # A true-or-false question with other words ("Yes", "No") is a two-option choice in GIFT.
        gift_kind = gift.SINGLE
        answers = [
            gift.ParsedAnswer(text=c.text, fraction=_accepted_mark(c), feedback=c.feedback)
            for c in choices
        ]
    elif kind == QuestionKind.MULTIPLE_RESPONSE:
        gift_kind = gift.MULTIPLE
        correct = sum(1 for choice in choices if choice.is_correct)
        # Rounded as Choice.fraction keeps it, so a second export writes the same weights.
        share = kept_fraction(Decimal(1) / correct)
        answers = [
            gift.ParsedAnswer(text=c.text, fraction=_weight(c, share), feedback=c.feedback)
            for c in choices
        ]
    elif kind == QuestionKind.SHORT_ANSWER:
        if question.case_sensitive:
            raise ValueError("GIFT cannot say that a short answer is case sensitive")
        gift_kind = gift.SHORTANSWER
        answers = [
            gift.ParsedAnswer(text=c.text, fraction=_accepted_mark(c), feedback=c.feedback)
            for c in choices
        ]
    elif kind == QuestionKind.NUMERICAL:
        gift_kind = gift.NUMERICAL
        answers = [
            gift.ParsedAnswer.numeric(
                value=_plain(c.value),
                tolerance=_plain(c.tolerance or Decimal(0)),
                fraction=_accepted_mark(c),
                feedback=c.feedback,
            )
            for c in choices
            if c.value is not None
        ]
        # Any other answer goes last: in GIFT (and Moodle) everything after '~' is its feedback.
        answers += [
            gift.ParsedAnswer.any_other(feedback=c.feedback) for c in choices if c.value is None
        ]
    elif kind == QuestionKind.MATCHING:
        gift_kind = gift.MATCHING
        answers = [
            gift.ParsedAnswer(text=c.text, match=c.match_text, feedback=c.feedback) for c in choices
        ]
    elif kind == QuestionKind.ESSAY:
        gift_kind = gift.ESSAY
        answers = [gift.ParsedAnswer(text=c.text) for c in choices]  # none; dump refuses any
    else:
        raise ValueError("GIFT has no ordering questions")
    text = {"stem": question.stem}
    if kind in _MISSING_WORD_KINDS:
        text = gift.split_at_blank(question.stem) or text
    return gift.ParsedQuestion(
        kind=gift_kind,
        name=question.title,
        **text,
        general_feedback=question.general_feedback,
        answers=answers,
    )
