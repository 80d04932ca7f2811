"""When a survey is offered: after a course is completed, an attempt handed in or a webinar
attended; once per person; and a skip is kept."""

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from courses import services as course_services
from feedback import services
from feedback.models import Offer
from tests.assessments.factories import correct_answers, wrong_answers
from tests.courses.factories import WebinarFactory

from .factories import make_survey

pytestmark = pytest.mark.django_db


def take_final_assessment(enrolment, *, pass_it=True):
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    answers = correct_answers(attempt) if pass_it else wrong_answers(attempt)
    assessment_services.save_answers(attempt=attempt, answers=answers)
    return assessment_services.submit_attempt(attempt=attempt)


def complete(course_tree, learner):
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    take_final_assessment(enrolment)
    return enrolment


def test_completing_a_course_offers_its_survey_once(course_tree, learner):
    survey = make_survey(course=course_tree.course)
    enrolment = complete(course_tree, learner)
    offer = Offer.objects.get(user=learner, survey=survey)
    assert offer.state == Offer.State.OFFERED
    # The completion announced again (it is not, but a receiver must not care) offers nothing new.
    assert services.offer_after_course(enrolment=enrolment) == offer
    assert Offer.objects.filter(user=learner).count() == 1


def test_handing_in_an_attempt_offers_the_assessment_survey_passed_or_not(
    course_tree, learner, other_learner
):
    survey = make_survey(assessment=course_tree.assessment)
    for person, pass_it in ((learner, True), (other_learner, False)):
        enrolment = course_services.enrol(user=person, course=course_tree.course)
        for lesson in course_tree.lessons:
            course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
        take_final_assessment(enrolment, pass_it=pass_it)
        assert Offer.objects.filter(user=person, survey=survey).exists()


def test_no_survey_or_a_closed_one_offers_nothing(course_tree, learner):
    complete(course_tree, learner)
    assert not Offer.objects.exists()
    survey = make_survey(course=course_tree.course)
    survey.is_open = False
    survey.save()
    assert services.offer_after_course(enrolment=learner.enrolments.get()) is None
    assert not Offer.objects.exists()


def test_attending_a_webinar_offers_its_survey_through_the_service(catalogue, learner):
    webinar = WebinarFactory(parent=catalogue)
    survey = make_survey(webinar=webinar)
    offer = services.offer_after_webinar(user=learner, webinar=webinar)
    assert (offer.survey, offer.user, offer.state) == (survey, learner, Offer.State.OFFERED)


def test_the_dashboard_asks_and_a_skip_is_kept(course_tree, learner, learner_client):
    make_survey(course=course_tree.course)
    enrolment = complete(course_tree, learner)
    page = learner_client.get(reverse("dashboard")).content.decode()
    title = course_tree.course.title
    assert f"Tell us about {title}" in page
    offer = Offer.objects.get(user=learner)
    assert reverse("feedback:answer", args=[offer.pk]) in page
    assert reverse("feedback:skip", args=[offer.pk]) in page
    # The course page links to it as well.
    assert (
        reverse("feedback:answer", args=[offer.pk])
        in learner_client.get(course_tree.course.url).content.decode()
    )

    response = learner_client.post(reverse("feedback:skip", args=[offer.pk]), follow=True)
    page = response.content.decode()
    assert "We will not ask again" in page
    assert f"Tell us about {title}" not in page
    offer.refresh_from_db()
    assert offer.state == Offer.State.SKIPPED
    # Offered again (the event again): still skipped, still not asked.
    services.offer_after_course(enrolment=enrolment)
    offer.refresh_from_db()
    assert offer.state == Offer.State.SKIPPED
    assert f"Tell us about {title}" not in learner_client.get(reverse("dashboard")).content.decode()
    # And it cannot be answered any more.
    page = learner_client.get(reverse("feedback:answer", args=[offer.pk])).content.decode()
    assert "You chose to skip this survey" in page


def test_the_result_page_links_to_the_assessment_survey(course_tree, learner, learner_client):
    make_survey(assessment=course_tree.assessment)
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    attempt = take_final_assessment(enrolment)
    offer = Offer.objects.get(user=learner)
    page = learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert reverse("feedback:answer", args=[offer.pk]) in page
