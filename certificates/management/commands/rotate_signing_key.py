from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.audit import record
from certificates import keys

from .create_signing_key import _instructions


class Command(BaseCommand):
    help = (
        "Replace the signing key: a new private key file, the new public key recorded as "
        "current, the old keys retired but still published so what they signed still verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The new private key file")
        parser.add_argument(
            "--reason", default="Key rotation", help="Kept in the audit log with the rotation"
        )

    def handle(self, *args, out, reason, **options):
        path = Path(out)
        try:
            key, retired = keys.rotate_key(out=path)
        except keys.SigningKeyError as exc:
            raise CommandError(str(exc)) from exc
        record(
            actor=None,
            action="signing_key.rotated",
            target=key,
            reason=reason,
            public_key=key.public_key,
            retired=[old.public_key for old in retired],
        )
        self.stdout.write(key.public_key)
        for old in retired:
            self.stderr.write(f"Retired {old.public_key}; it stays published.")
        self.stderr.write(_instructions(path, key))
