"""The reports' read replica: reports read from it when one is configured, nothing else does,
and no write ever goes there. In the tests the "replica" alias is a mirror of the test database
(config/settings/test.py); the tests that read through it commit their data first."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy import services as people
from academy.models import Membership, User
from academy.replica import ReportsRouter, reading_reports
from portal.national_refresh import refresh_national_figures
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.organisations.compliance_support import member

WRITES = ("INSERT", "UPDATE", "DELETE")
router = ReportsRouter()


@pytest.fixture
def with_replica(settings):
    settings.ACADEMY_REPORTS_DATABASE = "replica"
    yield
    # Its pool's connections would otherwise stay open to the test database until the run ends.
    if getattr(connections["replica"], "pool", None):
        connections["replica"].close()
        connections["replica"].close_pool()


def test_reads_go_to_the_replica_only_inside_a_report(with_replica):
    assert router.db_for_read(User) == "default"
    with reading_reports():
        assert router.db_for_read(User) == "replica"
    assert router.db_for_read(User) == "default"


def test_writes_never_go_to_the_replica(with_replica):
    with reading_reports():
        assert router.db_for_write(User) == "default"
    assert router.allow_migrate("replica", "academy") is False
    assert router.allow_migrate("default", "academy") is True


@pytest.mark.django_db
def test_a_report_inside_a_transaction_reads_the_primary(with_replica):
    # The test itself runs in a transaction on "default": what it wrote is only there.
    assert connections["default"].in_atomic_block
    with reading_reports():
        assert router.db_for_read(User) == "default"


def test_without_a_replica_reports_read_the_primary():
    with reading_reports():
        assert router.db_for_read(User) == "default"


def _captured(client, url):
    """The page, and the statements it sent to each alias."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _no_writes(statements):
    return not [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


replicated = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@replicated
@pytest.mark.parametrize(
    "name",
    ["organisations:compliance", "organisations:compliance_csv", "organisations:compliance_xlsx"],
)
def test_the_compliance_report_reads_from_the_replica(client, with_replica, name):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    manager = member(organisation, role=Membership.Role.MANAGER, full_name="Morgan Manager")
    member(organisation, full_name="Robin Reader")
    client.force_login(manager)

    response, primary, replica = _captured(client, reverse(name, args=[organisation.pk]))

    assert response.status_code == 200
    assert any("academy_membership" in sql for sql in replica)
    assert _no_writes(replica)
    # Who the manager is, and whether they may see the report, is asked of the primary.
    assert any("academy_user" in sql for sql in primary)
    if name == "organisations:compliance":
        assert "Riverside NHS Trust" in response.content.decode()


@replicated
def test_the_compliance_report_reads_the_primary_without_a_replica(client):
    organisation = OrganisationFactory()
    client.force_login(member(organisation, role=Membership.Role.MANAGER))

    response, primary, replica = _captured(
        client, reverse("organisations:compliance", args=[organisation.pk])
    )

    assert response.status_code == 200
    assert replica == []
    assert any("academy_membership" in sql for sql in primary)


@replicated
def test_the_national_figures_read_from_the_replica(client, with_replica, staff_groups):
    refresh_national_figures()
    client.force_login(UserFactory(groups=[people.ANALYSTS], mfa=True))

    response, _primary, replica = _captured(client, reverse("national_figures"))

    assert response.status_code == 200
    assert any("portal_nationalfigure" in sql for sql in replica)
    assert _no_writes(replica)


@replicated
def test_the_first_count_of_the_national_figures_is_read_back_from_the_primary(
    client, with_replica, staff_groups
):
    client.force_login(UserFactory(groups=[people.ANALYSTS], mfa=True))

    response, primary, replica = _captured(client, reverse("national_figures"))

    assert response.status_code == 200
    assert not any("portal_nationalfigure" in sql for sql in replica)
    assert any("portal_nationalfigure" in sql for sql in primary)


@replicated
def test_the_accreditation_report_reads_from_the_replica(client, with_replica, staff_groups):
    client.force_login(UserFactory(groups=[people.PROGRAMME_MANAGERS], mfa=True))

    for url in (reverse("accreditation_report"), reverse("accreditation_report_csv")):
        response, _primary, replica = _captured(client, url)
        assert response.status_code == 200
        assert any("accreditation_programme" in sql for sql in replica)
        assert _no_writes(replica)


@replicated
def test_a_save_inside_a_report_goes_to_the_primary(with_replica):
    organisation = OrganisationFactory(name="Before")
    with reading_reports():
        read = type(organisation).objects.get(pk=organisation.pk)
        assert read._state.db == "replica"
        read.name = "After"
        with CaptureQueriesContext(connections["replica"]) as replica:
            read.save()
    assert _no_writes([q["sql"] for q in replica])
    with transaction.atomic():
        assert type(organisation).objects.get(pk=organisation.pk).name == "After"
