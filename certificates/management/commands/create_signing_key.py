from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.audit import record
from certificates import keys, signing


class Command(BaseCommand):
    help = (
        "Make the Academy's first signing key: the private key goes to a new file (readable by "
        "its owner only), the public key is recorded so it is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The new private key file")

    def handle(self, *args, out, **options):
        path = Path(out)
        try:
            key = keys.create_key(out=path)
        except keys.SigningKeyError as exc:
            raise CommandError(str(exc)) from exc
        record(actor=None, action="signing_key.created", target=key, public_key=key.public_key)
        self.stdout.write(key.public_key)
        self.stderr.write(_instructions(path, key))


def _instructions(path: Path, key) -> str:
    issuer = keys.issuer_did(key)
    return (
        f"Wrote the private key to {path}. Keep it secret and back it up.\n"
        f"Set ACADEMY_SIGNING_KEY_FILE={path.resolve()} and restart the Academy.\n"
        f"Issuer: {issuer}\n"
        f"Verification method: {signing.verification_method(issuer, key.public_key)}"
    )
