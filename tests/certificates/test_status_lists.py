"""Bitstring status lists: every credential has a place, and the published lists tell the truth."""

import pytest
from django.urls import reverse

from certificates import credentials, services, tasks
from certificates import status_list as bitstrings
from certificates.models import StatusList, StatusListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, learner):
    return services.issue_for_course(learner=learner, course=course)


@pytest.fixture
def others(course, other_learner):
    return services.issue_for_course(learner=other_learner, course=course)


def list_url(entry) -> str:
    return reverse("certificates:status_list", args=[entry.status_list.number])


def revoked_in_list(client, certificate) -> bool:
    """What a wallet reads: the bit at the certificate's place in the published list."""
    entry = credentials.status_entry(certificate=certificate)
    response = client.get(list_url(entry))
    assert response.status_code == 200
    encoded = response.json()["credentialSubject"]["encodedList"]
    return bitstrings.is_set(bitstrings.decode(encoded), entry.index)


def test_each_certificate_gets_one_place_and_keeps_it(certificate, others):
    first = credentials.status_entry(certificate=certificate)
    assert credentials.status_entry(certificate=certificate) == first
    second = credentials.status_entry(certificate=others)
    assert (second.status_list, second.index) != (first.status_list, first.index)
    assert StatusListEntry.objects.count() == 2
    assert StatusList.objects.count() == 1


def test_the_credential_names_its_place_in_the_revocation_list(certificate):
    entry = credentials.status_entry(certificate=certificate)
    url = f"http://testserver/credentials/status/{entry.status_list.number}"
    assert credentials.credential_status(certificate=certificate) == {
        "id": f"{url}#{entry.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(entry.index),
        "statusListCredential": url,
    }


def test_a_published_list_is_a_signed_bitstring_status_list_credential(client, certificate):
    entry = credentials.status_entry(certificate=certificate)
    credential = client.get(list_url(entry)).json()
    url = f"http://testserver/credentials/status/{entry.status_list.number}"
    assert credential["id"] == url
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["id"] == f"{url}#list"
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    bits = bitstrings.decode(credential["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == bitstrings.MIN_ENTRIES
    assert not any(bits)


def test_revoking_sets_that_certificates_bit_and_no_other(
    client, certificate, others, administrator
):
    services.revoke(certificate=certificate, by=administrator, reason="r", public_reason="Error")
    assert revoked_in_list(client, certificate)
    assert not revoked_in_list(client, others)


def test_suspension_is_not_a_revocation(client, certificate, administrator):
    services.suspend(certificate=certificate, by=administrator, reason="Under review")
    assert not revoked_in_list(client, certificate)


def test_a_superseded_certificate_is_revoked_in_the_list(client, certificate, administrator):
    credentials.status_entry(certificate=certificate)
    replacement = services.correct_name(
        certificate=certificate, by=administrator, new_name="Priya Shah", reason="Married name"
    )
    assert revoked_in_list(client, certificate)
    assert not revoked_in_list(client, replacement)


def test_a_revocation_queues_signing_the_list_again_once_committed(
    certificate, administrator, django_capture_on_commit_callbacks
):
    entry = credentials.status_entry(certificate=certificate)
    services.publish_status_list(status_list=entry.status_list)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(certificate=certificate, by=administrator, reason="r", public_reason="E")
    status_list = StatusList.objects.get(pk=entry.status_list_id)
    assert not status_list.is_stale
    assert status_list.published_changes == 1
    encoded = status_list.credential["credentialSubject"]["encodedList"]
    assert bitstrings.is_set(bitstrings.decode(encoded), entry.index)


def test_the_publishing_task_does_nothing_for_a_fresh_list(certificate):
    entry = credentials.status_entry(certificate=certificate)
    assert tasks.publish_status_list(entry.status_list_id) is True
    signed_at = StatusList.objects.get(pk=entry.status_list_id).published_at
    assert tasks.publish_status_list(entry.status_list_id) is False
    assert StatusList.objects.get(pk=entry.status_list_id).published_at == signed_at
    assert tasks.publish_status_list(987654) is False


def test_a_fresh_list_is_served_in_one_query_with_cors(
    client, certificate, django_assert_max_num_queries
):
    entry = credentials.status_entry(certificate=certificate)
    services.publish_status_list(status_list=entry.status_list)
    with django_assert_max_num_queries(1):
        response = client.get(list_url(entry))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response["Cache-Control"]


def test_an_unknown_list_is_not_found(client, certificate):
    entry = credentials.status_entry(certificate=certificate)
    response = client.get(reverse("certificates:status_list", args=[entry.status_list.number + 1]))
    assert response.status_code == 404


def test_only_get_is_allowed(client, certificate):
    entry = credentials.status_entry(certificate=certificate)
    assert client.post(list_url(entry)).status_code == 405
