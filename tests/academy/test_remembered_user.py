"""The signed-in person's row, remembered in the shared cache by the sign-in back ends
(academy/auth_backends.py): no query for it once remembered, and every change to the row applies
from the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    assert client.get(reverse("dashboard")).status_code == 200  # remembers the row
    return client


def user_row_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return sum('FROM "academy_user"' in q["sql"].split(" WHERE ")[0] for q in queries)


def test_the_person_s_row_costs_no_query_once_remembered(signed_in):
    assert user_row_queries(signed_in) == 0


def test_the_row_is_read_every_time_with_the_cache_off(signed_in, settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 0
    assert user_row_queries(signed_in) == 1


def test_a_new_name_shows_on_the_next_page(signed_in, learner):
    learner.full_name = "Priya Ó Sharma-Ng"
    learner.save()
    assert "Signed in as Priya Ó Sharma-Ng" in signed_in.get(reverse("dashboard")).content.decode()


def test_a_deactivated_person_is_signed_out_at_once(signed_in, learner):
    learner.is_active = False
    learner.save(update_fields=["is_active"])
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_new_password_set_elsewhere_signs_this_session_out_at_once(signed_in, learner):
    learner.set_password("A-new-passphrase-2026")
    learner.save()
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_deleted_account_is_signed_out_at_once(signed_in, learner):
    learner.delete()
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 302


def test_each_person_is_remembered_as_themselves(client, learner, other_learner):
    client.force_login(learner)
    assert "Signed in as Priya Sharma" in client.get(reverse("dashboard")).content.decode()
    client.force_login(other_learner)
    assert "Signed in as Tom Hughes" in client.get(reverse("dashboard")).content.decode()
    client.force_login(learner)
    assert "Signed in as Priya Sharma" in client.get(reverse("dashboard")).content.decode()
