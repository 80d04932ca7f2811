"""The marking pages in the admin, and what the learner sees before and after marking."""

import re

import pytest
from django.urls import reverse

from assessments.models import Attempt, Mark, Response
from assessments.services.marking import MarkGiven
from tests.academy.factories import UserFactory
from tests.assessments.test_marking import (
    ESSAY_TEXT,
    essay_of,
    give,
    hand_in,
    levels,
    make_assessment,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("marking_queue")


def mark_url(response) -> str:
    return reverse("marking_mark", args=[response.pk])


def post_levels(client, response, *picks, **extra) -> dict:
    """The mark form as the page sends it: the stage it showed, and a level per criterion."""
    page = client.get(mark_url(response)).content.decode()
    stage = re.search(r'name="stage" value="([a-z]*)"', page).group(1)
    chosen = {f"criterion-{k}": v for k, v in levels(response, *picks).items()}
    return {"stage": stage, **chosen, **extra}


def test_the_queue_is_for_assessors_only(client, learner, trainer, assessor):
    essay = essay_of(hand_in(learner, make_assessment()))
    client.force_login(trainer)
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.get(mark_url(essay)).status_code in (302, 403)
    client.force_login(learner)
    assert client.get(QUEUE).status_code in (302, 403)
    client.force_login(assessor)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert learner.full_name in page.content.decode()


def test_the_queue_filters_by_stage_and_assessment(client, learner, other_learner, assessor):
    first, second = make_assessment(), make_assessment()
    done = essay_of(hand_in(learner, first))
    waiting = essay_of(hand_in(other_learner, second))
    give(response=done, marker=assessor, given=MarkGiven(levels(done, 1, 1)))
    client.force_login(assessor)
    to_mark = client.get(QUEUE).content.decode()  # "to mark" is the default stage
    assert other_learner.full_name in to_mark and learner.full_name not in to_mark
    marked = client.get(QUEUE, {"marking": "done"}).content.decode()
    assert learner.full_name in marked and other_learner.full_name not in marked
    everything = client.get(QUEUE, {"marking": "", "assessment": first.pk}).content.decode()
    assert learner.full_name in everything and other_learner.full_name not in everything
    assert waiting.pk


def test_anonymous_marking_hides_the_learner(client, learner, assessor):
    essay = essay_of(hand_in(learner, make_assessment(anonymous_marking=True)))
    client.force_login(assessor)
    for url in (QUEUE, mark_url(essay)):
        page = client.get(url).content.decode()
        assert learner.full_name not in page and learner.email not in page
        assert "Candidate " in page


def test_the_queue_runs_a_fixed_number_of_queries(
    client, assessor, django_assert_max_num_queries, staff_groups
):
    assessment = make_assessment()
    hand_in(UserFactory(), assessment)
    client.force_login(assessor)
    client.get(QUEUE)
    # Counts per stage and the held results are one query each, whatever the rows.
    with django_assert_max_num_queries(16) as few:
        client.get(QUEUE, {"marking": ""})
    for _ in range(6):
        hand_in(UserFactory(), assessment)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(QUEUE, {"marking": ""})
    assert page.content.decode().count("Mark<span") == 7


def test_an_assessor_marks_from_the_page(client, learner, assessor):
    essay = essay_of(hand_in(learner, make_assessment()))
    client.force_login(assessor)
    page = client.get(mark_url(essay)).content.decode()
    assert "First mark" in page and "Evidence" in page and "gather the records" in page
    response = client.post(
        mark_url(essay), post_levels(client, essay, 2, 1, feedback="Well argued.")
    )
    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE
    assert Mark.objects.get(response=essay).feedback == "Well argued."


def test_a_mark_missing_a_criterion_is_refused_on_the_page(client, learner, assessor):
    essay = essay_of(hand_in(learner, make_assessment()))
    client.force_login(assessor)
    data = post_levels(client, essay, 2, 1)
    data.popitem()
    response = client.post(mark_url(essay), data)
    assert response.status_code == 400
    assert "Choose one level for every criterion" in response.content.decode()
    assert not Mark.objects.exists()


def test_second_marking_is_blind_and_moderation_shows_both(
    client, learner, assessor, second_assessor, moderator
):
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=100)))
    give(
        response=essay,
        marker=assessor,
        given=MarkGiven(levels(essay, 2, 2), feedback="First marker's note"),
    )
    client.force_login(second_assessor)
    page = client.get(mark_url(essay)).content.decode()
    assert "Second mark" in page and "First marker&#x27;s note" not in page
    assert "Ada Assessor" not in page
    client.post(mark_url(essay), post_levels(client, essay, 0, 0, feedback="Second marker's note"))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.MODERATION

    client.force_login(moderator)
    page = client.get(mark_url(essay)).content.decode()
    assert "Moderator" in page
    assert "First marker&#x27;s note" in page and "Second marker&#x27;s note" in page
    client.post(mark_url(essay), post_levels(client, essay, 1, 1, feedback="Settled."))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE


