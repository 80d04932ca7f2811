"""The deployment warning for a did:web DID document too big for some verifiers to fetch."""

import pytest
from django.core import checks as django_checks
from django.db import OperationalError, ProgrammingError

from certificates import checks, keys, signing
from certificates.models import SigningKey
from tests.certificates.test_credential_commands import check_deploy

pytestmark = pytest.mark.django_db

SITE = "https://academy.example.org"


@pytest.fixture
def did_web(settings):
    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = SITE


def publish(count: int) -> None:
    SigningKey.objects.bulk_create(
        SigningKey(public_key=signing.public_multikey(signing.new_private_key().public_key()))
        for _ in range(count)
    )


def served_size(client) -> int:
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    return len(response.content)


def test_a_document_within_the_limit_passes(did_web, client):
    publish(25)
    assert served_size(client) <= checks.DID_DOCUMENT_LIMIT
    assert checks.did_document_size(None) == []


def test_a_document_over_the_limit_is_a_warning_that_says_why_and_what_to_do(did_web, client):
    publish(27)
    size = served_size(client)
    assert size > checks.DID_DOCUMENT_LIMIT

    [warning] = checks.did_document_size(None)
    assert warning.level == django_checks.WARNING
    assert warning.id == "certificates.W001"
    assert f"is {size:,} bytes and lists 27 signing keys" in warning.msg
    assert "over the 8,192 bytes" in warning.msg
    assert "may fail to resolve the issuer did:web:academy.example.org" in warning.msg
    assert "never remove a retired key" in warning.hint


def test_it_is_a_deployment_check(did_web):
    publish(27)
    assert "certificates.W001" in {
        message.id for message in django_checks.run_checks(include_deployment_checks=True)
    }
    assert "certificates.W001" not in {message.id for message in django_checks.run_checks()}


def test_a_did_key_issuer_publishes_no_document_so_nothing_is_checked(settings, client):
    settings.ACADEMY_ISSUER_DID_METHOD = "key"
    publish(27)
    assert client.get("/.well-known/did.json").status_code == 404
    assert checks.did_document_size(None) == []


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: certificates_signingkey"),
        ProgrammingError('relation "certificates_signingkey" does not exist'),
        OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    ],
)
def test_no_tables_or_no_database_is_not_a_crash(did_web, monkeypatch, error):
    def fail():
        raise error

    monkeypatch.setattr(keys, "published_keys", fail)
    assert checks.did_document_size(None) == []


@pytest.mark.parametrize(
    "database",
    ["sqlite:///{tmp_path}/never-migrated.sqlite3", "postgres://nobody@127.0.0.1:1/unreachable"],
)
def test_check_deploy_runs_cleanly_before_migrate_or_without_a_database(tmp_path, database):
    key_file = tmp_path / "production-signing-key"
    keys.write_key_file(key_file, signing.new_private_key())
    result = check_deploy(
        DATABASE_URL=database.format(tmp_path=tmp_path),
        ACADEMY_SIGNING_KEY_FILE=str(key_file),
        ACADEMY_SITE_URL=SITE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
