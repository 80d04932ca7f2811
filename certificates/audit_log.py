"""How the certificates app's entries read in the admin's audit log (academy.audit)."""

from django.urls import reverse

from academy import audit

ACTIONS = {
    "certificate.issued": "Certificate issued",
    "certificate.renewed": "Certificate renewed",
    "certificate.revoked": "Certificate revoked",
    "certificate.suspended": "Certificate suspended",
    "certificate.reinstated": "Certificate reinstated",
    "certificate.superseded": "Certificate replaced by a corrected one",
    "certificate.bulk_issue_started": "Bulk issue started",
    "signing_key.created": "Signing key created",
    "signing_key.rotated": "Signing key rotated",
}


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "certificates.certificate",
        describe=lambda certificate: (
            f"Certificate {certificate.display_code}: {certificate.title_on_certificate}, "
            f"{certificate.name_on_certificate}"
        ),
        url=lambda certificate: reverse("certificate:inspect", args=[certificate.pk]),
    )
    audit.describe_target(
        "certificates.bulkissue",
        related=("award",),
        describe=lambda bulk: f"Bulk issue of {bulk.award.title}",
        url=lambda bulk: reverse("bulk_issue_progress", args=[bulk.pk]),
    )
    audit.describe_target(
        "certificates.signingkey",
        describe=lambda key: f"Signing key {key.short_form}",
        url=lambda key: reverse("signingkey:inspect", args=[key.pk]),
    )
