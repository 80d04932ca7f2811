"""The Open Badges 3.0 credential of a certificate: what it says, signing once, keys and issuers."""

import hashlib
import json
import logging
import os
import re
import stat
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from certificates import contexts, credentials, keys, selectors, services, signing
from certificates.models import Certificate, SigningKey
from tests.certificates.factories import AwardFactory, CertificateFactory
from tests.certificates.test_signing import leaves
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(course):
    award = AwardFactory(
        course=course,
        wording="Shows how to welcome a complaint.",
        validity_unit="years",
        validity_length=3,
    )
    principle = PrincipleFactory(number=1, framework__name="NHS Complaint Standards")
    award.expectations.add(
        ExpectationFactory(principle=principle, number=2, text="Staff welcome complaints."),
        ExpectationFactory(principle=principle, number=1, text="Complaining is made easy."),
    )
    return award


@pytest.fixture
def certificate(award, learner):
    return services.issue_certificate(learner=learner, award=award)


def our_did(signing_key) -> str:
    return signing.did_key(signing.public_multikey(signing_key.public_key()))


def test_issuing_signs_the_credential_once_and_stores_it(certificate, signing_key):
    stored = Certificate.objects.get(pk=certificate.pk).credential
    assert stored is not None
    assert stored == credentials.signed_credential(certificate)
    assert stored["proof"]["verificationMethod"] == (
        f"{our_did(signing_key)}#{signing.public_multikey(signing_key.public_key())}"
    )
    assert selectors.verify_credential(stored).outcome == "valid"


