"""Virus scanning through ClamAV's daemon (clamd), when the settings name one: a Unix socket
(ACADEMY_CLAMD_SOCKET) or a host and port (ACADEMY_CLAMD_HOST, ACADEMY_CLAMD_PORT). With
neither, nothing is scanned: portfolio evidence is kept marked as not scanned
(docs/accreditation.md), and webinar slides are kept unscanned (docs/webinars.md). Here, at the
floor, because both accreditation and courses scan what people upload.
"""

import logging
from typing import BinaryIO

from clamdpy import ClamdNetworkSocket, ClamdUnixSocket
from clamdpy.exceptions import ClamdException
from django.conf import settings

from .file_names import shown

logger = logging.getLogger(__name__)

# clamd refuses a stream chunk larger than its StreamMaxLength (25 MB by default); 64 KB keeps
# far below that while sending a 20 MB file in a few hundred writes.
CHUNK_BYTES = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is configured but could not say whether the file is clean (down, timed out, over
    its size limit, or answered with an error)."""


def is_configured() -> bool:
    return bool(settings.ACADEMY_CLAMD_SOCKET or settings.ACADEMY_CLAMD_HOST)


def _client() -> ClamdNetworkSocket:
    timeout = settings.ACADEMY_CLAMD_TIMEOUT
    if settings.ACADEMY_CLAMD_SOCKET:
        return ClamdUnixSocket(
            settings.ACADEMY_CLAMD_SOCKET, timeout=timeout, max_chunk_size=CHUNK_BYTES
        )
    return ClamdNetworkSocket(
        settings.ACADEMY_CLAMD_HOST,
        settings.ACADEMY_CLAMD_PORT,
        timeout=timeout,
        max_chunk_size=CHUNK_BYTES,
    )


def find_virus(stream: BinaryIO) -> str | None:
    """What clamd found in the stream (its signature's name), or None when it found nothing.
    Raises ScannerUnavailable when it could not tell; the stream is rewound either way."""
    stream.seek(0)
    try:
        result = _client().instream(stream)
    except (ClamdException, OSError) as exc:
        # A broken pipe (clamd closed the stream at its size limit) is an OSError, not a
        # ClamdException, in clamdpy.
        logger.warning("The virus scanner could not be reached or failed: %r", exc)
        raise ScannerUnavailable from exc
    finally:
        stream.seek(0)
    if result.status == "FOUND":
        return result.reason or "harmful content"
    if result.status == "OK":
        return None
    logger.warning("The virus scanner answered with an error: %s", result.reason)
    raise ScannerUnavailable(result.reason)


def scan_or_refuse(stream: BinaryIO, *, name: str, by, refusal: type[Exception], advice: str = ""):
    """True when clamd passed the uploaded file, False when no scanner is configured; otherwise
    raise `refusal` (the calling app's error) with a message naming the file: it could not be
    checked, or harmful content was found (then `advice` follows)."""
    if not is_configured():
        return False
    try:
        found = find_virus(stream)
    except ScannerUnavailable:
        raise refusal(
            f"{shown(name)} was not added: it could not be checked for viruses just now. "
            "Try again later."
        ) from None
    if found:
        logger.warning("Upload by user %s refused: the scanner found %s.", by.pk, found)
        raise refusal(
            f"{shown(name)} was not added: the virus scanner found harmful content in it "
            f"({found}).{advice}"
        )
    return True
