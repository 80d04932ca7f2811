"""What people see of a certificate's status, and the administrators' lifecycle actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from academy.models import AuditEntry
from certificates import services
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, learner):
    return services.issue_for_course(learner=learner, course=course)


def day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def verify_page(client, certificate) -> str:
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def expire(certificate, days_ago=1):
    """Move the certificate's dates into the past as if its validity had run out."""
    issued = timezone.now() - timedelta(days=400)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=issued, valid_until=timezone.now() - timedelta(days=days_ago)
    )
    certificate.refresh_from_db()
    return certificate


# The verification page, in plain words ----------------------------------------------------------


def test_a_valid_certificate_with_an_end_date_says_until_when(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.now() + timedelta(days=30)
    )
    certificate.refresh_from_db()
    html = verify_page(client, certificate)
    assert "Valid: this certificate was issued by the PHSO Academy." in html
    assert (
        f'Valid until</dt><dd class="nhsuk-summary-list__value">{day(certificate.valid_until)}'
        in html
    )


def test_an_expired_certificate_says_expired_on_its_date(client, certificate):
    expire(certificate)
    html = verify_page(client, certificate)
    assert f"Expired on {day(certificate.valid_until)}" in html
    assert "Valid:" not in html


def test_a_suspended_certificate_says_suspended(client, certificate, administrator):
    services.suspend(
        certificate=certificate,
        by=administrator,
        reason="Internal: allegation of cheating",
        public_reason="Under review",
    )
    html = verify_page(client, certificate)
    assert "Suspended: this certificate was issued by the PHSO Academy but is not valid" in html
    assert "Reason: Under review" in html
    assert "allegation" not in html
    assert "Valid:" not in html


def test_a_revoked_certificate_says_when_and_why_but_not_the_private_reason(
    client, certificate, administrator
):
    services.revoke(
        certificate=certificate,
        by=administrator,
        reason="Internal: the assessment was taken by a colleague",
        public_reason="Issued in error",
    )
    html = verify_page(client, certificate)
    assert f"Revoked on {day(certificate.status_changed_at)}" in html
    assert "Reason: Issued in error" in html
    assert "colleague" not in html
    assert "Valid:" not in html


def test_a_superseded_certificate_points_to_its_replacement(client, certificate, administrator):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="Priya Sharma-Jones", reason="Name"
    )
    html = verify_page(client, certificate)
    assert "Superseded by" in html
    assert f'href="{replacement.get_absolute_url()}"' in html
    assert replacement.display_code in html
    assert "Priya Sharma-Jones" not in html  # the old page shows only what the old one printed
    assert "Valid:" not in html
    new_html = verify_page(client, replacement)
    assert "Valid: this certificate was issued by the PHSO Academy." in new_html
    assert "Priya Sharma-Jones" in new_html


def test_the_verify_page_shows_only_what_the_certificate_shows(client, certificate, learner):
    html = verify_page(client, certificate)
    assert learner.email not in html
    assert "Internal" not in html


# The learner's dashboard ------------------------------------------------------------------------


def test_the_dashboard_says_when_a_certificate_expired(client, learner, certificate):
    expire(certificate, days_ago=3)
    client.force_login(learner)
    html = client.get(reverse("dashboard")).content.decode()
    assert f"Expired on {day(certificate.valid_until)}" in html


def test_the_dashboard_shows_a_revocation_and_only_the_current_certificate(
    client, learner, certificate, administrator
):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="P. Sharma", reason="Typo"
    )
    services.revoke(certificate=replacement, by=administrator, reason="r", public_reason="p")
    client.force_login(learner)
    html = client.get(reverse("dashboard")).content.decode()
    assert f"Revoked on {day(replacement.status_changed_at)}" in html
    assert replacement.display_code in html
    assert certificate.display_code not in html


