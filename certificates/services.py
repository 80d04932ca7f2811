"""Issuing, rendering and the lifecycle of certificates (suspend, reinstate, revoke, correct)."""

import io
import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as date_format
from kombu.exceptions import OperationalError

from academy.audit import record

from . import codes, credentials, emails, keys, rendering, selectors
from . import status_list as bitstrings
from .models import (
    Award,
    BulkIssue,
    BulkIssueLearner,
    Certificate,
    ExpiryReminder,
    StatusList,
    StatusListEntry,
)

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    """A rule about awards or certificates was broken; the message is for the user."""


class BulkIssueError(CertificateError):
    """A bulk issue was refused; `problems` lists every reason, one line each, for the user."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


@transaction.atomic
def award_for_course(*, course) -> Award:
    award, _ = Award.objects.get_or_create(
        course=course,
        defaults={
            "kind": Award.Kind.COURSE_COMPLETION,
            "title": course.title,
            "cpd_hours": course.cpd_hours,
        },
    )
    return award


def _current(*, learner, award: Award, cycle: int) -> Certificate | None:
    return Certificate.objects.filter(
        learner=learner, award=award, cycle=cycle, superseded_at__isnull=True
    ).first()


def issue_certificate(
    *,
    learner,
    award: Award,
    issued_by=None,
    reason: str = "",
    renews: Certificate | None = None,
) -> Certificate:
    """Issue the learner's certificate for this award's first cycle, or with `renews` the cycle
    after that certificate's (see renew_certificate); issuing again returns it.

    The certificate copies everything it prints (name, title, wording, CPD hours, signatory,
    validity) so later edits to the award or its design never change it.
    """
    cycle = renews.cycle + 1 if renews else 1
    existing = _current(learner=learner, award=award, cycle=cycle)
    if existing:
        return existing
    if not learner.full_name.strip():
        raise CertificateError("The learner has no name to print on the certificate.")
    design = selectors.design_for(award=award)
    issued_at = timezone.now()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=codes.new_code(),
                learner=learner,
                award=award,
                cycle=cycle,
                name_on_certificate=learner.full_name.strip(),
                title_on_certificate=award.title,
                wording_on_certificate=_wording(award, design),
                cpd_hours=award.cpd_hours,
                signatory_name=design.signatory_name if design else "",
                signatory_role=design.signatory_role if design else "",
                design=design,
                issued_at=issued_at,
                valid_until=award.valid_until(issued_at),
                issued_by=issued_by,
            )
            credentials.sign_at_issue(certificate)
            record(
                actor=issued_by,
                action="certificate.renewed" if renews else "certificate.issued",
                target=certificate,
                reason=reason or ("Issued by hand" if issued_by else "Course completed"),
                code=certificate.code,
                **({"previous_code": renews.code} if renews else {}),
            )
            transaction.on_commit(lambda: enqueue("render_certificate_pdf", certificate.pk))
    except IntegrityError:
        # Issued by a concurrent request between the check and the insert.
        return Certificate.objects.get(
            learner=learner, award=award, cycle=cycle, superseded_at__isnull=True
        )
    return certificate


def _wording(award: Award, design) -> str:
    parts = [award.wording.strip(), design.extra_wording.strip() if design else ""]
    return "\n\n".join(part for part in parts if part)


def enqueue(task_name: str, *args) -> bool:
    """Queue one of this app's tasks; a broker that cannot be reached is logged, never raised.

    Called from `transaction.on_commit`, after the work it follows has committed, so a failure here
    must not reach the user as an error: the periodic sweep queues the task again later.
    """
    from . import tasks  # tasks import this module

    try:
        getattr(tasks, task_name).delay(*args)
    except (OperationalError, OSError):
        logger.exception(
            "Could not queue %s%r; the periodic sweep will queue it again.", task_name, args
        )
        return False
    return True


def issue_for_course(*, learner, course, issued_by=None, reason: str = "") -> Certificate:
    return issue_certificate(
        learner=learner, award=award_for_course(course=course), issued_by=issued_by, reason=reason
    )


def render_pdf(*, certificate: Certificate) -> bool:
    """Render and store the certificate's PDF unless it already has one. True if it rendered."""
    if certificate.pdf:
        return False
    content = rendering.certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf:
            return False
        locked.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at"])
        transaction.on_commit(lambda: enqueue("email_certificate", certificate.pk))
    certificate.refresh_from_db(fields=["pdf", "pdf_rendered_at"])
    return True


