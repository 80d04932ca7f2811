"""Per-learner adjustments (WCAG 2.2.1, reasonable adjustments): extra time or no time limit and
extra attempts, granted by assessors and administrators with who, when and why recorded."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from academy.models import AuditEntry
from assessments import services
from assessments.models import Adjustment
from courses import services as course_services
from tests.academy.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Dyslexia: assessed need for 25% extra reading time (occupational health, Nov 2026)."


@pytest.fixture
def assessor(staff_groups):
    return UserFactory(
        full_name="Ada Assessor", email="assessor@example.org", groups=[people.ASSESSORS], mfa=True
    )


def grant(learner, assessment, by, **fields):
    return services.grant_adjustment(
        learner=learner, assessment=assessment, by=by, reason=fields.pop("reason", REASON), **fields
    )


def adjustment_form(**fields):
    return {
        "extra_minutes": "0",
        "extra_attempts": "0",
        "reason": REASON,
        **fields,
    }


# The deadline and the attempt limit -------------------------------------------------------------


def test_extra_minutes_are_added_to_the_time_limit(assessment, learner, assessor):
    assessment.time_limit_minutes = 60
    assessment.save()
    grant(learner, assessment, assessor, extra_minutes=30)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=90)


def test_others_keep_the_assessment_time_limit(assessment, learner, other_learner, assessor):
    assessment.time_limit_minutes = 60
    assessment.save()
    grant(learner, assessment, assessor, extra_minutes=30)
    attempt = services.start_attempt(user=other_learner, assessment=assessment)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=60)


def test_no_time_limit_leaves_the_attempt_without_a_deadline(assessment, learner, assessor):
    assessment.time_limit_minutes = 20
    assessment.save()
    grant(learner, assessment, assessor, no_time_limit=True)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline is None


def test_the_closing_time_still_caps_an_adjusted_deadline(assessment, learner, assessor):
    closes = timezone.now() + timedelta(minutes=45)
    assessment.time_limit_minutes = 30
    assessment.closes_at = closes
    assessment.save()
    grant(learner, assessment, assessor, no_time_limit=True)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline == closes


def test_extra_attempts_are_honoured(assessment, learner, assessor):
    assessment.max_attempts = 1
    assessment.save()
    first = services.start_attempt(user=learner, assessment=assessment)
    services.submit_attempt(attempt=first)
    with pytest.raises(services.AssessmentError, match="used all the attempts"):
        services.start_attempt(user=learner, assessment=assessment)

    grant(learner, assessment, assessor, extra_attempts=1)
    assert services.attempts_left(user=learner, assessment=assessment) == 1
    second = services.start_attempt(user=learner, assessment=assessment)
    services.submit_attempt(attempt=second)
    assert second.number == 2
    with pytest.raises(services.AssessmentError, match="used all the attempts"):
        services.start_attempt(user=learner, assessment=assessment)


# The service and its audit entry ----------------------------------------------------------------


def test_granting_records_who_when_why_and_the_old_and_new_values(assessment, learner, assessor):
    first = grant(learner, assessment, assessor, extra_minutes=15)
    assert first.granted_by == assessor
    entry = AuditEntry.objects.get(action="adjustment.granted")
    assert entry.actor == assessor
    assert entry.reason == REASON
    assert entry.target_id == str(first.pk)
    assert entry.details["old"] is None
    assert entry.details["new"]["extra_minutes"] == 15

    changed = grant(learner, assessment, assessor, extra_minutes=30, reason="Reviewed in Dec.")
    assert changed.pk == first.pk
    assert Adjustment.objects.count() == 1
    entry = AuditEntry.objects.get(action="adjustment.changed")
    assert entry.reason == "Reviewed in Dec."
    assert entry.details["old"]["extra_minutes"] == 15
    assert entry.details["new"]["extra_minutes"] == 30


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "  "}, "reason"),
        ({"extra_minutes": -5}, "negative"),
        ({"extra_attempts": -1}, "negative"),
        ({"no_time_limit": True, "extra_minutes": 10}, "either extra time or no time limit"),
    ],
)
def test_a_bad_adjustment_is_refused_and_changes_nothing(
    assessment, learner, assessor, fields, message
):
    with pytest.raises(services.AssessmentError, match=message):
        grant(learner, assessment, assessor, **fields)
    assert not Adjustment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_database_refuses_an_adjustment_without_a_reason(assessment, learner, assessor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.create(
            learner=learner, assessment=assessment, granted_by=assessor, reason=""
        )


def test_the_database_refuses_a_second_adjustment_for_the_same_pair(assessment, learner, assessor):
    grant(learner, assessment, assessor, extra_minutes=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.create(
            learner=learner, assessment=assessment, granted_by=assessor, reason="Again"
        )


# The admin ---------------------------------------------------------------------------------------


def test_an_assessor_grants_an_adjustment_in_the_admin(client, assessor, assessment, learner):
    client.force_login(assessor)
    assert client.get(reverse("adjustment:index")).status_code == 200
    response = client.post(
        reverse("adjustment:add"),
        adjustment_form(learner=learner.pk, assessment=assessment.pk, extra_minutes="30"),
    )
    assert response.status_code == 302, response.content.decode()
    adjustment = Adjustment.objects.get()
    assert (adjustment.learner, adjustment.extra_minutes) == (learner, 30)
    assert adjustment.granted_by == assessor
    entry = AuditEntry.objects.get(action="adjustment.granted")
    assert (entry.actor, entry.reason) == (assessor, REASON)

    # Editing goes through the service too: a new audit entry with the old and new values.
    response = client.post(
        reverse("adjustment:edit", args=[adjustment.pk]),
        adjustment_form(extra_minutes="0", no_time_limit="on", reason="No limit after review."),
    )
    assert response.status_code == 302, response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.no_time_limit and adjustment.extra_minutes == 0
    assert adjustment.learner == learner
    entry = AuditEntry.objects.get(action="adjustment.changed")
    assert entry.details["old"]["extra_minutes"] == 30
    assert entry.details["new"]["no_time_limit"] is True


def test_an_administrator_may_grant_adjustments(client, administrator, assessment, learner):
    client.force_login(administrator)
    response = client.post(
        reverse("adjustment:add"),
        adjustment_form(learner=learner.pk, assessment=assessment.pk, extra_attempts="2"),
    )
    assert response.status_code == 302, response.content.decode()
    assert Adjustment.objects.get().extra_attempts == 2


def test_the_admin_shows_a_clear_error_for_extra_time_with_no_limit(
    client, assessor, assessment, learner
):
    client.force_login(assessor)
    response = client.post(
        reverse("adjustment:add"),
        adjustment_form(
            learner=learner.pk, assessment=assessment.pk, extra_minutes="10", no_time_limit="on"
        ),
    )
    assert response.status_code == 200
    assert "Leave extra time at 0" in response.content.decode()
    assert not Adjustment.objects.exists()


def test_a_trainer_cannot_grant_adjustments(client, trainer, assessment, learner):
    client.force_login(trainer)
    home = reverse("wagtailadmin_home")
    assert client.get(reverse("adjustment:index")).url == home
    response = client.post(
        reverse("adjustment:add"),
        adjustment_form(learner=learner.pk, assessment=assessment.pk, extra_minutes="30"),
    )
    assert response.url == home
    assert not Adjustment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_adjustments_cannot_be_deleted_from_the_admin(client, administrator, assessment, learner):
    adjustment = grant(learner, assessment, administrator, extra_minutes=10)
    client.force_login(administrator)
    response = client.post(reverse("adjustment:delete", args=[adjustment.pk]))
    assert response.url == reverse("wagtailadmin_home")
    assert Adjustment.objects.exists()


# What learners see -------------------------------------------------------------------------------


def test_the_attempt_page_mentions_the_adjustment_without_its_reason(
    learner_client, learner, assessment, assessor
):
    assessment.time_limit_minutes = 60
    assessment.save()
    grant(learner, assessment, assessor, extra_minutes=30)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    html = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "You have 30 extra minutes" in html
    assert "Dyslexia" not in html


def test_the_course_page_mentions_the_adjustment_without_its_reason(
    learner_client, learner, course_tree, assessor
):
    course = course_tree.course
    course_services.enrol(user=learner, course=course)
    grant(learner, course.final_assessment, assessor, extra_attempts=1, no_time_limit=True)
    html = learner_client.get(course.url).content.decode()
    assert "You have no time limit and 1 extra attempt" in html
    assert "Dyslexia" not in html


def test_a_learner_never_sees_another_learners_adjustment(
    client, learner, other_learner, course_tree, assessor
):
    course = course_tree.course
    assessment = course.final_assessment
    assessment.time_limit_minutes = 60
    assessment.save()
    grant(learner, assessment, assessor, extra_minutes=30)
    course_services.enrol(user=other_learner, course=course)
    client.force_login(other_learner)
    html = client.get(course.url).content.decode()
    assert "extra minutes" not in html
    attempt = services.start_attempt(user=other_learner, assessment=assessment)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "extra minutes" not in html
    assert "Dyslexia" not in html
    # Nor can a learner reach the admin list of adjustments: the admin is for staff.
    response = client.get(reverse("adjustment:index"))
    assert response.status_code == 403
    assert "Dyslexia" not in response.content.decode()
