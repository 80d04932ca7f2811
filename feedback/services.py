"""Every change to surveys, offers and responses.

An offer is made when the learning it follows is finished (the receivers call the `offer_after_*`
functions); the learner answers it once or skips it. The response is written without the person:
see models.py for what each table keeps, and docs/feedback.md for why.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from academy import selectors as people

from .errors import FeedbackError
from .models import Answer, Offer, Question, Response, Survey

# The questions a new survey starts with, in the spirit of the PHSO's Service Charter (clear,
# useful, respectful of people's time). Trainers change or add to them per survey.
DEFAULT_QUESTIONS = [
    (Question.Kind.RATING, "How clear was it?", "Very unclear", "Very clear"),
    (Question.Kind.RATING, "How useful will it be in your work?", "Not useful", "Very useful"),
    (
        Question.Kind.RATING,
        "How well did it use your time?",
        "Very poorly",
        "Very well",
    ),
    (Question.Kind.RATING, "Overall, how would you rate it?", "Very poor", "Very good"),
    (Question.Kind.TEXT, "What one thing would make it better?", "", ""),
]

# Long enough for a considered paragraph; a wall of text pasted by mistake is refused.
MAX_TEXT_LENGTH = 2000


@transaction.atomic
def create_survey(*, survey: Survey) -> Survey:
    """Save a new survey (with the questions given in memory); one given no questions starts
    with the standard ones."""
    if Survey.objects.filter(
        course_id=survey.course_id, webinar_id=survey.webinar_id, assessment_id=survey.assessment_id
    ).exists():
        raise FeedbackError(f"{survey.item_title} already has a survey: change that one instead.")
    if not survey.questions.all():
        survey.questions = [
            Question(kind=kind, text=text, low_label=low, high_label=high, sort_order=position)
            for position, (kind, text, low, high) in enumerate(DEFAULT_QUESTIONS)
        ]
    survey.save()
    return survey


def _offer(*, survey: Survey | None, user) -> Offer | None:
    """Offer the survey to the person, once ever: an offer they answered or skipped stays as it
    is. Nothing when there is no survey or it is not open."""
    if survey is None or not survey.is_open:
        return None
    existing = Offer.objects.filter(survey=survey, user=user).first()
    if existing:
        return existing
    try:
        # A savepoint: the learning's own transaction (we are called inside it) carries on if
        # another request offered the same survey a moment ago.
        with transaction.atomic():
            return Offer.objects.create(survey=survey, user=user)
    except IntegrityError:
        return Offer.objects.get(survey=survey, user=user)


def offer_after_course(*, enrolment) -> Offer | None:
    """After the course is completed (courses.signals.course_completed)."""
    survey = Survey.objects.filter(course_id=enrolment.course_id).first()
    return _offer(survey=survey, user=enrolment.user)


def offer_after_attempt(*, attempt) -> Offer | None:
    """After an attempt is handed in (assessments.signals.attempt_submitted), passed or not:
    the learner's view of the assessment matters either way."""
    survey = Survey.objects.filter(assessment_id=attempt.assessment_id).first()
    return _offer(survey=survey, user=attempt.user)


def offer_after_webinar(*, user, webinar) -> Offer | None:
    """After the person's attendance at the webinar is recorded."""
    survey = Survey.objects.filter(webinar_id=webinar.pk).first()
    return _offer(survey=survey, user=user)


def offer_after_session(*, user_ids, webinar) -> int:
    """offer_after_webinar for everyone just marked as attending a session of the webinar (the
    receiver of `courses.signals.webinar_attended`): three queries however many there are.
    Those offered it before keep their offer as it is. Returns how many were offered it now."""
    survey = Survey.objects.filter(webinar_id=webinar.pk, is_open=True).first()
    if survey is None:
        return 0
    offered = set(
        Offer.objects.filter(survey=survey, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )
    new = [pk for pk in dict.fromkeys(user_ids) if pk not in offered]
    # A concurrent offer to the same person is skipped by the feedback_offered_once constraint.
    Offer.objects.bulk_create(
        [Offer(survey=survey, user_id=pk) for pk in new], ignore_conflicts=True, batch_size=1000
    )
    return len(new)


def _locked_offer(*, offer: Offer, user) -> Offer:
    """The offer, locked until the transaction ends, if it is the person's."""
    locked = (
        Offer.objects.select_for_update()
        .select_related("survey")
        .filter(pk=offer.pk, user=user)
        .first()
    )
    if locked is None:
        raise FeedbackError("This survey was not offered to you.")
    return locked


def _check_open(offer: Offer) -> None:
    if offer.state == Offer.State.ANSWERED:
        raise FeedbackError("You have already answered this survey. Thank you.")
    if offer.state == Offer.State.SKIPPED:
        raise FeedbackError("You chose to skip this survey, so it cannot be answered now.")
    if not offer.survey.is_open:
        raise FeedbackError("This survey has closed. Thank you for your time.")


def _checked_answers(*, questions: list[Question], given: dict[int, int | str]) -> list[Answer]:
    answers = []
    for question in questions:
        value = given.get(question.pk)
        if question.is_rating:
            if value not in range(1, 6) or isinstance(value, bool):
                raise FeedbackError(f"Choose a rating from 1 to 5 for “{question.text}”.")
            answers.append(Answer(question=question, rating=value))
        else:
            text = (value or "").strip() if isinstance(value, str | None) else None
            if text is None or len(text) > MAX_TEXT_LENGTH:
                raise FeedbackError(
                    f"Keep your answer to “{question.text}” to {MAX_TEXT_LENGTH} characters."
                )
            answers.append(Answer(question=question, text=text))
    unknown = set(given) - {question.pk for question in questions}
    if unknown:
        raise FeedbackError("Some answers were for questions this survey does not ask.")
    return answers


def _organisation_of(user):
    """The organisation the person belongs to now (the one they joined first, if several)."""
    membership = people.current_memberships(user=user).order_by("joined_at", "pk").first()
    return membership.organisation if membership else None


@transaction.atomic
def answer(*, offer: Offer, user, answers: dict[int, int | str]) -> None:
    """Record the person's answers to the offered survey, once: the offer row stays locked until
    the response is written and the offer marked answered, so two submissions at once give one
    response. `answers` maps question ids to a rating (1-5) or text."""
    offer = _locked_offer(offer=offer, user=user)
    _check_open(offer)
    questions = list(offer.survey.questions.filter(retired=False))
    checked = _checked_answers(questions=questions, given=answers)
    organisation = _organisation_of(user)
    response = Response.objects.create(
        survey=offer.survey,
        organisation=organisation,
        organisation_kind=organisation.kind if organisation else "",
        month=timezone.localdate().replace(day=1),
    )
    for item in checked:
        item.response = response
    Answer.objects.bulk_create(checked)
    offer.state = Offer.State.ANSWERED
    offer.save(update_fields=["state"])


@transaction.atomic
def skip(*, offer: Offer, user) -> None:
    """The person does not want to answer: the survey is not offered to them again. Skipping
    twice (a second click) changes nothing."""
    offer = _locked_offer(offer=offer, user=user)
    if offer.state == Offer.State.SKIPPED:
        return
    _check_open(offer)
    offer.state = Offer.State.SKIPPED
    offer.save(update_fields=["state"])


@transaction.atomic
def erase_personal_data(*, user) -> None:
    """The feedback app's part of erasing a person (portal.privacy): the record of which surveys
    they were offered goes. Their answers stay, as they were never linked to them."""
    Offer.objects.filter(user=user).delete()