def _current_and_active(certificate: Certificate) -> bool:
    return certificate.superseded_at is None and certificate.status == Certificate.Status.ACTIVE


def email_certificate(*, certificate: Certificate) -> bool:
    """E-mail the learner their certificate with the PDF attached, once. True if it was sent.

    The row is locked, the e-mail sent, then `emailed_at` set, all in one transaction: a second
    task for the same certificate waits on the lock and then finds `emailed_at` set. If the
    process dies after sending and before the commit, a retry sends it again: we prefer a rare
    duplicate to a lost e-mail (see docs/decisions.md).
    """
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.emailed_at is not None or not locked.pdf:
            return False
        if not _current_and_active(locked):
            return False  # a replacement is e-mailed on its own; a withdrawn one is not sent
        learner = locked.learner
        with locked.pdf.open("rb") as handle:
            pdf = handle.read()
        emails.certificate_message(certificate=locked, learner=learner, pdf=pdf).send()
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at"])
    certificate.refresh_from_db(fields=["emailed_at"])
    return True


# Expiry reminders --------------------------------------------------------------------------------

REMINDER_DAYS = (90, 30, 7)


def due_expiry_reminders(*, now=None) -> list[tuple[int, int]]:
    """(certificate id, days before) for each reminder due now.

    A certificate is due the smallest threshold its expiry falls within, unless it was already
    reminded at that threshold or a smaller one. A reminder missed while nothing ran is not sent
    late once a smaller threshold is due: the learner gets the nearer one instead.
    """
    now = now or timezone.now()
    due = []
    previous = 0
    for days in sorted(REMINDER_DAYS):
        window = Certificate.objects.filter(
            superseded_at__isnull=True,
            status=Certificate.Status.ACTIVE,
            valid_until__gt=now + timedelta(days=previous),
            valid_until__lte=now + timedelta(days=days),
        ).exclude(expiry_reminders__days_before__lte=days)
        renewed = selectors.later_cycles(
            learner=OuterRef("learner"), award=OuterRef("award"), cycle=OuterRef("cycle")
        )
        window = window.exclude(Exists(renewed))  # the next cycle's reminders take over
        due += [(pk, days) for pk in window.values_list("pk", flat=True)]
        previous = days
    return due


