"""A learner who hands in a blank attempt only to read the right answers from its result page,
then copies them into the next attempt, on the demo's first course (which gives a certificate).
With the demo's settings the result page gives nothing to copy until no attempt is left; under
the old defaults (everything shown, unlimited attempts) the same learner passes with 100%."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from academy.models import User
from assessments.models import Attempt
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db

# What the result page says beside an option when it shows which options are right.
RIGHT_MARKERS = ("(correct answer)", ", correct)", ", a correct answer)")
QUESTION_HEADING = re.compile(r'<h3 class="nhsuk-heading-s">Question (\d+): ')
OPTION_TEXT = re.compile(r"\s*(.*?)\s*(?:<strong|<br|$)", re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)


@pytest.fixture
def harvester(client):
    call_command("load_demo", stdout=io.StringIO())
    learner = User.objects.create_user(
        email="harvester@example.org", password="Academy-demo-2026", full_name="Hal Vester"
    )
    client.force_login(learner)
    course = CoursePage.objects.get(slug="welcoming-complaints")
    client.post(reverse("courses:enrol", args=[course.pk]))
    for lesson in LessonPage.objects.child_of(course).live():
        client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    return course


def start(client, course) -> Attempt:
    response = client.post(reverse("courses:start_assessment", args=[course.pk]))
    assert response.status_code == 302
    return Attempt.objects.filter(
        user__email="harvester@example.org", assessment=course.final_assessment
    ).latest("started_at")


def hand_in(client, attempt: Attempt, answers: dict[int, list[str]]) -> str:
    """Submit the attempt through its page with these answers (none for a blank attempt) and
    return the result page."""
    data = {f"q{response_id}": keys for response_id, keys in answers.items()}
    response = client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        {**data, "submit": "confirmed"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:result", args=[attempt.pk])
    return response.content.decode()


def harvest(page: str) -> dict[int, set[str]]:
    """Every option the result page marks as right, by question position: what a learner could
    copy into their next attempt."""
    found = {}
    parts = QUESTION_HEADING.split(page)[1:]
    for position, section in zip(parts[::2], parts[1::2], strict=True):
        right = {
            unescape(OPTION_TEXT.match(item).group(1))
            for item in ITEM.findall(section)
            if any(marker in item for marker in RIGHT_MARKERS)
        }
        if right:
            found[int(position)] = right
    return found


def copied_answers(attempt: Attempt, harvested: dict[int, set[str]]) -> dict[int, list[str]]:
    """The harvested texts as this attempt's option keys (the learner ticks the options with
    those labels)."""
    answers = {}
    for response in attempt.responses.select_related("version"):
        texts = harvested.get(response.position, set())
        keys = [o["key"] for o in response.version.options if o["text"] in texts]
        if keys:
            answers[response.pk] = keys
    return answers


def right_texts(attempt: Attempt) -> dict[int, set[str]]:
    return {
        response.position: {o["text"] for o in response.version.options if o["correct"]}
        for response in attempt.responses.select_related("version")
    }


def feedback_texts(attempt: Attempt) -> list[str]:
    texts = []
    for response in attempt.responses.select_related("version"):
        texts.append(response.version.general_feedback)
        texts += [o["feedback"] for o in response.version.options]
    return [unescape(text) for text in texts if text]


def test_the_harvesting_learner_finds_nothing_to_copy_until_no_attempt_is_left(client, harvester):
    assessment = harvester.final_assessment
    assert assessment.max_attempts == 3

    for _ in (1, 2):
        attempt = start(client, harvester)
        page = unescape(hand_in(client, attempt, {}))
        assert "You scored 0%" in page  # marks are still shown
        assert harvest(page) == {}
        assert not any(text in page for text in feedback_texts(attempt))
        assert "More is shown once you have used your last attempt." in page

    # The last attempt: once it is handed in, nothing is left to copy into, so the page shows
    # the right answers; the harvester's reading is the right one (it is not blind).
    last = start(client, harvester)
    page = hand_in(client, last, {})
    assert harvest(page) == right_texts(last)
    assert any(text in unescape(page) for text in feedback_texts(last))
    refused = client.post(reverse("courses:start_assessment", args=[harvester.pk]), follow=True)
    assert last.user.attempts.filter(assessment=assessment).count() == 3
    assert "You have used all the attempts allowed" in refused.content.decode()


def test_under_the_old_defaults_the_same_learner_passes_by_copying(client, harvester):
    """What the demo's settings prevent: everything shown at once and attempts unlimited."""
    assessment = harvester.final_assessment
    shown = {
        f"review_{moment}_{item}": True
        for moment in ("immediately", "later")
        for item in ("feedback", "answers")
    }
    type(assessment).objects.filter(pk=assessment.pk).update(max_attempts=None, **shown)

    first = start(client, harvester)
    harvested = harvest(hand_in(client, first, {}))
    assert harvested == right_texts(first)
    second = start(client, harvester)
    page = hand_in(client, second, copied_answers(second, harvested))
    assert "You scored 100%" in page
