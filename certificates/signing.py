"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite, Ed25519 Multikeys, did:key, did:web.

Pure: no Django. The algorithms are those of W3C "Data Integrity EdDSA Cryptosuites v1.0"
(section 3.3, eddsa-rdfc-2022) on top of "Verifiable Credential Data Integrity 1.0":

- transformation: the document without its proof, canonicalised with RDFC-1.0 (pyld's
  URDNA2015, which RDFC-1.0 standardised unchanged) to N-Quads;
- proof configuration: the proof options without `proofValue`, with the document's `@context`,
  canonicalised the same way;
- hashing: SHA-256(canonical proof configuration) followed by SHA-256(canonical document);
- serialisation: an Ed25519 (pure EdDSA, RFC 8032) signature of those 64 bytes, written as
  multibase base58btc (`z...`) in `proofValue`.

Every JSON-LD operation takes the caller's document loader, so nothing here reaches the network.
"""

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from pyld import jsonld

from .errors import ContextsError, SigningError

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION_METHOD = "assertionMethod"
# Multicodec prefixes (unsigned varints): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"
# How far ahead of our clock a proof's `created` may be before we call it not yet made.
CLOCK_SKEW = timedelta(minutes=5)
_DATE_TIME_STAMP = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)

Loader = Callable[[str, dict], dict]


# Keys ---------------------------------------------------------------------------------------------


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _multibase(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def _from_multibase(value: str, prefix: bytes, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise SigningError(f"{what} must be multibase base58btc, starting with 'z'.")
    try:
        data = base58.b58decode(value[1:])
    except ValueError:
        raise SigningError(f"{what} is not valid base58btc.") from None
    if not data.startswith(prefix) or len(data) != len(prefix) + 32:
        raise SigningError(f"{what} is not an Ed25519 key.")
    return data[len(prefix) :]


def public_multikey(public_key: Ed25519PublicKey) -> str:
    """The Multikey `publicKeyMultibase` of an Ed25519 public key (`z6Mk...`)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _multibase(ED25519_PUBLIC_PREFIX + raw)


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(
        _from_multibase(value, ED25519_PUBLIC_PREFIX, "A public key")
    )


def private_multikey(private_key: Ed25519PrivateKey) -> str:
    """The Multikey `secretKeyMultibase` of an Ed25519 private key: the key file's contents."""
    seed = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _multibase(ED25519_PRIVATE_PREFIX + seed)


def private_key_from_multikey(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        _from_multibase(value.strip(), ED25519_PRIVATE_PREFIX, "The signing key")
    )


# DIDs ---------------------------------------------------------------------------------------------


def did_key(multikey: str) -> str:
    public_key_from_multikey(multikey)
    return f"did:key:{multikey}"


def verification_method(did: str, multikey: str) -> str:
    """The id of a key in a DID: `did:key:z6Mk...#z6Mk...` or `did:web:host#z6Mk...`."""
    return f"{did}#{multikey}"


def did_web(site_url: str) -> str:
    """The did:web for a site: host (a port as %3A), then any path segments joined by ':'.

    `https://academy.example.org` is `did:web:academy.example.org`, whose DID document is served
    at `/.well-known/did.json`; `https://example.org:8443/academy` is
    `did:web:example.org%3A8443:academy`, served at `/academy/did.json`.
    """
    parts = urlsplit(site_url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise SigningError(f"{site_url!r} is not a web address a did:web can name.")
    host = parts.hostname.lower()
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def did_document(did: str, multikeys: list[str]) -> dict:
    """A DID document publishing each key as a Multikey usable for assertions (signing)."""
    methods = [
        {
            "id": verification_method(did, multikey),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multikey,
        }
        for multikey in multikeys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def did_of(verification_method_id: str) -> str:
    """The DID (controller) part of a verification method id."""
    return verification_method_id.split("#", 1)[0]


# Proofs -------------------------------------------------------------------------------------------


def date_time_stamp(moment: datetime) -> str:
    """An XML Schema dateTimeStamp in UTC to the second, as Data Integrity examples write it."""
    if moment.tzinfo is None:
        raise SigningError("A proof's time must carry its time zone.")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date_time_stamp(value) -> datetime | None:
    """The moment an XML Schema dateTimeStamp names, or None when it is not one."""
    if not isinstance(value, str) or not _DATE_TIME_STAMP.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def canonical_nquads(document: dict, loader: Loader) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
    )


def hash_data(unsecured: dict, proof_config: dict, loader: Loader) -> bytes:
    proof_hash = hashlib.sha256(canonical_nquads(proof_config, loader).encode()).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured, loader).encode()).digest()
    return proof_hash + document_hash


def _proof_config(options: dict, context) -> dict:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise SigningError(f"The proof must be a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}.")
    if "created" in options and parse_date_time_stamp(options["created"]) is None:
        raise SigningError("The proof's created time is not an XML Schema dateTimeStamp.")
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = copy.deepcopy(context)
    return config