def send_expiry_reminder(*, certificate: Certificate, days_before: int, now=None) -> bool:
    """E-mail one expiry reminder unless it (or a nearer one) was already sent, or the
    certificate was renewed since the reminder was queued. True if sent.

    Same order as the certificate e-mail: lock, send, record, in one transaction.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.expiry_reminders.filter(days_before__lte=days_before).exists():
            return False
        if not _current_and_active(locked) or locked.valid_until is None:
            return False
        if locked.valid_until <= now:
            return False
        renewed = selectors.later_cycles(
            learner=locked.learner_id, award=locked.award_id, cycle=locked.cycle
        )
        if renewed.exists():
            return False
        course = renewal_course(certificate=locked)
        emails.expiry_reminder_message(
            certificate=locked,
            learner=locked.learner,
            now=now,
            course=course,
            renew_from=renewal_opens(certificate=locked) if course else None,
        ).send()
        ExpiryReminder.objects.create(certificate=locked, days_before=days_before, sent_at=now)
    return True


# Renewal -----------------------------------------------------------------------------------------

# Passing again renews a certificate from this many days before it expires, when the first expiry
# reminder goes, and at any time after it expired. A documented constant rather than a field on
# the award: every award renews the same way for now (see docs/decisions.md).
RENEWAL_WINDOW_DAYS = max(REMINDER_DAYS)


def renewal_opens(*, certificate: Certificate) -> datetime | None:
    """From when meeting the award's renewal rule renews this certificate; None if it never
    expires. Never before its issue: a short validity is renewable from the start."""
    if certificate.valid_until is None:
        return None
    return max(certificate.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS), certificate.issued_at)


def renewal_course(*, certificate: Certificate):
    """The course whose final assessment, passed again, renews this certificate; None when the
    award has no such rule (no validity, not a course award, or a course with no assessment)."""
    award = certificate.award
    if certificate.valid_until is None or award.kind != Award.Kind.COURSE_COMPLETION:
        return None
    course = award.course
    return course if course.final_assessment_id else None


def renewal_refusal(*, certificate: Certificate, passed_at: datetime) -> str:
    """Why meeting the renewal rule at `passed_at` does not renew this certificate, for the user;
    empty when it does."""
    opens = renewal_opens(certificate=certificate)
    if opens is None:
        return "This certificate does not expire, so it is not renewed."
    if certificate.superseded_at is not None:
        return "This certificate was replaced by a corrected one; renew that one instead."
    if certificate.status != Certificate.Status.ACTIVE:
        return (
            f"This certificate is {certificate.get_status_display().lower()}, so it cannot be "
            "renewed."
        )
    # A pass the certificate was issued for (or one before it) is not a pass again.
    if passed_at < opens or passed_at <= certificate.issued_at:
        return (
            "Renewal opens on "
            + date_format(timezone.localtime(opens), "j F Y")
            + ": only a pass from then renews this certificate."
        )
    return ""


def _latest_current(certificates) -> Certificate | None:
    """The newest cycle among these certificates of one learner's award, not counting those a
    corrected certificate replaced: the one a renewal follows."""
    return (
        certificates.filter(superseded_at__isnull=True)
        .select_related("award", "learner")
        .order_by("-cycle")
        .first()
    )


@transaction.atomic
def renew_certificate(
    *, certificate: Certificate, passed_at: datetime, reason: str, issued_by=None
) -> Certificate:
    """Issue the next cycle's certificate to the holder of this one, who met the award's renewal
    rule at `passed_at`; renewing again returns it.

    The new certificate is valid for the award's period from its own issue date. The old one is
    left as it is (it still expires on its date, and its verification page points at the new
    one). Two renewals at once give one certificate: the second insert breaks the uniqueness on
    (learner, award, cycle) and issue_certificate returns the first.
    """
    refusal = renewal_refusal(certificate=certificate, passed_at=passed_at)
    if refusal:
        raise CertificateError(refusal)
    return issue_certificate(
        learner=certificate.learner,
        award=certificate.award,
        issued_by=issued_by,
        reason=reason,
        renews=certificate,
    )


def issue_by_administrator(
    *, learner, award: Award, issued_by, reason: str
) -> tuple[Certificate, str]:
    """An administrator's issue, by hand or in a bulk issue: the learner's first certificate for
    the award, or the next cycle's when their latest is due for renewal, or else the one they
    hold. Returns it and what happened: "issued", "renewed" or "already_held".

    Issuing again inside the renewal window is how an award with no assessment renews (a
    webinar's attendees, issued to again after this year's session); for a course award it
    renews without the assessment, as issuing by hand skips completing the course.
    """
    latest = _latest_current(Certificate.objects.filter(learner=learner, award=award))
    if latest is None:
        return issue_certificate(
            learner=learner, award=award, issued_by=issued_by, reason=reason
        ), BulkIssueLearner.Outcome.ISSUED
    now = timezone.now()
    if renewal_refusal(certificate=latest, passed_at=now):
        return latest, BulkIssueLearner.Outcome.ALREADY_HELD
    renewed = renew_certificate(
        certificate=latest, passed_at=now, reason=reason, issued_by=issued_by
    )
    return renewed, BulkIssueLearner.Outcome.RENEWED


def renew_for_course(*, learner, course, passed_at: datetime) -> Certificate | None:
    """Renew the learner's latest certificate for the course after a released pass of its final
    assessment, handed in at `passed_at`; None when there is nothing to renew or this pass does
    not renew it (outside the window, a certificate that does not expire, or one suspended or
    revoked)."""
    latest = _latest_current(Certificate.objects.filter(learner=learner, award__course=course))
    if latest is None or renewal_refusal(certificate=latest, passed_at=passed_at):
        return None
    return renew_certificate(
        certificate=latest, passed_at=passed_at, reason="Passed the final assessment again"
    )


# The sweep ---------------------------------------------------------------------------------------


def sweep_unfinished(*, now=None) -> dict[str, int]:
    """Queue again every task whose work is missing: PDFs, e-mails and bulk-issue chunks.

    Only work older than the grace period (its task may still be on its way) and younger than the
    window (something that keeps failing needs a person) is swept. Every task is idempotent, so
    queuing one twice costs a little time and changes nothing.
    """
    now = now or timezone.now()
    settled = now - timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES)
    since = now - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS)
    current = Certificate.objects.filter(superseded_at__isnull=True)
    without_pdf = current.filter(pdf="", issued_at__lte=settled, issued_at__gte=since)
    not_emailed = current.filter(
        status=Certificate.Status.ACTIVE,
        emailed_at__isnull=True,
        pdf_rendered_at__lte=settled,
        pdf_rendered_at__gte=since,
    ).exclude(pdf="")
    unfinished = BulkIssue.objects.exclude(status=BulkIssue.Status.FINISHED).filter(
        created_at__lte=settled, created_at__gte=since
    )
    # Read everything first: with eager tasks (tests, development) queuing does the work at once.
    work = {
        "pdf": list(without_pdf.values_list("pk", flat=True)),
        "email": list(not_emailed.values_list("pk", flat=True)),
        "bulk_chunks": list(unfinished.values_list("pk", flat=True)),
    }
    counts = {"pdf": 0, "email": 0, "bulk_chunks": 0}
    for pk in work["pdf"]:
        counts["pdf"] += enqueue("render_certificate_pdf", pk)
    for pk in work["email"]:
        counts["email"] += enqueue("email_certificate", pk)
    for pk in work["bulk_chunks"]:
        counts["bulk_chunks"] += _enqueue_chunks(pk)
    if any(counts.values()):
        logger.warning("The sweep queued again: %s", counts)
    return counts


# Bulk issue --------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,;]+")


def check_bulk_learners(*, emails_text: str = "", organisation=None) -> list:
    """The learners a bulk issue would go to, or BulkIssueError listing every problem.

    Give pasted e-mail addresses (one a line, or separated by commas, semicolons or spaces) or an
    organisation, whose members all receive it.
    """
    user_model = get_user_model()
    if organisation is not None:
        if emails_text.strip():
            raise BulkIssueError(["Paste e-mail addresses or choose an organisation, not both."])
        learners = list(
            user_model.objects.filter(memberships__organisation=organisation)
            .distinct()
            .order_by("pk")
        )
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
    found = {
        user.email.lower(): user
        for user in user_model.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=list(seen)
        )
    }
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
    reason = _required(reason, "the reason for the audit log")
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
        transaction.on_commit(lambda: _enqueue_chunks(bulk_issue.pk))
    return bulk_issue


def _enqueue_chunks(bulk_issue_id: int) -> int:
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
        queued += enqueue("issue_bulk_chunk", bulk_issue_id, pending[start : start + size])
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
            except CertificateError as exc:
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


def open_pdf(*, certificate: Certificate) -> io.BufferedReader:
    if not certificate.pdf:
        raise CertificateError("The PDF of this certificate is still being prepared.")
    return certificate.pdf.open("rb")


# Lifecycle ---------------------------------------------------------------------------------------


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CertificateError(f"Give {what}.")
    return text


def _lock_current(certificate: Certificate) -> Certificate:
    """The certificate's row, locked for this transaction; refused if a correction replaced it."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.superseded_at is not None:
        replacement = Certificate.objects.filter(pk=locked.superseded_by_id).first()
        raise CertificateError(
            "This certificate was replaced by a corrected one"
            + (f" ({replacement.display_code})" if replacement else "")
            + "; act on that one instead."
        )
    return locked


