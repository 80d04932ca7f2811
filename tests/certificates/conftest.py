"""Fixtures for the certificate tests: a signing key of each test's own, in tmp_path."""

import pytest

from certificates import signing


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    """The private key the Academy signs with in this test, kept in a file as in production."""
    key = signing.new_private_key()
    path = tmp_path / "signing-key"
    path.write_text(signing.private_multikey(key) + "\n")
    settings.ACADEMY_SIGNING_KEY_FILE = str(path)
    settings.ACADEMY_SIGNING_KEY = ""
    settings.ACADEMY_SIGNING_KEY_CREATE = False
    return key
