"""eddsa-rdfc-2022 Data Integrity proofs, Multikeys and DIDs (certificates/signing.py, no Django).

The W3C test vector proves interoperability: the spec's own key and document give the spec's
own proofValue, byte for byte.
"""

import copy
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import contexts, credentials, signing
from certificates.signing import ProofCheck

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

# "Data Integrity EdDSA Cryptosuites v1.0", TestVectors/keyPair.json and eddsa-rdfc-2022/.
VECTOR_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_METHOD = f"https://vc.example/issuers/5678#{VECTOR_PUBLIC_KEY}"
VECTOR_CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
VECTOR_HASH_DATA = (
    "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
    "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
)
VECTOR_PROOF_VALUE = (
    "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
)
VECTOR_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": VECTOR_METHOD,
    "proofPurpose": "assertionMethod",
    "proofValue": VECTOR_PROOF_VALUE,
}
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


def vector_document() -> dict:
    return {
        "@context": [contexts.VC_V2, EXAMPLES_CONTEXT],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "description": "A minimum viable example of an Alumni Credential.",
        "issuer": "https://vc.example/issuers/5678",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": "The School of Examples",
        },
    }


@pytest.fixture(scope="module")
def vector_loader():
    # The whole of the W3C examples context, which the vector's document names: one @vocab.
    examples = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
    return contexts.document_loader({EXAMPLES_CONTEXT: examples})


@pytest.fixture(scope="module")
def loader():
    return contexts.document_loader()


def test_the_w3c_test_vector_gives_the_published_proof_value(vector_loader):
    key = signing.private_key_from_multikey(VECTOR_PRIVATE_KEY)
    assert signing.public_multikey(key.public_key()) == VECTOR_PUBLIC_KEY

    signed = signing.sign(
        vector_document(),
        private_key=key,
        verification_method=VECTOR_METHOD,
        created=VECTOR_CREATED,
        loader=vector_loader,
    )

    assert signed["proof"] == VECTOR_PROOF
    config = signing._proof_config(signed["proof"], signed["@context"])
    assert signing.hash_data(vector_document(), config, vector_loader).hex() == VECTOR_HASH_DATA


def test_the_w3c_signed_vector_verifies_and_fails_once_changed(vector_loader):
    signed = {**vector_document(), "proof": dict(VECTOR_PROOF)}
    public_key = signing.public_key_from_multikey(VECTOR_PUBLIC_KEY)

    def keys(method):
        return public_key if method == VECTOR_METHOD else None

    check = signing.verify(signed, public_key_for=keys, loader=vector_loader, now=NOW)
    assert check.valid
    assert check.created == VECTOR_CREATED

    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    check = signing.verify(signed, public_key_for=keys, loader=vector_loader, now=NOW)
    assert check.problem == ProofCheck.BAD_SIGNATURE


# Keys and DIDs ------------------------------------------------------------------------------------


def test_multikeys_round_trip_and_refuse_anything_but_ed25519():
    key = signing.new_private_key()
    public = signing.public_multikey(key.public_key())
    assert public.startswith("z6Mk")
    assert signing.public_multikey(signing.public_key_from_multikey(public)) == public
    secret = signing.private_multikey(key)
    assert secret.startswith("z3u2")
    assert signing.private_multikey(signing.private_key_from_multikey(secret + "\n")) == secret

    with pytest.raises(signing.SigningError, match="not an Ed25519 key"):
        signing.public_key_from_multikey(secret)  # a private key where a public one belongs
    with pytest.raises(signing.SigningError, match="starting with 'z'"):
        signing.public_key_from_multikey("u" + public[1:])
    with pytest.raises(signing.SigningError, match="not valid base58btc"):
        signing.private_key_from_multikey("z0OIl")


def test_did_key_and_its_verification_method():
    assert signing.did_key(VECTOR_PUBLIC_KEY) == f"did:key:{VECTOR_PUBLIC_KEY}"
    assert (
        signing.verification_method(signing.did_key(VECTOR_PUBLIC_KEY), VECTOR_PUBLIC_KEY)
        == f"did:key:{VECTOR_PUBLIC_KEY}#{VECTOR_PUBLIC_KEY}"
    )
    with pytest.raises(signing.SigningError):
        signing.did_key("z6MkNotAKey")


@pytest.mark.parametrize(
    ("site", "did"),
    [
        ("https://academy.example.org", "did:web:academy.example.org"),
        ("https://Academy.Example.org/", "did:web:academy.example.org"),
        ("https://localhost:8443", "did:web:localhost%3A8443"),
        ("https://example.org:8443/phso/academy", "did:web:example.org%3A8443:phso:academy"),
    ],
)
def test_did_web_puts_the_port_as_percent_3a_and_path_segments_after_colons(site, did):
    assert signing.did_web(site) == did


def test_did_web_needs_a_web_address():
    with pytest.raises(signing.SigningError):
        signing.did_web("ftp://example.org")


def test_the_did_document_lists_every_key_for_assertions():
    other = signing.public_multikey(signing.new_private_key().public_key())
    did = "did:web:academy.example.org"
    document = signing.did_document(did, [VECTOR_PUBLIC_KEY, other])
    assert document["id"] == did
    assert document["verificationMethod"][1] == {
        "id": f"{did}#{other}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": other,
    }
    assert document["assertionMethod"] == [f"{did}#{VECTOR_PUBLIC_KEY}", f"{did}#{other}"]


# Checking proofs ----------------------------------------------------------------------------------

KEY = signing.new_private_key()
METHOD = signing.verification_method(
    signing.did_key(signing.public_multikey(KEY.public_key())),
    signing.public_multikey(KEY.public_key()),
)


def ours(method):
    return KEY.public_key() if method == METHOD else None


