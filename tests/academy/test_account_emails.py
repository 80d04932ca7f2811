"""Every e-mail allauth sends is the Academy's: it names the Academy (never the host it was sent
from), greets the learner by name, and signs off as the certificate e-mail does."""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from tests.academy.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
OURS = Path(settings.BASE_DIR) / "templates"
SIGN_OFF = "The PHSO Academy\nParliamentary and Health Service Ombudsman"
# The sites that allauth's own wording names: the host (RequestSite) when django.contrib.sites is
# not installed, or Django's default Site.
HOSTS = ("testserver", "example.com")


def allauth_email_templates() -> list[str]:
    """The e-mails of the allauth apps the Academy has installed (socialaccount is not)."""
    names = []
    for app in ("account", "mfa"):
        folder = ALLAUTH_TEMPLATES / app / "email"
        names += [f"{app}/email/{path.name}" for path in sorted(folder.glob("*.txt"))]
    return names


def without_links(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


def check_ours(message, *, greeting: str):
    assert message.subject.startswith("[PHSO Academy] ")
    body = message.body
    assert body.startswith(greeting + "\n\n"), body
    assert body.endswith(SIGN_OFF), body
    assert "PHSO Academy" in body.removesuffix(SIGN_OFF)
    for host in HOSTS:
        assert host not in without_links(body), body
        assert host not in message.subject


@pytest.mark.parametrize("name", allauth_email_templates())
def test_every_allauth_email_template_is_overridden(name):
    assert (OURS / name).exists(), f"allauth's {name} is not in our words"
    assert get_template(name).origin.name == str(OURS / name)


@pytest.mark.parametrize(
    "name",
    [
        name
        for name in allauth_email_templates()
        if name.endswith("_message.txt") and "/base_" not in name
    ],
)
def test_every_message_greets_by_name_and_signs_off_without_escaping(name, rf):
    user = UserFactory.build(full_name="Siobhán O'Brien", email="siobhan@example.org")
    context = {
        "user": user,
        "email": user.email,
        "activate_url": "http://testserver/accounts/confirm-email/KEY/",
        "password_reset_url": "http://testserver/accounts/password/reset/",
        "signup_url": "http://testserver/accounts/signup/",
        "code": "ABC123",
        "confirmation_days": 3,
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "old@example.org",
        "request": rf.get("/"),
    }
    body = render_to_string(name, context).strip()
    assert body.startswith("Dear Siobhán O'Brien,\n\n"), body
    assert body.endswith(SIGN_OFF)
    assert "&#x27;" not in body and "&amp;" not in body
    for host in HOSTS:
        assert host not in without_links(body)
    subject = render_to_string(name.replace("_message.txt", "_subject.txt"), context).strip()
    assert subject and "\n" not in subject and "{" not in subject


def test_signing_up_sends_a_confirmation_in_our_words(client, db):
    trust = OrganisationFactory(name="Northfield Hospitals NHS Foundation Trust")
    client.post(
        reverse("account_signup"),
        {
            "email": "nadia@example.org",
            "password1": "Kettle-harbour-1987",
            "password2": "Kettle-harbour-1987",
            "full_name": "Nadia Clerk",
            "organisation": trust.pk,
            "role_tier": "all_staff",
        },
    )
    [message] = mail.outbox
    check_ours(message, greeting="Dear Nadia Clerk,")
    assert message.subject == "[PHSO Academy] Confirm your e-mail address to start learning"
    assert "/accounts/confirm-email/" in message.body
    assert "works for 3 days" in message.body


def test_a_password_reset_and_its_notice_are_in_our_words(client, learner):
    client.post(reverse("account_reset_password"), {"email": learner.email})
    [message] = mail.outbox
    check_ours(message, greeting="Dear Priya Sharma,")
    assert message.subject == "[PHSO Academy] Reset your password"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    response = client.get(link.group(1), follow=True)
    new_password = "Lighthouse-keeper-2027"
    response = client.post(
        response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    # The reset signs them in (no lock-out can keep them out), and tells them by e-mail.
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    notice = mail.outbox[1]
    check_ours(notice, greeting="Dear Priya Sharma,")
    assert notice.subject == "[PHSO Academy] Your password has been reset"
    assert "reset your password straight away" in notice.body
    assert settings.ACADEMY_SITE_URL + reverse("account_reset_password") in notice.body


def test_asking_to_reset_an_unknown_address_says_so_in_our_words(client, db):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    [message] = mail.outbox
    check_ours(message, greeting="Hello,")
    assert "there is no account with this address" in message.body


def test_mfa_notices_are_in_our_words(client, staff_groups):
    staff = UserFactory(full_name="Dev Patel", groups=[people.TRAINERS], mfa=True)
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    [notice] = mail.outbox
    check_ours(notice, greeting="Dear Dev Patel,")
    assert notice.subject == "[PHSO Academy] Authenticator app turned off"


def test_a_verified_learners_notice_has_the_time_in_uk_time(client, learner):
    EmailAddress.objects.filter(user=learner).update(verified=True)
    client.force_login(learner)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Harbour-lights-2029",
            "password2": "Harbour-lights-2029",
        },
    )
    [notice] = mail.outbox
    check_ours(notice, greeting="Dear Priya Sharma,")
    assert notice.subject == "[PHSO Academy] Your password has been changed"
    assert "(UK time)" in notice.body
