"""Confirming an e-mail address: our pages, and a way to a new link when one no longer works."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from config.settings import base
from tests.academy.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_LINK = reverse("account_new_confirmation_link")
SENT = reverse("account_email_verification_sent")


@pytest.fixture
def unconfirmed(db):
    return UserFactory(full_name="Nadia Clerk", email="nadia@example.org", verified=False)


@pytest.fixture
def address(unconfirmed):
    return EmailAddress.objects.create(
        user=unconfirmed, email=unconfirmed.email, verified=False, primary=True
    )


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_confirm_page_is_ours(client, address):
    key = EmailConfirmationHMAC(address).key
    html = page(client.get(reverse("account_confirm_email", args=[key])))
    assert html.h1.get_text() == "Confirm your e-mail address"
    assert "nadia@example.org" in html.main.get_text()
    assert html.select_one("main form button").get_text() == "Confirm my e-mail address"


def test_a_link_that_no_longer_works_offers_a_new_one(client, address):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    html = page(response)
    assert html.h1.get_text() == "This link no longer works"
    form = html.select_one(f'main form[action="{NEW_LINK}"]')
    assert form.select_one('input[type="email"][name="email"]')["id"] == "id_email"
    assert html.select_one('label[for="id_email"]').get_text() == "Email"
    assert form.button.get_text() == "Send me a new link"

    response = client.post(NEW_LINK, {"email": "Nadia@Example.org"})
    assert response.status_code == 302
    assert response.url == SENT
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == "[PHSO Academy] Confirm your e-mail address"
    key = message.body.split("/accounts/confirm-email/")[1].split("/")[0]
    client.post(reverse("account_confirm_email", args=[key]))
    assert EmailAddress.objects.get(pk=address.pk).verified


def test_the_answer_does_not_tell_who_has_an_account(client, learner, address):
    for email in ("nobody@example.org", learner.email):  # unknown, and confirmed already
        response = client.post(NEW_LINK, {"email": email})
        assert response.status_code == 302
        assert response.url == SENT
    assert mail.outbox == []


def test_new_links_to_one_address_are_rate_limited(client, address, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    for _ in range(3):
        assert client.post(NEW_LINK, {"email": address.email}).url == SENT
    assert len(mail.outbox) == 1


def test_a_bad_address_gets_a_clear_error_and_sends_nothing(client, address):
    response = client.post(NEW_LINK, {"email": "not an address"})
    assert response.status_code == 400
    html = page(response)
    assert html.title.get_text().startswith("Error: ")
    assert html.select_one(".nhsuk-error-summary a[href='#id_email']")
    assert mail.outbox == []


def test_the_check_your_email_page_is_ours_and_links_to_a_new_link(client, db):
    html = page(client.get(SENT))
    assert html.h1.get_text() == "Check your e-mail"
    assert html.select_one(f"main a[href='{NEW_LINK}']").get_text() == "Ask for a new link"
