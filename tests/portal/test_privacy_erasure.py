"""An administrator erases a learner's personal data: what goes, what stays (the certificate's
public record, the audit log), who may not be erased, and who may not erase; and opening a
learner's record in the admin is audited."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.cached_db import SessionStore as CachedSession
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from academy import services as people
from academy.models import AuditEntry, Membership
from accreditation.models import Appeal, CPDEntry, Evidence, Submission, UnitWork
from assessments.models import Adjustment, Response
from feedback.models import Answer as FeedbackAnswer
from feedback.models import Offer
from organisations.models import Invitation
from portal import privacy
from tests.academy.factories import UserFactory
from tests.feedback.factories import answer_as, make_survey
from tests.portal.privacy_data import ESSAY, give_everything

pytestmark = pytest.mark.django_db

REASON = "The learner asked us to erase their data (our reference DP-2026-114)."


def erase_url(person) -> str:
    return reverse("erase_learner", args=[person.pk])


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_erasure_removes_the_personal_data_and_keeps_the_certificate_verifiable(
    admin_client,
    learner,
    administrator,
    course_tree,
    catalogue,
    django_capture_on_commit_callbacks,
):
    held = give_everything(learner, course_tree, catalogue)
    learner_session = Client()
    learner_session.force_login(learner)
    learner_session_key = learner_session.session.session_key
    assert cache.get(CachedSession.cache_key_prefix + learner_session_key) is not None
    Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={})
    Adjustment.objects.create(
        learner=learner,
        assessment=held.released.assessment,
        extra_minutes=30,
        reason="Dyslexia (occupational health letter)",
        granted_by=administrator,
    )
    evidence_path = held.evidence.file.path
    cpd_path = held.cpd.evidence.path

    page = admin_client.get(erase_url(learner)).content.decode()
    assert "What goes" in page and "What stays" in page
    assert held.certificate.display_code in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(erase_url(learner), {"reason": REASON})
    assert response.status_code == 302

    learner.refresh_from_db()
    assert learner.full_name == "Erased learner"
    assert learner.email == f"erased-{learner.pk}@invalid"
    assert not learner.is_active and not learner.has_usable_password()
    assert not EmailAddress.objects.filter(user=learner).exists()
    assert not Authenticator.objects.filter(user=learner).exists()
    assert not any(
        session.get_decoded().get("_auth_user_id") == str(learner.pk)
        for session in Session.objects.all()
    )
    # Nor the copy the cached_db engine keeps in the cache.
    assert cache.get(CachedSession.cache_key_prefix + learner_session_key) is None
    assert learner_session.get(reverse("dashboard")).status_code == 302
    assert not Membership.objects.current().filter(user=learner).exists()
    assert not Invitation.objects.filter(pk=held.invitation.pk).exists()
    held.personal_assignment.refresh_from_db()
    assert held.personal_assignment.ended_at is not None
    assert not held.personal_assignment.assignment.people.filter(pk=learner.pk).exists()

    evidence = Evidence.objects.get(pk=held.evidence.pk)
    assert not evidence.file and evidence.original_name == "Erased file"
    assert not Path(evidence_path).exists() and not Path(cpd_path).exists()
    # Staff who could open the file before are told it was erased, not shown an error.
    erased_file = admin_client.get(reverse("accreditation:evidence_file", args=[evidence.pk]))
    assert erased_file.status_code == 404
    assert set(
        UnitWork.objects.filter(candidacy__candidate=learner).values_list("statement", flat=True)
    ) == {""}
    assert set(
        Submission.objects.filter(work__candidacy__candidate=learner).values_list(
            "statement", flat=True
        )
    ) == {""}
    assert set(Appeal.objects.values_list("grounds", flat=True)) == {""}
    cpd = CPDEntry.objects.get(pk=held.cpd.pk)
    assert cpd.learned == "" and not cpd.evidence and cpd.evidence_name == ""
    essay = Response.objects.get(attempt=held.held)
    assert essay.selected == [] and ESSAY not in str(essay.selected)
    assert Adjustment.objects.get(learner=learner).reason.startswith("Erased")

    verify = admin_client.get(held.certificate.get_absolute_url()).content.decode()
    assert "Valid: this certificate was issued by the PHSO Academy." in verify
    assert "Priya Sharma" in verify

    entry = AuditEntry.objects.get(action=privacy.ERASED)
    assert entry.actor == administrator and entry.reason == REASON
    assert entry.target_id == str(learner.pk) and entry.details == {"user": learner.pk}
    assert "Priya" not in str(entry.details) and "priya@" not in str(entry.details)


def test_erasing_again_changes_nothing_and_records_nothing(learner, administrator):
    assert privacy.erase_learner(user=learner, by=administrator, reason=REASON) is True
    assert privacy.erase_learner(user=learner, by=administrator, reason=REASON) is False
    assert AuditEntry.objects.filter(action=privacy.ERASED).count() == 1


def test_a_reason_is_required(admin_client, learner):
    response = admin_client.post(erase_url(learner), {"reason": "  "})
    assert "Give the reason for erasing this person" in response.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == "Priya Sharma"


@pytest.mark.parametrize("who", ["staff", "superuser", "self"])
def test_staff_superusers_and_oneself_are_refused(admin_client, administrator, staff_groups, who):
    person = {
        "staff": lambda: UserFactory(groups=[people.TRAINERS]),
        "superuser": lambda: UserFactory(is_superuser=True),
        "self": lambda: administrator,
    }[who]()
    name = person.full_name
    page = admin_client.get(erase_url(person)).content.decode()
    assert "Reason for erasing" not in page
    response = admin_client.post(erase_url(person), {"reason": REASON})
    assert response.status_code == 400
    assert ("your own" if who == "self" else "a member of staff") in response.content.decode()
    with pytest.raises(privacy.PrivacyError):
        privacy.erase_learner(user=person, by=administrator, reason=REASON)
    person.refresh_from_db()
    assert person.full_name == name and person.is_active
    assert not AuditEntry.objects.filter(action=privacy.ERASED).exists()


def test_only_administrators_may_erase(client, learner, other_learner, staff_groups):
    """A learner is turned away from the admin (403); staff without the permission are sent to
    the admin's home with Wagtail's "no permission" message."""
    client.force_login(other_learner)
    assert client.get(erase_url(learner)).status_code == 403
    assert client.post(erase_url(learner), {"reason": REASON}).status_code == 403
    client.force_login(UserFactory(groups=[people.TRAINERS], mfa=True))
    for response in (
        client.get(erase_url(learner)),
        client.post(erase_url(learner), {"reason": REASON}),
    ):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    learner.refresh_from_db()
    assert learner.full_name == "Priya Sharma"
    assert not AuditEntry.objects.filter(action=privacy.ERASED).exists()


def test_opening_a_record_in_the_admin_is_audited_and_offers_erasure(
    admin_client, learner, administrator
):
    page = admin_client.get(reverse("wagtailusers_users:edit", args=[learner.pk])).content.decode()
    assert erase_url(learner) in page
    entry = AuditEntry.objects.get(action="learner_record.viewed")
    assert entry.actor == administrator and entry.target_id == str(learner.pk)


def test_no_erase_button_for_staff(admin_client, staff_groups):
    trainer = UserFactory(groups=[people.TRAINERS])
    page = admin_client.get(reverse("wagtailusers_users:edit", args=[trainer.pk])).content.decode()
    assert erase_url(trainer) not in page


def test_erasure_removes_the_record_of_surveys_offered_and_keeps_the_anonymous_answers(
    learner, administrator, course_tree
):
    survey = make_survey(course=course_tree.course)
    answer_as(survey, ratings=[5, 4, 3, 2], text="More case studies", user=learner)

    privacy.erase_learner(user=learner, by=administrator, reason=REASON)

    assert not Offer.objects.filter(user=learner).exists()
    assert survey.responses.count() == 1
    assert FeedbackAnswer.objects.filter(text="More case studies").exists()
