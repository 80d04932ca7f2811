"""Bulk issue: checking the learners, recording the batch, and issuing it chunk by chunk; and
the certificates of attendance of a webinar session, which go the same way."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as date_format

from academy import selectors as people
from academy.audit import record
from academy.queueing import enqueue

from ..errors import BulkIssueError, RefusedError
from ..models import Award, BulkIssue, BulkIssueLearner
from ._common import required
from .issuing import award_for_webinar
from .renewal import issue_by_administrator

_SEPARATORS = re.compile(r"[\s,;]+")


def check_bulk_learners(*, emails_text: str = "", organisation=None) -> list:
    """The learners a bulk issue would go to, or BulkIssueError listing every problem.

    Give pasted e-mail addresses (one a line, or separated by commas, semicolons or spaces) or an
    organisation, whose members all receive it.
    """
    if organisation is not None:
        if emails_text.strip():
            raise BulkIssueError(["Paste e-mail addresses or choose an organisation, not both."])
        learners = list(people.members_of(organisation=organisation))
        if not learners:
            raise BulkIssueError([f"{organisation} has no members."])
        problems = _nameless(learners)
        if problems:
            raise BulkIssueError(problems)
        return learners

    addresses = [part for part in _SEPARATORS.split(emails_text or "") if part]
    if not addresses:
        raise BulkIssueError(["Paste at least one e-mail address, or choose an organisation."])
    problems = []
    seen: dict[str, str] = {}
    duplicates, malformed = [], []
    for address in addresses:
        key = address.lower()
        try:
            validate_email(address)
        except ValidationError:
            malformed.append(address)
            continue
        if key in seen:
            if key not in duplicates:
                duplicates.append(key)
        else:
            seen[key] = address
    if malformed:
        problems.append("Not e-mail addresses: " + ", ".join(malformed) + ".")
    if duplicates:
        problems.append("Given more than once: " + ", ".join(duplicates) + ".")
    found = {user.email.lower(): user for user in people.users_with_emails(emails=list(seen))}
    unknown = [seen[key] for key in seen if key not in found]
    if unknown:
        problems.append("No learner has these e-mail addresses: " + ", ".join(unknown) + ".")
    learners = [found[key] for key in seen if key in found]
    problems += _nameless(learners)
    if problems:
        raise BulkIssueError(problems)
    return learners


def _nameless(learners) -> list[str]:
    nameless = [learner.email for learner in learners if not learner.full_name.strip()]
    if not nameless:
        return []
    return ["These learners have no name to print on a certificate: " + ", ".join(nameless) + "."]


def start_bulk_issue(*, award: Award, learners: list, requested_by, reason: str) -> BulkIssue:
    """Record a bulk issue and queue its chunks once it commits; returns the BulkIssue.

    Learners come from `check_bulk_learners`. Each chunk task issues through `issue_certificate`,
    so a learner who already holds the certificate keeps it and is reported as such.
    """
    reason = required(reason, "the reason for the audit log")
    if not learners:
        raise BulkIssueError(["Choose at least one learner."])
    if len({learner.pk for learner in learners}) != len(learners):
        raise BulkIssueError(["A learner is listed more than once."])
    with transaction.atomic():
        bulk_issue = BulkIssue.objects.create(
            award=award, requested_by=requested_by, reason=reason, total=len(learners)
        )
        BulkIssueLearner.objects.bulk_create(
            BulkIssueLearner(bulk_issue=bulk_issue, learner=learner) for learner in learners
        )
        record(
            actor=requested_by,
            action="certificate.bulk_issue_started",
            target=bulk_issue,
            reason=reason,
            award=award.pk,
            learners=len(learners),
        )
        transaction.on_commit(lambda: enqueue_chunks(bulk_issue.pk))
    return bulk_issue


def issue_for_attendance(*, session, learners: list, by) -> BulkIssue | None:
    """Certificates of attendance for people just marked as attending a webinar session, when
    the webinar gives one: a bulk issue of the webinar's award (made on first need), recorded
    now and issued by Celery after the commit, as an administrator's bulk issue is. A report
    may name hundreds of people, and each certificate is signed and rendered; the batch's page
    says who got one and who did not (someone with no name to print). None when the webinar
    gives no certificate."""
    webinar = session.webinar
    if not webinar.issues_certificate or not learners:
        return None
    day = date_format(timezone.localtime(session.starts_at), "j F Y")
    return start_bulk_issue(
        award=award_for_webinar(webinar=webinar),
        learners=learners,
        requested_by=by,
        reason=f"Attended the webinar “{webinar.title}” on {day}",
    )


def enqueue_chunks(bulk_issue_id: int) -> int:
    """Queue a chunk task for every learner still waiting; returns how many chunks were queued."""
    pending = list(
        BulkIssueLearner.objects.filter(
            bulk_issue_id=bulk_issue_id, outcome=BulkIssueLearner.Outcome.PENDING
        )
        .order_by("pk")
        .values_list("learner_id", flat=True)
    )
    size = settings.ACADEMY_BULK_ISSUE_CHUNK
    queued = 0
    for start in range(0, len(pending), size):
        queued += enqueue(
            "certificates.tasks.issue_bulk_chunk", bulk_issue_id, pending[start : start + size]
        )
    return queued


def issue_bulk_chunk(*, bulk_issue: BulkIssue, learner_ids: list[int]) -> int:
    """Issue to each learner of the chunk still waiting; returns how many were dealt with now.

    Each learner is one transaction: their certificate, their result and the batch's counters
    commit together, so a chunk that dies half way, or runs twice (even at the same time, the row
    lock makes the second wait), counts every learner once.
    """
    BulkIssue.objects.filter(pk=bulk_issue.pk, status=BulkIssue.Status.QUEUED).update(
        status=BulkIssue.Status.RUNNING
    )
    award = bulk_issue.award
    handled = 0
    rows = BulkIssueLearner.objects.filter(
        bulk_issue=bulk_issue, learner_id__in=learner_ids, outcome=BulkIssueLearner.Outcome.PENDING
    ).values_list("pk", flat=True)
    for row_id in list(rows):
        with transaction.atomic():
            row = (
                BulkIssueLearner.objects.select_for_update()
                .filter(pk=row_id, outcome=BulkIssueLearner.Outcome.PENDING)
                .select_related("learner")
                .first()
            )
            if row is None:
                continue  # another run of this chunk got there first
            try:
                row.certificate, row.outcome = issue_by_administrator(
                    learner=row.learner,
                    award=award,
                    issued_by=bulk_issue.requested_by,
                    reason=bulk_issue.reason,
                )
            except RefusedError as exc:
                row.outcome, row.message = BulkIssueLearner.Outcome.FAILED, str(exc)
                counter = {"failed": F("failed") + 1}
            else:
                counter = {"done": F("done") + 1}
            row.finished_at = timezone.now()
            row.save(update_fields=["outcome", "message", "certificate", "finished_at"])
            BulkIssue.objects.filter(pk=bulk_issue.pk).update(**counter)
            handled += 1
    BulkIssue.objects.filter(pk=bulk_issue.pk, total=F("done") + F("failed")).exclude(
        status=BulkIssue.Status.FINISHED
    ).update(status=BulkIssue.Status.FINISHED, finished_at=timezone.now())
    bulk_issue.refresh_from_db()
    return handled
