"""Files and recordings for the webinar recording tests: an MP4 and a WebM that are real by their
signatures, captions, slides, and a recording saved and published through the services."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from courses import services
from courses.models import WebinarRecording

# An MP4's first box (ftyp, brand mp42) then bytes to stand for the rest of the file.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
# WebM starts with the EBML header's magic number and names its doc type.
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
CAPTIONS = (
    b"WEBVTT\n\n"
    b"00:00:01.000 --> 00:00:04.000\n<v Nia>Welcome, everyone.\n\n"
    b"00:00:04.500 --> 00:00:09.000\nToday: putting things right after a complaint.\n"
)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def details(**fields) -> dict:
    values = {
        "session": None,
        "video_url": "",
        "transcript": "",
        "duration_minutes": 58,
        "open_to": WebinarRecording.OpenTo.REGISTERED,
        "counts_as_attending": False,
        "watching_cpd_hours": Decimal("0"),
    }
    values.update(fields)
    return values


def linked_recording(webinar, by, **fields) -> WebinarRecording:
    """A recording at a link on a video service, with a transcript, not yet published."""
    fields.setdefault("video_url", "https://video.example.org/watch/remedies")
    fields.setdefault("transcript", "Nia: Welcome, everyone.\n\nToday: putting things right.")
    return services.save_recording(webinar=webinar, by=by, details=details(**fields))


def uploaded_recording(webinar, by, *, slides=True, **fields) -> WebinarRecording:
    """A recording uploaded as an MP4 with its captions (and slides), not yet published."""
    return services.save_recording(
        webinar=webinar,
        by=by,
        details=details(**fields),
        video=upload("remedies.mp4", MP4, "video/mp4"),
        captions=upload("remedies.vtt", CAPTIONS, "text/vtt"),
        slides=upload("Remedies slides.pdf", PDF, "application/pdf") if slides else None,
    )


def published(recording, by) -> WebinarRecording:
    services.publish_recording(recording=recording, by=by)
    recording.refresh_from_db()
    return recording
