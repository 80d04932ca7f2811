"""The invitation's link: joining with the account one has or makes, never with someone
else's, and a clear page for a link that can no longer be used."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, Membership, RoleTier, User
from organisations import services
from organisations.models import Invitation
from tests.academy.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.organisations.factories import InvitationFactory

URL = "/organisation/invitation/{}/"


@pytest.fixture
def invitation(db):
    return InvitationFactory(
        organisation=OrganisationFactory(name="Riverside NHS Trust"),
        email="sam@example.org",
        full_name="Sam Jones",
        role_tier=RoleTier.COMPLAINTS_STAFF,
        token="the-token",
    )


def _membership(user, invitation):
    return Membership.objects.current().get(user=user, organisation=invitation.organisation)


def test_someone_with_no_account_creates_one_with_the_invited_address_and_joins(client, invitation):
    page = client.get(URL.format("the-token")).content.decode()
    assert "Create your account" in page and "Sign in to accept" not in page
    signup = reverse("organisations:invitation_signup", args=["the-token"])
    form = client.get(signup)
    assert form.status_code == 200
    assert 'value="sam@example.org"' in form.content.decode()
    assert "Organisation" not in form.content.decode()
    response = client.post(
        signup,
        {
            # A changed address in the request is ignored: the field is the invited one.
            "email": "someone.else@example.org",
            "full_name": "Sam Jones",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    user = User.objects.get()
    assert user.email == "sam@example.org"
    assert EmailAddress.objects.get(user=user).verified, "the link proved the address"
    assert response.wsgi_request.user == user, "signed in straight away"
    membership = _membership(user, invitation)
    assert (membership.role, membership.role_tier) == ("learner", RoleTier.COMPLAINTS_STAFF)
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.state) == (user, Invitation.State.ACCEPTED)
    assert "You have joined Riverside NHS Trust as complaints staff." in response.content.decode()
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=user).exists()


def test_someone_with_an_account_signs_in_comes_back_and_joins_without_a_second_account(
    client, invitation
):
    user = UserFactory(email="sam@example.org")
    page = client.get(URL.format("the-token")).content.decode()
    assert "Sign in to accept" in page and "Create your account" not in page
    assert "/accounts/login/?" + urlencode({"next": URL.format("the-token")}) in page
    # The sign-up page for the link sends them back rather than make a second account.
    signup = reverse("organisations:invitation_signup", args=["the-token"])
    assert client.get(signup).url == URL.format("the-token")
    response = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": PASSWORD, "next": URL.format("the-token")},
    )
    assert response.url == URL.format("the-token")
    assert "Join Riverside NHS Trust" in client.get(response.url).content.decode()
    client.post(URL.format("the-token"))
    assert _membership(user, invitation).role_tier == RoleTier.COMPLAINTS_STAFF
    assert User.objects.count() == 1


def test_signed_in_with_the_invited_address_one_button_joins(client, invitation):
    user = UserFactory(email="Sam@Example.org".lower())
    client.force_login(user)
    assert client.get(URL.format("the-token")).status_code == 200
    assert not Membership.objects.filter(user=user).exists(), "looking joins nothing"
    response = client.post(URL.format("the-token"))
    assert response.url == reverse("dashboard")
    assert _membership(user, invitation).role_tier == RoleTier.COMPLAINTS_STAFF


def test_a_manager_who_is_already_a_member_keeps_their_role_and_team(client, invitation):
    user = UserFactory(email="sam@example.org")
    MembershipFactory(
        user=user, organisation=invitation.organisation, role="manager", team="Intake"
    )
    client.force_login(user)
    client.post(URL.format("the-token"))
    membership = _membership(user, invitation)
    assert (membership.role, membership.team, membership.role_tier) == (
        "manager",
        "Intake",
        RoleTier.COMPLAINTS_STAFF,
    )


def test_signed_in_as_someone_else_nothing_joins(client, invitation):
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    response = client.get(URL.format("the-token"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "This invitation is for someone else" in page
    assert "sam@example.org" not in page
    assert client.post(URL.format("the-token")).status_code == 403
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This invitation has expired."),
        ({"withdrawn_at": timezone.now()}, "Riverside NHS Trust has withdrawn this invitation."),
        ({"accepted_at": timezone.now()}, "This invitation has already been accepted."),
    ],
)
def test_an_expired_withdrawn_or_used_link_gets_a_clear_page(client, invitation, change, expected):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    for url in (URL, "/organisation/invitation/{}/create-account/"):
        response = client.get(url.format("the-token"))
        assert response.status_code == 410
        assert expected in response.content.decode()
    client.force_login(UserFactory(email="sam@example.org"))
    assert client.post(URL.format("the-token")).status_code == 410
    assert not Membership.objects.exists()


def test_an_unknown_link_says_nothing_about_anyone(client, invitation):
    UserFactory(email="sam@example.org")
    response = client.get(URL.format("not-the-token"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This link does not lead to an invitation." in page
    assert "sam@example.org" not in page and "Riverside" not in page


def test_an_invitation_withdrawn_while_signing_up_makes_no_account(client, invitation):
    signup = reverse("organisations:invitation_signup", args=["the-token"])
    client.get(signup)
    Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
    response = client.post(
        signup, {"full_name": "Sam Jones", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.exists()


def test_a_resent_link_lasts_the_days_the_setting_says(invitation, settings):
    settings.ORGANISATION_INVITATION_DAYS = 3
    manager = UserFactory()
    renewed = services.resend_invitation(invitation=invitation, by=manager)
    assert renewed.expires_at - timezone.now() < timedelta(days=3, seconds=5)
    assert renewed.expires_at - timezone.now() > timedelta(days=2, hours=23)
