"""The learner's dashboard: their certificates, their courses and progress."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import services as certificate_services
from courses import services as course_services
from tests.academy.factories import MembershipFactory, OrganisationFactory
from tests.courses.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_a_signed_in_learner(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_new_learner_is_told_how_to_start(learner_client):
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "You have no certificates yet." in html
    assert "You are not enrolled on any course." in html


def test_the_dashboard_lists_certificates_enrolments_and_memberships(
    learner_client, learner, other_learner, course_tree, catalogue
):
    MembershipFactory(user=learner, organisation=OrganisationFactory(name="Northfield NHS Trust"))
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    course_services.complete_lesson(enrolment=enrolment, lesson=course_tree.lessons[0])
    course_services.record_visit(enrolment=enrolment, lesson=course_tree.lessons[1])
    certified = CourseFactory(parent=catalogue, title="Responding well")
    certificate = certificate_services.issue_for_course(learner=learner, course=certified)
    someone_elses = certificate_services.issue_for_course(learner=other_learner, course=certified)

    html = learner_client.get(reverse("dashboard")).content.decode()
    assert "Northfield NHS Trust" in html
    assert "Welcoming complaints" in html
    assert "1 of 3 lessons done" in html
    assert f"Continue: {course_tree.lessons[1].title}" in html
    assert "Responding well" in html
    assert certificate.display_code in html
    assert certificate.get_absolute_url() in html
    assert "PDF being prepared" in html
    assert someone_elses.display_code not in html


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def _enrol_with_progress(learner, catalogue):
    course = CourseFactory(parent=catalogue)
    lessons = [LessonFactory(parent=course) for _ in range(2)]
    enrolment = course_services.enrol(user=learner, course=course)
    course_services.complete_lesson(enrolment=enrolment, lesson=lessons[0])
    course_services.record_visit(enrolment=enrolment, lesson=lessons[1])
    certificate_services.issue_for_course(learner=learner, course=course)


def test_the_dashboard_query_count_does_not_grow_with_enrolments(
    learner_client, learner, catalogue, django_assert_max_num_queries
):
    _enrol_with_progress(learner, catalogue)
    learner_client.get(reverse("dashboard"))  # the first request caches the site's root paths
    one = _dashboard_queries(learner_client)
    for _ in range(5):
        _enrol_with_progress(learner, catalogue)
    with django_assert_max_num_queries(5):
        six = _dashboard_queries(learner_client)
    assert six == one