def test_the_credential_is_an_open_badge_with_the_certificates_own_words(
    certificate, learner, signing_key
):
    credential = certificate.credential
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == (
        f"http://testserver/verify/{certificate.display_code}/credential.json"
    )
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["name"] == "Welcoming complaints"
    assert credential["issuer"] == {
        "id": our_did(signing_key),
        "type": ["Profile"],
        "name": "PHSO Academy",
        "url": "http://testserver/",
    }
    assert credential["validFrom"] == signing.date_time_stamp(certificate.issued_at)
    assert credential["validUntil"] == signing.date_time_stamp(certificate.valid_until)
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_the_subject_names_the_learner_and_hashes_their_email(certificate, learner):
    subject = certificate.credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    name, email = subject["identifier"]
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Priya Sharma",
    }
    assert email["identityType"] == "emailAddress"
    assert email["hashed"] is True
    assert len(email["salt"]) == 32
    expected = hashlib.sha256(("priya@example.org" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert "priya@example.org" not in str(certificate.credential)


def test_the_achievement_has_criteria_and_aligns_to_the_expectations(certificate, award):
    achievement = certificate.credential["credentialSubject"]["achievement"]
    assert achievement["id"].startswith("urn:uuid:")
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["name"] == "Welcoming complaints"
    assert achievement["description"] == "Shows how to welcome a complaint."
    assert "completing the course Welcoming complaints" in achievement["criteria"]["narrative"]
    framework = award.expectations.first().principle.framework
    assert [alignment["targetCode"] for alignment in achievement["alignment"]] == ["1.1", "1.2"]
    assert achievement["alignment"][0] == {
        "type": ["Alignment"],
        "targetName": "Complaining is made easy.",
        "targetCode": "1.1",
        "targetFramework": str(framework),
        "targetUrl": f"http://testserver/complaint-standards/{framework.slug}/#expectation-1-1",
    }


def test_each_alignment_links_to_its_expectation_on_the_framework_page(certificate, client):
    for alignment in certificate.credential["credentialSubject"]["achievement"]["alignment"]:
        url = urlsplit(alignment["targetUrl"])
        html = client.get(url.path).content.decode()
        row = re.search(rf'id="{url.fragment}"><dt[^>]*>([^<]+)</dt><dd[^>]*>([^<]+)</dd>', html)
        assert row.groups() == (alignment["targetCode"], alignment["targetName"])


def test_every_value_of_the_credential_is_covered_by_the_signature(certificate):
    # pyld, unlike a verifier in JSON-LD safe mode, silently drops terms its contexts do not
    # define; each value must reach the canonical N-Quads that are signed.
    unsigned = {key: value for key, value in certificate.credential.items() if key != "proof"}
    signed_text = signing.canonical_nquads(unsigned, contexts.document_loader())
    for path, value in leaves(unsigned):
        if path[0] != "@context":
            assert json.dumps(value).strip('"') in signed_text, path


def test_another_certificate_of_the_same_award_shares_the_achievement_id(
    certificate, award, other_learner
):
    other = services.issue_certificate(learner=other_learner, award=award)
    ours = certificate.credential["credentialSubject"]["achievement"]["id"]
    assert other.credential["credentialSubject"]["achievement"]["id"] == ours
    # Each has its own salt, so the two hashed e-mails cannot be linked.
    salts = {
        c.credential["credentialSubject"]["identifier"][1]["salt"] for c in (certificate, other)
    }
    assert len(salts) == 2


def test_the_credential_names_its_place_in_a_revocation_list(certificate):
    status = certificate.credential["credentialStatus"]
    entry = certificate.status_entry
    assert status == credentials.credential_status(certificate=certificate)
    assert status["statusListIndex"] == str(entry.index)
    assert status["statusPurpose"] == "revocation"
    assert "credentialStatus" not in credentials.build_credential(certificate, issuer="did:web:x")


def test_the_credential_never_changes_after_issue(certificate, award):
    before = certificate.credential
    award.title = "Renamed award"
    award.save()
    award.expectations.clear()
    again = Certificate.objects.get(pk=certificate.pk)
    assert credentials.signed_credential(again) == before


def test_a_certificate_from_before_credentials_is_signed_on_first_request_and_only_once(
    award, learner, monkeypatch
):
    certificate = CertificateFactory(award=award, learner=learner)
    assert certificate.credential is None
    signings = []
    original = credentials.sign
    monkeypatch.setattr(
        credentials, "sign", lambda *args, **kwargs: signings.append(1) or original(*args, **kwargs)
    )

    first = credentials.signed_credential(certificate)
    stale = Certificate.objects.get(pk=certificate.pk)
    stale.credential = None  # as a second request that read the row before the first signed
    second = credentials.signed_credential(stale)

    assert first == second == Certificate.objects.get(pk=certificate.pk).credential
    assert signings == [1]
    assert selectors.verify_credential(first).outcome == "valid"


def test_a_name_correction_signs_the_replacement_with_the_new_name(certificate, administrator):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="Priya Sharma-Jones", reason="Typo"
    )
    [name, _] = replacement.credential["credentialSubject"]["identifier"]
    assert name["identityHash"] == "Priya Sharma-Jones"
    assert replacement.credential["id"].endswith(f"/{replacement.display_code}/credential.json")
    assert replacement.credential["validFrom"] == certificate.credential["validFrom"]


# Keys ---------------------------------------------------------------------------------------------


def test_the_key_in_use_is_recorded_once_as_a_published_key(certificate, award, other_learner):
    services.issue_certificate(learner=other_learner, award=award)
    [key] = SigningKey.objects.all()
    assert key.retired_at is None
    assert key.public_key == certificate.credential["proof"]["verificationMethod"].split("#")[1]


def test_the_private_key_can_come_from_the_environment(settings, award, learner):
    key = signing.new_private_key()
    settings.ACADEMY_SIGNING_KEY = signing.private_multikey(key)
    settings.ACADEMY_SIGNING_KEY_FILE = ""
    certificate = services.issue_certificate(learner=learner, award=award)
    assert certificate.credential["proof"]["verificationMethod"].endswith(
        signing.public_multikey(key.public_key())
    )


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("ACADEMY_SIGNING_KEY", "not-a-key", "ACADEMY_SIGNING_KEY is not usable"),
        ("ACADEMY_SIGNING_KEY_FILE", "", "No signing key is configured"),
        ("ACADEMY_SIGNING_KEY_FILE", "/nonexistent/signing-key", "cannot be read"),
    ],
)
def test_an_unusable_key_is_named_in_plain_words(settings, setting, value, message):
    setattr(settings, setting, value)
    with pytest.raises(keys.SigningKeyError, match=message):
        keys.configured_private_key()