def badge(name="Welcoming complaints", learner="Priya Sharma", description="Completed.") -> dict:
    """A small Open Badges credential with the contexts ours use."""
    issuer = signing.did_of(METHOD)
    return {
        "@context": [contexts.VC_V2, contexts.OB_V3P0],
        "id": "https://academy.example.org/verify/ABCDE/credential.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer, "type": ["Profile"], "name": "PHSO Academy"},
        "validFrom": "2026-01-05T09:30:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [credentials.name_identity(learner)],
            "achievement": {
                "id": "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
                "type": ["Achievement"],
                "name": name,
                "description": description,
                "criteria": {"narrative": "Every lesson and the final assessment."},
            },
        },
    }


def sign(document, loader, created=NOW):
    return signing.sign(
        document, private_key=KEY, verification_method=METHOD, created=created, loader=loader
    )


def check(document, loader, now=NOW):
    return signing.verify(document, public_key_for=ours, loader=loader, now=now)


@pytest.fixture(scope="module")
def signed_badge(loader):
    return sign(badge(), loader)


def test_a_signed_credential_verifies_and_names_its_key(signed_badge, loader):
    result = check(signed_badge, loader)
    assert result.valid
    assert result.verification_method == METHOD
    assert signed_badge["proof"]["created"] == "2026-06-01T12:00:00Z"
    assert signed_badge["proof"]["proofValue"].startswith("z")


def test_signing_twice_is_refused_and_the_input_is_left_alone(signed_badge, loader):
    with pytest.raises(signing.SigningError, match="already signed"):
        sign(signed_badge, loader)
    unsigned = badge()
    sign(unsigned, loader)
    assert "proof" not in unsigned


def changed(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "problem", "key_known"),
    [
        (lambda d: d.pop("proof"), ProofCheck.NO_PROOF, False),
        (lambda d: d.update(proof=[d["proof"]]), ProofCheck.MALFORMED, False),
        (lambda d: d["proof"].pop("verificationMethod"), ProofCheck.MALFORMED, False),
        (
            lambda d: d["proof"].update(verificationMethod="did:key:z6Mkx#z6Mkx"),
            ProofCheck.UNKNOWN_KEY,
            False,
        ),
        (lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"), ProofCheck.MALFORMED, True),
        (lambda d: d["proof"].update(type="Ed25519Signature2020"), ProofCheck.MALFORMED, True),
        (lambda d: d["proof"].update(proofPurpose="authentication"), ProofCheck.MALFORMED, True),
        (lambda d: d["proof"].update(created="yesterday"), ProofCheck.MALFORMED, True),
        (lambda d: d["proof"].update(proofValue="u" + "A" * 86), ProofCheck.MALFORMED, True),
        (lambda d: d["proof"].update(proofValue="z3"), ProofCheck.MALFORMED, True),
        (
            lambda d: d["proof"].update(created="2026-06-01T13:00:00Z"),
            ProofCheck.NOT_YET_MADE,
            True,
        ),
        (
            lambda d: d["proof"].update(expires="2026-05-01T00:00:00Z"),
            ProofCheck.PROOF_EXPIRED,
            True,
        ),
        (
            lambda d: d["@context"].append("https://evil.example/context.jsonld"),
            ProofCheck.UNKNOWN_CONTEXT,
            True,
        ),
        (lambda d: d.pop("@context"), ProofCheck.UNREADABLE, True),
        (lambda d: d.update(name="Investigating complaints"), ProofCheck.BAD_SIGNATURE, True),
        (lambda d: d.update(validUntil="2027-01-01T00:00:00Z"), ProofCheck.BAD_SIGNATURE, True),
    ],
)
def test_each_way_a_proof_can_fail_is_named(signed_badge, loader, change, problem, key_known):
    result = check(changed(signed_badge, change), loader)
    assert result.problem == problem
    assert (result.verification_method is not None) == bool(key_known)
    assert result.detail


def test_a_context_we_do_not_hold_is_refused_without_going_online(signed_badge, loader):
    document = changed(signed_badge, lambda d: d["@context"].append("https://evil.example/x"))
    result = check(document, loader)
    assert "https://evil.example/x is not one the Academy uses" in result.detail


def test_anything_that_is_not_a_credential_is_refused_not_raised(loader):
    for document in (None, [], "text", 3, {"proof": "z"}, {"proof": {"verificationMethod": 4}}):
        assert not check(document, loader).valid


def test_the_proof_context_must_begin_the_documents(signed_badge, loader):
    with_context = changed(
        signed_badge, lambda d: d["proof"].update({"@context": [contexts.OB_V3P0]})
    )
    assert check(with_context, loader).problem == ProofCheck.BAD_SIGNATURE


def test_a_proof_made_a_minute_ahead_of_our_clock_is_allowed(loader):
    result = check(sign(badge(), loader, created=NOW + timedelta(minutes=1)), loader)
    assert result.valid


# Properties ---------------------------------------------------------------------------------------

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=words, learner=words, description=words)
def test_signing_then_verifying_always_holds(loader, name, learner, description):
    assert check(sign(badge(name, learner, description), loader), loader).valid


def leaves(value, path=()):
    """Every (path, value) of a JSON document's strings, numbers and booleans."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def replaced(document, path, new):
    document = copy.deepcopy(document)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return document


SIGNED = sign(badge(), contexts.document_loader())
LEAVES = list(leaves(SIGNED))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    leaf=st.sampled_from(LEAVES),
    new=st.one_of(words, st.integers(), st.booleans(), st.none()),
)
def test_changing_any_leaf_of_a_signed_credential_fails_verification(loader, leaf, new):
    path, old = leaf
    if new == old and type(new) is type(old):
        new = f"{old}!"
    assert not check(replaced(SIGNED, path, new), loader).valid
