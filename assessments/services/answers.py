"""Answers as the learner gives them: the options shown and their order, reading an answer into
the form a Response stores, and the machine's score of it. Attempts and knowledge checks both
use these."""

import random
from fractions import Fraction

from .. import scoring
from ..models import QuestionKind, QuestionVersion, Response
from ..selectors import answer_key
from .errors import AssessmentError

Answer = list[str] | dict[str, str]
MISMATCH = "The answers sent do not match the questions in this attempt."
ESSAY_MAX_CHARACTERS = 20_000


def option_order(version: QuestionVersion, *, shuffle: bool) -> list[str]:
    """The keys a learner is shown, in the order shown, frozen when the attempt starts (and
    chosen afresh each time a knowledge check is shown)."""
    shuffled = random.SystemRandom().sample
    keys = [option["key"] for option in version.options]
    kind = version.kind
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL, QuestionKind.ESSAY):
        return []  # the learner types the answer: no option is shown
    if kind == QuestionKind.TRUE_FALSE:
        return keys  # "True" then "False", as written
    if kind == QuestionKind.MATCHING:
        # The right-hand answers are always shuffled: in authored order they would line up.
        lefts = [o["key"] for o in version.options if o["side"] == "left"]
        rights = [o["key"] for o in version.options if o["side"] == "right"]
        lefts = shuffled(lefts, len(lefts)) if shuffle else lefts
        return lefts + shuffled(rights, len(rights))
    if kind == QuestionKind.ORDERING:
        # The authored order is the answer, so the items are always shown in another order.
        order = keys
        while order == keys:
            order = shuffled(keys, len(keys))
        return order
    return shuffled(keys, len(keys)) if shuffle else keys


def validated_answer(*, response: Response, answer: Answer):
    """The answer, validated, in the form Response.selected stores it (option keys once each,
    typed text with its spaces folded, an essay trimmed at the ends, ordering items in the order
    given), or AssessmentError when it cannot be an answer to the response's question. Knowledge
    checks read their answers with it too."""
    kind = response.version.kind
    if kind in (QuestionKind.MATCHING, QuestionKind.ORDERING):
        if not isinstance(answer, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answer.items()
        ):
            raise AssessmentError(MISMATCH)
    elif not isinstance(answer, list) or not all(isinstance(v, str) for v in answer):
        raise AssessmentError(MISMATCH)

    if kind == QuestionKind.ESSAY:
        if len(answer) > 1:
            raise AssessmentError(MISMATCH)
        # Line breaks are the learner's paragraphs: only the ends are trimmed.
        text = answer[0].strip() if answer else ""
        if len(text) > ESSAY_MAX_CHARACTERS:
            raise AssessmentError(
                f"Question {response.position}: keep the answer under "
                f"{ESSAY_MAX_CHARACTERS:,} characters (it has {len(text):,})."
            )
        return [text] if text else []

    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        if len(answer) > 1:
            raise AssessmentError(MISMATCH)
        text = " ".join(answer[0].split()) if answer else ""
        if len(text) > 500:
            raise AssessmentError(
                f"Question {response.position}: keep the answer under 500 characters."
            )
        if kind == QuestionKind.NUMERICAL and text:
            number, problem = scoring.read_number(text)
            if number is None:
                raise AssessmentError(f"Question {response.position}: {problem}")
        return [text] if text else []

    if kind == QuestionKind.MATCHING:
        sides = {o["key"]: o["side"] for o in response.version.options}
        for left, right in answer.items():
            if left not in response.option_order or sides.get(left) != "left":
                raise AssessmentError("An answer names an option that is not in its question.")
            if right and (right not in response.option_order or sides.get(right) != "right"):
                raise AssessmentError("An answer names an option that is not in its question.")
        return {left: right for left, right in answer.items() if right}

    if kind == QuestionKind.ORDERING:
        items = response.option_order
        if not set(answer) <= set(items):
            raise AssessmentError("An answer names an option that is not in its question.")
        allowed = {str(n) for n in range(1, len(items) + 1)}
        if not set(answer.values()) <= allowed | {""}:
            raise AssessmentError(MISMATCH)
        positions = {key: answer.get(key, "") for key in items}
        if not any(positions.values()):
            return []
        if set(positions.values()) != allowed:
            raise AssessmentError(
                f"Question {response.position}: give each item a different position from 1 to "
                f"{len(items)}."
            )
        return sorted(items, key=lambda key: int(positions[key]))

    keys = list(dict.fromkeys(answer))
    if not set(keys) <= set(response.option_order):
        raise AssessmentError("An answer names an option that is not in its question.")
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE) and len(keys) > 1:
        raise AssessmentError("Choose only one option for a single-choice question.")
    return keys


def machine_score(response: Response) -> Fraction:
    """The exact share of the mark an automatically scored answer earns (its version loaded,
    and the version it was regraded against, if any: then it is judged by that corrected key)."""
    options, settings = answer_key(response)
    return scoring.score_response(
        response.version.kind, options, response.selected, settings=settings
    )