def _set_status(
    *,
    certificate: Certificate,
    by,
    status: str,
    allowed_from: set[str],
    refusal: str,
    reason: str,
    public_reason: str,
    action: str,
) -> Certificate:
    locked = _lock_current(certificate)
    previous = locked.status
    if previous not in allowed_from:
        raise CertificateError(refusal)
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.public_reason = public_reason
    locked.save(update_fields=["status", "status_changed_at", "public_reason"])
    _status_changed(locked)
    record(
        actor=by,
        action=action,
        target=locked,
        reason=reason,
        code=locked.code,
        previous_status=previous,
        public_reason=public_reason,
    )
    certificate.refresh_from_db()
    return certificate


@transaction.atomic
def revoke(*, certificate: Certificate, by, reason: str, public_reason: str) -> Certificate:
    """Withdraw a certificate for good. The verification page shows the date and public reason."""
    return _set_status(
        certificate=certificate,
        by=by,
        status=Certificate.Status.REVOKED,
        allowed_from={Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED},
        refusal="This certificate is already revoked.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason=_required(public_reason, "the reason to show on the verification page"),
        action="certificate.revoked",
    )


@transaction.atomic
def suspend(*, certificate: Certificate, by, reason: str, public_reason: str = "") -> Certificate:
    """Stop a certificate counting as valid while something is looked into; reinstate undoes it."""
    return _set_status(
        certificate=certificate,
        by=by,
        status=Certificate.Status.SUSPENDED,
        allowed_from={Certificate.Status.ACTIVE},
        refusal="Only an active certificate can be suspended.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason=(public_reason or "").strip(),
        action="certificate.suspended",
    )


