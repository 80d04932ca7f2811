"""create_signing_key, rotate_signing_key and verify_credential on the command line."""

import json
import os
import secrets
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from academy.models import AuditEntry
from certificates import keys, services, signing
from certificates.models import SigningKey
from tests.academy.test_settings import production_env
from tests.certificates.factories import AwardFactory

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def run(command, *args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_create_signing_key_writes_a_private_file_and_records_the_public_key(tmp_path):
    path = tmp_path / "keys" / "academy-signing-key"
    out, err = run("create_signing_key", out=str(path))

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    private_key = signing.private_key_from_multikey(path.read_text())
    public_key = signing.public_multikey(private_key.public_key())
    assert out.strip() == public_key
    [key] = SigningKey.objects.all()
    assert key.public_key == public_key and key.retired_at is None
    assert f"Set ACADEMY_SIGNING_KEY_FILE={path}" in err
    assert f"did:key:{public_key}#{public_key}" in err
    assert path.read_text().strip() not in str(list(SigningKey.objects.values()))
    assert AuditEntry.objects.get().action == "signing_key.created"


def test_create_signing_key_never_overwrites_and_never_makes_a_second_key(tmp_path):
    existing = tmp_path / "key"
    existing.write_text("precious")
    with pytest.raises(CommandError, match="never overwritten"):
        run("create_signing_key", out=str(existing))
    assert existing.read_text() == "precious"
    assert not SigningKey.objects.exists()

    run("create_signing_key", out=str(tmp_path / "first"))
    with pytest.raises(CommandError, match="rotate_signing_key"):
        run("create_signing_key", out=str(tmp_path / "second"))
    assert not (tmp_path / "second").exists()
    assert SigningKey.objects.count() == 1


def test_rotate_signing_key_makes_a_new_current_key_and_keeps_the_old_published(tmp_path, settings):
    settings.ACADEMY_ISSUER_DID_METHOD = "web"
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    first, _ = run("create_signing_key", out=str(tmp_path / "first"))
    out, err = run("rotate_signing_key", out=str(tmp_path / "second"), reason="Annual rotation")

    old, new = SigningKey.objects.order_by("created_at", "pk")
    assert old.public_key == first.strip() and old.retired_at is not None
    assert new.public_key == out.strip() and new.retired_at is None
    assert f"Retired {old.public_key}; it stays published." in err
    assert f"Set ACADEMY_SIGNING_KEY_FILE={tmp_path / 'second'}" in err
    assert f"did:web:academy.example.org#{new.public_key}" in err
    assert len(keys.did_document()["assertionMethod"]) == 2
    entry = AuditEntry.objects.get(action="signing_key.rotated")
    assert entry.reason == "Annual rotation"
    assert entry.details["retired"] == [old.public_key]


def test_rotate_signing_key_refuses_an_existing_file_and_changes_nothing(tmp_path):
    run("create_signing_key", out=str(tmp_path / "first"))
    with pytest.raises(CommandError, match="never overwritten"):
        run("rotate_signing_key", out=str(tmp_path / "first"))
    assert SigningKey.objects.get().retired_at is None


# verify_credential --------------------------------------------------------------------------------


@pytest.fixture
def certificate(course, learner):
    award = AwardFactory(course=course)
    return services.issue_certificate(learner=learner, award=award)


def write(tmp_path, document) -> str:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return str(path)


def test_a_valid_credential_exits_zero_with_the_pages_words(tmp_path, certificate):
    out, _ = run("verify_credential", write(tmp_path, certificate.credential))
    assert out.splitlines() == [
        "Valid: this credential was issued by the PHSO Academy and has not been changed.",
        f"Verification page: {certificate.verify_url}",
    ]


def test_a_revoked_credential_exits_non_zero_with_its_reason(tmp_path, certificate, administrator):
    services.revoke(
        certificate=certificate, by=administrator, reason="x", public_reason="Issued in error"
    )
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_credential", write(tmp_path, certificate.credential), stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue().startswith("Revoked on ")
    assert "Reason: Issued in error" in out.getvalue()


def test_an_altered_credential_exits_non_zero(tmp_path, certificate):
    document = {**certificate.credential, "name": "Investigating complaints"}
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_credential", write(tmp_path, document), stdout=out)
    assert out.getvalue().startswith("Altered: ")
    assert "Verification page" not in out.getvalue()


def test_a_file_that_is_missing_or_not_json_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read") as missing:
        run("verify_credential", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="is not valid JSON") as broken:
        run("verify_credential", write(tmp_path, "{oops"))
    assert missing.value.returncode == broken.value.returncode == 2


# The deployment check -----------------------------------------------------------------------------


def check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
            DJANGO_ALLOWED_HOSTS="academy.example.org",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_wants_a_signing_key_and_an_https_site(tmp_path):
    result = check_deploy(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "certificates.E001" in output
    assert "No signing key is configured" in output
    assert "must be an https address" in output


def test_the_deployment_check_passes_with_a_key_file(tmp_path):
    path = tmp_path / "production-signing-key"
    keys.write_key_file(path, signing.new_private_key())
    result = check_deploy(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ACADEMY_SIGNING_KEY_FILE=str(path),
        ACADEMY_SITE_URL="https://academy.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
