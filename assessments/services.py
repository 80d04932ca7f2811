"""Every state change of assessments and attempts."""

import hashlib
import json
import random
import secrets
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from . import scoring
from .models import Assessment, Attempt, Question, QuestionKind, QuestionVersion, Response
from .signals import attempt_submitted


class AssessmentError(Exception):
    """A rule about questions, assessments or attempts was broken; the message is for the user."""


def check_question(*, kind: str, choices: list[dict]) -> None:
    """Raise AssessmentError unless the options make a question that can be answered and scored."""
    if len(choices) < 2:
        raise AssessmentError("A question needs at least two options.")
    correct = sum(1 for choice in choices if choice["is_correct"])
    if kind == QuestionKind.SINGLE_CHOICE and correct != 1:
        raise AssessmentError("A single-choice question needs exactly one correct option.")
    if kind == QuestionKind.MULTIPLE_RESPONSE and correct < 1:
        raise AssessmentError("A multiple-response question needs at least one correct option.")


def _content_of(question: Question) -> dict:
    return {
        "kind": question.kind,
        "stem": question.stem,
        "general_feedback": question.general_feedback,
        "options": [
            {"text": c.text, "correct": c.is_correct, "feedback": c.feedback}
            for c in question.choices.all()
        ],
    }


def current_version(*, question: Question) -> QuestionVersion:
    """The immutable version matching the question as it is now, created on first use."""
    content = _content_of(question)
    check_question(
        kind=content["kind"],
        choices=[{"is_correct": o["correct"]} for o in content["options"]],
    )
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    existing = QuestionVersion.objects.filter(question=question, content_hash=digest).first()
    if existing:
        return existing
    # Keys are random so nothing about an option's key hints at its place or its correctness.
    options = [{"key": secrets.token_hex(4), **option} for option in content["options"]]
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        last = question.versions.aggregate(last=Max("number"))["last"] or 0
        try:
            with transaction.atomic():
                return QuestionVersion.objects.create(
                    question=question,
                    number=last + 1,
                    content_hash=digest,
                    kind=content["kind"],
                    stem=content["stem"],
                    general_feedback=content["general_feedback"],
                    options=options,
                )
        except IntegrityError:
            return QuestionVersion.objects.get(question=question, content_hash=digest)


def attempts_left(*, user, assessment: Assessment) -> int | None:
    if assessment.max_attempts is None:
        return None
    used = Attempt.objects.filter(user=user, assessment=assessment).count()
    return max(0, assessment.max_attempts - used)


@transaction.atomic
def start_attempt(*, user, assessment: Assessment) -> Attempt:
    """Return the learner's open attempt, or start a new one with its questions frozen."""
    open_attempt = Attempt.objects.filter(
        user=user, assessment=assessment, status=Attempt.Status.IN_PROGRESS
    ).first()
    if open_attempt:
        return open_attempt
    left = attempts_left(user=user, assessment=assessment)
    if left == 0:
        raise AssessmentError("You have used all the attempts allowed for this assessment.")
    slots = list(
        assessment.assessment_questions.select_related("question")
        .prefetch_related("question__choices")
        .order_by("sort_order")
    )
    if not slots:
        raise AssessmentError("This assessment has no questions yet.")
    versions = [current_version(question=slot.question) for slot in slots]
    number = (
        Attempt.objects.filter(user=user, assessment=assessment).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                assessment=assessment,
                number=number,
                max_points=len(versions),
            )
    except IntegrityError:
        # Another request started one at the same moment: use that one.
        return Attempt.objects.get(
            user=user, assessment=assessment, status=Attempt.Status.IN_PROGRESS
        )
    shuffle = random.SystemRandom().shuffle
    responses = []
    for position, version in enumerate(versions, start=1):
        order = [option["key"] for option in version.options]
        if assessment.shuffle_options:
            shuffle(order)
        responses.append(
            Response(attempt=attempt, position=position, version=version, option_order=order)
        )
    Response.objects.bulk_create(responses)
    return attempt


@transaction.atomic
def save_answers(*, attempt: Attempt, answers: dict[int, list[str]]) -> None:
    """Store answers keyed by response id. Anything that does not belong changes nothing."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_submitted:
        raise AssessmentError("This attempt has already been submitted.")
    responses = {r.pk: r for r in attempt.responses.select_related("version")}
    unknown = set(answers) - set(responses)
    if unknown:
        raise AssessmentError("The answers sent do not match the questions in this attempt.")
    changed = []
    for response_id, keys in answers.items():
        response = responses[response_id]
        keys = list(dict.fromkeys(keys))
        if not set(keys) <= set(response.option_order):
            raise AssessmentError("An answer names an option that is not in its question.")
        if response.version.kind == QuestionKind.SINGLE_CHOICE and len(keys) > 1:
            raise AssessmentError("Choose only one option for a single-choice question.")
        response.selected = keys
        changed.append(response)
    Response.objects.bulk_update(changed, ["selected"])


@transaction.atomic
def submit_attempt(*, attempt: Attempt) -> Attempt:
    """Score and close the attempt, exactly once however many times it is called."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_submitted:
        return attempt
    total = Fraction(0)
    responses = list(attempt.responses.select_related("version"))
    for response in responses:
        earned = scoring.score_answer(
            response.version.kind,
            frozenset(response.version.correct_keys()),
            frozenset(response.selected),
        )
        response.score = scoring.to_decimal(earned)
        total += earned
    Response.objects.bulk_update(responses, ["score"])
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.points = scoring.to_decimal(total)
    attempt.percent = scoring.percentage(total, attempt.max_points)
    attempt.passed = scoring.has_passed(total, attempt.max_points, attempt.assessment.pass_mark)
    attempt.save(update_fields=["status", "submitted_at", "points", "percent", "passed"])
    attempt_submitted.send(sender=Attempt, attempt=attempt)
    return attempt