@transaction.atomic
def reinstate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Lift a suspension. Revocation is final and cannot be undone."""
    return _set_status(
        certificate=certificate,
        by=by,
        status=Certificate.Status.ACTIVE,
        allowed_from={Certificate.Status.SUSPENDED},
        refusal="Only a suspended certificate can be reinstated; a revocation is final.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason="",
        action="certificate.reinstated",
    )


def correct_name(*, certificate: Certificate, by, new_name: str, reason: str) -> Certificate:
    """Supersede a certificate with one that prints the corrected name; returns the new one.

    The replacement keeps the learner, award, cycle, issue date, validity and everything else the
    old one printed; it gets a new code and its own PDF. The old one points at it.
    """
    new_name = _required(new_name, "the corrected name")
    reason = _required(reason, "the reason for the audit log")
    with transaction.atomic():
        old = _lock_current(certificate)
        if old.status != Certificate.Status.ACTIVE:
            raise CertificateError(
                f"This certificate is {old.get_status_display().lower()}; only an active "
                "certificate can be corrected."
            )
        if new_name == old.name_on_certificate:
            raise CertificateError("The corrected name is the same as the one on the certificate.")
        now = timezone.now()
        # Leave the (learner, award, cycle) place first, so the replacement can take it.
        Certificate.objects.filter(pk=old.pk).update(superseded_at=now)
        replacement = Certificate.objects.create(
            code=codes.new_code(),
            learner_id=old.learner_id,
            award_id=old.award_id,
            cycle=old.cycle,
            name_on_certificate=new_name,
            title_on_certificate=old.title_on_certificate,
            wording_on_certificate=old.wording_on_certificate,
            cpd_hours=old.cpd_hours,
            signatory_name=old.signatory_name,
            signatory_role=old.signatory_role,
            design_id=old.design_id,
            issued_at=old.issued_at,
            valid_until=old.valid_until,
            issued_by=by,
        )
        Certificate.objects.filter(pk=old.pk).update(superseded_by=replacement)
        credentials.sign_at_issue(replacement)
        _status_changed(old)
        record(
            actor=by,
            action="certificate.superseded",
            target=old,
            reason=reason,
            code=old.code,
            new_code=replacement.code,
            old_name=old.name_on_certificate,
            new_name=new_name,
        )
        record(
            actor=by,
            action="certificate.issued",
            target=replacement,
            reason=reason,
            code=replacement.code,
            supersedes=old.code,
        )
        transaction.on_commit(lambda: enqueue("render_certificate_pdf", replacement.pk))
    certificate.refresh_from_db()
    return replacement


# Status lists ------------------------------------------------------------------------------------
# Each credential points at its place in a Bitstring Status List of revocations; the lists are
# rebuilt from the certificates' states, so the database stays the one source of truth. Open
# Badges 3.0 allows one `credentialStatus`, so suspension is not in a list: the verify page, the
# credential check and `verify_credential` read it from the certificate (docs/decisions.md).


def _status_changed(certificate: Certificate) -> None:
    """Mark the certificate's status list for signing again, in the caller's transaction."""
    entry = StatusListEntry.objects.filter(certificate=certificate).first()
    if entry is None:
        return  # no credential names a place for it yet, so no list mentions it
    StatusList.objects.filter(pk=entry.status_list_id).update(changes=F("changes") + 1)
    transaction.on_commit(lambda: enqueue("publish_status_list", entry.status_list_id))


@transaction.atomic
def publish_status_list(*, status_list: StatusList) -> StatusList:
    """Sign the list's status list credential again if a status on it changed since."""
    locked = StatusList.objects.select_for_update().get(pk=status_list.pk)
    if not locked.is_stale:
        return locked
    # A superseded certificate was replaced for good: to a wallet it is revoked.
    revoked = locked.entries.filter(
        Q(certificate__status=Certificate.Status.REVOKED)
        | Q(certificate__superseded_at__isnull=False)
    ).values_list("index", flat=True)
    now = timezone.now()
    url = locked.url
    signer = keys.signer()
    locked.credential = credentials.sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": signer.issuer,
            "validFrom": credentials.timestamp(now),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": bitstrings.encode(revoked, size=locked.size),
            },
        },
        signer=signer,
    )
    locked.published_changes = locked.changes
    locked.published_at = now
    locked.save(update_fields=["credential", "published_changes", "published_at"])
    return locked


def published_status_list(*, number: int) -> dict:
    """The signed status list credential as a wallet fetches it; signed again first if stale."""
    found = StatusList.objects.get(number=number)
    if found.is_stale:
        found = publish_status_list(status_list=found)
    return found.credential
