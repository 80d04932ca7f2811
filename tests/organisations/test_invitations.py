"""A manager's invitations: one person at a time, the list, resending and withdrawing, the
e-mail and its task; other organisations' managers and learners see none of it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, RoleTier
from organisations import services, tasks
from organisations.models import Invitation
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.organisations.factories import InvitationFactory, manager_of

LINK = re.compile(r"http://testserver/organisation/invitation/([\w-]+)/")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Riverside NHS Trust")


@pytest.fixture
def manager(organisation):
    return manager_of(organisation, email="lead@example.org", full_name="Lee Lead")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _invite(client, organisation, **data):
    url = reverse("organisations:invite", args=[organisation.pk])
    fields = {"email": "sam@example.org", "full_name": "Sam Jones", "role_tier": "all_staff"}
    return client.post(url, {**fields, **data})


def test_inviting_one_person_e_mails_them_a_link_with_its_token_stored_hashed(
    manager_client, organisation, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            manager_client, organisation, email=" Sam@Example.org ", role_tier="senior_staff"
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role_tier) == ("sam@example.org", "senior_staff")
    assert invitation.expires_at.date() == (timezone.now() + timedelta(days=14)).date()
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "[PHSO Academy] Riverside NHS Trust invites you to the PHSO Academy"
    token = LINK.search(message.body).group(1)
    html = message.alternatives[0][0]
    assert f"/organisation/invitation/{token}/" in html
    assert "Lee Lead has invited you to join Riverside NHS Trust" in message.body
    assert "as senior staff" in message.body
    assert invitation.token_hash != token
    assert services.find_invitation(token=token) == invitation
    entry = AuditEntry.objects.get(action="invitation.created")
    assert (entry.actor, entry.target_id) == (manager, str(invitation.pk))


def test_the_e_mail_task_sends_once_however_often_it_runs(organisation):
    invitation = InvitationFactory(organisation=organisation, sent_at=None)
    assert tasks.send_invitations([invitation.pk]) == 1
    assert tasks.send_invitations([invitation.pk]) == 0
    assert len(mail.outbox) == 1


def test_the_e_mail_task_sends_nothing_for_withdrawn_accepted_or_expired_ones(organisation):
    now = timezone.now()
    ids = [
        InvitationFactory(organisation=organisation, sent_at=None, withdrawn_at=now).pk,
        InvitationFactory(organisation=organisation, sent_at=None, accepted_at=now).pk,
        InvitationFactory(
            organisation=organisation, sent_at=None, expires_at=now - timedelta(seconds=1)
        ).pk,
        12345,
    ]
    assert tasks.send_invitations(ids) == 0
    assert mail.outbox == []


def test_the_sweep_queues_invitations_whose_e_mail_never_went(
    organisation, settings, django_capture_on_commit_callbacks
):
    settings.ACADEMY_SWEEP_GRACE_MINUTES = 5
    old = InvitationFactory(organisation=organisation, sent_at=None)
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    InvitationFactory(organisation=organisation, sent_at=None)  # still within the grace
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_unsent_invitations() == 1
    assert [m.to for m in mail.outbox] == [[old.email]]


def test_a_form_error_names_the_field_and_invites_nobody(manager_client, organisation):
    response = _invite(manager_client, organisation, email="not an address", full_name="=1+1")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“not an address” is not an e-mail address." in page
    assert "The name “=1+1” starts with “=”, which a spreadsheet would run as a formula" in page
    assert not Invitation.objects.exists()


def test_a_current_member_cannot_be_invited(manager_client, organisation):
    MembershipFactory(organisation=organisation, user=UserFactory(email="sam@example.org"))
    response = _invite(manager_client, organisation)
    assert response.status_code == 400
    assert "sam@example.org is already a member of Riverside NHS Trust." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_inviting_someone_with_an_open_invitation_renews_it(
    manager_client, organisation, django_capture_on_commit_callbacks
):
    old = InvitationFactory(organisation=organisation, email="sam@example.org", token="old")
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(manager_client, organisation, role_tier="complaints_staff")
    assert response.status_code == 302
    assert Invitation.objects.get().pk == old.pk
    assert Invitation.objects.get().role_tier == RoleTier.COMPLAINTS_STAFF
    assert services.find_invitation(token="old") is None
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="invitation.renewed").exists()


def test_the_list_shows_each_state_with_its_count(
    manager_client, organisation, django_assert_max_num_queries
):
    now = timezone.now()
    InvitationFactory(organisation=organisation, email="open@example.org")
    InvitationFactory(
        organisation=organisation, email="late@example.org", expires_at=now - timedelta(days=1)
    )
    InvitationFactory(organisation=organisation, email="in@example.org", accepted_at=now)
    InvitationFactory(organisation=organisation, email="gone@example.org", withdrawn_at=now)
    InvitationFactory(email="elsewhere@example.org")
    url = reverse("organisations:invitations", args=[organisation.pk])
    with django_assert_max_num_queries(12):
        page = manager_client.get(url).content.decode()
    assert "Open (1)" in page and "Expired (1)" in page and "Accepted (1)" in page
    assert "open@example.org" in page and "late@example.org" not in page
    assert "elsewhere@example.org" not in page
    assert "late@example.org" in manager_client.get(url + "?state=expired").content.decode()
    assert "in@example.org" in manager_client.get(url + "?state=accepted").content.decode()
    assert "gone@example.org" in manager_client.get(url + "?state=withdrawn").content.decode()


def test_the_list_costs_the_same_queries_for_a_page_of_many(
    manager_client, organisation, django_assert_max_num_queries
):
    for _ in range(60):
        InvitationFactory(organisation=organisation, invited_by=UserFactory())
    url = reverse("organisations:invitations", args=[organisation.pk])
    with django_assert_max_num_queries(12):
        response = manager_client.get(url)
    assert response.content.decode().count("Send again") == 50
    assert "Page 2" in response.content.decode()


def test_resending_gives_a_new_link_and_expiry_and_kills_the_old_one(
    manager_client, organisation, manager, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(
        organisation=organisation, token="old", expires_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("organisations:resend_invitation", args=[organisation.pk, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url, {"state": "expired"})
    assert response.url.endswith("?state=expired")
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.OPEN
    assert services.find_invitation(token="old") is None
    token = LINK.search(mail.outbox[0].body).group(1)
    assert services.find_invitation(token=token) == invitation
    assert AuditEntry.objects.filter(action="invitation.resent", actor=manager).exists()


def test_withdrawing_stops_the_link(manager_client, organisation, manager):
    invitation = InvitationFactory(organisation=organisation, token="t")
    url = reverse("organisations:withdraw_invitation", args=[organisation.pk, invitation.pk])
    manager_client.post(url)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert AuditEntry.objects.filter(action="invitation.withdrawn", actor=manager).exists()
    response = manager_client.post(
        reverse("organisations:resend_invitation", args=[organisation.pk, invitation.pk]),
        follow=True,
    )
    assert "was withdrawn: invite them again instead." in response.content.decode()


def test_an_accepted_invitation_cannot_be_withdrawn(manager_client, organisation):
    invitation = InvitationFactory(organisation=organisation, accepted_at=timezone.now())
    url = reverse("organisations:withdraw_invitation", args=[organisation.pk, invitation.pk])
    response = manager_client.post(url, follow=True)
    assert "has already accepted" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_resend_and_withdraw_take_only_post(manager_client, organisation):
    invitation = InvitationFactory(organisation=organisation)
    for name in ("resend_invitation", "withdraw_invitation"):
        url = reverse(f"organisations:{name}", args=[organisation.pk, invitation.pk])
        assert manager_client.get(url).status_code == 405


def test_another_organisations_manager_gets_404_on_every_invitation_url(client, organisation):
    theirs = InvitationFactory(organisation=organisation)
    elsewhere = OrganisationFactory(name="Hillside NHS Trust")
    client.force_login(manager_of(elsewhere))
    for name in ("invitations", "invite", "upload"):
        assert (
            client.get(reverse(f"organisations:{name}", args=[organisation.pk])).status_code == 404
        )
    for name in ("resend_invitation", "withdraw_invitation"):
        # Their invitation through their organisation's address, and through the manager's own.
        for organisation_id in (organisation.pk, elsewhere.pk):
            url = reverse(f"organisations:{name}", args=[organisation_id, theirs.pk])
            assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Invitation.State.OPEN


def test_a_learner_gets_404_on_the_manager_pages(client, organisation):
    learner = MembershipFactory(organisation=organisation).user
    invitation = InvitationFactory(organisation=organisation)
    client.force_login(learner)
    for name in ("invitations", "invite", "upload"):
        assert (
            client.get(reverse(f"organisations:{name}", args=[organisation.pk])).status_code == 404
        )
    url = reverse("organisations:withdraw_invitation", args=[organisation.pk, invitation.pk])
    assert client.post(url).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, organisation):
    response = client.get(reverse("organisations:invitations", args=[organisation.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