def test_a_key_file_that_is_not_a_key_is_refused(settings, tmp_path):
    path = tmp_path / "bad-key"
    path.write_text("-----BEGIN PRIVATE KEY-----\n")
    settings.ACADEMY_SIGNING_KEY_FILE = str(path)
    with pytest.raises(keys.SigningKeyError, match="is not usable"):
        keys.configured_private_key()


def test_development_makes_a_private_key_file_on_first_use(settings, tmp_path):
    path = tmp_path / "var" / "signing-key"
    settings.ACADEMY_SIGNING_KEY_FILE = str(path)
    settings.ACADEMY_SIGNING_KEY_CREATE = True
    key = keys.configured_private_key()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert signing.private_multikey(keys.configured_private_key()) == signing.private_multikey(key)


def test_issuing_without_a_usable_key_still_issues_and_signs_later(
    settings, award, learner, caplog, signing_key
):
    settings.ACADEMY_SIGNING_KEY_FILE = ""
    with caplog.at_level(logging.ERROR, logger="certificates.credentials"):
        certificate = services.issue_certificate(learner=learner, award=award)
    assert certificate.pk and certificate.credential is None
    assert "issued without its credential" in caplog.text

    settings.ACADEMY_SIGNING_KEY = signing.private_multikey(signing_key)
    assert selectors.verify_credential(credentials.signed_credential(certificate)).valid


# Issuers ------------------------------------------------------------------------------------------


@pytest.fixture
def did_web(settings):
    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    return "did:web:academy.example.org"


def test_in_production_the_issuer_is_the_sites_did_web(did_web, award, learner, signing_key):
    certificate = services.issue_certificate(learner=learner, award=award)
    multikey = signing.public_multikey(signing_key.public_key())
    assert certificate.credential["issuer"]["id"] == did_web
    assert certificate.credential["issuer"]["url"] == "https://academy.example.org/"
    assert certificate.credential["proof"]["verificationMethod"] == f"{did_web}#{multikey}"
    assert selectors.verify_credential(certificate.credential).valid


def test_after_a_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(
    did_web, settings, tmp_path, award, learner, other_learner
):
    old = services.issue_certificate(learner=learner, award=award)
    new_key, retired = keys.rotate_key(out=tmp_path / "new-key")
    settings.ACADEMY_SIGNING_KEY_FILE = str(tmp_path / "new-key")
    new = services.issue_certificate(learner=other_learner, award=award)

    assert [key.public_key for key in retired] == [
        old.credential["proof"]["verificationMethod"].split("#")[1]
    ]
    assert new.credential["proof"]["verificationMethod"] == f"{did_web}#{new_key.public_key}"
    assert selectors.verify_credential(old.credential).valid
    assert selectors.verify_credential(new.credential).valid
    document = keys.did_document()
    assert document["assertionMethod"] == [
        old.credential["proof"]["verificationMethod"],
        new.credential["proof"]["verificationMethod"],
    ]


def test_a_key_we_never_published_is_not_ours_even_under_our_did(did_web, certificate):
    stranger = signing.new_private_key()
    multikey = signing.public_multikey(stranger.public_key())
    assert keys.public_key_for(f"{did_web}#{multikey}") is None
    assert keys.public_key_for(f"did:key:{multikey}#{multikey}") is None
    ours = certificate.credential["proof"]["verificationMethod"]
    assert keys.public_key_for(ours) is not None
    assert keys.public_key_for("did:web:elsewhere.example#" + ours.split("#")[1]) is None
    assert keys.public_key_for(ours.split("#")[0]) is None


def test_credentials_are_checked_with_contexts_from_disk_only():
    loader = contexts.document_loader()
    assert loader(contexts.VC_V2)["document"]["@context"]["@protected"] is True
    assert "OpenBadgeCredential" in loader(contexts.OB_V3P0)["document"]["@context"]
    with pytest.raises(contexts.ContextsError, match="not one the Academy uses"):
        loader("https://www.w3.org/2018/credentials/v1")


def test_an_expired_certificate_keeps_its_credential(award, learner):
    issued = timezone.now() - timedelta(days=800)
    certificate = CertificateFactory(
        award=award, learner=learner, issued_at=issued, valid_until=issued + timedelta(days=365)
    )
    credential = credentials.signed_credential(certificate)
    assert credential["validUntil"] == signing.date_time_stamp(certificate.valid_until)
