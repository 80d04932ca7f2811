"""Nothing lost, nothing doubled: a worker killed mid-batch, and a task delivered twice, on a real
Celery worker and Redis (the broker down at issue is in test_bulk_issue_worker.py)."""

import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from academy.models import AuditEntry, User
from certificates import services, tasks
from certificates.models import Award, BulkIssue, Certificate, ExpiryReminder
from tests.worker.conftest import VISIBILITY_TIMEOUT, pdf_files, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Four chunks, so that chunks wait behind the one in flight. Each learner costs a few tenths of a
# second (issue, signing, PDF, e-mail), so a few hundred would take minutes; volume is covered
# by test_bulk_issue_worker.py.
LEARNERS = 60
CHUNK = 15


def start_batch(course, learners: int) -> tuple[BulkIssue, list[User]]:
    """A bulk issue to this many new learners; its chunks are queued as it commits."""
    award = services.award_for_course(course=course)
    admin = User.objects.create_user(
        email="bulk-admin@example.org", password="x-long-password", full_name="Sam Admin"
    )
    User.objects.bulk_create(
        User(email=f"learner{n}@example.org", full_name=f"Learner {n}") for n in range(learners)
    )
    chosen = list(User.objects.filter(email__startswith="learner").order_by("pk"))
    bulk_issue = services.start_bulk_issue(
        award=award, learners=chosen, requested_by=admin, reason="Attended the webinar"
    )
    return bulk_issue, chosen


def finish_as_beat_would(bulk_issue, count: int) -> dict[str, int]:
    """Wait until every learner is issued, rendered and e-mailed, running the sweep once as beat
    would if the work stops short; returns what the sweep queued again.

    A kill can land between a learner's commit and the queuing of their PDF task (or between a
    PDF's commit and its e-mail task): no message exists to come back, and the periodic sweep is
    what finds that work (docs/decisions.md). One kill loses at most one of each.
    """
    current = Certificate.objects.filter(award=bulk_issue.award, superseded_at__isnull=True)

    def state():
        return (
            BulkIssue.objects.get(pk=bulk_issue.pk).done,
            current.exclude(pdf="").count(),
            current.filter(emailed_at__isnull=False).count(),
        )

    def progress():
        issued, rendered, emailed = state()
        return f"{issued} issued, {rendered} rendered, {emailed} e-mailed of {count}"

    wait_for(
        lambda: state()[0] == count,
        seconds=60 + VISIBILITY_TIMEOUT,
        what="issuing the batch",
        progress=progress,
    )
    seen, still_since = state(), time.monotonic()
    while seen[2] < count and time.monotonic() - still_since < 10:
        time.sleep(0.5)
        if state() != seen:
            seen, still_since = state(), time.monotonic()
    swept = {"pdf": 0, "email": 0, "status_notice": 0, "bulk_chunks": 0}
    if seen[2] < count:
        later = timezone.now() + timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES, seconds=1)
        swept = services.sweep_unfinished(now=later)
    wait_for(
        lambda: state()[2] == count, seconds=60, what="the batch after the sweep", progress=progress
    )
    return swept


def assert_each_learner_has_one_certificate_pdf_and_email(bulk_issue, learners, processes):
    current = Certificate.objects.filter(award=bulk_issue.award, superseded_at__isnull=True)
    count = len(learners)
    swept = finish_as_beat_would(bulk_issue, count)
    assert swept["pdf"] <= 1 and swept["email"] <= 1 and swept["bulk_chunks"] == 0, swept
    bulk_issue.refresh_from_db()
    assert (bulk_issue.status, bulk_issue.done, bulk_issue.failed) == ("finished", count, 0)
    assert bulk_issue.learners.filter(outcome="issued").count() == count
    assert Certificate.objects.filter(award=bulk_issue.award).count() == count
    assert set(current.values_list("learner_id", flat=True)) == {learner.pk for learner in learners}
    for code in current.values_list("code", flat=True):
        assert len(pdf_files(code)) == 1, code
    assert sorted(processes.recipients()) == sorted(learner.email for learner in learners)
    assert AuditEntry.objects.filter(action="certificate.issued").count() == count


