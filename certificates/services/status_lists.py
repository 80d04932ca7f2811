"""Status lists: each credential points at its place in a Bitstring Status List of revocations.

The lists are rebuilt from the certificates' states, so the database stays the one source of
truth. Open Badges 3.0 allows one `credentialStatus`, so suspension is not in a list: the verify
page, the credential check and `verify_credential` read it from the certificate
(docs/decisions.md).
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from academy.queueing import enqueue

from .. import credentials, keys
from .. import status_list as bitstrings
from ..models import Certificate, StatusList, StatusListEntry


def status_changed(certificate: Certificate) -> None:
    """Mark the certificate's status list for signing again, in the caller's transaction."""
    entry = StatusListEntry.objects.filter(certificate=certificate).first()
    if entry is None:
        return  # no credential names a place for it yet, so no list mentions it
    StatusList.objects.filter(pk=entry.status_list_id).update(changes=F("changes") + 1)
    transaction.on_commit(
        lambda: enqueue("certificates.tasks.publish_status_list", entry.status_list_id)
    )


@transaction.atomic
def publish_status_list(*, status_list: StatusList) -> StatusList:
    """Sign the list's status list credential again if a status on it changed since."""
    locked = StatusList.objects.select_for_update().get(pk=status_list.pk)
    if not locked.is_stale:
        return locked
    # A superseded certificate was replaced for good: to a wallet it is revoked.
    revoked = locked.entries.filter(
        Q(certificate__status=Certificate.Status.REVOKED)
        | Q(certificate__superseded_at__isnull=False)
    ).values_list("index", flat=True)
    now = timezone.now()
    url = locked.url
    signer = keys.signer()
    locked.credential = credentials.sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": signer.issuer,
            "validFrom": credentials.timestamp(now),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": bitstrings.encode(revoked, size=locked.size),
            },
        },
        signer=signer,
    )
    locked.published_changes = locked.changes
    locked.published_at = now
    locked.save(update_fields=["credential", "published_changes", "published_at"])
    return locked


def published_status_list(*, number: int) -> dict:
    """The signed status list credential as a wallet fetches it; signed again first if stale."""
    found = StatusList.objects.get(number=number)
    if found.is_stale:
        found = publish_status_list(status_list=found)
    return found.credential
