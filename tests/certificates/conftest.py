"""Fixtures for the certificate tests: a signing key of each test's own, in tmp_path, and the
award and certificate a test module uses unless it defines its own."""

import pytest

from certificates import services, signing
from tests.certificates.factories import AwardFactory


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


@pytest.fixture
def award(course):
    """The course's award, valid for three years."""
    return AwardFactory(course=course, validity_unit="years", validity_length=3)


@pytest.fixture
def certificate(award, learner):
    """The learner's certificate for `award`, issued and signed."""
    return services.issue_certificate(learner=learner, award=award)