def sign(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    loader: Loader,
) -> dict:
    """A copy of the document with an eddsa-rdfc-2022 DataIntegrityProof for assertions."""
    if not isinstance(document, dict) or "@context" not in document:
        raise SigningError("Only a JSON-LD document with an @context can be signed.")
    if "proof" in document:
        raise SigningError("The document is already signed.")
    unsecured = copy.deepcopy(document)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": date_time_stamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": ASSERTION_METHOD,
    }
    data = hash_data(unsecured, _proof_config(proof, unsecured["@context"]), loader)
    proof["proofValue"] = _multibase(private_key.sign(data))
    return {**unsecured, "proof": proof}


@dataclass(frozen=True)
class ProofCheck:
    """What checking a document's proof found. `problem` is None when the proof holds.

    `verification_method` is set only once the proof's key was found to be one we trust, so a
    problem with it set means a document signed with our key was changed afterwards.
    """

    problem: str | None = None
    detail: str = ""
    verification_method: str | None = None
    created: datetime | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None

    # The problems, most basic first.
    NO_PROOF = "no_proof"
    MALFORMED = "malformed_proof"
    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_CONTEXT = "unknown_context"
    UNREADABLE = "unreadable"
    NOT_YET_MADE = "created_in_future"
    PROOF_EXPIRED = "proof_expired"
    BAD_SIGNATURE = "bad_signature"


def _refuse(problem: str, detail: str, **known) -> ProofCheck:
    return ProofCheck(problem=problem, detail=detail, **known)


def _context_error(exc: BaseException) -> BaseException | None:
    """The loader's refusal behind a pyld error, if that is what went wrong."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ContextsError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def verify(
    document,
    *,
    public_key_for: Callable[[str], Ed25519PublicKey | None],
    loader: Loader,
    now: datetime,
) -> ProofCheck:
    """Check a document's eddsa-rdfc-2022 proof for assertions; never raises for bad input.

    `public_key_for(verification_method)` returns the key we accept for that id, or None: only
    keys it returns are ever trusted, so a proof by anyone else is refused before any other
    check or any JSON-LD work is done.
    """
    if not isinstance(document, dict):
        return _refuse(ProofCheck.NO_PROOF, "The file is not a JSON object.")
    proof = document.get("proof")
    if proof is None:
        return _refuse(ProofCheck.NO_PROOF, "The credential has no proof (it is not signed).")
    if not isinstance(proof, dict):
        return _refuse(ProofCheck.MALFORMED, "The credential must have exactly one proof.")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return _refuse(ProofCheck.MALFORMED, "The proof names no verification method.")
    # Whose key comes first: everything after this concerns a proof made with a key we trust.
    public_key = public_key_for(method)
    if public_key is None:
        return _refuse(ProofCheck.UNKNOWN_KEY, f"The key {method} is not one we accept.")
    known = {"verification_method": method}
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _refuse(
            ProofCheck.MALFORMED,
            f"The proof is not a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}.",
            **known,
        )
    if proof.get("proofPurpose") != ASSERTION_METHOD:
        return _refuse(ProofCheck.MALFORMED, "The proof's purpose is not assertionMethod.", **known)
    created = None
    if "created" in proof:
        created = parse_date_time_stamp(proof["created"])
        if created is None:
            return _refuse(ProofCheck.MALFORMED, "The proof's created time is malformed.", **known)
        known["created"] = created
    proof_value = proof.get("proofValue")
    try:
        signature = base58.b58decode(proof_value[1:]) if proof_value[:1] == "z" else b""
    except (TypeError, ValueError):
        signature = b""
    if len(signature) != 64:
        return _refuse(
            ProofCheck.MALFORMED, "The proof value is not a base58btc Ed25519 signature.", **known
        )
    if created is not None and created > now + CLOCK_SKEW:
        return _refuse(ProofCheck.NOT_YET_MADE, "The proof is dated in the future.", **known)
    if "expires" in proof:
        expires = parse_date_time_stamp(proof["expires"])
        if expires is None or expires <= now:
            return _refuse(ProofCheck.PROOF_EXPIRED, "The proof has expired.", **known)

    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" in options:
        # The document's contexts must begin with the proof's, which then stand for them.
        proof_context = options["@context"]
        proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
        document_context = unsecured.get("@context")
        document_list = (
            document_context if isinstance(document_context, list) else [document_context]
        )
        if document_list[: len(proof_list)] != proof_list:
            return _refuse(
                ProofCheck.BAD_SIGNATURE,
                "The proof's @context does not match the credential's.",
                **known,
            )
        unsecured["@context"] = proof_context
    if "@context" not in unsecured:
        return _refuse(ProofCheck.UNREADABLE, "The credential has no @context.", **known)
    try:
        data = hash_data(unsecured, _proof_config(options, unsecured["@context"]), loader)
    except SigningError as exc:
        return _refuse(ProofCheck.MALFORMED, str(exc), **known)
    except jsonld.JsonLdError as exc:
        refusal = _context_error(exc)
        if refusal is not None:
            return _refuse(ProofCheck.UNKNOWN_CONTEXT, str(refusal), **known)
        return _refuse(ProofCheck.UNREADABLE, "The credential is not valid JSON-LD.", **known)
    except Exception:  # noqa: BLE001 - untrusted input can trip pyld in other ways too
        return _refuse(ProofCheck.UNREADABLE, "The credential cannot be read as JSON-LD.", **known)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return _refuse(
            ProofCheck.BAD_SIGNATURE, "The signature does not match the credential.", **known
        )
    return ProofCheck(**known)