def test_the_owner_can_still_download_a_revoked_certificates_pdf(
    client, learner, certificate, administrator
):
    services.render_pdf(certificate=certificate)
    services.revoke(certificate=certificate, by=administrator, reason="r", public_reason="p")
    client.force_login(learner)
    response = client.get(reverse("certificates:pdf", args=[certificate.display_code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# Administrators' actions ------------------------------------------------------------------------


def action_url(action, certificate):
    return reverse(f"certificate_{action}", args=[certificate.pk])


def test_the_inspect_page_offers_the_actions_that_fit_the_status(
    client, administrator, certificate
):
    client.force_login(administrator)
    html = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    for action in ("revoke", "suspend", "correct_name"):
        assert action_url(action, certificate) in html
    assert action_url("reinstate", certificate) not in html


def test_the_inspect_page_speaks_in_words_and_shows_the_actions_as_buttons(
    client, administrator, certificate
):
    client.force_login(administrator)
    html = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    assert certificate.display_code in html  # as printed, with dashes
    assert certificate.code not in html  # never the bare stored form
    for words in (
        "Does not expire",
        "None beyond the title",
        "Not replaced",
        "None: its status has not changed",
        "The Academy, automatically, when the learner met the award&#x27;s terms",
    ):
        assert words in html, words
    assert ">None<" not in html and "None\n" not in html
    # The credential as indented JSON, not a Python dict.
    assert "&quot;@context&quot;: [" in html
    assert "{&#x27;@context&#x27;" not in html
    # Revoke, suspend and correct are buttons in the header, not hidden behind "more".
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    for action in ("revoke", "suspend", "correct_name"):
        assert action_url(action, certificate) in header


def test_the_inspect_page_of_a_revoked_certificate_says_when_why_and_what_was_sent(
    client, administrator, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(
            certificate=certificate, by=administrator, reason="x", public_reason="Issued in error"
        )
    client.force_login(administrator)
    html = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    assert "Revoked on " in html
    assert "Issued in error" in html
    assert "Revoked: " in html and "e-mailed " in html
    assert action_url("revoke", certificate) not in html


def test_an_administrator_revokes_with_reasons(client, administrator, certificate):
    client.force_login(administrator)
    url = action_url("revoke", certificate)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "Fraud confirmed", "public_reason": "Issued in error"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("certificate:inspect", args=[certificate.pk])
    assert f"Certificate {certificate.display_code} is revoked." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert (entry.actor, entry.reason) == (administrator, "Fraud confirmed")


def test_a_revocation_without_reasons_is_refused_in_the_form(client, administrator, certificate):
    client.force_login(administrator)
    response = client.post(action_url("revoke", certificate), {"reason": "", "public_reason": ""})
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert not AuditEntry.objects.filter(action="certificate.revoked").exists()


def test_an_administrator_suspends_and_reinstates(client, administrator, certificate):
    client.force_login(administrator)
    client.post(action_url("suspend", certificate), {"reason": "Review", "public_reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    client.post(action_url("reinstate", certificate), {"reason": "Cleared"})
    certificate.refresh_from_db()
    assert certificate.status == "active"


def test_an_action_that_does_not_fit_the_status_is_explained(client, administrator, certificate):
    client.force_login(administrator)
    response = client.post(action_url("reinstate", certificate), {"reason": "Why"})
    assert response.status_code == 200
    assert "Only a suspended certificate can be reinstated" in response.content.decode()


def test_an_administrator_corrects_a_name_and_lands_on_the_new_certificate(
    client, administrator, certificate
):
    client.force_login(administrator)
    response = client.post(
        action_url("correct_name", certificate),
        {"new_name": "Priya Sharma-Jones", "reason": "Deed poll seen"},
    )
    replacement = Certificate.objects.get(supersedes=certificate)
    assert response.status_code == 302
    assert response.url == reverse("certificate:inspect", args=[replacement.pk])
    assert replacement.name_on_certificate == "Priya Sharma-Jones"


@pytest.mark.parametrize("who", ["trainer", "learner"])
@pytest.mark.parametrize("action", ["revoke", "suspend", "reinstate", "correct_name"])
def test_learners_and_trainers_cannot_use_the_lifecycle_actions(
    client, request, who, action, certificate, staff_groups
):
    client.force_login(request.getfixturevalue(who))
    data = {"reason": "x", "public_reason": "y", "new_name": "Someone Else"}
    for response in (
        client.get(action_url(action, certificate)),
        client.post(action_url(action, certificate), data),
    ):
        if who == "learner":  # the admin is for staff (academy.middleware)
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response.url == reverse("wagtailadmin_home")
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert certificate.superseded_at is None
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="certificate.issued").count() == 1
    assert AuditEntry.objects.count() == 1


def test_staff_without_the_manage_permission_see_no_action_buttons(
    client, certificate, staff_groups
):
    from django.contrib.auth.models import Permission

    from tests.academy.factories import UserFactory

    viewer = UserFactory(email="viewer@example.org", mfa=True, is_superuser=False)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    client.force_login(viewer)
    response = client.get(reverse("certificate:inspect", args=[certificate.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.display_code in html
    assert action_url("revoke", certificate) not in html
    assert client.get(action_url("revoke", certificate)).status_code == 302


def test_the_certificate_award_and_design_lists_open_for_administrators(
    client, administrator, certificate
):
    from tests.certificates.factories import CertificateDesignFactory

    CertificateDesignFactory(name="House style")
    client.force_login(administrator)
    certificates = client.get(reverse("certificate:index")).content.decode()
    assert certificate.display_code in certificates
    assert "valid" in certificates
    awards = client.get(reverse("award:index")).content.decode()
    assert "Does not expire" in awards
    designs = client.get(reverse("certificatedesign:index")).content.decode()
    assert "House style" in designs
    assert "Default for every award" in designs
