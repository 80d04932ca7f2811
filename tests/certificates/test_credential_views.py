"""The credential file, the public checking page, the DID document and the dashboard's links."""

import copy
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certificates import keys, services, signing
from certificates.models import Certificate
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

CHECK = "/verify/credential/"


def credential_url(certificate) -> str:
    return reverse("certificates:credential", args=[certificate.display_code])


# The credential file ------------------------------------------------------------------------------


def test_the_credential_file_downloads_with_its_name_and_is_open_to_any_site(
    client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(credential_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    assert response["Content-Disposition"] == (
        f'attachment; filename="credential-{certificate.display_code}.json"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == certificate.credential


def test_the_credential_file_of_an_older_certificate_is_signed_on_first_download(
    client, award, learner
):
    certificate = CertificateFactory(award=award, learner=learner)
    first = client.get(credential_url(certificate))
    second = client.get(credential_url(certificate))
    assert first.status_code == second.status_code == 200
    assert json.loads(first.content) == json.loads(second.content)
    stored = Certificate.objects.select_related("signing_key").get(pk=certificate.pk)
    assert stored.credential == json.loads(first.content)
    assert stored.credential["proof"]["verificationMethod"].endswith(
        "#" + stored.signing_key.public_key
    )


def test_a_code_typed_loosely_redirects_and_an_unknown_one_is_not_found(client, certificate):
    loose = reverse("certificates:credential", args=[certificate.code.lower()])
    response = client.get(loose)
    assert response.status_code == 302
    assert response.url == credential_url(certificate)
    assert client.get("/verify/AAAAA-AAAAA-AAAAA-AAAAA/credential.json").status_code == 404


def test_the_credential_file_is_read_only(client, certificate):
    assert client.post(credential_url(certificate)).status_code == 405


def test_the_verify_page_links_the_credential_file(client, certificate):
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert f'href="{credential_url(certificate)}" download' in html
    assert f'href="{CHECK}"' in html


# The checking page --------------------------------------------------------------------------------


def upload(client, document, name="credential.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(CHECK, {"file": SimpleUploadedFile(name, data, "application/json")})


def test_the_checking_page_explains_itself(client):
    response = client.get(CHECK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check a credential file" in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html


def test_an_uploaded_credential_we_issued_is_valid_with_what_the_certificate_shows(
    client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = upload(client, certificate.credential)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid: this credential was issued by the PHSO Academy" in html
    assert "Priya Sharma" in html
    assert certificate.display_code in html
    assert certificate.get_absolute_url() in html


def test_a_pasted_credential_is_checked_the_same_way(client, certificate):
    response = client.post(CHECK, {"text": json.dumps(certificate.credential, indent=2)})
    assert "Valid: this credential was issued" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("credentialSubject", "achievement", "name"),
        ("issuer", "name"),
        ("proof", "created"),
    ],
)
def test_a_tampered_credential_is_altered_and_shows_nothing_it_claims(client, certificate, path):
    document = copy.deepcopy(certificate.credential)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = "Someone Else"
    html = upload(client, document).content.decode()
    assert "Altered: this credential was changed after the PHSO Academy signed it" in html
    assert "Someone Else" not in html
    assert certificate.display_code not in html


def test_a_revoked_credential_is_reported_with_its_public_reason(
    client, certificate, administrator
):
    services.revoke(
        certificate=certificate, by=administrator, reason="x", public_reason="Issued in error"
    )
    html = upload(client, certificate.credential).content.decode()
    assert "Revoked on " in html
    assert "Issued in error" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a credential file, or paste the credential below."),
        ({"text": "{not json"}, "This is not valid JSON (line 1, column 2)"),
        ({"text": "[1, 2]"}, "This is JSON, but not a credential"),
        ({"text": "[" * 150_000 + "]" * 150_000}, "larger than 256 KB"),
        ({"text": "[" * 5000 + "]" * 5000}, "nested too deeply"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, certificate, data, message):
    before = Certificate.objects.get(pk=certificate.pk).credential
    response = client.post(CHECK, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert Certificate.objects.get(pk=certificate.pk).credential == before


def test_a_file_that_is_too_large_or_not_text_is_refused(client, settings):
    settings.ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES = 100
    assert "larger than 0 KB" in upload(client, {"name": "x" * 200}).content.decode()
    settings.ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES = 256 * 1024
    response = upload(client, b"\xff\xfe\x00binary", name="photo.png")
    assert response.status_code == 400
    assert "The file is not text" in response.content.decode()


@pytest.mark.parametrize("megabytes", [3, 10])
def test_a_pasted_credential_too_large_to_read_gets_the_same_message_as_a_file(
    client, certificate, megabytes
):
    before = Certificate.objects.get(pk=certificate.pk).credential
    huge = '{"a": "' + "x" * (megabytes * 1024 * 1024) + '"}'
    response = client.post(CHECK, {"text": huge})  # multipart, as the page's form sends it
    assert response.status_code == 413
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The credential is larger than 256 KB" in html
    assert 'name="text"' in html  # the form again, to try another
    assert Certificate.objects.get(pk=certificate.pk).credential == before


def test_another_unreadable_request_gets_our_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post("/accounts/login/", {f"field{n}": "x" for n in range(10)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Something was wrong with the request" in html
    assert '<html lang="en' in html


def test_a_file_and_pasted_text_together_are_refused(client, certificate):
    response = client.post(
        CHECK,
        {
            "file": SimpleUploadedFile("c.json", json.dumps(certificate.credential).encode()),
            "text": json.dumps(certificate.credential),
        },
    )
    assert response.status_code == 400
    assert "Upload a file or paste the credential, not both." in response.content.decode()


def test_the_checking_page_needs_its_csrf_token(certificate):
    client = Client(enforce_csrf_checks=True)
    assert client.post(CHECK, {"text": json.dumps(certificate.credential)}).status_code == 403


def test_the_checking_page_is_rate_limited_like_the_verify_page(client, settings, certificate):
    settings.ACADEMY_VERIFY_RATE = "2/m"
    for _ in range(2):
        assert client.post(CHECK, {"text": "{}"}).status_code != 429
    assert client.post(CHECK, {"text": "{}"}).status_code == 429


# The DID document ---------------------------------------------------------------------------------


def test_the_did_document_is_served_only_for_a_did_web_issuer(client, settings, certificate):
    assert client.get("/.well-known/did.json").status_code == 404

    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    [key] = keys.published_keys()
    method = f"did:web:academy.example.org#{key.public_key}"
    assert document["id"] == "did:web:academy.example.org"
    assert document["assertionMethod"] == [method]
    assert document["verificationMethod"][0]["publicKeyMultibase"] == key.public_key


def test_the_did_document_keeps_retired_keys(client, settings, tmp_path, certificate):
    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    keys.rotate_key(out=tmp_path / "next-key")
    document = client.get("/.well-known/did.json").json()
    assert len(document["assertionMethod"]) == 2


# The dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_offers_the_pdf_credential_share_link_and_linkedin(
    learner_client, certificate, django_assert_max_num_queries
):
    response = learner_client.get(reverse("dashboard"))
    html = response.content.decode()
    assert f'href="{credential_url(certificate)}" download' in html
    assert f'href="{certificate.verify_url}"' in html
    assert "Add to LinkedIn profile" in html

    link = urlsplit(certificate.linkedin_add_url)
    assert (link.scheme, link.netloc, link.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(link.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Welcoming complaints"],
        "organizationName": ["PHSO Academy"],
        "issueYear": [str(certificate.issued_at.year)],
        "issueMonth": [str(certificate.issued_at.month)],
        "expirationYear": [str(certificate.valid_until.year)],
        "expirationMonth": [str(certificate.valid_until.month)],
        "certUrl": [certificate.verify_url],
        "certId": [certificate.display_code],
    }
    assert certificate.linkedin_add_url.replace("&", "&amp;") in html


def test_a_credential_that_cannot_be_signed_yet_is_explained(client, settings, award, learner):
    certificate = CertificateFactory(award=award, learner=learner)
    settings.ACADEMY_SIGNING_KEY_FILE = ""
    response = client.get(credential_url(certificate))
    assert response.status_code == 503
    assert "The credential file is not available" in response.content.decode()


def test_the_signature_of_a_downloaded_file_is_ours(client, certificate, signing_key):
    document = json.loads(client.get(credential_url(certificate)).content)
    multikey = signing.public_multikey(signing_key.public_key())
    assert document["proof"]["verificationMethod"] == f"did:key:{multikey}#{multikey}"
