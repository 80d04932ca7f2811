"""Shared fixtures: the site's page tree, a published course with its final assessment, people."""

import pytest
from django.core.cache import cache
from django.db import connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from academy import services as people
from courses.models import CatalogueIndexPage, CoursePage
from portal.pages import HomePage
from portal.services import ensure_staff_groups
from tests.academy.factories import UserFactory
from tests.clamd import clamd, clamd_socket  # noqa: F401 - fixtures for every app's upload tests
from tests.courses.factories import CatalogueFactory, CourseTree, build_course
from tests.s3 import object_storage, s3_endpoint  # noqa: F401 - fixtures for the object storage tests

hypothesis_settings.register_profile(
    "academy", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile("academy")


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT does not exist: tests never run collectstatic.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, with every alias's connection pool closed before they are
    dropped: Django closes the pool of the database it drops, but not the mirror's
    ("replica"), whose open connections would keep PostgreSQL from dropping it."""
    yield
    for alias in connections:
        connections[alias].close()
        if getattr(connections[alias], "pool", None):
            connections[alias].close_pool()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and Wagtail's cached site root paths never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_reference_index():
    """Pages and snippets saved in the test's thread leave Wagtail's reference index alone (see
    WAGTAILSEARCH_BACKENDS in config/settings/test.py for why)."""
    with disable_reference_index_auto_update():
        yield


@pytest.fixture(autouse=True)
def _every_certificate_pdf_is_read_back(monkeypatch):
    """Each PDF a test renders must say what its certificate says, in embedded fonts.

    A failure is kept as well as raised: a task on a worker thread, or an on-commit hook, may
    swallow the exception, and the test still fails when it ends.
    """
    from certificates import rendering
    from tests.certificates.pdfs import check_certificate_pdf

    render = rendering.certificate_pdf
    failures = []

    def render_and_read_back(certificate):
        pdf = render(certificate)
        try:
            check_certificate_pdf(pdf, certificate)
        except AssertionError as failure:
            failures.append(f"{certificate.code}: {failure}")
            raise
        return pdf

    monkeypatch.setattr(rendering, "certificate_pdf", render_and_read_back)
    yield
    assert not failures, "\n".join(failures)


# The page tree ----------------------------------------------------------------------------------


@pytest.fixture
def home_page(db) -> HomePage:
    """The Academy's home page, made the root of the default site (as load_demo does)."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="PHSO Academy", slug="academy"))
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return HomePage.objects.get(pk=home.pk)


@pytest.fixture
def catalogue(home_page) -> CatalogueIndexPage:
    return CatalogueFactory(parent=home_page)


@pytest.fixture
def course_tree(catalogue) -> CourseTree:
    """HomePage -> CatalogueIndexPage -> CoursePage with 3 LessonPages and a final assessment."""
    return build_course(catalogue=catalogue, title="Welcoming complaints")


@pytest.fixture
def course(course_tree) -> CoursePage:
    return course_tree.course


# People -----------------------------------------------------------------------------------------


@pytest.fixture
def staff_groups(catalogue):
    """Trainers, Assessors and Academy administrators, with trainers editing the catalogue."""
    return ensure_staff_groups(catalogue=catalogue)


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Priya Sharma", email="priya@example.org")


@pytest.fixture
def other_learner(db):
    return UserFactory(full_name="Tom Hughes", email="tom@example.org")


@pytest.fixture
def trainer(staff_groups):
    return UserFactory(
        full_name="Grace Trainer", email="trainer@example.org", groups=[people.TRAINERS], mfa=True
    )


@pytest.fixture
def trainer_client(client, trainer):
    """The test client, signed in as the trainer."""
    client.force_login(trainer)
    return client


@pytest.fixture
def administrator(staff_groups):
    return UserFactory(
        full_name="Sam Administrator",
        email="admin@example.org",
        groups=[people.ADMINISTRATORS],
        mfa=True,
    )


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
