"""E-mailing the PDF once, the sweep that repairs lost tasks, and expiry reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from certificates import services, tasks
from certificates.models import Certificate, ExpiryReminder
from tests.certificates.factories import AwardFactory, CertificateFactory

pytestmark = pytest.mark.django_db


def issue(learner, course, capture):
    with capture(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    return certificate


def test_the_learner_is_emailed_the_pdf_once_it_is_rendered(
    course, learner, django_capture_on_commit_callbacks
):
    certificate = issue(learner, course, django_capture_on_commit_callbacks)

    assert certificate.pdf and certificate.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["priya@example.org"]
    assert message.subject == "[PHSO Academy] Your certificate: Welcoming complaints"
    assert "Dear Priya Sharma" in message.body
    assert certificate.display_code in message.body
    assert certificate.verify_url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert certificate.verify_url in html
    [(filename, content, attachment_type)] = message.attachments
    assert filename == f"certificate-{certificate.display_code}.pdf"
    assert attachment_type == "application/pdf"
    assert content.startswith(b"%PDF-")


def test_running_the_email_task_again_sends_nothing(
    course, learner, django_capture_on_commit_callbacks
):
    certificate = issue(learner, course, django_capture_on_commit_callbacks)
    emailed_at = certificate.emailed_at

    assert tasks.email_certificate(certificate.pk) is False
    assert tasks.email_certificate.delay(certificate.pk).get() is False
    assert services.email_certificate(certificate=certificate) is False
    certificate.refresh_from_db()
    assert certificate.emailed_at == emailed_at
    assert len(mail.outbox) == 1


def test_no_email_before_the_pdf_exists_nor_for_a_missing_certificate(course, learner):
    certificate = services.issue_for_course(learner=learner, course=course)
    assert tasks.email_certificate(certificate.pk) is False
    assert tasks.email_certificate(987654) is False
    assert mail.outbox == []


def test_a_failed_send_leaves_the_certificate_unmarked_so_a_retry_sends_it(
    course, learner, monkeypatch
):
    certificate = services.issue_for_course(learner=learner, course=course)
    services.render_pdf(certificate=certificate)

    def broken_send(self, fail_silently=False):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with pytest.raises(OSError):
        services.email_certificate(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.emailed_at is None

    monkeypatch.undo()
    assert services.email_certificate(certificate=certificate) is True
    assert len(mail.outbox) == 1


def test_a_revoked_or_superseded_certificate_is_not_emailed(course, learner, administrator):
    certificate = services.issue_for_course(learner=learner, course=course)
    services.render_pdf(certificate=certificate)
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="Priya Shah", reason="Typo"
    )
    assert services.email_certificate(certificate=certificate) is False
    services.render_pdf(certificate=replacement)
    services.revoke(certificate=replacement, by=administrator, reason="x", public_reason="y")
    assert services.email_certificate(certificate=replacement) is False
    assert mail.outbox == []


# Enqueue failures and the sweep -------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Every task publish fails as it does when Redis cannot be reached."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for name in ("render_certificate_pdf", "email_certificate", "issue_bulk_chunk"):
        monkeypatch.setattr(getattr(tasks, name), "apply_async", refuse)
    return monkeypatch


def test_issuing_while_the_broker_is_down_still_issues_and_logs_the_failure(
    course, learner, broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert not certificate.pdf
    assert "Could not queue certificates.tasks.render_certificate_pdf" in caplog.text


def test_the_sweep_queues_again_only_what_is_missing(course, learner, other_learner, broker_down):
    award = AwardFactory(course=course)
    long_ago = timezone.now() - timedelta(minutes=30)
    no_pdf = CertificateFactory(learner=learner, award=award, issued_at=long_ago)
    just_issued = CertificateFactory(learner=other_learner, award=award)  # its task may be queued
    done = services.issue_for_course(learner=learner, course=course)  # already held: no_pdf
    assert done.pk == no_pdf.pk
    complete = CertificateFactory(award=award, issued_at=long_ago)
    services.render_pdf(certificate=complete)
    Certificate.objects.filter(pk=complete.pk).update(pdf_rendered_at=long_ago, emailed_at=long_ago)
    not_emailed = CertificateFactory(award=award, issued_at=long_ago)
    services.render_pdf(certificate=not_emailed)
    Certificate.objects.filter(pk=not_emailed.pk).update(pdf_rendered_at=long_ago)

    queued = []
    for name in ("render_certificate_pdf", "email_certificate"):
        broker_down.setattr(
            getattr(tasks, name),
            "delay",
            lambda *args, name=name: queued.append((name, *args)),
        )
    counts = services.sweep_unfinished()

    assert counts == {"pdf": 1, "email": 1, "status_notice": 0, "bulk_chunks": 0}
    assert sorted(queued) == [
        ("email_certificate", not_emailed.pk),
        ("render_certificate_pdf", no_pdf.pk),
    ]
    assert just_issued.pk not in [args[1] for args in queued]


def test_the_sweep_repairs_an_issue_made_while_the_broker_was_down(
    course, learner, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.render_certificate_pdf, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    monkeypatch.undo()  # the broker is back

    later = timezone.now() + timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_unfinished_certificates() == {
            "pdf": 0,
            "email": 0,
            "status_notice": 0,
            "bulk_chunks": 0,
        }
        assert services.sweep_unfinished(now=later) == {
            "pdf": 1,
            "email": 0,
            "status_notice": 0,
            "bulk_chunks": 0,
        }
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.emailed_at
    assert len(mail.outbox) == 1
    # Nothing is left for the next sweep.
    assert services.sweep_unfinished(now=later + timedelta(minutes=10)) == {
        "pdf": 0,
        "email": 0,
        "status_notice": 0,
        "bulk_chunks": 0,
    }


# Expiry reminders -------------------------------------------------------------------------------


def expiring(learner, course, days, **extra):
    now = timezone.now()
    return CertificateFactory(
        learner=learner,
        award=AwardFactory(course=course),
        issued_at=now - timedelta(days=300),
        valid_until=now + timedelta(days=days, hours=1),
        **extra,
    )


def run_reminders(now, capture):
    with capture(execute=True):
        due = services.due_expiry_reminders(now=now)
        for certificate_id, days in due:
            services.send_expiry_reminder(
                certificate=Certificate.objects.get(pk=certificate_id), days_before=days, now=now
            )
    return due


def test_reminders_go_90_30_and_7_days_before_expiry_each_once(
    course, learner, django_capture_on_commit_callbacks
):
    certificate = expiring(learner, course, days=120)
    now = timezone.now()
    sent_on = {}
    for day in range(0, 125):
        moment = now + timedelta(days=day)
        for _ in range(2):  # the daily job running twice changes nothing
            for _, days in run_reminders(moment, django_capture_on_commit_callbacks):
                sent_on.setdefault(days, day)
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 90]
    assert sent_on == {90: 31, 30: 91, 7: 114}  # expiry is 120 days and an hour away
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.to == ["priya@example.org"]
    assert message.subject.startswith("[PHSO Academy] Your certificate expires on ")
    assert certificate.display_code in message.body
    assert "in 90 days" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_missed_reminder_is_replaced_by_the_nearer_one(
    course, learner, django_capture_on_commit_callbacks
):
    expiring(learner, course, days=20)
    due = run_reminders(timezone.now(), django_capture_on_commit_callbacks)
    assert [days for _, days in due] == [30]
    assert run_reminders(timezone.now(), django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_no_reminders_for_revoked_superseded_or_unexpiring_certificates(
    course, learner, other_learner, django_capture_on_commit_callbacks
):
    now = timezone.now()
    expiring(learner, course, days=5, status=Certificate.Status.REVOKED, status_changed_at=now)
    expiring(other_learner, course, days=5, superseded_at=now)
    CertificateFactory(award=AwardFactory(course=course))  # does not expire
    assert run_reminders(now, django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_the_reminder_beat_task_queues_and_sends_each_once(
    course, learner, django_capture_on_commit_callbacks
):
    certificate = expiring(learner, course, days=6)
    assert tasks.send_expiry_reminders() == 1
    assert tasks.send_expiry_reminders() == 0
    assert tasks.send_expiry_reminder(certificate.pk, 7) is False
    assert ExpiryReminder.objects.get().days_before == 7
    assert len(mail.outbox) == 1