def test_releasing_held_results_from_the_queue(client, learner, assessor, trainer):
    assessment = make_assessment(hold_results=True)
    essay = essay_of(hand_in(learner, assessment))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    client.force_login(assessor)
    page = client.get(QUEUE, {"assessment": assessment.pk}).content.decode()
    assert f"Release 1 result of “{assessment.title}” to learners" in page
    release = reverse("marking_release", args=[assessment.pk])
    assert client.get(release).status_code == 405
    client.force_login(trainer)
    assert client.post(release).status_code in (302, 403)
    assert not Attempt.objects.get(pk=essay.attempt_id).is_released
    client.force_login(assessor)
    assert client.post(release).status_code == 302
    assert Attempt.objects.get(pk=essay.attempt_id).is_released


def test_the_learner_waits_then_sees_marks_levels_and_feedback(learner_client, learner, assessor):
    attempt = hand_in(learner, make_assessment())
    result = reverse("assessments:result", args=[attempt.pk])
    page = learner_client.get(result).content.decode()
    assert "Your answers have been submitted" in page
    assert "e-mail" in page and "You scored" not in page

    essay = essay_of(attempt)
    give(
        response=essay,
        marker=assessor,
        given=MarkGiven(levels(essay, 2, 1), feedback="Strong on evidence."),
    )
    page = learner_client.get(result).content.decode()
    assert "You scored 87.5%" in page
    assert "Strong on evidence." in page and "Partly shown" in page
    assert "gather the records" in page
    assert ESSAY_TEXT.split("\n")[0] in page


def test_another_learner_cannot_see_the_result(client, learner, other_learner):
    attempt = hand_in(learner, make_assessment())
    client.force_login(other_learner)
    assert client.get(reverse("assessments:result", args=[attempt.pk])).status_code == 404


def test_the_attempt_page_offers_a_text_area_for_an_essay(learner_client, learner):
    from assessments import services

    attempt = services.start_attempt(user=learner, assessment=make_assessment())
    page = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    essay = essay_of(attempt)
    assert f'<textarea class="nhsuk-textarea" id="q{essay.pk}"' in page
    assert "Evidence" not in page  # the rubric is for markers


def test_the_mark_page_runs_a_fixed_number_of_queries(
    client, learner, assessor, second_assessor, moderator, django_assert_max_num_queries
):
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=100)))
    client.force_login(moderator)
    client.get(mark_url(essay))
    with django_assert_max_num_queries(16) as before:
        client.get(mark_url(essay))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 0, 0)))
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(mark_url(essay))
    assert "Moderator" in page.content.decode()


def test_a_marker_cannot_open_their_own_attempt(client, assessor):
    essay = essay_of(hand_in(assessor, make_assessment()))
    client.force_login(assessor)
    assert client.get(mark_url(essay)).status_code == 404
    assert "Candidate" not in client.get(QUEUE).content.decode()


def test_the_course_page_says_waiting_and_shows_no_mark_before_release(
    client, learner, assessor, course
):
    from courses import services as course_services

    assessment = make_assessment(hold_results=True)
    course.final_assessment = assessment
    course.save_revision().publish()
    enrolment = course_services.enrol(user=learner, course=course)
    essay = essay_of(hand_in(learner, assessment))
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "waiting to be marked" in page and "not passed" not in page
    assert "Start the assessment" not in page
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    page = client.get(course.url).content.decode()
    assert "100%" not in page and "passed" not in page  # held until released
    assert enrolment.pk
