"""The read-only list of the Academy's signing keys in the Wagtail admin."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from certificates import services, signing
from certificates.models import Certificate, SigningKey
from tests.academy.factories import UserFactory
from tests.certificates.factories import AwardFactory, CertificateFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("signingkey:index")


def new_multikey() -> str:
    return signing.public_multikey(signing.new_private_key().public_key())


def make_keys(count: int) -> list[SigningKey]:
    """Keys as rotate_signing_key leaves them: the newest current, the others retired."""
    start = timezone.now() - timedelta(days=365 * count)
    made = []
    for number in range(count):
        created = start + timedelta(days=365 * number)
        retired = created + timedelta(days=365) if number < count - 1 else None
        made.append(
            SigningKey.objects.create(
                public_key=new_multikey(), created_at=created, retired_at=retired
            )
        )
    return made


def signed_by(key: SigningKey, did: str) -> dict:
    """Just enough of a credential for the listing: its proof's verification method."""
    return {"proof": {"verificationMethod": signing.verification_method(did, key.public_key)}}


def row_for(html: str, key: SigningKey) -> str:
    short = f"{key.public_key[:12]}…{key.public_key[-4:]}"
    [row] = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if short in row]
    return row


def cells(row: str) -> list[str]:
    texts = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in texts]


def test_an_administrator_sees_each_key_and_whether_it_is_current(client, administrator):
    retired, current = make_keys(2)
    client.force_login(administrator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert cells(row_for(html, current))[2] == "Current"
    retired_on = timezone.localtime(retired.retired_at).strftime("%-d %B %Y")
    assert cells(row_for(html, retired))[2] == f"Retired {retired_on}"
    # The newest key comes first.
    assert html.index(current.public_key[:12]) < html.index(retired.public_key[:12])
    assert "manage.py create_signing_key" in html
    assert "manage.py rotate_signing_key" in html


def test_a_keys_page_shows_its_full_value(client, administrator):
    [key] = make_keys(1)
    client.force_login(administrator)
    response = client.get(reverse("signingkey:inspect", args=[key.pk]))
    assert response.status_code == 200
    assert key.public_key in response.content.decode()


def test_each_key_counts_the_certificates_it_signed(client, administrator, course, signing_key):
    """The key in use signs real credentials; an older key signed two before it was retired."""
    award = AwardFactory(course=course)
    for learner in UserFactory.create_batch(2):
        services.issue_certificate(learner=learner, award=award)
    current = SigningKey.objects.get(public_key=signing.public_multikey(signing_key.public_key()))
    old = SigningKey.objects.create(
        public_key=new_multikey(), created_at=current.created_at - timedelta(days=400)
    )
    SigningKey.objects.filter(pk=old.pk).update(retired_at=current.created_at)
    for did in (signing.did_key(old.public_key), "did:web:academy.example.org"):
        CertificateFactory(award=award, credential=signed_by(old, did), signing_key=old)
    CertificateFactory(award=award)  # issued before credentials: signed by no key yet
    unused = SigningKey.objects.create(public_key=new_multikey())

    client.force_login(administrator)
    html = client.get(INDEX).content.decode()
    assert cells(row_for(html, current))[3] == "2"
    assert cells(row_for(html, old))[3] == "2"
    assert cells(row_for(html, unused))[3] == "0"
    page = client.get(reverse("signingkey:inspect", args=[old.pk])).content.decode()
    assert re.search(r"<dt>Certificates signed</dt>\s*<dd>\s*2\s*</dd>", page)


@pytest.mark.parametrize("view", ["add", "edit", "delete", "copy", "history", "usage"])
def test_there_is_no_view_that_makes_changes_or_deletes_a_key(view):
    with pytest.raises(NoReverseMatch):
        reverse(f"signingkey:{view}", args=[] if view == "add" else [1])


@pytest.mark.parametrize("path", ["new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/"])
def test_even_a_superuser_cannot_add_change_or_delete_a_key(client, path):
    [key] = make_keys(1)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    url = INDEX + path.format(pk=key.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"public_key": new_multikey()}).status_code == 404
    assert list(SigningKey.objects.values_list("public_key", flat=True)) == [key.public_key]


def test_the_listing_offers_no_add_edit_or_delete_buttons(client):
    [key] = make_keys(1)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    html = client.get(INDEX).content.decode()
    inspect = client.get(reverse("signingkey:inspect", args=[key.pk])).content.decode()
    for page in (html, inspect):
        assert INDEX + "new/" not in page
        assert INDEX + "edit/" not in page
        assert INDEX + "delete/" not in page


def test_only_those_who_may_view_certificates_see_the_keys(client, administrator, trainer):
    [key] = make_keys(1)
    client.force_login(administrator)
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(trainer)
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (INDEX, reverse("signingkey:inspect", args=[key.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_a_learner_is_told_the_admin_is_for_staff(client, learner):
    [key] = make_keys(1)
    client.force_login(learner)
    for url in (INDEX, reverse("signingkey:inspect", args=[key.pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert key.public_key[:12] not in response.content.decode()


def test_the_listing_costs_the_same_queries_for_one_key_or_ten(client, administrator, course):
    award = AwardFactory(course=course)
    client.force_login(administrator)
    client.get(INDEX)  # content types and permissions are cached from here on

    [first] = make_keys(1)
    CertificateFactory(
        award=award, credential=signed_by(first, "did:web:academy.example.org"), signing_key=first
    )
    with CaptureQueriesContext(connection) as one:
        assert client.get(INDEX).status_code == 200

    Certificate.objects.all().delete()
    SigningKey.objects.all().delete()
    for key in make_keys(10):
        CertificateFactory(
            award=award, credential=signed_by(key, "did:web:academy.example.org"), signing_key=key
        )
    with CaptureQueriesContext(connection) as ten:
        html = client.get(INDEX).content.decode()
    assert html.count("Retired ") == 9
    assert len(ten) == len(one)


def test_credentials_signed_before_keys_were_recorded_are_matched_to_their_key(course):
    """The migration that added Certificate.signing_key reads each stored proof once."""
    migration = importlib.import_module("certificates.migrations.0008_certificate_signing_key")
    award = AwardFactory(course=course)
    old, current = make_keys(2)
    by_old = [
        CertificateFactory(award=award, credential=signed_by(old, did))
        for did in (signing.did_key(old.public_key), "did:web:academy.example.org")
    ]
    by_current = CertificateFactory(award=award, credential=signed_by(current, "did:web:x.org"))
    by_stranger = CertificateFactory(award=award, credential=signed_by(old, "did:web:x.org"))
    by_stranger.credential["proof"]["verificationMethod"] = "did:web:x.org#z6MkNotOurs"
    by_stranger.save()
    unsigned = CertificateFactory(award=award)

    migration.match_signed_credentials(django_apps, None)

    signed_with = dict(Certificate.objects.values_list("pk", "signing_key"))
    assert [signed_with[c.pk] for c in by_old] == [old.pk, old.pk]
    assert signed_with[by_current.pk] == current.pk
    assert signed_with[by_stranger.pk] is None
    assert signed_with[unsigned.pk] is None
