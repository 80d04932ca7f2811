from certificates import keys

from ._signing_key import SigningKeyCommand


class Command(SigningKeyCommand):
    help = (
        "Replace the signing key: a new private key file, the new public key recorded as "
        "current, the old keys retired but still published so what they signed still verifies."
    )
    action = "signing_key.rotated"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--reason", default="Key rotation", help="Kept in the audit log with the rotation"
        )

    def make_key(self, path):
        return keys.rotate_key(out=path)

    def audit_details(self, retired, options):
        return {"reason": options["reason"], "retired": [old.public_key for old in retired]}
