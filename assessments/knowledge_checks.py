"""Knowledge checks: one question answered outside any attempt, with feedback straight away.

Lessons use these for their knowledge checks. Nothing here writes a row of its own: no Attempt,
no Response, no score is kept. The only write is the one every question makes when it is first
given in its current form, its QuestionVersion (see services.versions).

The rules for reading and scoring an answer, and the feedback on it, are the attempt's own: this
module calls services.validated_answer, services.option_order, services.machine_score,
selectors.question_view and selectors.reviewed rather than repeating them, and its feedback is
a selectors.CheckedAnswer, as an answer checked during an attempt is.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, prefetch_related_objects

from . import scoring, selectors, services, stakes
from .models import (
    MANUAL_KINDS,
    Assessment,
    AssessmentQuestion,
    Question,
    QuestionVersion,
    Response,
)
from .selectors import CheckedAnswer
from .services import AssessmentError

# The most option keys an order may name (a question has far fewer).
_MAX_KEYS = 200

NOT_ANSWERED = "Answer the question first, then check your answer."
NOT_THIS_QUESTION = (
    "The answer sent does not fit this question, so it was not checked. Please answer again."
)


class VersionChanged(AssessmentError):  # noqa: N818 - reads as what the learner is told
    """The answer names a version that is gone or is not of this question: the question was
    changed (or replaced) after the page was shown. Nothing was checked."""

    def __init__(self):
        super().__init__(
            "This question was changed after the page was loaded, so your answer was not "
            "checked. Here it is as it is now: please answer it again."
        )


def check_knowledge_question(*, question: Question) -> None:
    """Raise AssessmentError unless the question can be a knowledge check: one the machine
    scores (not an essay), whose options make a question that can be answered and scored."""
    if question.kind in MANUAL_KINDS:
        raise AssessmentError(
            "An essay is marked by an assessor, so it cannot give instant feedback. Choose a "
            "question the Academy marks itself: single choice, multiple response, true or "
            "false, short answer, numerical, matching or ordering."
        )
    services.check_question(kind=question.kind, choices=services.choices_to_check(question))


def check_not_given_for_a_certificate(*, question: Question) -> None:
    """Raise AssessmentError when an assessment that leads to a certificate (or anything else
    assessments.stakes knows of) gives this question: a knowledge check shows anyone its right
    answer. Checked when a trainer chooses the question, not when a lesson is shown."""
    for assessment in _assessments_giving(question):
        if leads := stakes.leads_to(assessment=assessment):
            raise AssessmentError(
                f"This question is also in “{assessment.title}”, which leads to "
                f"{' and '.join(leads)}; a knowledge check shows anyone its right answer, so "
                "learners could read it here first. Choose a question used only for practice."
            )


def _assessments_giving(question: Question) -> list[Assessment]:
    """The assessments that give this question: as a fixed question, or drawn from its bank."""
    rows = AssessmentQuestion.objects.filter(
        Q(question=question) | Q(bank_id=question.bank_id, bank__isnull=False)
    )
    return list(Assessment.objects.filter(pk__in=rows.values("assessment_id")).order_by("pk"))


def current_versions_by_question(*, questions: Sequence[Question]) -> dict[int, QuestionVersion]:
    """The current version of each question that can be a knowledge check, by question id, in
    a fixed number of queries however many questions there are. Questions that cannot (an
    essay, or options that no longer make a question) are left out."""
    unique = list({question.pk: question for question in questions}.values())
    prefetch_related_objects(unique, "choices", "scenario")
    usable = []
    for question in unique:
        try:
            check_knowledge_question(question=question)
        except AssessmentError:
            continue
        usable.append(question)
    if not usable:
        return {}
    versions = services.current_versions(questions=usable)
    return {question.pk: version for question, version in zip(usable, versions, strict=True)}


def answered_version(*, question: Question, version_id: str | int | None) -> QuestionVersion:
    """The version of the question the learner was shown and answered, or VersionChanged when
    it no longer exists or is not a version of this question."""
    try:
        pk = int(version_id)
    except (TypeError, ValueError):
        raise VersionChanged() from None
    version = QuestionVersion.objects.filter(pk=pk, question_id=question.pk).first()
    if version is None or version.kind in MANUAL_KINDS:
        raise VersionChanged()
    return version


@dataclass(frozen=True)
class ShownQuestion:
    """A question as the learner answers it: its stem and options only, no correctness and no
    feedback. view is the attempt page's own QuestionView; its field names start q<number>."""

    version_id: int
    order: tuple[str, ...]
    view: selectors.QuestionView

    @property
    def order_value(self) -> str:
        """The options' order, for the form to send back with the answer."""
        return " ".join(self.order)


def new_order(*, version: QuestionVersion, shuffle: bool = True) -> list[str]:
    """A fresh order for the options, by the attempt's rules: true/false as written, matching
    answers and ordering items always shuffled, nothing for typed answers."""
    return services.option_order(version, shuffle=shuffle)


def checked_order(*, version: QuestionVersion, order: Sequence[str]) -> list[str]:
    """The order of options sent back with an answer, or AssessmentError unless it names each
    option the question shows exactly once."""
    order = list(order)
    expected = set(services.option_order(version, shuffle=False))
    if len(order) > _MAX_KEYS or len(set(order)) != len(order) or set(order) != expected:
        raise AssessmentError(NOT_THIS_QUESTION)
    return order


def _as_response(version: QuestionVersion, number: int, order: Sequence[str], selected=None):
    """An unsaved Response holding the question as shown, so the attempt's own functions read
    it; never saved."""
    return Response(
        pk=number,
        position=number,
        version=version,
        option_order=list(order),
        selected=selected if selected is not None else [],
    )


def shown_question(
    *, version: QuestionVersion, number: int, order: Sequence[str], selected=None
) -> ShownQuestion:
    """The question to answer, with its options in this order (from new_order or
    checked_order). number makes its fields' names and ids unique on the page. selected is an
    answer to show already filled in, in the form Response.selected has."""
    response = _as_response(version, number, order, selected)
    return ShownQuestion(
        version_id=version.pk, order=tuple(order), view=selectors.question_view(response)
    )


def _learner_message(error: AssessmentError) -> str:
    """The attempt's wording, without the question number it gives in an attempt."""
    message = str(error)
    if message == services.MISMATCH:
        return NOT_THIS_QUESTION
    message = re.sub(r"^Question \d+: ", "", message).replace(" (or leave it empty)", "")
    return message[:1].upper() + message[1:]


def check_answer(
    *, version: QuestionVersion, number: int, order: Sequence[str], answer: services.Answer
) -> CheckedAnswer:
    """Check one answer to the version shown, with its options in the order shown (from
    checked_order), and say how it did, with everything the result page would show but a mark
    (selectors.PRACTICE). The answer has the form save_answers takes: option keys, [typed text],
    or {item key: chosen key or position}. AssessmentError, with a message for the learner, when
    it cannot be read or is empty. Nothing is saved."""
    response = _as_response(version, number, order)
    try:
        selected = services.validated_answer(response=response, answer=answer)
    except AssessmentError as error:
        raise AssessmentError(_learner_message(error)) from error
    if not selected:
        raise AssessmentError(NOT_ANSWERED)
    response.selected = selected
    score = services.machine_score(response)
    response.score = scoring.to_decimal(score)
    return CheckedAnswer(
        outcome=selectors.outcome_of(score),
        review=selectors.reviewed(response),
        rules=selectors.PRACTICE,
    )
