"""A certificate as a signed Open Badges 3.0 `OpenBadgeCredential` (W3C VC Data Model 2.0).

The credential is built from what the certificate copied at issue, signed once with an
eddsa-rdfc-2022 Data Integrity proof and stored on the certificate, so the file a learner
downloads today is the one they downloaded on the day of issue. See docs/credentials.md.
"""

import hashlib
import logging
import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accreditation import selectors as accreditation_selectors

from . import contexts, keys, signing
from .errors import CredentialError
from .models import Award, Certificate, StatusList, StatusListEntry

logger = logging.getLogger(__name__)

# Open Badges' AchievementType vocabulary.
ACHIEVEMENT_TYPES = {
    Award.Kind.COURSE_COMPLETION: "CertificateOfCompletion",
    Award.Kind.WEBINAR_ATTENDANCE: "CertificateOfCompletion",
    Award.Kind.ACCREDITATION: "Certification",
}
CRITERIA = {
    Award.Kind.COURSE_COMPLETION: "Awarded for completing the course {title} at the PHSO "
    "Academy: every lesson, and the course's final assessment where it has one.",
    Award.Kind.WEBINAR_ATTENDANCE: "Awarded for attending the webinar {title} run by the PHSO "
    "Academy.",
    Award.Kind.ACCREDITATION: "Awarded for meeting the PHSO Academy's requirements for "
    "accreditation in {title}: the required learning, assessed work marked by PHSO assessors, "
    "and continuing professional development.",
}


def timestamp(moment: datetime) -> str:
    """A date and time as credentials write it: UTC, to the second, with a Z."""
    return signing.date_time_stamp(moment)


def sign(document: dict, *, signer: keys.Signer | None = None) -> dict:
    """Sign any JSON-LD document as the Academy, now, with the key in use."""
    signer = signer or keys.signer()
    return signing.sign(
        document,
        private_key=signer.private_key,
        verification_method=signer.verification_method,
        created=timezone.now(),
        loader=contexts.document_loader(),
    )


def credential_url(certificate: Certificate) -> str:
    """The credential's id: the address it is downloaded from."""
    return settings.ACADEMY_SITE_URL + reverse(
        "certificates:credential", args=[certificate.display_code]
    )


def _achievement_id(award: Award) -> str:
    # A name for the award that survives a change of domain: a UUID derived from its key.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:phso-academy:award:{award.pk}").urn


def name_identity(name: str) -> dict:
    """An IdentityObject for the name on the certificate, unhashed: Open Badges has no name on
    the subject itself."""
    return {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": name,
    }


def _hashed_email(email: str) -> dict:
    """An IdentityObject for the learner's e-mail: SHA-256 of the address and a random salt.

    Someone who knows the address can confirm it belongs to the learner; nobody can read it.
    """
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def _alignments(award: Award) -> list[dict]:
    expectations = award.expectations.select_related("principle__framework").order_by(
        "principle__framework__name", "principle__number", "number"
    )
    alignments = []
    for expectation in expectations:
        framework = expectation.principle.framework
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": expectation.text,
                "targetCode": expectation.code,
                "targetFramework": str(framework),
                "targetUrl": settings.ACADEMY_SITE_URL + expectation.get_absolute_url(),
            }
        )
    if award.programme_id:
        alignments += _competency_alignments(award.programme)
    return alignments


def _competency_alignments(programme) -> list[dict]:
    """The competencies an accreditation was assessed against, each linked to where the
    programme's page describes it."""
    page = settings.ACADEMY_SITE_URL + reverse("accreditation:programme", args=[programme.slug])
    return [
        {
            "type": ["Alignment"],
            "targetType": "ceasn:Competency",
            "targetName": competency.name,
            "targetDescription": competency.description,
            "targetFramework": "PHSO Academy competency framework for complaint handling",
            "targetUrl": f"{page}#{competency.anchor}",
        }
        for competency in accreditation_selectors.competencies_of(programme=programme)
    ]


# Status: each credential's place in a revocation list (services publishes the lists).

# Tries at a random free place before giving up; a list is closed when half full, so each try
# succeeds at least half the time.
_PLACE_TRIES = 30


