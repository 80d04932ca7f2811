"""Two web nodes: gunicorn twice, on two ports, sharing only PostgreSQL, Redis and the S3 bucket,
and one learner walking across them as a load balancer would send them: signed in on one and
still signed in on the other, enrolled on one and enrolled on the other, an attempt started on
one and submitted on the other, a file uploaded to one and downloaded from the other, the
certificate PDF made on one and downloaded from the other, a rate limit counted across both, and
a visitor's page kept in the shared cache that a publish makes stale on both at once. Neither node
keeps a file on its own disk.

Runs on PostgreSQL (`make test-postgres`; the nodes are processes of their own, so the suite's
in-memory SQLite database cannot be shared), with Redis at WEB_NODES_REDIS_URL
(redis://127.0.0.1:6379/9 unless set).
"""

import http.client
import os
import secrets
import sys
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from environ import Env

from assessments.models import Attempt
from bench.server import Gunicorn
from certificates import signing
from certificates.models import Certificate
from tests.academy.factories import PASSWORD, UserFactory
from tests.accreditation.files import pdf_bytes
from tests.accreditation.test_cpd_log import _post
from tests.certificates.factories import AwardFactory
from tests.courses.factories import CourseFactory
from tests.requirements import unavailable
from tests.s3 import fetch

pytestmark = [
    pytest.mark.web_nodes,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = os.environ.get("WEB_NODES_REDIS_URL", "redis://127.0.0.1:6379/9")
# The verification page's limit on both nodes: per client address, so both count one client.
VERIFY_RATE = 4


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """One learner's browser: its cookies, sent to whichever node it asks (cookies do not
    depend on the port), no redirects followed."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, body=b"", headers=None) -> Reply:
        cookies = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"Cookie": cookies, **(headers or {})}
        if method == "POST":
            headers["Origin"] = f"http://127.0.0.1:{port}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            reply = Reply(response.status, response.headers, response.read().decode())
        finally:
            conn.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return reply

    def get(self, port: int, path: str) -> Reply:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict | list) -> Reply:
        """The form posted with the CSRF token from the cookie, as the page's form would."""
        pairs = list(fields.items() if isinstance(fields, dict) else fields)
        pairs.append(("csrfmiddlewaretoken", self.cookies["csrftoken"]))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(port, "POST", path, urlencode(pairs).encode(), headers)

    def post_file(self, port: int, path: str, fields: dict, name: str, file: tuple) -> Reply:
        boundary = "AcademyNodes" + secrets.token_hex(8)
        fields = {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
            for key, value in fields.items()
        ]
        filename, content, content_type = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(port, "POST", path, body, headers)


@pytest.fixture
def cache_prefix():
    """The nodes' cache key prefix in Redis, a new one for each run; its keys go at the end."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable("two web nodes", f"no Redis at {REDIS_URL} ({exc})")
    prefix = f"academy-nodes-{secrets.token_hex(6)}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def shared_database() -> dict:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): the nodes are processes of their "
            "own and cannot share the in-memory SQLite database; `make test-postgres` runs it"
        )
    return connection.settings_dict


@pytest.fixture
def nodes(shared_database, cache_prefix, object_storage, tmp_path):
    """Two gunicorn nodes on this test's database, Redis and bucket, each with folders of its
    own for local files."""
    database = shared_database
    store = object_storage.store
    shared = {
        **os.environ,
        "PYTHONPATH": str(settings.BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.web_nodes.node_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CACHE_URL": REDIS_URL,
        "ACADEMY_NODE_CACHE_PREFIX": cache_prefix,
        "ACADEMY_VERIFY_RATE": f"{VERIFY_RATE}/h",
        "ACADEMY_SIGNING_KEY": signing.private_multikey(signing.new_private_key()),
        "ACADEMY_S3_BUCKET": store.bucket,
        "ACADEMY_S3_REGION": store.region,
        "ACADEMY_S3_ENDPOINT_URL": store.endpoint_url,
        "ACADEMY_S3_ACCESS_KEY_ID": store.access_key_id,
        "ACADEMY_S3_SECRET_ACCESS_KEY": store.secret_access_key,
    }
    started = []
    try:
        for name in ("one", "two"):
            folder = tmp_path / name
            (folder / "media").mkdir(parents=True)
            (folder / "private").mkdir()
            env = {
                **shared,
                "ACADEMY_NODE_MEDIA_ROOT": str(folder / "media"),
                "ACADEMY_NODE_PRIVATE_MEDIA_ROOT": str(folder / "private"),
            }
            started.append(Gunicorn(env, tmp_path / f"{name}.log", workers=1))
        for node in started:
            node.wait_until_ready("/accounts/login/")
        yield started
    except Exception:
        for node in started:
            print(node.log.read_text(errors="replace")[-5000:], file=sys.stderr)
        raise
    finally:
        for node in started:
            node.stop()


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and path.suffix != ".log"]


def right_answers(attempt: Attempt) -> list[tuple[str, str]]:
    """The form fields of full marks, as the attempt page's radios and checkboxes send them."""
    fields = []
    for response in attempt.responses.select_related("version").order_by("position"):
        fields += [(f"q{response.pk}", o["key"]) for o in response.version.options if o["correct"]]
    return fields


def test_one_learner_walks_across_two_nodes(
    nodes, course_tree, object_storage, cache_prefix, tmp_path
):
    one, two = (node.port for node in nodes)
    course = course_tree.course
    AwardFactory(course=course)
    learner = UserFactory(full_name="Amara Okafor", email="amara@example.org")
    browser = Browser()

    # Signed in on one, still signed in on two: the session is in the shared cache and database.
    browser.get(one, "/accounts/login/")
    signed_in = browser.post(
        one, "/accounts/login/", {"login": learner.email, "password": PASSWORD}
    )
    assert signed_in.status == 302, signed_in.body[:2000]
    dashboard = browser.get(two, reverse("dashboard"))
    assert dashboard.status == 200 and "Amara Okafor" in dashboard.body

    # Enrolled on two, which one knows; the lessons done on either.
    assert browser.post(two, reverse("courses:enrol", args=[course.pk]), {}).status == 302
    assert f"Start: {course_tree.lessons[0].title}" in browser.get(one, course.url).body
    for number, lesson in enumerate(course_tree.lessons):
        port = (one, two)[number % 2]
        assert browser.get(port, lesson.url).status == 200
        done = browser.post(port, reverse("courses:complete_lesson", args=[lesson.pk]), {})
        assert done.status == 302

    # The final assessment started on one, answered and handed in on two.
    started = browser.post(one, reverse("courses:start_assessment", args=[course.pk]), {})
    assert started.status == 302
    attempt_path = urlsplit(started.location).path
    page = browser.get(two, attempt_path)
    assert page.status == 200
    form = BeautifulSoup(page.body, "html.parser").find("form", attrs={"data-attempt-url": True})
    assert form is not None
    attempt = Attempt.objects.get(user=learner)
    handed_in = browser.post(two, attempt_path, [*right_answers(attempt), ("submit", "1")])
    assert handed_in.status == 302 and handed_in.location.endswith("result/")

    # The certificate's PDF was made by two, in the bucket; one serves it, by a signed URL.
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.pdf, "node two made no PDF"
    assert object_storage.keys("private/certificates/") == [f"private/{certificate.pdf.name}"]
    download = browser.get(one, reverse("certificates:pdf", args=[certificate.code]))
    assert download.status == 302
    pdf = fetch(download.location)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")

    # CPD evidence uploaded to one, downloaded from two.
    evidence = pdf_bytes("Notes from the remedies workshop")
    browser.get(one, reverse("accreditation:cpd_add"))
    added = browser.post_file(
        one,
        reverse("accreditation:cpd_add"),
        _post(),
        "evidence",
        ("Workshop notes.pdf", evidence, "application/pdf"),
    )
    assert added.status == 302, added.body[:2000]
    entry = learner.cpd_entries.get(evidence__startswith="cpd/")
    downloaded = browser.get(two, reverse("accreditation:cpd_evidence", args=[entry.pk]))
    fetched = fetch(downloaded.location)
    assert fetched.body == evidence

    # The verification page's limit counts this client's requests on both nodes together.
    verify = certificate.get_absolute_url()
    answers = [browser.get(port, verify).status for port in (one, two, one, two, one, two)]
    assert answers == [200] * VERIFY_RATE + [429, 429]

    # A visitor's catalogue, kept in the shared cache by one and served from it by two, is stale
    # on both the moment a course is published (here by the test, on the nodes' Redis).
    visitor = Browser()
    assert "Putting things right" not in visitor.get(one, "/courses/").body
    assert "Putting things right" not in visitor.get(two, "/courses/").body
    draft = CourseFactory(parent=course_tree.catalogue, title="Putting things right", live=False)
    nodes_cache = {**Env.cache_url_config(REDIS_URL), "KEY_PREFIX": cache_prefix}
    with override_settings(CACHES={"default": nodes_cache}):
        draft.save_revision().publish()
    assert "Putting things right" in visitor.get(two, "/courses/").body
    assert "Putting things right" in visitor.get(one, "/courses/").body

    # Nothing was kept on either node's own disk.
    assert files_under(tmp_path / "one") == [] and files_under(tmp_path / "two") == []
