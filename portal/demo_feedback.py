"""The demo's learner feedback: a survey (the standard questions) for each demo course, the
practice quiz and the webinar, and answers from the made-up learners who took "Welcoming
complaints: final assessment", spread over the last three months so the trend has points.

Everything goes through the feedback services, as a learner's answers would; each step is
skipped when an earlier load already did it.
"""

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from academy.models import User
from assessments.models import Assessment, Attempt
from courses.models import CoursePage, WebinarPage
from feedback import services
from feedback.models import Offer, Survey

from . import demo_content as demo

# What the made-up learners wrote, written by us. Most people leave free text empty.
COMMENTS = [
    "The worked example of a late reply made it click for me.",
    "Shorter lessons would fit round a ward shift better.",
    "More examples from primary care, please.",
    "Clear and practical. I have already changed how I acknowledge complaints.",
    "The quiz questions on remedies were hard to follow.",
    "A printable summary of the standards would help at team meetings.",
    "Good pace. The video transcripts were useful.",
    "It would help to hear from someone who made a complaint.",
]

# Every so many learners, one skips the survey instead of answering.
SKIP_EVERY = 9


def _survey(**item) -> Survey:
    ((name, value),) = item.items()
    return Survey.objects.filter(**{name: value}).first() or services.create_survey(
        survey=Survey(**item)
    )


def ensure_surveys() -> list[Survey]:
    """A survey for each demo course, the practice quiz, the webinar and the sampled final
    assessment (the one the made-up learners took)."""
    surveys = []
    for spec in demo.COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course:
            surveys.append(_survey(course=course))
    quiz = Assessment.objects.filter(title=demo.PRACTICE_ASSESSMENT["title"]).first()
    if quiz:
        surveys.append(_survey(assessment=quiz))
    webinar = WebinarPage.objects.filter(slug=demo.WEBINAR["slug"]).first()
    if webinar:
        surveys.append(_survey(webinar=webinar))
    return surveys


def answer_sampled(*, assessment: Assessment, as_of: Callable) -> None:
    """Each made-up learner is offered the assessment's survey after their attempt and answers
    it (most) or skips it, in one of the last three months. `as_of` is the demo's way of
    building history as of a past moment (load_demo)."""
    survey = _survey(assessment=assessment)
    emails = [email for email, _name in demo.SAMPLE_LEARNERS]
    attempts = {
        attempt.user.email: attempt
        for attempt in Attempt.objects.filter(
            assessment=assessment, user__email__in=emails
        ).select_related("user")
    }
    questions = list(survey.questions.filter(retired=False))
    for number, email in enumerate(emails, start=1):
        attempt = attempts.get(email)
        if attempt is None:
            continue
        offer = services.offer_after_attempt(attempt=attempt)
        if offer is None or offer.state != Offer.State.OFFERED:
            continue
        user = User.objects.get(pk=offer.user_id)
        if number % SKIP_EVERY == 0:
            services.skip(offer=offer, user=user)
            continue
        rng = random.Random(email)  # noqa: S311 - made-up answers, repeatable on purpose
        # Later months rate a little higher: the course was improved after early comments.
        months_ago = number % 3
        lift = (2 - months_ago) * 0.3
        answers = {}
        for question in questions:
            if question.is_rating:
                answers[question.pk] = max(1, min(5, round(rng.gauss(3.4 + lift, 0.9))))
            else:
                answers[question.pk] = rng.choice(COMMENTS) if rng.random() < 0.4 else ""
        with as_of(timezone.now() - timedelta(days=30 * months_ago)):
            services.answer(offer=offer, user=user, answers=answers)
