"""The catalogue, course and lesson pages and the enrol / complete / start buttons."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from academy import services as people
from assessments.models import Attempt
from courses import services
from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    WebinarPage,
)
from portal.pages import HomePage
from tests.academy.factories import UserFactory
from tests.courses.factories import CourseFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def enrol_url(course):
    return reverse("courses:enrol", args=[course.pk])


def complete_url(lesson):
    return reverse("courses:complete_lesson", args=[lesson.pk])


# Catalogue -------------------------------------------------------------------------------------


def test_the_catalogue_lists_live_courses_only(client, course_tree, catalogue):
    draft = CourseFactory(parent=catalogue, title="A course still in draft", live=False)
    html = client.get("/courses/").content.decode()
    assert course_tree.course.title in html
    assert draft.title not in html


def test_the_catalogue_filters_by_audience(client, catalogue):
    CourseFactory(parent=catalogue, title="For everyone at work", audience="all_staff")
    CourseFactory(parent=catalogue, title="For senior leaders", audience="senior_staff")
    html = client.get("/courses/", {"audience": "senior_staff"}).content.decode()
    assert "For senior leaders" in html
    assert "For everyone at work" not in html
    # An unknown filter value shows everything rather than an error.
    html = client.get("/courses/", {"audience": "<script>"}).content.decode()
    assert "For senior leaders" in html and "For everyone at work" in html


def test_the_catalogue_lists_upcoming_webinars_but_not_past_ones(client, catalogue):
    WebinarFactory(
        parent=catalogue, title="Coming up soon", starts_at=timezone.now() + timedelta(days=3)
    )
    WebinarFactory(
        parent=catalogue, title="Already happened", starts_at=timezone.now() - timedelta(days=1)
    )
    html = client.get("/courses/").content.decode()
    assert "Upcoming webinars" in html
    assert "Coming up soon" in html
    assert "Already happened" not in html


def _catalogue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/courses/").status_code == 200
    return len(queries)


def test_the_catalogue_query_count_does_not_grow_with_the_courses(
    client, catalogue, django_assert_max_num_queries
):
    CourseFactory(parent=catalogue)
    WebinarFactory(parent=catalogue)
    client.get("/courses/")  # the first request caches the site's root paths
    few = _catalogue_queries(client)
    for _ in range(6):
        CourseFactory(parent=catalogue)
        WebinarFactory(parent=catalogue)
    with django_assert_max_num_queries(10):
        many = _catalogue_queries(client)
    assert many == few


# Course page -------------------------------------------------------------------------------------


def test_a_visitor_sees_the_lessons_and_is_invited_to_sign_in(client, course_tree):
    html = client.get(course_tree.course.url).content.decode()
    for lesson in course_tree.lessons:
        assert lesson.title in html
        assert f'href="{lesson.url}"' not in html
    assert "Sign in to enrol" in html


def test_enrolling_takes_the_learner_to_the_first_lesson(learner_client, learner, course_tree):
    response = learner_client.post(enrol_url(course_tree.course))
    assert response.status_code == 302
    assert response.url == course_tree.lessons[0].url
    assert Enrolment.objects.filter(user=learner, course=course_tree.course).count() == 1
    # Pressing the button again does not enrol twice.
    learner_client.post(enrol_url(course_tree.course))
    assert Enrolment.objects.filter(user=learner, course=course_tree.course).count() == 1


def test_enrolling_needs_a_signed_in_learner_and_a_post(client, learner, course_tree):
    response = client.post(enrol_url(course_tree.course))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(learner)
    assert client.get(enrol_url(course_tree.course)).status_code == 405
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_cannot_be_enrolled_on(learner_client, catalogue):
    draft = CourseFactory(parent=catalogue, live=False)
    assert learner_client.post(enrol_url(draft)).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_course_page_offers_to_resume_at_the_last_lesson_visited(
    learner_client, learner, course_tree
):
    services.enrol(user=learner, course=course_tree.course)
    first, second, _third = course_tree.lessons
    html = learner_client.get(course_tree.course.url).content.decode()
    assert f"Start: {first.title}" in html

    learner_client.get(second.url)
    html = learner_client.get(course_tree.course.url).content.decode()
    assert f"Continue: {second.title}" in html
    assert "You have done 0 of 3 lessons." in html

    dashboard = learner_client.get(reverse("dashboard")).content.decode()
    assert f"Continue: {second.title}" in dashboard


# Lesson pages ------------------------------------------------------------------------------------


def test_a_lesson_needs_a_signed_in_learner(client, course_tree):
    lesson = course_tree.lessons[0]
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_a_lesson_needs_an_enrolment(learner_client, learner, course_tree):
    response = learner_client.get(course_tree.lessons[0].url, follow=True)
    assert response.redirect_chain[0] == (course_tree.course.url, 302)
    assert "Enrol on the course to start its lessons." in response.content.decode()
    assert not Enrolment.objects.filter(user=learner).exists()


@pytest.mark.parametrize("group", people.STAFF_GROUPS)
def test_staff_view_a_live_lesson_without_enrolling(client, course_tree, staff_groups, group):
    """The admin's "View live": they see the lesson as learners do, told they are not enrolled,
    and nothing is recorded."""
    staff = UserFactory(groups=[group], mfa=True)
    client.force_login(staff)
    first, second, third = course_tree.lessons
    response = client.get(second.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The body of {second.title}." in html
    assert "You are not enrolled on this course" in html
    assert complete_url(second) not in html
    assert f'href="{first.url}">Previous: {first.title}' in html
    assert f'href="{third.url}">Next: {third.title}' in html
    assert not Enrolment.objects.filter(user=staff).exists()
    # Marking it done needs an enrolment still.
    assert client.post(complete_url(second)).status_code == 404


def test_an_enrolled_learner_reads_the_lesson_and_it_is_remembered(
    learner_client, learner, course_tree
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    lesson = course_tree.lessons[1]
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The body of {lesson.title}." in html
    assert "Lesson 2 of 3" in html
    assert f"Previous: {course_tree.lessons[0].title}" in html
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lesson.pk


def test_marking_a_lesson_done_moves_to_the_next_lesson_then_back_to_the_course(
    learner_client, learner, course_tree
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    first, second, third = course_tree.lessons
    response = learner_client.post(complete_url(first))
    assert response.status_code == 302
    assert response.url == second.url
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=first).exists()
    html = learner_client.get(first.url).content.decode()
    assert "You have completed this lesson." in html

    learner_client.post(complete_url(second))
    response = learner_client.post(complete_url(third))
    assert response.url == course_tree.course.url
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "You have done 3 of 3 lessons." in html
    assert "Start the assessment" in html


def test_with_every_lesson_done_the_main_button_is_the_assessment(
    learner_client, learner, course_tree
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        services.record_visit(enrolment=enrolment, lesson=lesson)
        learner_client.post(complete_url(lesson))
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "Continue: " not in html
    buttons = re.findall(r'class="nhsuk-button"[^>]*>([^<]+)<', html)
    assert buttons == ["Start the assessment"], buttons


def test_completing_a_lesson_without_enrolment_is_refused(learner_client, course_tree):
    response = learner_client.post(complete_url(course_tree.lessons[0]))
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_the_assessment_button_starts_an_attempt_only_after_the_lessons(
    learner_client, learner, course_tree
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    url = reverse("courses:start_assessment", args=[course_tree.course.pk])
    response = learner_client.post(url, follow=True)
    assert "Complete every lesson before you take the final assessment." in (
        response.content.decode()
    )
    assert not Attempt.objects.exists()

    for lesson in course_tree.lessons:
        services.complete_lesson(enrolment=enrolment, lesson=lesson)
    response = learner_client.post(url)
    attempt = Attempt.objects.get(user=learner)
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    # Pressing it again resumes the same attempt.
    assert learner_client.post(url).url == response.url


def test_the_assessment_button_needs_an_enrolment(learner_client, course_tree):
    url = reverse("courses:start_assessment", args=[course_tree.course.pk])
    assert learner_client.post(url).status_code == 404
    assert not Attempt.objects.exists()


def test_a_trainer_previews_a_lesson_without_enrolling(client, trainer, course_tree):
    client.force_login(trainer)
    lesson = course_tree.lessons[0]
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
    assert response.status_code == 200
    assert f"The body of {lesson.title}." in response.content.decode()
    assert not Enrolment.objects.exists()


# Page tree rules ---------------------------------------------------------------------------------


class TestPageTree(WagtailPageTestCase):
    """Trainers can only build Home -> Catalogue -> Course -> Lesson (and webinars)."""

    def test_allowed_parents_and_children(self):
        self.assertAllowedParentPageTypes(CatalogueIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CatalogueIndexPage, {CoursePage, WebinarPage})
        self.assertAllowedParentPageTypes(CoursePage, {CatalogueIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_a_lesson_cannot_be_put_straight_into_the_catalogue(self):
        self.assertCanNotCreateAt(CatalogueIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanCreateAt(CoursePage, LessonPage)


def test_a_learner_who_completed_the_course_may_take_the_assessment_again(
    learner_client, learner, course_tree
):
    # Passing again is how a certificate that expires is renewed.
    enrolment = services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        learner_client.post(complete_url(lesson))
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "You completed this course on" in html
    assert "Take the assessment again" in html
