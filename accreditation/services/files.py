"""Checking a file someone uploads, for portfolio evidence and CPD evidence alike: its name,
size and type (from its content), then the virus scanner where one is configured."""

import hashlib
from dataclasses import dataclass

from django.conf import settings

from academy import scanning

from .. import uploads
from ..errors import EvidenceRefusedError


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str  # what the file is stored under, from its content
    scanned: bool  # False when no scanner is configured
    sha256: str


def upload_limits() -> uploads.Limits:
    return uploads.Limits(max_bytes=settings.ACADEMY_EVIDENCE_MAX_BYTES)


def check_upload(*, name: str, uploaded_file, by) -> CheckedFile:
    """The file's facts once its name, size, type and scan pass; otherwise EvidenceRefusedError
    with a message naming the file, and nothing stored."""
    try:
        kind = uploads.check_file(
            name=name, stream=uploaded_file, size=uploaded_file.size, limits=upload_limits()
        )
    except uploads.Refused as refusal:
        raise EvidenceRefusedError(str(refusal)) from None
    scanned = scanning.scan_or_refuse(
        uploaded_file,
        name=name,
        by=by,
        refusal=EvidenceRefusedError,
        advice=" Check your computer with your organisation's IT team before you upload it again.",
    )
    return CheckedFile(
        content_type=kind.content_type,
        extension=kind.extensions[0],
        scanned=scanned,
        sha256=_sha256(uploaded_file),
    )


def _sha256(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