def test_a_worker_killed_mid_batch_leaves_every_learner_one_certificate_pdf_and_email(
    worker_processes, course, settings
):
    """The whole worker dies (a lost machine): its message comes back after the timeout."""
    settings.ACADEMY_BULK_ISSUE_CHUNK = CHUNK
    bulk_issue, learners = start_batch(course, LEARNERS)  # four chunks

    first = worker_processes.start("first")
    progress = BulkIssue.objects.filter(pk=bulk_issue.pk)
    wait_for(
        lambda: progress.get().done >= CHUNK + CHUNK // 2,
        seconds=60,
        what="half of the second chunk",
        interval=0.02,
    )
    worker_processes.kill(first)
    # The second chunk was half done: its message was delivered and never acknowledged, and
    # nothing else (no beat, no sweep runs here) will queue its other learners again.
    assert CHUNK < progress.get().done < 2 * CHUNK

    worker_processes.start("second")
    assert_each_learner_has_one_certificate_pdf_and_email(bulk_issue, learners, worker_processes)


def test_a_pool_process_killed_mid_chunk_has_its_chunk_put_back_at_once(
    worker_processes, course, settings
):
    """Only the process running the task dies (the out-of-memory killer): the worker itself
    puts the message back (task_reject_on_worker_lost) and a new pool process runs it."""
    settings.ACADEMY_BULK_ISSUE_CHUNK = CHUNK
    bulk_issue, learners = start_batch(course, 2 * CHUNK)

    worker = worker_processes.start("prefork", pool="prefork")
    progress = BulkIssue.objects.filter(pk=bulk_issue.pk)
    wait_for(
        lambda: progress.get().done >= CHUNK // 2,
        seconds=60,
        what="half of the first chunk",
        interval=0.02,
    )
    [pool_process] = worker_processes.pool_processes(worker)
    os.kill(pool_process, signal.SIGKILL)
    assert 0 < progress.get().done < CHUNK

    assert_each_learner_has_one_certificate_pdf_and_email(bulk_issue, learners, worker_processes)
    assert worker.poll() is None  # the worker lived on with a new pool process


def test_a_task_delivered_twice_changes_nothing_the_second_time(worker, course):
    runs = []  # (task id, return value) of every task the worker finished

    def finished(task_id=None, retval=None, **kwargs):
        runs.append((task_id, retval))

    task_postrun.connect(finished, weak=False)
    try:
        award = services.award_for_course(course=course)
        award.validity_unit, award.validity_length = Award.ValidityUnit.YEARS, 1
        award.save()
        learner = User.objects.create_user(
            email="twice@example.org", password="x-long-password", full_name="Tess Twice"
        )
        certificate = services.issue_for_course(learner=learner, course=course)
        emailed = Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=False)
        wait_for(
            emailed.exists,
            seconds=30,
            what="the PDF and e-mail",
        )
        bulk_issue = services.start_bulk_issue(
            award=award, learners=[learner], requested_by=learner, reason="Attended"
        )
        wait_for(
            lambda: BulkIssue.objects.filter(pk=bulk_issue.pk, status="finished").exists(),
            seconds=30,
            what="the bulk issue",
        )
        Certificate.objects.filter(pk=certificate.pk).update(
            valid_until=timezone.now() + timedelta(days=20)
        )
        before = Certificate.objects.values().get(pk=certificate.pk)
        audit_before = AuditEntry.objects.count()
        mail.outbox.clear()

        # Each message twice with the same task id, as a redelivery after a lost acknowledgement
        # brings it: the first delivery of the reminder sends it, every other one does nothing.
        deliveries = [
            (tasks.send_expiry_reminder, (certificate.pk, 30), (True, False)),
            (tasks.render_certificate_pdf, (certificate.pk,), (False, False)),
            (tasks.email_certificate, (certificate.pk,), (False, False)),
            (tasks.issue_bulk_chunk, (bulk_issue.pk, [learner.pk]), (0, 0)),
        ]
        ids = {}
        for task, args, _ in deliveries:
            task_id = ids[task.name] = str(uuid.uuid4())
            task.apply_async(args, task_id=task_id)
            task.apply_async(args, task_id=task_id)
        wait_for(
            lambda: sum(task_id in ids.values() for task_id, _ in runs) == 2 * len(deliveries),
            seconds=30,
            what="every delivery",
        )
    finally:
        task_postrun.disconnect(finished)

    for task, _, expected in deliveries:
        assert tuple(value for task_id, value in runs if task_id == ids[task.name]) == expected
    assert Certificate.objects.values().get(pk=certificate.pk) == before
    assert len(pdf_files(certificate.code)) == 1
    assert [message.subject for message in mail.outbox] == [
        "[PHSO Academy] Your certificate expires on "
        + timezone.localtime(before["valid_until"]).strftime("%-d %B %Y")
    ]
    assert ExpiryReminder.objects.filter(certificate=certificate).count() == 1
    assert AuditEntry.objects.count() == audit_before
    assert Certificate.objects.filter(learner=learner).count() == 1
