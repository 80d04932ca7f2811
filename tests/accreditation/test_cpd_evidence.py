"""Evidence files on one's own CPD entries: checked as portfolio evidence is, kept in private
storage, downloaded only by their owner."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accreditation.models import CPDEntry

from .files import pdf_bytes, upload, windows_program
from .test_cpd_log import ADD, _post

pytestmark = pytest.mark.django_db


def stored_cpd_files() -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "cpd"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_an_entry_keeps_its_evidence_for_its_owner_alone(learner_client, learner, client):
    before = stored_cpd_files()
    content = pdf_bytes()
    response = learner_client.post(
        ADD, {**_post(), "evidence": upload("Attendance certificate.pdf", content)}
    )
    assert response.status_code == 302
    entry = CPDEntry.objects.get(learner=learner)
    assert entry.evidence_name == "Attendance certificate.pdf"
    assert "Attendance" not in entry.evidence.name
    assert len(stored_cpd_files() - before) == 1
    log = learner_client.get(reverse("accreditation:cpd_log") + "?year=all").content.decode()
    url = reverse("accreditation:cpd_evidence", args=[entry.pk])
    assert url in log
    download = learner_client.get(url)
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content

    from tests.academy.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(
    learner_client, learner
):
    before = stored_cpd_files()
    response = learner_client.post(
        ADD, {**_post(), "evidence": upload("notes.pdf", windows_program())}
    )
    assert response.status_code == 200
    assert "notes.pdf" in response.content.decode()
    assert not CPDEntry.objects.filter(learner=learner).exists()
    assert stored_cpd_files() == before


def test_evidence_is_replaced_removed_and_goes_with_its_entry(
    learner_client, learner, django_capture_on_commit_callbacks
):
    learner_client.post(ADD, {**_post(), "evidence": upload("first.pdf", pdf_bytes("one"))})
    entry = CPDEntry.objects.get(learner=learner)
    edit = reverse("accreditation:cpd_edit", args=[entry.pk])
    first = entry.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(edit, {**_post(), "evidence": upload("second.pdf", pdf_bytes("two"))})
    entry.refresh_from_db()
    assert entry.evidence_name == "second.pdf"
    assert (
        first.split("/")[-1] not in stored_cpd_files() | {""}
        and not Path(settings.PRIVATE_MEDIA_ROOT, first).exists()
    )
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(edit, {**_post(), "remove_evidence": "on"})
    entry.refresh_from_db()
    assert not entry.evidence and entry.evidence_name == ""
    learner_client.post(ADD, {**_post(), "evidence": upload("third.pdf", pdf_bytes("three"))})
    third = CPDEntry.objects.filter(learner=learner).exclude(pk=entry.pk).get()
    stored = Path(settings.PRIVATE_MEDIA_ROOT, third.evidence.name)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(reverse("accreditation:cpd_delete", args=[third.pk]))
    assert not stored.exists()
