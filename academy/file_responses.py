"""Serving a private file after the view's permission check.

On object storage the answer is a redirect to a signed URL of the file that lasts a few minutes,
so its bytes go from the store to the browser without holding a web worker for the download
(docs/decisions.md, "Files on object storage"); the store answers byte ranges itself.

On local disk the file is sent whole or by byte range: a browser playing a video asks for ranges
to start quickly and to seek, and a response without them makes it download the whole file
first. Ranges are read by Werkzeug's parser (RFC 9110); one range per request, as browsers'
media players ask, and anything else gets the whole file."""

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from werkzeug.http import parse_range_header

from .storage import signed_url

CHUNK_BYTES = 64 * 1024


def _section(file, start: int, stop: int):
    try:
        file.seek(start)
        left = stop - start
        while left > 0:
            chunk = file.read(min(CHUNK_BYTES, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        file.close()


def private_file_response(
    request,
    field_file,
    *,
    content_type: str,
    filename: str = "",
    as_attachment: bool = False,
    signed_seconds: int | None = None,
    same_origin: bool = False,
):
    """The file of a FileField for a request that passed its view's checks. On object storage, a
    redirect to a URL signed for `signed_seconds` (ACADEMY_S3_SIGNED_URL_SECONDS by default),
    unless the file must come from our own origin (`same_origin`: a <track>'s captions, which a
    browser fetches from another origin only with CORS). Otherwise 206 with the range asked for,
    416 for a range outside the file, else 200 with the whole file. Never cached by a shared
    cache."""
    if not same_origin:
        url = signed_url(
            field_file,
            content_type=content_type,
            filename=filename,
            as_attachment=as_attachment,
            seconds=signed_seconds or settings.ACADEMY_S3_SIGNED_URL_SECONDS,
        )
        if url:
            response = HttpResponseRedirect(url)
            # The signed URL lets whoever holds it read the file until it expires.
            response["Cache-Control"] = "private, no-store"
            return response
    size = field_file.size
    header = request.headers.get("Range", "")
    wanted = parse_range_header(header) if header else None
    single = wanted is not None and wanted.units == "bytes" and len(wanted.ranges) == 1
    span = wanted.range_for_length(size) if single else None
    if single and span is None:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif span is not None:
        start, stop = span
        response = StreamingHttpResponse(
            _section(field_file.open("rb"), start, stop), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
        response["Content-Length"] = str(stop - start)
    else:
        response = FileResponse(
            field_file.open("rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
