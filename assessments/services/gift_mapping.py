"""How our questions map to Moodle's GIFT questions (assessments.gift) and back: kinds,
options, weights and accepted answers. The bank imports and exports (services.importing) use it."""

from decimal import ROUND_HALF_EVEN, Decimal

from .. import gift
from ..models import Choice, Question, QuestionKind

_FRACTION_PLACES = Decimal(1).scaleb(-Choice._meta.get_field("fraction").decimal_places)


def _fraction(weight: Decimal) -> Decimal:
    """A GIFT weight (e.g. 33.33333% as 0.3333333) in the places Choice.fraction keeps."""
    return weight.quantize(_FRACTION_PLACES, rounding=ROUND_HALF_EVEN)


def choices_from_gift(
    parsed: gift.ParsedQuestion,
) -> tuple[str, list[dict], list[gift.GiftProblem]]:
    """Our kind and options for a parsed question, and what cannot be carried over (each on the
    line of the option concerned)."""
    problems = []
    answers = parsed.answers
    if parsed.kind == gift.ESSAY:
        return QuestionKind.ESSAY, [], problems
    if parsed.kind == gift.SINGLE:
        for number, answer in enumerate(answers, start=1):
            if answer.fraction not in (0, 1):
                weight = f"%{answer.fraction.scaleb(2):f}%"
                message = (
                    f"option {number} (“{answer.text}”) is worth {weight[1:]}, but a "
                    "single-choice option here is right or wrong, with no part marks: remove "
                    f"'{weight}' to make it a wrong option worth nothing, or leave the question out"
                )
                problems.append(gift.GiftProblem(answer.line or parsed.line, message))
        choices = [
            {"text": a.text, "is_correct": a.fraction == 1, "feedback": a.feedback} for a in answers
        ]
        return QuestionKind.SINGLE_CHOICE, choices, problems
    if parsed.kind == gift.MULTIPLE:
        choices = [
            {
                "text": a.text,
                "is_correct": a.fraction > 0,
                "fraction": _fraction(a.fraction),
                "feedback": a.feedback,
            }
            for a in answers
        ]
        return QuestionKind.MULTIPLE_RESPONSE, choices, problems
    if parsed.kind == gift.TRUEFALSE:
        choices = [
            {"text": a.text.capitalize(), "is_correct": a.fraction == 1, "feedback": a.feedback}
            for a in answers
        ]
        return QuestionKind.TRUE_FALSE, choices, problems
    if parsed.kind == gift.SHORTANSWER:
        choices = [{"text": a.text, "feedback": a.feedback, **_mark(a.fraction)} for a in answers]
        return QuestionKind.SHORT_ANSWER, choices, problems
    if parsed.kind == gift.NUMERICAL:
        choices = []
        for answer in answers:
            if answer.value is not None:
                value, tolerance = answer.value, answer.tolerance or Decimal(0)
            else:
                value = (answer.minimum + answer.maximum) / 2
                tolerance = (answer.maximum - answer.minimum) / 2
            choices.append(
                {
                    "value": value,
                    "tolerance": tolerance or None,
                    "feedback": answer.feedback,
                    **_mark(answer.fraction),
                }
            )
        return QuestionKind.NUMERICAL, choices, problems
    choices = [
        {"text": a.text, "match_text": a.match or "", "feedback": a.feedback} for a in answers
    ]
    return QuestionKind.MATCHING, choices, problems


def _mark(fraction: Decimal) -> dict:
    """An accepted answer's mark: ticked correct when full, else its part of the mark."""
    if fraction == 1:
        return {"is_correct": True}
    return {"is_correct": False, "fraction": _fraction(fraction)}


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
            gift.ParsedAnswer(text=c.text, fraction=Decimal(c.is_correct), feedback=c.feedback)
            for c in choices
        ]
    elif kind == QuestionKind.MULTIPLE_RESPONSE:
        gift_kind = gift.MULTIPLE
        correct = sum(1 for choice in choices if choice.is_correct)
        # Rounded as Choice.fraction keeps it, so a second export writes the same weights.
        share = _fraction(Decimal(1) / correct)
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
