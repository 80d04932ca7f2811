"""Checking a credential file: signature, issuer, dates and the certificate's state, in words."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from certificates import contexts, credentials, keys, selectors, services, signing
from certificates.models import Certificate, SigningKey
from tests.certificates.factories import CertificateFactory
from tests.certificates.test_signing import leaves, replaced

pytestmark = pytest.mark.django_db


def day(moment) -> str:
    return format_date(timezone.localtime(moment), "j F Y")


def test_a_credential_we_issued_is_valid(certificate):
    result = selectors.verify_credential(certificate.credential)
    assert result.valid
    assert result.message == (
        "Valid: this credential was issued by the PHSO Academy and has not been changed."
    )
    assert result.certificate == certificate


def test_changing_any_field_makes_it_altered(certificate):
    """Every leaf of the signed credential, proof included, changed one at a time."""
    for path, value in leaves(certificate.credential):
        new = not value if isinstance(value, bool) else f"{value}x"
        result = selectors.verify_credential(replaced(certificate.credential, path, new))
        assert result.outcome == "altered", path
        assert result.message.startswith("Altered: ")


def test_adding_or_removing_a_field_makes_it_altered(certificate):
    added = copy.deepcopy(certificate.credential)
    added["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    removed = copy.deepcopy(certificate.credential)
    del removed["validUntil"]
    for document in (added, removed):
        assert selectors.verify_credential(document).outcome == "altered"


def test_a_change_the_signature_cannot_see_is_still_altered(certificate):
    # JSON-LD ignores a property named with a keyword-like "@" prefix, so the signature holds;
    # the stored credential is what shows the file is not the one we issued.
    document = copy.deepcopy(certificate.credential)
    document["credentialSubject"]["@note"] = "Passed with distinction"
    assert signing.verify(
        document,
        public_key_for=lambda method: signing.public_key_from_multikey(method.split("#")[1]),
        loader=contexts.document_loader(),
        now=timezone.now(),
    ).valid
    assert selectors.verify_credential(document).outcome == "altered"


def signed_by_a_stranger(document: dict, *, as_issuer: bool = False) -> dict:
    """The document signed now with a new key that is not ours, named by its did:key; with
    `as_issuer`, that did:key is also the credential's issuer."""
    stranger = signing.new_private_key()
    multikey = signing.public_multikey(stranger.public_key())
    if as_issuer:
        document = {**document, "issuer": {**document["issuer"], "id": f"did:key:{multikey}"}}
    return signing.sign(
        document,
        private_key=stranger,
        verification_method=f"did:key:{multikey}#{multikey}",
        created=timezone.now(),
        loader=contexts.document_loader(),
    )


def test_a_credential_signed_with_another_key_is_not_issued_by_the_academy(certificate):
    forged = {key: value for key, value in certificate.credential.items() if key != "proof"}
    forged["id"] = "https://elsewhere.example/badges/1"
    forged = signed_by_a_stranger(forged, as_issuer=True)
    result = selectors.verify_credential(forged)
    assert result.outcome == "not_ours"
    assert result.message.startswith("Not issued by the PHSO Academy")
    assert result.certificate is None


def test_an_unsigned_credential_is_not_issued_by_the_academy(certificate):
    unsigned = {key: value for key, value in certificate.credential.items() if key != "proof"}
    unsigned["id"] = "https://elsewhere.example/credentials/1"
    result = selectors.verify_credential(unsigned)
    assert result.outcome == "not_ours"
    assert result.detail == "It does not name a certificate the Academy issued."


def test_a_copy_of_ours_with_its_proof_removed_or_replaced_is_altered(certificate):
    unsigned = {key: value for key, value in certificate.credential.items() if key != "proof"}
    assert selectors.verify_credential(unsigned).outcome == "altered"
    resigned = signed_by_a_stranger({**unsigned, "name": "Investigating complaints"})
    result = selectors.verify_credential(resigned)
    assert result.outcome == "altered"
    assert result.certificate is None


