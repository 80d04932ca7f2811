"""Saving a course page warns when its final assessment gives its answers away while learners
may try again (the course gives a certificate)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from wagtail import hooks

from assessments.models import Assessment
from courses.wagtail_hooks import warn_about_the_final_assessment

pytestmark = pytest.mark.django_db


def saved(course) -> list[str]:
    request = RequestFactory().post("/admin/pages/")
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_about_the_final_assessment(request, course)
    return [str(message) for message in get_messages(request)]


def test_the_hook_runs_when_a_page_is_created_or_edited():
    assert warn_about_the_final_assessment in hooks.get_hooks("after_create_page")
    assert warn_about_the_final_assessment in hooks.get_hooks("after_edit_page")


def test_a_course_whose_final_assessment_reveals_answers_early_is_flagged(course):
    assert saved(course) == []  # the safe defaults
    Assessment.objects.filter(pk=course.final_assessment_id).update(review_later_answers=True)
    course.refresh_from_db()
    (message,) = saved(course)
    assert f"leads to the certificate of the course “{course.title}”" in message
    assert "later, while the learner may try again" in message
    Assessment.objects.filter(pk=course.final_assessment_id).update(max_attempts=1)
    course.refresh_from_db()
    assert saved(course) == []
