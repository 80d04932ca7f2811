"""The Academy's signing key, its published public keys and the issuer's DID.

The private key is read from ACADEMY_SIGNING_KEY (the Multikey `z3u2...` itself) or from the file
ACADEMY_SIGNING_KEY_FILE, each time it is needed, so nothing keeps it longer than one signing.
Public keys are rows of `SigningKey`; a retired key stays published so what it signed still
verifies. See docs/credentials.md.
"""

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import signing
from .errors import SigningKeyError
from .models import SigningKey

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signer:
    private_key: Ed25519PrivateKey
    key: SigningKey
    issuer: str
    verification_method: str


# The private key ----------------------------------------------------------------------------------


def write_key_file(path: Path, private_key: Ed25519PrivateKey) -> None:
    """Write a private key readable by its owner only; an existing file is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningKeyError(f"{path} already exists; it is never overwritten.") from None
    with os.fdopen(descriptor, "w") as handle:
        handle.write(signing.private_multikey(private_key) + "\n")


def configured_private_key() -> Ed25519PrivateKey:
    """The private key the settings point at (made first where ACADEMY_SIGNING_KEY_CREATE says)."""
    if settings.ACADEMY_SIGNING_KEY:
        try:
            return signing.private_key_from_multikey(settings.ACADEMY_SIGNING_KEY)
        except signing.SigningError as exc:
            raise SigningKeyError(f"ACADEMY_SIGNING_KEY is not usable: {exc}") from None
    if not settings.ACADEMY_SIGNING_KEY_FILE:
        raise SigningKeyError(
            "No signing key is configured: set ACADEMY_SIGNING_KEY_FILE to a key file made by "
            "`manage.py create_signing_key --out FILE`."
        )
    path = Path(settings.ACADEMY_SIGNING_KEY_FILE)
    if not path.exists() and settings.ACADEMY_SIGNING_KEY_CREATE:
        try:
            write_key_file(path, signing.new_private_key())
            logger.warning("Made a new signing key at %s for this machine.", path)
        except SigningKeyError:
            pass  # another process made it first: read theirs
    try:
        text = path.read_text()
    except OSError as exc:
        raise SigningKeyError(
            f"The signing key file {path} cannot be read ({exc.strerror})."
        ) from None
    try:
        return signing.private_key_from_multikey(text)
    except signing.SigningError as exc:
        raise SigningKeyError(f"The signing key file {path} is not usable: {exc}") from None


def register(public_key: Ed25519PublicKey) -> SigningKey:
    """The public key's row, recorded the first time the key is used or made."""
    multikey = signing.public_multikey(public_key)
    known = SigningKey.objects.filter(public_key=multikey).first()
    if known is not None:
        return known
    try:
        with transaction.atomic():
            key, _ = SigningKey.objects.get_or_create(public_key=multikey)
    except IntegrityError:
        key = SigningKey.objects.get(public_key=multikey)  # recorded by a concurrent request
    return key


def signer() -> Signer:
    """Everything needed to sign: the private key, its public key's row, issuer and method id."""
    private_key = configured_private_key()
    key = register(private_key.public_key())
    if key.retired_at is not None:
        # Between a rotation and the restart that loads the new key. Harmless, since retired
        # keys stay published, but the operator should finish the rotation.
        logger.warning("Signing with the retired key %s: load the current key.", key.public_key)
    issuer = issuer_did(key)
    return Signer(
        private_key=private_key,
        key=key,
        issuer=issuer,
        verification_method=signing.verification_method(issuer, key.public_key),
    )


# The issuer --------------------------------------------------------------------------------------


def uses_did_web() -> bool:
    return settings.ACADEMY_ISSUER_DID_METHOD == "web"


def web_did() -> str:
    return signing.did_web(settings.ACADEMY_SITE_URL)


def issuer_did(key: SigningKey) -> str:
    """did:web for the site in production; elsewhere the did:key of the key doing the signing."""
    return web_did() if uses_did_web() else signing.did_key(key.public_key)


def published_keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("created_at", "pk"))


def did_document() -> dict:
    """The did:web document: every key we ever signed with, current and retired."""
    return signing.did_document(web_did(), [key.public_key for key in published_keys()])


def public_key_for(method: str) -> Ed25519PublicKey | None:
    """The public key for a verification method id, only when it is one of ours.

    did:web ids must name our own did:web; did:key ids must be the did:key of one of our keys.
    Anything else (another issuer, a key we never published) is refused.
    """
    did, _, fragment = method.partition("#")
    if not fragment:
        return None
    if did.startswith("did:web:"):
        if did != web_did():
            return None
    elif did != f"did:key:{fragment}":
        return None
    if not SigningKey.objects.filter(public_key=fragment).exists():
        return None
    try:
        return signing.public_key_from_multikey(fragment)
    except signing.SigningError:
        return None


def is_our_issuer(issuer_id: str, method: str) -> bool:
    """Whether a credential's issuer is the DID that controls the key that signed it."""
    return isinstance(issuer_id, str) and issuer_id == signing.did_of(method)


# Making and rotating keys -------------------------------------------------------------------------


@transaction.atomic
def create_key(*, out: Path) -> SigningKey:
    """Make the first signing key: its private half in `out`, its public half recorded."""
    if SigningKey.objects.filter(retired_at__isnull=True).exists():
        raise SigningKeyError(
            "The Academy already has a signing key; use `manage.py rotate_signing_key` to "
            "replace it."
        )
    private_key = signing.new_private_key()
    key = register(private_key.public_key())
    write_key_file(out, private_key)
    return key


@transaction.atomic
def rotate_key(*, out: Path) -> tuple[SigningKey, list[SigningKey]]:
    """Make a new current key and retire the others, which stay published; returns both."""
    private_key = signing.new_private_key()
    now = timezone.now()
    retiring = list(SigningKey.objects.select_for_update().filter(retired_at__isnull=True))
    SigningKey.objects.filter(pk__in=[key.pk for key in retiring]).update(retired_at=now)
    key = register(private_key.public_key())
    write_key_file(out, private_key)
    return key, retiring


def configuration_problems() -> list[str]:
    """What stops signing in this configuration (for the deployment check)."""
    problems = []
    try:
        configured_private_key()
    except SigningKeyError as exc:
        problems.append(str(exc))
    if uses_did_web():
        site = urlsplit(settings.ACADEMY_SITE_URL)
        if site.scheme != "https":
            problems.append(
                f"ACADEMY_SITE_URL ({settings.ACADEMY_SITE_URL}) must be an https address: "
                "verifiers fetch the did:web document from it over HTTPS."
            )
        if site.path.strip("/"):
            problems.append(
                "ACADEMY_SITE_URL must be the root of its host: the did:web document is served "
                "at /.well-known/did.json."
            )
    return problems
