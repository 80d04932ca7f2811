"""Files on S3-compatible object storage (moto's S3 server, tests/s3.py): certificate PDFs,
evidence, recordings and Wagtail's images and documents are kept in the bucket, nothing on this
machine's disk; a private file reaches only those the view allows, by a signed URL that expires;
Wagtail's renditions are public by a plain URL."""

import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from accreditation import services as accreditation
from accreditation.models import CPDEntry
from certificates import services as certificates
from portal import privacy
from tests.academy.factories import UserFactory
from tests.accreditation.factories import CandidacyFactory, unit_requirement
from tests.accreditation.files import pdf_bytes, upload
from tests.accreditation.test_cpd_log import ADD, _post
from tests.certificates.factories import AwardFactory, CertificateDesignFactory
from tests.courses.attendance_support import register_before, started_session
from tests.courses.recordings import CAPTIONS, MP4, published, uploaded_recording
from tests.s3 import fetch

pytestmark = pytest.mark.django_db


def signed(response, *, bucket) -> dict[str, str]:
    """The redirect's signed URL, checked to point into the bucket's private folder; its query."""
    assert response.status_code == 302, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}" == bucket.store.bucket_origin()
    assert url.path.startswith(f"/{bucket.name}/private/")
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert "X-Amz-Signature" in query
    return query


def nothing_on_disk() -> bool:
    """No file in this test's MEDIA_ROOT or PRIVATE_MEDIA_ROOT (tests/s3.py makes them)."""
    return not any(
        path.is_file()
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in Path(root).rglob("*")
    )


# Certificates -----------------------------------------------------------------------------------


@pytest.fixture
def rendered(object_storage, course, learner, django_capture_on_commit_callbacks):
    """The learner's certificate, its PDF made and stored in the bucket."""
    design = CertificateDesignFactory(
        logo=Image.objects.create(title="Logo", file=get_test_image_file(colour="#1d3557"))
    )
    award = AwardFactory(course=course)
    design.award = award
    design.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificates.issue_certificate(learner=learner, award=award)
    certificate.refresh_from_db()
    return certificate


def test_a_certificate_pdf_is_stored_in_the_bucket_with_its_logo_drawn(object_storage, rendered):
    assert object_storage.keys("private/certificates/") == [f"private/{rendered.pdf.name}"]
    stored = object_storage.read(f"private/{rendered.pdf.name}")
    assert stored.startswith(b"%PDF")
    # The logo, read through the storage from the bucket, beside the QR code.
    assert len(PdfReader(io.BytesIO(stored)).pages[0].images) == 2
    assert nothing_on_disk()


def test_the_owner_gets_their_pdf_by_a_signed_url_and_no_one_else_gets_one(
    client, object_storage, rendered, learner, other_learner
):
    url = reverse("certificates:pdf", args=[rendered.code])
    client.force_login(learner)
    response = client.get(url)
    query = signed(response, bucket=object_storage)
    assert query["X-Amz-Expires"] == str(settings.ACADEMY_S3_SIGNED_URL_SECONDS)
    download = fetch(response["Location"])
    assert download.status == 200
    assert download.body == object_storage.read(f"private/{rendered.pdf.name}")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="certificate-{rendered.display_code}.pdf"'
    )
    assert download.headers["Cache-Control"] == "private, no-store"

    client.force_login(other_learner)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "Location" not in refused
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")
    # Without the signature the bucket gives nothing away.
    plain = urlsplit(response["Location"])
    assert fetch(f"{plain.scheme}://{plain.netloc}{plain.path}").status == 403


def test_a_signed_url_stops_working_when_it_expires(
    client, object_storage, rendered, learner, settings
):
    settings.ACADEMY_S3_SIGNED_URL_SECONDS = 1
    client.force_login(learner)
    response = client.get(reverse("certificates:pdf", args=[rendered.code]))
    assert signed(response, bucket=object_storage)["X-Amz-Expires"] == "1"
    time.sleep(2.1)
    expired = fetch(response["Location"])
    assert expired.status == 403
    assert b"Request has expired" in expired.body
    # Asking the view again (and passing its check again) gives a fresh one.
    again = client.get(reverse("certificates:pdf", args=[rendered.code]))
    assert fetch(again["Location"]).status == 200


# Evidence ---------------------------------------------------------------------------------------


def test_portfolio_evidence_is_uploaded_to_the_bucket_and_downloaded_by_permission(
    client, object_storage
):
    candidacy = CandidacyFactory()
    requirement = unit_requirement(candidacy)
    content = pdf_bytes()
    client.force_login(candidacy.candidate)
    response = client.post(
        reverse("accreditation:upload_evidence", args=[candidacy.pk, requirement.pk]),
        {"file": upload("Plan for case 2.pdf", content), "description": "Plan"},
    )
    assert response.status_code == 302
    evidence = candidacy.unit_work.get().evidence.get()
    assert object_storage.keys("private/evidence/") == [f"private/{evidence.file.name}"]
    assert nothing_on_disk()

    url = reverse("accreditation:evidence_file", args=[evidence.pk])
    download = client.get(url)
    signed(download, bucket=object_storage)
    fetched = fetch(download["Location"])
    assert fetched.body == content
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="Plan for case 2.pdf"'
    assert fetched.headers["Content-Type"] == "application/pdf"

    client.force_login(CandidacyFactory(programme=candidacy.programme).candidate)
    assert client.get(url).status_code == 404


