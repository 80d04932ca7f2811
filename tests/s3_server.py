"""moto's S3 server, for the tests' object storage: `python -m tests.s3_server` listens on a free
loopback port, prints it, and serves until it is stopped (tests/s3.py starts it).

A real HTTP server speaking S3's API, with moto's buckets, objects, policies and ranges, plus the
one check S3 makes that moto leaves out: a signed URL stops working when it expires (S3 answers
403, "Request has expired"). Without it no test could see a signed URL expire.
"""

import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

EXPIRED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Request has expired</Message></Error>"
)


def expired(query: dict[str, list[str]], now: datetime) -> bool:
    """Whether a request signed in the query string (a signed URL) is past its X-Amz-Expires."""
    try:
        signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        seconds = int(query["X-Amz-Expires"][0])
    except (KeyError, ValueError):
        return False  # not a signed URL: moto's own checks apply
    return now > signed + timedelta(seconds=seconds)


def refusing_expired_urls(app):
    def application(environ, start_response):
        if expired(parse_qs(environ.get("QUERY_STRING", "")), datetime.now(UTC)):
            start_response("403 Forbidden", [("Content-Type", "application/xml")])
            return [EXPIRED]
        return app(environ, start_response)

    return application


def main() -> None:
    app = refusing_expired_urls(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
