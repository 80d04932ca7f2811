"""Our signed credentials checked by code that is not ours.

Digital Bazaar's verifiable credential libraries (run with Node by tests/interop/verify.mjs) verify
the proof, and 1EdTech's Open Badges 3.0 JSON schema checks the shape. Set up with
`npm ci --prefix tests/interop`; without it these tests skip on a developer machine and fail in CI.
"""

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from certificates import services
from certificates.credentials import signed_credential
from certificates.models import Certificate
from tests.certificates.factories import AwardFactory
from tests.requirements import unavailable

pytestmark = [pytest.mark.interop, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT / "tests" / "interop"
SET_UP = "run `npm ci --prefix tests/interop`"

# 1EdTech publishes the schema only on its own site, which CI cannot reach. The openbadgeslib
# source archive on PyPI carries a verbatim copy among its test fixtures; pip fetches it and both
# the archive and the schema are pinned by hash, so a different copy fails instead of passing.
SCHEMA_PACKAGE = "openbadgeslib==4.6.3"
SCHEMA_PACKAGE_SHA256 = "aec21bf41b223ae3fcd196aa92972e3d3a6b12048f4929b2ceedd5fc54ea1eaf"
SCHEMA_IN_PACKAGE = (
    "openbadgeslib-4.6.3/tests/fixtures/ob_schemas/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_SHA256 = "b7358e895f492e74055dc6bfc7ffc420d0e497f90c4579fb83d9519b86d393ea"
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_FILE = ROOT / "var" / "interop" / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture(scope="session")
def node() -> str:
    node = shutil.which("node")
    if node is None:
        unavailable("Interop", f"Node.js is not installed: install it, then {SET_UP}")
    if not (INTEROP / "node_modules").is_dir():
        unavailable("Interop", f"tests/interop/node_modules is missing: {SET_UP}")
    return node


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download_schema() -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        requirements = Path(scratch) / "requirements.txt"
        requirements.write_text(f"{SCHEMA_PACKAGE} --hash=sha256:{SCHEMA_PACKAGE_SHA256}\n")
        command = [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
            *("--no-binary", ":all:", "--require-hashes", "-r", str(requirements)),
            *("--dest", scratch),
        ]
        fetched = subprocess.run(command, capture_output=True, text=True, timeout=300)  # noqa: S603
        if fetched.returncode:
            unavailable(
                "Interop",
                f"pip could not fetch the schema's package {SCHEMA_PACKAGE}: "
                f"{fetched.stderr.strip()}",
            )
        [archive] = Path(scratch).glob("*.tar.gz")
        with tarfile.open(archive) as sdist:
            return sdist.extractfile(SCHEMA_IN_PACKAGE).read()


@pytest.fixture(scope="session")
def achievement_credential_schema() -> Draft201909Validator:
    """1EdTech's AchievementCredential schema, fetched once and kept in var/interop/."""
    if SCHEMA_FILE.exists() and _sha256(SCHEMA_FILE.read_bytes()) == SCHEMA_SHA256:
        text = SCHEMA_FILE.read_bytes()
    else:
        text = _download_schema()
        assert _sha256(text) == SCHEMA_SHA256, f"{SCHEMA_IN_PACKAGE} is not the pinned schema"
        SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
        # Parallel test workers may fetch at once; each replaces the file whole.
        partial = SCHEMA_FILE.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(text)
        partial.replace(SCHEMA_FILE)
    schema = json.loads(text)
    assert schema["$id"] == SCHEMA_ID
    Draft201909Validator.check_schema(schema)
    # Without rfc3339-validator jsonschema silently stops checking "date-time"; make sure it can.
    assert "date-time" in FormatChecker().checkers
    return Draft201909Validator(schema, format_checker=FormatChecker())


def verify(node: str, folder: Path, credential: dict, *options: str) -> dict:
    """Write the credential to a file and run the independent verifier on it; its outcome."""
    path = folder / "credential.json"
    path.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(  # noqa: S603
        [node, str(INTEROP / "verify.mjs"), *options, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1), f"verify.mjs failed ({run.returncode}):\n{run.stderr}"
    [outcome] = [json.loads(line) for line in run.stdout.splitlines()]
    return outcome


def download(client, url: str, folder: Path, name: str) -> Path:
    """Fetch one of our published documents as a verifier would, into a file."""
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    path = folder / f"{name}.json"
    path.write_bytes(response.content)
    return path


@pytest.fixture
def certificate(course, learner):
    """A certificate for a course award valid for three years."""
    award = AwardFactory(course=course, validity_unit="years", validity_length=3)
    return services.issue_certificate(learner=learner, award=award)


@pytest.fixture
def credential(certificate) -> dict:
    """The certificate's signed credential, as the learner downloads it."""
    return signed_credential(certificate)


def test_an_independent_verifier_accepts_our_credential(node, credential, tmp_path):
    outcome = verify(node, tmp_path, credential)

    assert outcome["verified"] is True, outcome["errors"]
    assert outcome["errors"] == []


def test_an_independent_verifier_finds_our_credential_expired_after_valid_until(
    node, certificate, credential, tmp_path
):
    after = (certificate.valid_until + timedelta(days=1)).isoformat()

    outcome = verify(node, tmp_path, credential, "--now", after)

    assert outcome["verified"] is False
    assert f'after "validUntil" ({credential["validUntil"]}).' in " ".join(outcome["errors"])


def test_an_independent_verifier_accepts_our_did_web_credential(
    node, settings, course, learner, client, tmp_path
):
    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    award = AwardFactory(course=course)
    credential = signed_credential(services.issue_certificate(learner=learner, award=award))
    assert credential["issuer"]["id"] == "did:web:academy.example.org"
    did_document = download(client, "/.well-known/did.json", tmp_path, "did")

    outcome = verify(node, tmp_path, credential, "--did-document", str(did_document))

    assert outcome["verified"] is True, outcome["errors"]


def _status(node, client, credential, folder) -> dict[str, bool]:
    """Whether each of the credential's status bits is set, read from our published lists."""
    entries = credential["credentialStatus"]
    # VC 2.0 allows one entry or a list of them; Open Badges' schema allows only one.
    entries = entries if isinstance(entries, list) else [entries]
    options = []
    lists = sorted({entry["statusListCredential"] for entry in entries})
    for number, url in enumerate(lists):
        options += ["--status-list", str(download(client, url, folder, f"list-{number}"))]
    outcome = verify(node, folder, credential, *options)
    assert outcome["verified"] is True, outcome["errors"]
    return {entry["statusPurpose"]: entry["set"] for entry in outcome["status"]}


def test_an_independent_verifier_reads_a_revocation_from_our_status_list(
    node,
    client,
    certificate,
    credential,
    administrator,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    before = _status(node, client, credential, tmp_path)
    assert "revocation" in before
    assert not any(before.values())

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(
            certificate=certificate,
            by=administrator,
            reason="Issued to the wrong person",
            public_reason="Issued in error",
        )

    after = _status(node, client, credential, tmp_path)
    assert after == {**before, "revocation": True}


def _renamed(credential):
    # Open Badges carries the learner's name as an unhashed identifier of the subject.
    [name] = [
        identifier
        for identifier in credential["credentialSubject"]["identifier"]
        if identifier["identityType"] == "name"
    ]
    name["identityHash"] = "Someone Else"


def _extended(credential):
    credential["validUntil"] = "2099-12-31T23:59:59Z"


def _other_achievement(credential):
    credential["credentialSubject"]["achievement"]["name"] = "Investigating complaints"


@pytest.mark.parametrize(
    "tamper", [_renamed, _extended, _other_achievement], ids=["name", "validUntil", "achievement"]
)
def test_an_independent_verifier_rejects_a_tampered_copy(node, credential, tmp_path, tamper):
    tampered = copy.deepcopy(credential)
    tamper(tampered)
    assert tampered != credential

    outcome = verify(node, tmp_path, tampered)

    assert outcome["verified"] is False
    assert "Error: Invalid signature." in outcome["errors"]


def test_our_credential_meets_the_open_badges_schema(achievement_credential_schema, credential):
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in achievement_credential_schema.iter_errors(credential)
    ]

    assert errors == []


def test_the_schema_refuses_a_credential_without_an_issuer(
    achievement_credential_schema, credential
):
    del credential["issuer"]

    assert not achievement_credential_schema.is_valid(credential)


@pytest.fixture
def accreditation_credential(db) -> dict:
    """An accreditation's signed credential: a Certification aligned to competencies."""
    from accreditation import services as accreditation_services
    from tests.accreditation.factories import CandidacyFactory, VersionFactory
    from tests.accreditation.test_awarding import judge_competent

    version = VersionFactory(validity_years=3)
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get())
    accreditation_services.check_award(candidacy=candidacy)
    return signed_credential(Certificate.objects.get(learner=candidacy.candidate))


def test_an_independent_verifier_accepts_an_accreditation_credential(
    node, accreditation_credential, tmp_path, achievement_credential_schema
):
    achievement = accreditation_credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert any(a.get("targetType") == "ceasn:Competency" for a in achievement["alignment"])
    outcome = verify(node, tmp_path, accreditation_credential)
    assert outcome["verified"] is True, outcome["errors"]
    errors = [
        e.message for e in achievement_credential_schema.iter_errors(accreditation_credential)
    ]
    assert errors == []
