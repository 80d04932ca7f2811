"""The rules a question's options and an essay rubric must follow to be given and scored. Every
way of writing a question checks them (the admin's forms before saving, the imports for each
question, and services.versions whenever a version is frozen)."""

from decimal import Decimal

from django.conf import settings

from ..models import OPTION_FIELDS_USED, Question, QuestionKind
from .errors import AssessmentError

_KIND_NAMES = {
    QuestionKind.SINGLE_CHOICE: "a single-choice question",
    QuestionKind.MULTIPLE_RESPONSE: "a multiple-response question",
    QuestionKind.TRUE_FALSE: "a true-or-false question",
    QuestionKind.SHORT_ANSWER: "a short-answer question",
    QuestionKind.NUMERICAL: "a numerical question",
    QuestionKind.MATCHING: "a matching question",
    QuestionKind.ORDERING: "an ordering question",
    QuestionKind.ESSAY: "an essay question",
}
_FIELD_LABELS = {
    "text": "Text",
    "is_correct": "Correct",
    "fraction": "Fraction of the mark",
    "match_text": "Matches",
    "value": "Value",
    "tolerance": "Tolerance",
}


def _is_set(value) -> bool:
    return value not in (None, "", False)


def _mark(choice: dict) -> Decimal:
    """An accepted short or numerical answer's mark: its fraction, else all or nothing."""
    if choice.get("fraction") is not None:
        return Decimal(choice["fraction"])
    return Decimal(1) if choice.get("is_correct") else Decimal(0)


def check_question(*, kind: str, choices: list[dict]) -> None:
    """Raise AssessmentError unless the options make a question that can be answered and scored.

    Each choice is a dict of Choice fields (text, is_correct, fraction, match_text, value,
    tolerance); missing fields count as empty.
    """
    if kind not in _KIND_NAMES:
        raise AssessmentError("Choose what kind of question this is.")
    name = _KIND_NAMES[kind]
    limit = settings.ACADEMY_QUESTION_MAX_OPTIONS
    if len(choices) > limit:
        raise AssessmentError(
            f"A question can have at most {limit:,} options and answers; this one has "
            f"{len(choices):,}. Remove some, or split it into several questions."
        )
    if kind == QuestionKind.ESSAY:
        if choices:
            raise AssessmentError(
                "An essay question has no options or answers: an assessor marks it. Delete "
                "the options."
            )
        return
    if not choices:
        raise AssessmentError(f"Add at least one option or answer to {name}.")
    correct = [choice for choice in choices if choice.get("is_correct")]

    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE) and len(choices) < 2:
        raise AssessmentError("A question needs at least two options.")
    if kind == QuestionKind.SINGLE_CHOICE and not any(_mark(choice) == 1 for choice in choices):
        raise AssessmentError(
            "A single-choice question needs at least one correct option (ticked, or a fraction "
            "of 1); each correct option earns the full mark."
        )
    if kind == QuestionKind.MULTIPLE_RESPONSE and not correct:
        raise AssessmentError("A multiple-response question needs at least one correct option.")
    if kind == QuestionKind.TRUE_FALSE and (len(choices) != 2 or len(correct) != 1):
        raise AssessmentError(
            "A true-or-false question needs exactly two options (such as “True” and “False”) "
            "with one of them correct."
        )
    for number, choice in enumerate(choices, start=1):
        for field, label in _FIELD_LABELS.items():
            if field not in OPTION_FIELDS_USED[kind] and _is_set(choice.get(field)):
                raise AssessmentError(
                    f"Option {number}: {name} does not use “{label}”; leave it empty."
                )
        needs_text = "text" in OPTION_FIELDS_USED[kind] and kind != QuestionKind.MATCHING
        if needs_text and not (choice.get("text") or "").strip():
            raise AssessmentError(f"Option {number}: enter its text.")
        fraction = choice.get("fraction")
        if fraction is not None and not -1 <= Decimal(fraction) <= 1:
            raise AssessmentError(f"Option {number}: a fraction of the mark is from -1 to 1.")
    if kind == QuestionKind.SINGLE_CHOICE:
        _check_single_choice(choices)
    if kind == QuestionKind.MULTIPLE_RESPONSE:
        _check_multiple_response(choices, correct)
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        _check_accepted_answers(kind, choices)
    if kind == QuestionKind.MATCHING:
        pairs = [c for c in choices if (c.get("text") or "").strip()]
        for number, choice in enumerate(choices, start=1):
            if not (choice.get("match_text") or "").strip():
                raise AssessmentError(f"Option {number}: enter what it matches.")
        if len(pairs) < 2:
            raise AssessmentError("A matching question needs at least two pairs with text.")
        matches = {" ".join(c["match_text"].split()) for c in choices}
        if len(matches) < 2:
            raise AssessmentError(
                "A matching question needs at least two different answers to match."
            )
    if kind == QuestionKind.ORDERING and len(choices) < 2:
        raise AssessmentError("An ordering question needs at least two items to put in order.")


