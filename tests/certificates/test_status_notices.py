"""The learner is told by e-mail, once, when their certificate is revoked, suspended or
reinstated; each change has its own notice row."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import services, tasks
from certificates.models import StatusNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, learner):
    return services.issue_for_course(learner=learner, course=course)


def bodies(message) -> tuple[str, str]:
    return message.body, message.alternatives[0][0]


def test_revoking_emails_the_learner_what_happened_and_the_public_reason(
    certificate, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(
            certificate=certificate,
            by=administrator,
            reason="Someone else sat the assessment (private)",
            public_reason="Issued in error",
        )
    [message] = mail.outbox
    assert message.to == ["priya@example.org"]
    assert message.subject == (
        f"[PHSO Academy] Your certificate has been revoked: {certificate.title_on_certificate}"
    )
    for body in bodies(message):
        assert "Dear Priya Sharma" in body
        assert certificate.display_code in body
        assert "Issued in error" in body
        assert "cannot be undone" in body
        assert "private" not in body  # the audit log's reason stays with the administrators
        assert certificate.verify_url in body
    [notice] = StatusNotice.objects.all()
    assert notice.change == "revoked" and notice.emailed_at is not None


def test_suspending_then_reinstating_sends_one_email_each(
    certificate, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(certificate=certificate, by=administrator, reason="Checking a complaint")
    with django_capture_on_commit_callbacks(execute=True):
        services.reinstate(certificate=certificate, by=administrator, reason="Complaint closed")
    suspended, reinstated = mail.outbox
    assert "has been suspended" in suspended.subject
    assert "We will e-mail you again when we have decided." in suspended.body
    assert "counts again" in reinstated.subject
    assert "counts as valid again" in reinstated.body
    assert [notice.change for notice in StatusNotice.objects.order_by("pk")] == [
        "suspended",
        "reinstated",
    ]


def test_a_notice_is_sent_once_however_often_its_task_runs(
    certificate, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(certificate=certificate, by=administrator, reason="x")
    notice = StatusNotice.objects.get()
    assert tasks.email_status_notice(notice.pk) is False
    assert services.email_status_notice(notice=notice) is False
    assert tasks.email_status_notice(987654) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_notice_for_a_retry_and_the_sweep(
    certificate, administrator, monkeypatch
):
    services.suspend(certificate=certificate, by=administrator, reason="x")  # task not run
    notice = StatusNotice.objects.get()

    def broken_send(self, fail_silently=False):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with pytest.raises(OSError):
        services.email_status_notice(notice=notice)
    notice.refresh_from_db()
    assert notice.emailed_at is None
    monkeypatch.undo()

    later = timezone.now() + timedelta(minutes=30)
    counts = services.sweep_unfinished(now=later)
    assert counts["status_notice"] == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert len(mail.outbox) == 1
    assert services.sweep_unfinished(now=later)["status_notice"] == 0


def test_a_refused_change_makes_no_notice(certificate, administrator):
    with pytest.raises(services.WrongStatusError):
        services.reinstate(certificate=certificate, by=administrator, reason="x")
    assert not StatusNotice.objects.exists()
