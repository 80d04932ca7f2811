"""Wrong passwords: five lock the address out on that network for a while, the page says until
when and offers a reset, someone elsewhere cannot lock a colleague out, and a reset always works."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from academy.adapter import clock_time
from config.settings import base
from tests.academy.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OWNER_NETWORK = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


@pytest.fixture(autouse=True)
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def owner(db):
    return UserFactory(full_name="Amira Okafor", email="amira@example.org")


def sign_in(client, email, password, network):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=network
    )


def wrong_passwords(client, email, network, times=5):
    for attempt in range(times):
        response = sign_in(client, email, f"Wrong-guess-{attempt}", network)
        assert response.status_code == 200
        assert "wrong password too many times" not in response.content.decode()


def lock_out_message(response):
    summary = BeautifulSoup(response.content, "html.parser").select_one(".nhsuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else "", summary


def test_five_wrong_passwords_lock_out_the_right_one_and_say_until_when(client, owner):
    start = time.time()
    wrong_passwords(client, owner.email, OWNER_NETWORK)
    response = sign_in(client, owner.email, PASSWORD, OWNER_NETWORK)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    text, summary = lock_out_message(response)
    assert "You have entered the wrong password too many times" in text
    # Five minutes after the first wrong password (allowing for a minute turning over).
    until = re.search(r"try again after (\d{1,2}:\d\d[ap]m)", text).group(1)
    assert until in {clock_time(start + 300), clock_time(time.time() + 300)}
    reset = summary.find("a", string="reset your password")
    assert reset["href"] == reverse("account_reset_password")
    # Only the page's own "Forgotten your password?" besides: not a second one in the hint.
    html = response.content.decode()
    assert html.count("Forgotten your password?") == 1
    assert "Forgot your password?" not in html


def test_wrong_passwords_from_elsewhere_do_not_keep_the_owner_out(client, owner):
    wrong_passwords(client, owner.email, ELSEWHERE)
    assert "too many times" in lock_out_message(sign_in(client, owner.email, "x", ELSEWHERE))[0]
    response = sign_in(client, owner.email, PASSWORD, OWNER_NETWORK)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_right_passwords_do_not_count_towards_the_limit(client, owner):
    for _ in range(6):
        assert sign_in(client, owner.email, PASSWORD, OWNER_NETWORK).status_code == 302
        client.logout()
    wrong_passwords(client, owner.email, OWNER_NETWORK, times=4)
    assert sign_in(client, owner.email, PASSWORD, OWNER_NETWORK).status_code == 302


def reset_password(client, email, network):
    client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=network)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    response = client.get(link.group(1), REMOTE_ADDR=network, follow=True)
    new = "Lighthouse-keeper-2027"
    return client.post(
        response.redirect_chain[-1][0],
        {"password1": new, "password2": new},
        REMOTE_ADDR=network,
    ), new


def test_a_reset_signs_a_locked_out_learner_in_and_ends_the_lock_out(client, owner):
    wrong_passwords(client, owner.email, OWNER_NETWORK)
    response, new_password = reset_password(client, owner.email, OWNER_NETWORK)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)
    client.logout()
    assert sign_in(client, owner.email, new_password, OWNER_NETWORK).status_code == 302


def test_many_networks_together_hit_a_ceiling_for_the_address_which_a_reset_clears(
    client, owner, settings
):
    settings.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login_failed_account": "6/h/key"}
    wrong_passwords(client, owner.email, "192.0.2.1", times=3)
    wrong_passwords(client, owner.email, "192.0.2.2", times=3)
    text, _ = lock_out_message(sign_in(client, owner.email, PASSWORD, OWNER_NETWORK))
    assert "try again after" in text
    assert "_auth_user_id" not in client.session
    response, _new_password = reset_password(client, owner.email, OWNER_NETWORK)
    assert client.session["_auth_user_id"] == str(owner.pk)
    client.logout()
    wrong_passwords(client, owner.email, "192.0.2.3", times=1)


def test_clock_times_are_written_the_academys_way():
    # 13:05 and 00:30 UK time in summer (BST, UTC+1).
    assert clock_time(1782993900) == "1:05pm"
    assert clock_time(1782948600) == "12:30am"