def test_cpd_evidence_is_kept_in_the_bucket_for_its_owner_alone(
    client, object_storage, learner, other_learner
):
    content = pdf_bytes()
    client.force_login(learner)
    response = client.post(
        ADD, {**_post(), "evidence": upload("Attendance certificate.pdf", content)}
    )
    assert response.status_code == 302
    entry = CPDEntry.objects.get(learner=learner)
    assert object_storage.keys("private/cpd/") == [f"private/{entry.evidence.name}"]
    url = reverse("accreditation:cpd_evidence", args=[entry.pk])
    fetched = fetch(client.get(url)["Location"])
    assert fetched.body == content
    assert "Attendance certificate.pdf" in fetched.headers["Content-Disposition"]
    client.force_login(other_learner)
    assert client.get(url).status_code == 404


def test_two_files_of_the_same_name_are_both_kept(object_storage):
    candidacy = CandidacyFactory()
    requirement = unit_requirement(candidacy)
    first, second = (
        accreditation.add_evidence(
            candidacy=candidacy,
            requirement=requirement,
            uploaded_file=upload("plan.pdf", pdf_bytes(text)),
            by=candidacy.candidate,
        )
        for text in ("First plan", "Second plan")
    )
    assert first.file.name != second.file.name
    assert len(object_storage.keys("private/evidence/")) == 2


def test_erasing_a_person_deletes_their_files_from_the_bucket(
    object_storage, django_capture_on_commit_callbacks
):
    candidacy = CandidacyFactory()
    accreditation.add_evidence(
        candidacy=candidacy,
        requirement=unit_requirement(candidacy),
        uploaded_file=upload("plan.pdf", pdf_bytes()),
        by=candidacy.candidate,
    )
    assert object_storage.keys("private/evidence/")
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_learner(
            user=candidacy.candidate, by=UserFactory(), reason="Asked to be forgotten"
        )
    assert object_storage.keys("private/evidence/") == []


# Recordings -------------------------------------------------------------------------------------


@pytest.fixture
def recording(object_storage, catalogue, trainer, learner):
    session = started_session(catalogue, title="Putting things right", hours_ago=30)
    register_before(session, learner)
    return published(uploaded_recording(session.webinar, trainer), trainer)


def test_a_recordings_video_plays_from_the_bucket_by_byte_range(
    client, object_storage, recording, learner, other_learner
):
    assert {f"private/{recording.video.name}", f"private/{recording.captions.name}"} <= set(
        object_storage.keys("private/recordings/")
    )
    url = reverse("courses:recording_file", args=[recording.pk, "video"])
    client.force_login(learner)
    response = client.get(url)
    query = signed(response, bucket=object_storage)
    # Long enough to watch and seek in: the browser goes on using this URL while it plays.
    assert query["X-Amz-Expires"] == str(settings.ACADEMY_S3_VIDEO_URL_SECONDS)
    part = fetch(response["Location"], {"Range": "bytes=100-199"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    assert part.body == MP4[100:200]
    assert part.headers["Content-Type"] == "video/mp4"
    assert nothing_on_disk()

    client.force_login(other_learner)
    assert client.get(url).status_code == 404


def test_captions_come_from_our_own_origin(client, recording, learner):
    """A <track> on another origin would need CORS: the captions are read from the bucket and
    sent by the view."""
    client.force_login(learner)
    response = client.get(reverse("courses:recording_file", args=[recording.pk, "captions"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(response.streaming_content) == CAPTIONS
    part = client.get(
        reverse("courses:recording_file", args=[recording.pk, "captions"]), HTTP_RANGE="bytes=0-5"
    )
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == CAPTIONS[:6]


# Wagtail's images and documents -----------------------------------------------------------------


def test_an_image_uploaded_in_the_admin_is_kept_privately_and_its_rendition_is_public(
    trainer_client, object_storage
):
    png = get_test_image_file(colour="#ffb81c").file.getvalue()
    response = trainer_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Standards poster",
            "file": SimpleUploadedFile("poster.png", png, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    poster = Image.objects.get(title="Standards poster")
    assert object_storage.keys("media/original_images/") == [f"media/{poster.file.name}"]
    # The original (which may say where a photograph was taken) only by a signed URL.
    original = urlsplit(poster.file.url)
    assert "X-Amz-Signature" in original.query
    assert fetch(f"{original.scheme}://{original.netloc}{original.path}").status == 403

    rendition = poster.get_rendition("fill-40x40|format-png")
    assert f"media/{rendition.file.name}" in object_storage.keys("media/images/")
    assert rendition.url == (
        f"{object_storage.store.public_media_origin()}/{object_storage.name}/media/"
        f"{rendition.file.name}"
    )
    public = fetch(rendition.url)
    assert public.status == 200
    assert public.body.startswith(b"\x89PNG")
    assert nothing_on_disk()
    # The admin's listing shows the rendition from the bucket.
    listing = trainer_client.get(reverse("wagtailimages:index")).content.decode()
    assert f"{object_storage.store.public_media_origin()}/{object_storage.name}/media/images/" in (
        listing
    )


def test_a_document_is_served_by_a_signed_url_after_wagtails_own_view(client, object_storage):
    document = Document.objects.create(
        title="Complaint form", file=SimpleUploadedFile("form.pdf", pdf_bytes())
    )
    assert object_storage.keys("media/documents/") == [f"media/{document.file.name}"]
    response = client.get(document.url)
    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"]
    assert fetch(response["Location"]).body == object_storage.read(f"media/{document.file.name}")
