"""What create_signing_key and rotate_signing_key share (not a command: its name starts with _)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.audit import record
from certificates import keys, signing
from certificates.models import SigningKey


class SigningKeyCommand(BaseCommand):
    """Make a key whose private half goes to a new file named by --out, record it in the audit
    log, print its public key, and say how to load it."""

    action = ""  # the audit log's name for what the command did

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The new private key file")

    def make_key(self, path: Path) -> tuple[SigningKey, list[SigningKey]]:
        """The new key and the keys it retired."""
        raise NotImplementedError

    def audit_details(self, retired: list[SigningKey], options: dict) -> dict:
        """What the audit entry records beyond the new public key."""
        return {}

    def handle(self, *args, out, **options):
        path = Path(out)
        try:
            key, retired = self.make_key(path)
        except keys.SigningKeyError as exc:
            raise CommandError(str(exc)) from exc
        details = self.audit_details(retired, options)
        record(actor=None, action=self.action, target=key, public_key=key.public_key, **details)
        self.stdout.write(key.public_key)
        for old in retired:
            self.stderr.write(f"Retired {old.public_key}; it stays published.")
        self.stderr.write(_instructions(path, key))


def _instructions(path: Path, key) -> str:
    issuer = keys.issuer_did(key)
    return (
        f"Wrote the private key to {path}. Keep it secret and back it up.\n"
        f"Set ACADEMY_SIGNING_KEY_FILE={path.resolve()} and restart the Academy.\n"
        f"Issuer: {issuer}\n"
        f"Verification method: {signing.verification_method(issuer, key.public_key)}"
    )