def _check_single_choice(choices: list[dict]) -> None:
    for number, choice in enumerate(choices, start=1):
        fraction = choice.get("fraction")
        if fraction is None:
            continue
        if not 0 <= Decimal(fraction) <= 1:
            raise AssessmentError(
                f"Option {number}: a single-choice option earns from 0 to 1 of the mark (it "
                "never takes marks away)."
            )
        if choice.get("is_correct") and Decimal(fraction) != 1:
            raise AssessmentError(
                f"Option {number}: a correct option earns the full mark; untick it to give it "
                "part of the mark."
            )
        if not choice.get("is_correct") and Decimal(fraction) == 1:
            # Otherwise it would earn the full mark while the review calls it not correct.
            raise AssessmentError(
                f"Option {number}: an option worth the full mark is a correct option: tick it "
                "and leave its fraction empty."
            )


def _check_multiple_response(choices: list[dict], correct: list[dict]) -> None:
    for number, choice in enumerate(choices, start=1):
        fraction = choice.get("fraction")
        if fraction is None:
            continue
        if choice.get("is_correct") and fraction <= 0:
            raise AssessmentError(
                f"Option {number}: a correct option's fraction of the mark must be above 0."
            )
        if not choice.get("is_correct") and fraction > 0:
            raise AssessmentError(
                f"Option {number}: a wrong option's fraction of the mark must be 0 or below "
                "(negative to take marks away)."
            )
    given = [c["fraction"] for c in correct if c.get("fraction") is not None]
    if given and len(given) != len(correct):
        raise AssessmentError(
            "Give every correct option a fraction of the mark, or leave them all empty to "
            "share the mark equally."
        )
    if given and abs(sum(Decimal(f) for f in given) - 1) > Decimal("0.01"):
        raise AssessmentError(
            "The correct options' fractions of the mark must add up to 1 (for example 0.5 and "
            "0.5, or 0.33333 three times)."
        )


def _check_accepted_answers(kind: str, choices: list[dict]) -> None:
    name = _KIND_NAMES[kind]
    if kind == QuestionKind.NUMERICAL:
        _check_any_other_number(choices)
    for number, choice in enumerate(choices, start=1):
        if choice.get("fraction") is not None and Decimal(choice["fraction"]) < 0:
            raise AssessmentError(
                f"Option {number}: part marks for an answer are from 0 to 1 (no negative marks)."
            )
        if choice.get("tolerance") is not None and Decimal(choice["tolerance"]) < 0:
            raise AssessmentError(f"Option {number}: a tolerance cannot be negative.")
    if not any(_mark(choice) == 1 for choice in choices):
        raise AssessmentError(
            f"{name[0].upper()}{name[1:]} needs at least one answer that earns the full mark "
            "(ticked correct, or a fraction of 1)."
        )


def _check_any_other_number(choices: list[dict]) -> None:
    """A numerical option without a value stands for any other answer (Moodle's '*'): it earns
    nothing and only gives its feedback, and there is at most one."""
    others = [n for n, choice in enumerate(choices, start=1) if choice.get("value") is None]
    for number in others:
        choice = choices[number - 1]
        if _mark(choice) != 0 or _is_set(choice.get("tolerance")):
            raise AssessmentError(
                f"Option {number}: enter the accepted value (an option with no value is the "
                "feedback for any other answer: it cannot be correct, earn marks or have a "
                "tolerance)."
            )
    if len(others) > 1:
        raise AssessmentError(
            f"Options {others[0]} and {others[1]} have no value: only one option can be the "
            "feedback for any other answer."
        )


def check_rubric(criteria: list[dict]) -> None:
    """Raise AssessmentError unless the criteria (each {"title", "levels": [{"label",
    "points"}]}) can mark an essay: two or more levels each, different points within a criterion,
    and some points to earn."""
    if not criteria:
        raise AssessmentError("A rubric needs at least one criterion.")
    for number, criterion in enumerate(criteria, start=1):
        levels = criterion.get("levels") or []
        title = criterion.get("title") or f"Criterion {number}"
        if len(levels) < 2:
            raise AssessmentError(f"“{title}” needs at least two levels.")
        points = [Decimal(level["points"]) for level in levels]
        if any(p < 0 for p in points):
            raise AssessmentError(f"“{title}”: points cannot be negative.")
        if max(points) <= 0:
            raise AssessmentError(f"“{title}”: its top level must be worth some points.")
        if len(set(points)) != len(points):
            raise AssessmentError(f"“{title}”: give each level different points.")


def choices_to_check(question: Question) -> list[dict]:
    """The question's options (saved, or held in memory before it is saved) as check_question
    takes them."""
    return [
        {
            "text": c.text,
            "is_correct": c.is_correct,
            "fraction": c.fraction,
            "match_text": c.match_text,
            "value": c.value,
            "tolerance": c.tolerance,
        }
        for c in question.choices.all()
    ]