def status_entry(*, certificate: Certificate) -> StatusListEntry:
    """The certificate's place in a status list, given the first time its credential is signed."""
    existing = StatusListEntry.objects.select_related("status_list").filter(certificate=certificate)
    if existing:
        return existing[0]
    for _ in range(_PLACE_TRIES):
        open_list = _open_status_list()
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(
                    certificate=certificate,
                    status_list=open_list,
                    index=secrets.randbelow(open_list.size),
                )
        except IntegrityError:
            # The place was taken, or a concurrent signing gave this certificate its place.
            taken = StatusListEntry.objects.filter(certificate=certificate).first()
            if taken:
                return taken
    raise CredentialError("No free place was found in the status list; try again.")


def _open_status_list() -> StatusList:
    newest = StatusList.objects.order_by("-number").first()
    if newest is not None and newest.entries.count() < newest.size // 2:
        return newest
    try:
        with transaction.atomic():
            return StatusList.objects.create(number=newest.number + 1 if newest else 1)
    except IntegrityError:
        return StatusList.objects.order_by("-number").first()


def credential_status(*, certificate: Certificate) -> dict:
    """The `credentialStatus` of the certificate's credential: its place in a revocation list."""
    entry = status_entry(certificate=certificate)
    url = entry.status_list.url
    return {
        "id": f"{url}#{entry.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(entry.index),
        "statusListCredential": url,
    }


def build_credential(certificate: Certificate, *, issuer: str, status: dict | None = None) -> dict:
    """The unsigned credential for a certificate.

    `status` is its `credentialStatus` (its place in a status list), left out when None.
    """
    award = certificate.award
    achievement = {
        "id": _achievement_id(award),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[award.kind],
        "name": certificate.title_on_certificate,
        "description": certificate.wording_on_certificate or certificate.title_on_certificate,
        "criteria": {
            "narrative": CRITERIA[award.kind].format(title=certificate.title_on_certificate)
        },
    }
    alignments = _alignments(award)
    if alignments:
        achievement["alignment"] = alignments
    credential = {
        "@context": [contexts.VC_V2, contexts.OB_V3P0],
        "id": credential_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title_on_certificate,
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": settings.ACADEMY_ISSUER_NAME,
            "url": settings.ACADEMY_SITE_URL + "/",
        },
        "validFrom": timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                name_identity(certificate.name_on_certificate),
                _hashed_email(certificate.learner.email),
            ],
            "achievement": achievement,
        },
    }
    if certificate.valid_until is not None:
        credential["validUntil"] = timestamp(certificate.valid_until)
    if status is not None:
        credential["credentialStatus"] = status
    return credential


def _sign_certificate(certificate: Certificate) -> None:
    """Set the certificate's signed credential and the key that signed it (not saved)."""
    signer = keys.signer()
    certificate.credential = sign(
        build_credential(
            certificate, issuer=signer.issuer, status=credential_status(certificate=certificate)
        ),
        signer=signer,
    )
    certificate.signing_key = signer.key


def sign_at_issue(certificate: Certificate) -> None:
    """Sign a certificate just issued, in the issuing transaction.

    A signing key that cannot be read must not stop a learner getting their certificate: the
    failure is logged and the credential is signed when it is first asked for instead.
    """
    try:
        _sign_certificate(certificate)
    except (keys.SigningKeyError, CredentialError):
        logger.exception("Certificate %s was issued without its credential.", certificate.code)
        return
    Certificate.objects.filter(pk=certificate.pk).update(
        credential=certificate.credential, signing_key=certificate.signing_key
    )


def signed_credential(certificate: Certificate) -> dict:
    """The certificate's signed credential, signing it now if it has none yet (idempotent).

    Signing happens under the certificate's row lock, so two requests for a certificate issued
    before credentials existed sign it once between them.
    """
    if certificate.credential is not None:
        return certificate.credential
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update()
            .select_related("award", "learner")
            .get(pk=certificate.pk)
        )
        if locked.credential is None:
            _sign_certificate(locked)
            locked.save(update_fields=["credential", "signing_key"])
    certificate.credential, certificate.signing_key = locked.credential, locked.signing_key
    return certificate.credential
