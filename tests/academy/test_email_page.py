"""The learner's e-mail addresses page, in our words, working without JavaScript."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("account_email")


@pytest.fixture
def signed_in(client, learner):
    EmailAddress.objects.get_or_create(
        user=learner, email=learner.email, defaults={"verified": True, "primary": True}
    )
    client.force_login(learner)
    return client


def test_the_page_speaks_in_our_words(signed_in, learner):
    html = signed_in.get(URL).content.decode()
    assert "Your e-mail addresses" in html
    assert "Main address" in html and "Checked" in html
    assert "Make it my main address" in html
    assert "Email Addresses" not in html and "Make Primary" not in html
    assert '<html lang="en' in html and "<main" in html


def test_adding_an_address_sends_a_check_and_lists_it_unchecked(signed_in, learner):
    response = signed_in.post(URL, {"action_add": "", "email": "priya.sharma@nhs.example"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["priya.sharma@nhs.example"]]
    html = signed_in.get(URL).content.decode()
    assert "priya.sharma@nhs.example" in html
    assert "Not checked yet" in html


def test_a_bad_address_is_refused_with_a_clear_error_and_changes_nothing(signed_in, learner):
    response = signed_in.post(URL, {"action_add": "", "email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert EmailAddress.objects.filter(user=learner).count() == 1
