from certificates import keys

from ._signing_key import SigningKeyCommand


class Command(SigningKeyCommand):
    help = (
        "Make the Academy's first signing key: the private key goes to a new file (readable by "
        "its owner only), the public key is recorded so it is published."
    )
    action = "signing_key.created"

    def make_key(self, path):
        return keys.create_key(out=path), []