def test_a_strangers_file_is_never_canonicalised(certificate, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("canonicalised a file that is not ours")

    monkeypatch.setattr(signing, "canonical_nquads", refuse)
    named = {**certificate.credential, "name": "x" * 1000}
    renamed = {**named, "id": "urn:uuid:9f4c1b0e-0000-4000-8000-000000000000"}
    stranger = signing.public_multikey(signing.new_private_key().public_key())
    theirs = {
        **renamed,
        "proof": {**named["proof"], "verificationMethod": f"did:key:{stranger}#{stranger}"},
    }
    assert selectors.verify_credential(named).outcome == "altered"
    assert selectors.verify_credential(renamed).outcome == "altered"  # it claims our key
    assert selectors.verify_credential(theirs).outcome == "not_ours"


def test_our_credential_no_longer_holds_up_once_its_key_is_not_published(certificate):
    # Keys are never deleted (the certificates they signed protect them); this one never was.
    Certificate.objects.update(signing_key=None)
    SigningKey.objects.all().delete()
    result = selectors.verify_credential(certificate.credential)
    assert result.outcome == "altered"
    assert "is not one we accept" in result.detail


def test_a_revoked_certificate_says_when_and_why(certificate, administrator):
    services.revoke(
        certificate=certificate, by=administrator, reason="Fraud", public_reason="Issued in error"
    )
    result = selectors.verify_credential(certificate.credential)
    assert result.outcome == "revoked"
    assert result.message.startswith(f"Revoked on {day(certificate.status_changed_at)}: ")
    assert result.reason == "Issued in error"
    assert not result.valid


def test_a_suspended_certificate_is_not_valid(certificate, administrator):
    services.suspend(
        certificate=certificate, by=administrator, reason="Checking", public_reason="Under review"
    )
    result = selectors.verify_credential(certificate.credential)
    assert result.outcome == "suspended"
    assert result.message.startswith("Suspended: ")
    assert result.reason == "Under review"


def test_a_superseded_certificate_names_its_replacement(certificate, administrator):
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="Priya Sharma-Jones", reason="Typo"
    )
    result = selectors.verify_credential(certificate.credential)
    assert result.outcome == "superseded"
    assert result.message.startswith(f"Superseded by {replacement.display_code}: ")
    assert selectors.verify_credential(replacement.credential).valid


def test_an_expired_certificate_says_when_it_expired(award, learner):
    issued = timezone.now() - timedelta(days=800)
    certificate = CertificateFactory(
        award=award, learner=learner, issued_at=issued, valid_until=issued + timedelta(days=365)
    )
    result = selectors.verify_credential(credentials.signed_credential(certificate))
    assert result.outcome == "expired"
    assert result.message.startswith(f"Expired on {day(certificate.valid_until)}: ")


def test_expiry_follows_the_clock_it_is_checked_by(certificate):
    later = certificate.valid_until + timedelta(minutes=1)
    assert selectors.verify_credential(certificate.credential, now=later).outcome == "expired"


def test_a_certificate_dated_in_the_future_is_not_yet_valid(award, learner):
    certificate = CertificateFactory(
        award=award, learner=learner, issued_at=timezone.now() + timedelta(days=2)
    )
    result = selectors.verify_credential(credentials.signed_credential(certificate))
    assert result.outcome == "not_yet_valid"
    assert result.message == (
        f"Not yet valid: this certificate is valid from {day(certificate.issued_at)}."
    )


def test_checking_takes_a_fixed_number_of_queries(
    certificate, award, django_assert_max_num_queries
):
    """Two queries for the first certificate and key, and the same with forty certificates and
    five more published keys."""
    with django_assert_max_num_queries(2) as one:
        assert selectors.verify_credential(certificate.credential).valid
    CertificateFactory.create_batch(40, award=award)
    for _ in range(5):
        keys.register(signing.new_private_key().public_key())
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert selectors.verify_credential(certificate.credential).valid
