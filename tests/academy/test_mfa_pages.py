"""allauth's MFA pages in the Academy's design: each is one of our pages, with one <h1> in its
<main>, and every security code box is labelled, linked to its hint and, when the code is
wrong, to its error."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from bs4 import BeautifulSoup
from django.urls import reverse

from academy import services as people
from tests.academy.factories import PASSWORD, UserFactory, app_code

pytestmark = pytest.mark.django_db

CODE_PAGES = ["mfa_authenticate", "mfa_reauthenticate", "mfa_activate_totp"]
OTHER_PAGES = [
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_deactivate_totp",
]


@pytest.fixture
def new_staff(staff_groups):
    """A trainer who has not set up an authenticator app yet."""
    return UserFactory(email="new.trainer@example.org", groups=[people.TRAINERS])


@pytest.fixture
def staff_with_mfa(staff_groups):
    user = UserFactory(email="assessor@example.org", groups=[people.ASSESSORS])
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def open_page(client, new_staff, staff_with_mfa):
    """GET an MFA page as the person who would reach it, signed in as far as it needs."""

    def open_(name):
        if name == "mfa_authenticate":
            # The code step belongs to a sign-in half done: the password is in, the code not yet.
            response = client.post(
                reverse("account_login"), {"login": staff_with_mfa.email, "password": PASSWORD}
            )
            assert response.url == reverse("mfa_authenticate")
        else:
            client.force_login(new_staff if name == "mfa_activate_totp" else staff_with_mfa)
            # allauth asks for the password again before showing or changing an authenticator.
            client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        response = client.get(reverse(name))
        assert response.status_code == 200
        return BeautifulSoup(response.content, "html.parser")

    return open_


def code_box(page):
    box = page.find("input", attrs={"name": "code"})
    assert box is not None
    return box


@pytest.mark.parametrize("name", CODE_PAGES + OTHER_PAGES)
def test_each_mfa_page_is_one_of_ours_with_one_main_heading(open_page, name):
    page = open_page(name)
    assert page.html["lang"] == "en-GB"
    assert page.select_one("header .academy-header__brand")
    [main] = page.find_all("main")
    [heading] = page.find_all("h1")
    assert heading in main.descendants
    assert page.title.get_text(strip=True).startswith(heading.get_text(strip=True))


@pytest.mark.parametrize("name", CODE_PAGES)
def test_the_code_box_is_labelled_for_a_one_time_numeric_code(open_page, name):
    page = open_page(name)
    box = code_box(page)
    label = page.find("label", attrs={"for": box["id"]})
    assert label.get_text(strip=True) == "Security code"
    assert box["autocomplete"] == "one-time-code"
    assert box["inputmode"] == "numeric"
    assert not box.has_attr("placeholder")
    hint = page.find(id=box["aria-describedby"].strip())
    assert "6 digits" in hint.get_text()


def test_a_wrong_code_is_named_in_the_summary_and_linked_to_the_box(client, staff_with_mfa):
    client.post(reverse("account_login"), {"login": staff_with_mfa.email, "password": PASSWORD})
    # Seven digits: one too many for an app's code, one too few for a recovery code.
    response = client.post(reverse("mfa_authenticate"), {"code": "1234567"})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.get_text(strip=True).startswith("Error: ")
    summary = page.find(attrs={"role": "alert"})
    link = summary.find("a", href="#id_code")
    assert link.get_text(strip=True) == "Security code: Incorrect code."
    box = code_box(page)
    assert box["aria-describedby"].split() == ["id_code-hint", "id_code-error"]
    assert "Incorrect code." in page.find(id="id_code-error").get_text()
    assert "nhsuk-input--error" in box["class"]


def test_the_setup_page_gives_the_key_as_text_and_the_qr_code_a_text_alternative(
    client, open_page, new_staff
):
    page = open_page("mfa_activate_totp")
    key = page.find("input", id="setup_key")
    assert page.find("label", attrs={"for": "setup_key"}).get_text(strip=True) == "Set-up key"
    assert key.has_attr("readonly") and not key.has_attr("disabled")
    secret = key["value"]
    qr = page.find("img")
    assert "QR code" in qr["alt"] and secret not in qr["alt"]

    # The key alone is enough to set up the app: a code made from it turns MFA on.
    response = client.post(reverse("mfa_activate_totp"), {"code": app_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    assert new_staff.authenticator_set.filter(type="totp").exists()


def test_the_recovery_codes_page_lists_the_codes_and_leads_staff_on_to_the_admin(open_page):
    page = open_page("mfa_view_recovery_codes")
    codes = [item.get_text(strip=True) for item in page.select("#recovery-codes li")]
    assert len(codes) == 10 and all(code.isdigit() and len(code) == 8 for code in codes)
    assert page.find("a", string="Continue to the admin")["href"] == reverse("wagtailadmin_home")
