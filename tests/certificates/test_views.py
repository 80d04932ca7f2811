"""Public verification of certificates and private download of their PDFs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import codes, services

pytestmark = pytest.mark.django_db

NOT_FOUND = "No certificate with this code"


@pytest.fixture
def certificate(course, learner):
    return services.issue_for_course(learner=learner, course=course)


@pytest.fixture
def rendered(certificate):
    services.render_pdf(certificate=certificate)
    return certificate


def verify_url(code):
    return reverse("certificates:verify", args=[code])


def pdf_url(code):
    return reverse("certificates:pdf", args=[code])


# Verification ------------------------------------------------------------------------------------


def test_anyone_can_verify_a_certificate_without_signing_in(client, certificate):
    response = client.get(verify_url(certificate.display_code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid: this certificate was issued by the PHSO Academy." in html
    assert "Priya Sharma" in html
    assert "Welcoming complaints" in html
    assert timezone.localtime(certificate.issued_at).strftime("%-d %B %Y") in html
    assert certificate.display_code in html
    assert "priya@example.org" not in html


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
    ],
    ids=["lowercase", "no-hyphens", "spaces"],
)
def test_a_code_typed_differently_redirects_to_the_canonical_page(client, certificate, typed):
    response = client.get(verify_url(typed(certificate.display_code)))
    assert response.status_code == 302
    assert response.url == verify_url(certificate.display_code)


def test_a_handwritten_code_with_o_for_zero_still_verifies(client, learner, course):
    certificate = services.issue_for_course(learner=learner, course=course)
    certificate.code = "0" + certificate.code[1:]
    certificate.save(update_fields=["code"])
    misread = "O" + certificate.display_code[1:]
    response = client.get(verify_url(misread), follow=True)
    assert response.status_code == 200
    assert "Priya Sharma" in response.content.decode()


@pytest.mark.parametrize("code", ["nonsense", "ABCDE-FGHJK", "UUUUU-UUUUU-UUUUU-UUUUU", "x" * 300])
def test_a_malformed_code_is_not_found(client, certificate, code):
    response = client.get(verify_url(code))
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND in html
    assert "Priya Sharma" not in html
    assert "x" * 65 not in html  # the echoed code is cut short


def test_an_unknown_well_formed_code_is_not_found(client, certificate):
    unknown = codes.new_code()
    assert unknown != certificate.code
    response = client.get(verify_url(codes.display(unknown)))
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_lookup_form_takes_the_code_to_its_page(client, certificate):
    assert client.get(reverse("certificates:lookup")).status_code == 200
    response = client.get(reverse("certificates:lookup"), {"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response.url == verify_url(certificate.display_code)


def test_the_lookup_form_explains_a_malformed_code(client, db):
    response = client.get(reverse("certificates:lookup"), {"code": "12345"})
    assert response.status_code == 400
    assert "Enter a code of 20 letters and numbers" in response.content.decode()


def test_verification_is_rate_limited(client, certificate, settings):
    settings.ACADEMY_VERIFY_RATE = "3/m"
    url = verify_url(certificate.display_code)
    responses = [client.get(url) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Too many requests" in responses[-1].content.decode()
    assert "Priya Sharma" not in responses[-1].content.decode()


def test_behind_a_trusted_proxy_each_client_has_its_own_verification_limit(
    client, certificate, settings
):
    settings.ACADEMY_VERIFY_RATE = "2/m"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = verify_url(certificate.display_code)

    def from_address(address):
        return client.get(url, HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="10.0.0.1").status_code

    assert [from_address("198.51.100.7") for _ in range(3)] == [200, 200, 429]
    # Another client behind the same proxy is not held back by the first.
    assert from_address("203.0.113.9") == 200


# PDF download ------------------------------------------------------------------------------------


def test_the_owner_downloads_their_pdf(client, learner, rendered):
    client.force_login(learner)
    response = client.get(pdf_url(rendered.display_code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="certificate-{rendered.display_code}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_learner_gets_not_found_for_someone_elses_pdf(client, other_learner, rendered):
    client.force_login(other_learner)
    response = client.get(pdf_url(rendered.display_code))
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_signed_out_visitor_is_asked_to_sign_in_for_a_pdf(client, rendered):
    response = client.get(pdf_url(rendered.display_code))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_academy_administrator_can_download_any_pdf(client, administrator, rendered):
    client.force_login(administrator)
    response = client.get(pdf_url(rendered.display_code))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_trainer_cannot_download_learners_pdfs(client, trainer, rendered):
    client.force_login(trainer)
    assert client.get(pdf_url(rendered.display_code)).status_code == 404


def test_a_pdf_still_being_prepared_says_so(client, learner, certificate):
    client.force_login(learner)
    response = client.get(pdf_url(certificate.display_code))
    assert response.status_code == 404
    assert "still being prepared" in response.content.decode()


def test_the_pdf_link_accepts_the_code_as_typed(client, learner, rendered):
    client.force_login(learner)
    assert client.get(pdf_url(rendered.code.lower())).status_code == 200
    assert client.get(pdf_url("not-a-code")).status_code == 404


def test_the_dashboard_links_to_the_pdf_once_it_is_rendered(client, learner, rendered):
    client.force_login(learner)
    html = client.get(reverse("dashboard")).content.decode()
    assert pdf_url(rendered.display_code) in html
    assert "PDF being prepared" not in html
