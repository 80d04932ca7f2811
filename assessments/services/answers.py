"""Answers as the learner gives them: the options shown and their order, reading an answer into
the form a Response stores, and the machine's score of it. Attempts and knowledge checks both
use these."""

import random
from dataclasses import dataclass
from fractions import Fraction

from .. import scoring
from ..form_fields import answer_field, item_field
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


@dataclass(frozen=True)
class FormQuestion:
    """How the attempt page's form posts the answer to one of its questions: in one field
    (the options ticked, the text typed), or in one select per item when items are given
    (matching's left-hand items, ordering's items, by key). A checked answer is final and shown
    without fields."""

    response_id: int
    items: tuple[str, ...] = ()
    checked: bool = False

    @property
    def field_names(self) -> set[str]:
        if self.items:
            return {item_field(self.response_id, key) for key in self.items}
        return {answer_field(self.response_id)}


def form_question(response: Response) -> FormQuestion:
    """The form's question for a response (its version loaded), as the attempt page shows it."""
    kind = response.version.kind
    items: tuple[str, ...] = ()
    if kind == QuestionKind.MATCHING:
        sides = {option["key"]: option["side"] for option in response.version.options}
        items = tuple(key for key in response.option_order if sides[key] == "left")
    elif kind == QuestionKind.ORDERING:
        items = tuple(response.option_order)
    return FormQuestion(
        response_id=response.pk, items=items, checked=response.checked_at is not None
    )


def answers_from_form(post, questions: list[FormQuestion]) -> dict[int, Answer]:
    """Answers keyed by response id, as save_answers takes them, from the posted form (a
    QueryDict) that showed these questions: those of one page of the attempt, or every question
    when it has one page. A question of those that is missing from the post is unanswered,
    except a checked one: the page shows it without fields, so it has no answer to save unless
    one is sent for it (which save_answers refuses unless it is the checked answer). A field for
    any other question or item (on another page of the attempt, or in no page of it), or a
    select sent twice, is tampering: AssessmentError, and nothing may be saved."""
    answers: dict[int, Answer] = {}
    known: set[str] = set()
    for question in questions:
        names = question.field_names
        known |= names
        if question.checked and not names & set(post):
            continue
        if question.items:
            fields = {item_field(question.response_id, key): key for key in question.items}
            if any(len(post.getlist(name)) > 1 for name in fields):
                raise AssessmentError(MISMATCH)
            answer = {key: post.get(name, "") for name, key in fields.items()}
            answers[question.response_id] = answer
        else:
            answers[question.response_id] = post.getlist(answer_field(question.response_id))
    if any(name.startswith("q") and name not in known for name in post):
        raise AssessmentError(MISMATCH)
    return answers
