"""Creating an account: allauth's form with the Academy's questions, and e-mail verification."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from academy.models import Membership, RoleTier, User
from tests.academy.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kettle-harbour-1987"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northfield Hospitals NHS Foundation Trust")


def signup(client, organisation, **overrides):
    data = {
        "email": "Nadia.Clerk@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "  Nadia Clerk ",
        "organisation": organisation.pk,
        "role_tier": RoleTier.COMPLAINTS_STAFF,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def sign_in(client, email="nadia.clerk@example.org"):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_the_signup_form_asks_the_academys_questions(client, organisation):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="full_name"' in html
    assert 'name="role_tier"' in html
    assert "Northfield Hospitals NHS Foundation Trust" in html


def test_signing_up_creates_the_learner_and_membership_and_sends_a_verification_email(
    client, organisation
):
    response = signup(client, organisation)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"

    user = User.objects.get(email="nadia.clerk@example.org")
    assert user.full_name == "Nadia Clerk"
    assert user.role_tier == RoleTier.COMPLAINTS_STAFF
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert membership.role == Membership.Role.LEARNER
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.clerk@example.org"]
    assert message.subject.startswith("[PHSO Academy] ")
    assert "/accounts/confirm-email/" in message.body


def test_an_unverified_learner_cannot_sign_in_until_they_confirm(client, organisation):
    signup(client, organisation)
    client.logout()
    mail.outbox.clear()

    response = sign_in(client)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302
    assert len(mail.outbox) == 1  # the link is sent again

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    confirmed = client.post(link.group(1))
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="nadia.clerk@example.org").verified

    client.logout()
    response = sign_in(client)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_signup_without_the_academys_details_creates_nothing(client, organisation):
    response = signup(client, organisation, full_name="", role_tier="")
    assert response.status_code == 200
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    assert mail.outbox == []


def test_a_weak_password_is_refused(client, organisation):
    response = signup(client, organisation, password1="password", password2="password")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signing_up_again_with_the_same_address_warns_the_owner_and_creates_nothing(
    client, organisation
):
    signup(client, organisation)
    client.logout()
    mail.outbox.clear()
    response = signup(client, organisation, email="NADIA.CLERK@example.org", full_name="Impostor")
    # The page does not reveal that the address is taken; the owner is told by e-mail.
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="nadia.clerk@example.org").count() == 1
    assert User.objects.get().full_name == "Nadia Clerk"
    assert [m.to for m in mail.outbox] == [["nadia.clerk@example.org"]]
    assert "There is already an account with this address" in mail.outbox[0].body
