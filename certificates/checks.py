"""System checks for signing credentials, run by `manage.py check --deploy`."""

from django.core import checks
from django.db import DatabaseError
from django.http import JsonResponse

# Digital Bazaar's did:web resolver (@digitalbazaar/did-method-web) fetches at most this many
# bytes of a DID document by default, and fails to resolve a longer one.
DID_DOCUMENT_LIMIT = 8192


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs, **kwargs):
    from . import keys

    return [
        checks.Error(problem, hint="See docs/credentials.md.", id="certificates.E001")
        for problem in keys.configuration_problems()
    ]


@checks.register(checks.Tags.security, deploy=True)
def did_document_size(app_configs, **kwargs):
    from . import keys, signing

    if not keys.uses_did_web():
        return []
    try:
        document = keys.did_document()
    except DatabaseError:
        return []  # no table yet (before migrate) or no database to reach: nothing to measure
    except signing.SigningError:
        return []  # ACADEMY_SITE_URL names no did:web, so no document is served at all
    # Measured as the view serves it, since the limit is on the bytes a verifier downloads.
    size = len(JsonResponse(document).content)
    if size <= DID_DOCUMENT_LIMIT:
        return []
    count = len(document["verificationMethod"])
    return [
        checks.Warning(
            f"The DID document at /.well-known/did.json is {size:,} bytes and lists {count} "
            f"signing keys, over the {DID_DOCUMENT_LIMIT:,} bytes that some verifiers read "
            "(Digital Bazaar's did:web resolver among them). Those verifiers may fail to "
            f"resolve the issuer {document['id']} and then cannot verify any credential the "
            "Academy issued.",
            hint="Rotate the signing key less often (each key adds about 300 bytes), and never "
            "remove a retired key to make room: what it signed would stop verifying everywhere. "
            "See docs/credentials.md.",
            id="certificates.W001",
        )
    ]
