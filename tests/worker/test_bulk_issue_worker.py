"""Bulk issue, e-mail and the sweep through a real Celery worker on Redis (CI: PostgreSQL)."""

import time
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy.models import User
from certificates import services, tasks
from certificates.models import BulkIssue, Certificate

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNERS = 250


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"The worker did not finish {what} within {seconds}s")


def _pdf_files(code: str) -> list[Path]:
    return list((Path(settings.PRIVATE_MEDIA_ROOT) / "certificates").glob(f"{code}*.pdf"))


def test_a_bulk_issue_of_250_learners_issues_renders_and_emails_each_once(worker, course):
    award = services.award_for_course(course=course)
    admin = User.objects.create_user(
        email="bulk-admin@example.org", password="x-long-password", full_name="Sam Admin"
    )
    User.objects.bulk_create(
        User(email=f"learner{n}@example.org", full_name=f"Learner {n}") for n in range(LEARNERS)
    )
    learners = list(User.objects.filter(email__startswith="learner").order_by("pk"))
    held = services.issue_certificate(learner=learners[0], award=award)

    bulk_issue = services.start_bulk_issue(
        award=award, learners=learners, requested_by=admin, reason="Attended the webinar"
    )
    current = Certificate.objects.filter(award=award, superseded_at__isnull=True)
    _wait(
        lambda: current.filter(emailed_at__isnull=False).count() == LEARNERS,
        seconds=600,
        what=f"issuing, rendering and e-mailing {LEARNERS} certificates",
    )
    bulk_issue.refresh_from_db()
    assert (bulk_issue.status, bulk_issue.done, bulk_issue.failed) == ("finished", LEARNERS, 0)
    assert bulk_issue.learners.filter(outcome="already_held").get().certificate == held
    assert Certificate.objects.filter(award=award).count() == LEARNERS
    for certificate in current:
        assert len(_pdf_files(certificate.code)) == 1, certificate.code
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == sorted(learner.email for learner in learners)

    # A duplicated or retried chunk message issues nothing new and counts nobody twice.
    BulkIssue.objects.filter(pk=bulk_issue.pk).update(status="running")
    codes_before = set(current.values_list("code", flat=True))
    first_chunk = [learner.pk for learner in learners[:100]]
    assert tasks.issue_bulk_chunk.delay(bulk_issue.pk, first_chunk).get(timeout=60) == 0
    assert tasks.issue_bulk_chunk.delay(bulk_issue.pk, first_chunk).get(timeout=60) == 0
    assert set(current.values_list("code", flat=True)) == codes_before
    bulk_issue.refresh_from_db()
    assert (bulk_issue.status, bulk_issue.done, bulk_issue.failed) == ("finished", LEARNERS, 0)
    assert len(mail.outbox) == LEARNERS


def test_a_bulk_issue_does_not_hold_back_e_mails_behind_its_later_chunks(worker, course, settings):
    """One worker, three chunks queued at once: each chunk's PDFs and e-mails, and a certificate
    issued by hand meanwhile, go before the next chunk, not after the whole batch."""
    settings.ACADEMY_BULK_ISSUE_CHUNK = 3
    award = services.award_for_course(course=course)
    User.objects.bulk_create(
        User(email=f"attendee{n}@example.org", full_name=f"Attendee {n}") for n in range(9)
    )
    attendees = list(User.objects.filter(email__startswith="attendee").order_by("pk"))
    admin, finisher = (
        User.objects.create_user(email=email, password="x-long-password", full_name=name)
        for email, name in [("admin@example.org", "Sam Admin"), ("fay@example.org", "Fay Finisher")]
    )
    bulk_issue = services.start_bulk_issue(
        award=award, learners=attendees, requested_by=admin, reason="Attended the webinar"
    )
    own = services.issue_certificate(learner=finisher, award=award)
    _wait(
        lambda: Certificate.objects.filter(award=award, emailed_at__isnull=False).count() == 10,
        seconds=300,
        what="issuing, rendering and e-mailing 10 certificates",
    )
    rows = list(bulk_issue.learners.select_related("certificate").order_by("finished_at"))
    chunks = [rows[start : start + 3] for start in (0, 3, 6)]
    for chunk, next_chunk in pairwise(chunks):
        last_email = max(row.certificate.emailed_at for row in chunk)
        assert last_email < min(row.finished_at for row in next_chunk)
    own.refresh_from_db()
    assert own.emailed_at < min(row.finished_at for row in chunks[-1])


def test_an_issue_made_while_the_broker_is_unreachable_is_repaired_by_the_sweep(
    worker, course, monkeypatch, caplog
):
    learner = User.objects.create_user(
        email="offline@example.org", password="x-long-password", full_name="Ola Offline"
    )

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_certificate_pdf, "apply_async", refuse)
    certificate = services.issue_for_course(learner=learner, course=course)
    assert Certificate.objects.filter(pk=certificate.pk).exists()  # the issue committed
    assert "Could not queue certificates.tasks.render_certificate_pdf" in caplog.text
    time.sleep(1)
    certificate.refresh_from_db()
    assert not certificate.pdf

    monkeypatch.undo()  # the broker is back; the next sweep finds the missing PDF
    later = timezone.now() + timedelta(minutes=10)
    assert services.sweep_unfinished(now=later)["pdf"] == 1
    _wait(
        lambda: Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=False).exists(),
        seconds=60,
        what="the swept PDF and e-mail",
    )
    assert len(_pdf_files(certificate.code)) == 1
    assert [message.to for message in mail.outbox] == [["offline@example.org"]]
    assert services.sweep_unfinished(now=later) == {
        "pdf": 0,
        "email": 0,
        "status_notice": 0,
        "bulk_chunks": 0,
    }
