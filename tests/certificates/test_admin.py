"""Issuing a certificate by hand in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from certificates.models import Certificate
from tests.certificates.factories import AwardFactory

pytestmark = pytest.mark.django_db

ISSUE = reverse("issue_certificate")


def issue_form(learner, course, reason="Completed the course at a face-to-face session"):
    return {"email": learner.email.upper(), "course": course.pk, "reason": reason}


def test_an_administrator_issues_a_certificate_with_a_reason(
    client, administrator, learner, course
):
    client.force_login(administrator)
    page = client.get(ISSUE)
    assert page.status_code == 200
    assert course.title in page.content.decode()

    response = client.post(ISSUE, issue_form(learner, course), follow=True)
    certificate = Certificate.objects.get(learner=learner)
    assert response.redirect_chain == [(ISSUE, 302)]
    assert f"Certificate {certificate.display_code} issued to Priya Sharma." in (
        response.content.decode()
    )
    assert certificate.issued_by == administrator
    entry = AuditEntry.objects.get(target_id=str(certificate.pk))
    assert entry.actor == administrator
    assert entry.reason == "Completed the course at a face-to-face session"


def test_issuing_again_in_the_admin_shows_the_same_certificate(
    client, administrator, learner, course
):
    client.force_login(administrator)
    client.post(ISSUE, issue_form(learner, course))
    response = client.post(ISSUE, issue_form(learner, course, reason="Again"), follow=True)
    certificate = Certificate.objects.get()
    assert f"already holds certificate {certificate.display_code}" in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_issuing_again_when_the_certificate_is_due_for_renewal_issues_the_next_period(
    client, administrator, learner, course
):
    AwardFactory(course=course, validity_unit="years", validity_length=1)
    client.force_login(administrator)
    client.post(ISSUE, issue_form(learner, course))
    last_year = timezone.now() - timedelta(days=320)
    Certificate.objects.update(issued_at=last_year, valid_until=last_year + timedelta(days=365))

    response = client.post(ISSUE, issue_form(learner, course, reason="Refresher day"), follow=True)
    old, renewed = Certificate.objects.order_by("cycle")
    assert renewed.cycle == 2
    assert f"Certificate {renewed.display_code} issued to Priya Sharma for the next period" in (
        response.content.decode()
    )
    entry = AuditEntry.objects.get(action="certificate.renewed")
    assert (entry.actor, entry.reason, entry.details["previous_code"]) == (
        administrator,
        "Refresher day",
        old.code,
    )


def test_an_unknown_email_address_is_explained_and_nothing_is_issued(client, administrator, course):
    client.force_login(administrator)
    response = client.post(
        ISSUE, {"email": "nobody@example.org", "course": course.pk, "reason": "Test"}
    )
    assert response.status_code == 200
    assert "No learner has this e-mail address." in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_reason_is_required(client, administrator, learner, course):
    client.force_login(administrator)
    response = client.post(ISSUE, issue_form(learner, course, reason=""))
    assert response.status_code == 200
    assert not Certificate.objects.exists()


def test_an_unpublished_course_cannot_be_chosen(client, administrator, learner, course):
    course.unpublish()
    client.force_login(administrator)
    response = client.post(ISSUE, issue_form(learner, course))
    assert response.status_code == 200
    assert not Certificate.objects.exists()


def test_a_trainer_can_neither_open_nor_use_the_issue_form(client, trainer, learner, course):
    client.force_login(trainer)
    page = client.get(ISSUE)
    assert page.status_code == 302
    assert page.url == reverse("wagtailadmin_home")
    response = client.post(ISSUE, issue_form(learner, course))
    assert response.status_code == 302
    assert not Certificate.objects.exists()
    assert "Issue a certificate" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_admin_menu_offers_issuing_to_administrators(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Issue a certificate" in html


def test_a_learner_is_kept_out_of_the_issue_form(client, learner, course, staff_groups):
    client.force_login(learner)
    response = client.post(ISSUE, issue_form(learner, course))
    assert response.status_code == 403  # the admin is for staff
    assert not Certificate.objects.exists()
