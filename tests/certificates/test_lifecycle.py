"""Suspending, reinstating, revoking and correcting certificates: services, audit, constraints."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.models import AuditEntry
from certificates import codes, selectors, services
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, learner):
    return services.issue_for_course(learner=learner, course=course)


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


# Suspend, reinstate, revoke ---------------------------------------------------------------------


def test_revoking_records_who_when_why_and_the_public_reason(certificate, administrator):
    services.revoke(
        certificate=certificate,
        by=administrator,
        reason="Complaint from the employer; assessment taken by someone else",
        public_reason="Issued in error",
    )
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.state == "revoked"
    assert certificate.public_reason == "Issued in error"
    assert timezone.now() - certificate.status_changed_at < timedelta(minutes=1)
    [entry] = entries("certificate.revoked")
    assert entry.actor == administrator
    assert entry.reason == "Complaint from the employer; assessment taken by someone else"
    assert (entry.target_type, entry.target_id) == ("certificates.certificate", str(certificate.pk))
    assert entry.details == {
        "code": certificate.code,
        "previous_status": "active",
        "public_reason": "Issued in error",
    }


def test_a_revocation_needs_both_reasons_and_changes_nothing_without_them(
    certificate, administrator
):
    with pytest.raises(services.CertificateError, match="reason for the audit log"):
        services.revoke(certificate=certificate, by=administrator, reason=" ", public_reason="x")
    with pytest.raises(services.CertificateError, match="verification page"):
        services.revoke(certificate=certificate, by=administrator, reason="x", public_reason="")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE
    assert not entries("certificate.revoked")


def test_suspend_then_reinstate_makes_the_certificate_valid_again(certificate, administrator):
    services.suspend(
        certificate=certificate, by=administrator, reason="Under review", public_reason=""
    )
    assert certificate.state == "suspended"
    services.reinstate(certificate=certificate, by=administrator, reason="Review found no issue")
    assert certificate.state == "valid"
    assert certificate.public_reason == ""
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "certificate.issued",
        "certificate.suspended",
        "certificate.reinstated",
    ]
    assert entries("certificate.reinstated")[0].reason == "Review found no issue"


def test_a_suspended_certificate_can_be_revoked_but_a_revocation_is_final(
    certificate, administrator
):
    services.suspend(certificate=certificate, by=administrator, reason="Review")
    services.revoke(certificate=certificate, by=administrator, reason="r", public_reason="p")
    with pytest.raises(services.CertificateError, match="already revoked"):
        services.revoke(certificate=certificate, by=administrator, reason="r", public_reason="p")
    with pytest.raises(services.CertificateError, match="revocation is final"):
        services.reinstate(certificate=certificate, by=administrator, reason="Oops")
    with pytest.raises(services.CertificateError, match="Only an active"):
        services.suspend(certificate=certificate, by=administrator, reason="Again")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert len(entries("certificate.revoked")) == 1


def test_only_a_suspended_certificate_can_be_reinstated(certificate, administrator):
    with pytest.raises(services.CertificateError, match="Only a suspended"):
        services.reinstate(certificate=certificate, by=administrator, reason="Why not")
    assert not entries("certificate.reinstated")


def test_expiry_does_not_need_a_status_change(certificate):
    certificate.valid_until = certificate.issued_at + timedelta(days=365)
    assert certificate.state_at(certificate.issued_at + timedelta(days=364)) == "valid"
    assert certificate.state_at(certificate.issued_at + timedelta(days=365)) == "expired"


# Name corrections -------------------------------------------------------------------------------


def test_correcting_the_name_supersedes_with_a_new_certificate(
    certificate, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        replacement = services.correct_name(
            certificate=certificate,
            by=administrator,
            new_name="Priya Sharma-Jones",
            reason="Learner's name changed; marriage certificate seen",
        )
    # The old one's status list is signed again (it is now revoked there); the replacement's PDF
    # is rendered by the same task, which then queues its e-mail.
    assert len(callbacks) == 3
    replacement.refresh_from_db()
    assert replacement.pdf
    assert replacement.code != certificate.code
    assert replacement.name_on_certificate == "Priya Sharma-Jones"
    for field in (
        "learner_id",
        "award_id",
        "cycle",
        "title_on_certificate",
        "wording_on_certificate",
        "cpd_hours",
        "signatory_name",
        "issued_at",
        "valid_until",
    ):
        assert getattr(replacement, field) == getattr(certificate, field), field
    assert replacement.issued_by == administrator
    assert replacement.state == "valid"

    assert certificate.superseded_by == replacement
    assert certificate.state == "superseded"
    assert certificate.name_on_certificate == "Priya Sharma"  # the old one never changes
    assert replacement.supersedes == certificate

    [superseded] = entries("certificate.superseded")
    assert superseded.actor == administrator
    assert superseded.reason == "Learner's name changed; marriage certificate seen"
    assert superseded.target_id == str(certificate.pk)
    assert superseded.details == {
        "code": certificate.code,
        "new_code": replacement.code,
        "old_name": "Priya Sharma",
        "new_name": "Priya Sharma-Jones",
    }
    issued = AuditEntry.objects.get(action="certificate.issued", target_id=str(replacement.pk))
    assert issued.details == {"code": replacement.code, "supersedes": certificate.code}


def test_superseding_keeps_one_current_certificate_and_issuing_again_returns_it(
    certificate, administrator, learner, course
):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="P. Sharma", reason="Typo"
    )
    current = Certificate.objects.filter(
        learner=learner, award=certificate.award, cycle=1, superseded_at__isnull=True
    )
    assert list(current) == [replacement]
    assert Certificate.objects.filter(learner=learner).count() == 2
    assert services.issue_for_course(learner=learner, course=course) == replacement
    assert list(selectors.for_learner(user=learner)) == [replacement]


def another_row(certificate, *, cycle: int, text: str) -> Certificate:
    """A certificate row for the same learner and award, written straight to the database."""
    return Certificate.objects.create(
        code=codes.new_code(),
        learner=certificate.learner,
        award=certificate.award,
        cycle=cycle,
        name_on_certificate=text,
        title_on_certificate=text,
        cpd_hours=0,
        issued_at=timezone.now(),
    )


def test_the_database_refuses_a_second_current_certificate_for_the_same_cycle(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        another_row(certificate, cycle=1, text="Copy")


@pytest.mark.parametrize(
    "change",
    [
        {"status": "revoked"},  # revoked without a date
        {"status": "lost"},
        {"superseded_by_self": True},
        {"superseded_by_without_date": True},
    ],
)
def test_the_database_refuses_inconsistent_lifecycle_rows(certificate, change):
    other = another_row(certificate, cycle=2, text="x")
    query = Certificate.objects.filter(pk=certificate.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        if "status" in change:
            query.update(status=change["status"])
        elif "superseded_by_self" in change:
            query.update(superseded_by=certificate, superseded_at=timezone.now())
        else:
            query.update(superseded_by=other)


def test_a_superseded_certificate_cannot_be_acted_on_again(certificate, administrator):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="New Name", reason="Typo"
    )
    for act in (
        lambda: services.revoke(
            certificate=certificate, by=administrator, reason="r", public_reason="p"
        ),
        lambda: services.suspend(certificate=certificate, by=administrator, reason="r"),
        lambda: services.correct_name(
            certificate=certificate, by=administrator, new_name="Other", reason="r"
        ),
    ):
        with pytest.raises(services.CertificateError, match=replacement.display_code):
            act()
    assert Certificate.objects.count() == 2


def test_a_revoked_or_suspended_certificate_is_not_corrected(certificate, administrator):
    services.suspend(certificate=certificate, by=administrator, reason="Review")
    with pytest.raises(services.CertificateError, match="suspended"):
        services.correct_name(
            certificate=certificate, by=administrator, new_name="New", reason="Typo"
        )
    assert Certificate.objects.count() == 1


def test_a_correction_must_change_the_name(certificate, administrator):
    with pytest.raises(services.CertificateError, match="same"):
        services.correct_name(
            certificate=certificate, by=administrator, new_name=" Priya Sharma ", reason="r"
        )
    with pytest.raises(services.CertificateError, match="corrected name"):
        services.correct_name(certificate=certificate, by=administrator, new_name="", reason="r")
    assert Certificate.objects.count() == 1
    assert not entries("certificate.superseded")
