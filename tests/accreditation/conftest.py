"""Fixtures for the accreditation tests: a candidate with a portfolio unit to work on."""

import pytest

from .factories import CandidacyFactory, unit_requirement


@pytest.fixture
def candidacy(db):
    return CandidacyFactory(candidate__full_name="Priya Sharma")


@pytest.fixture
def requirement(candidacy):
    return unit_requirement(candidacy)


@pytest.fixture
def candidate_client(client, candidacy):
    client.force_login(candidacy.candidate)
    return client
