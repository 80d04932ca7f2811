"""ACADEMY_S3_*: the STORAGES they make, the mistakes refused at start-up, and the Content Security
Policy's sources, which must be where the storages' URLs really point."""

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from config.object_storage import ObjectStore


def store_from(**variables) -> ObjectStore | None:
    env = environ.Env()
    saved = dict(os.environ)
    try:
        for name in [name for name in os.environ if name.startswith("ACADEMY_S3_")]:
            del os.environ[name]
        os.environ.update(variables)
        return ObjectStore.from_env(env, signed_url_seconds=300)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def built(store: ObjectStore, alias: str):
    entry = store.storages()[alias]
    return import_string(entry["BACKEND"])(**entry["OPTIONS"])


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_without_a_bucket_files_stay_on_local_disk():
    assert store_from() is None


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({}, "Set ACADEMY_S3_REGION"),
        ({"ACADEMY_S3_ENDPOINT_URL": "minio.internal:9000"}, "must start with https://"),
        ({"ACADEMY_S3_REGION": "eu-west-2", "ACADEMY_S3_ACCESS_KEY_ID": "AKIA"}, "or neither"),
        (
            {"ACADEMY_S3_REGION": "eu-west-2", "ACADEMY_S3_PUBLIC_MEDIA_DOMAIN": "https://cdn"},
            "is a host name",
        ),
    ],
)
def test_a_configuration_that_cannot_work_is_refused_at_start(variables, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        store_from(ACADEMY_S3_BUCKET="academy-files", **variables)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"ACADEMY_S3_REGION": "eu-west-2"}, "https://academy-files.s3.eu-west-2.amazonaws.com"),
        ({"ACADEMY_S3_REGION": "us-east-1"}, "https://academy-files.s3.amazonaws.com"),
        (
            {"ACADEMY_S3_ENDPOINT_URL": "https://s3.example.net:9000/"},
            "https://s3.example.net:9000",
        ),
    ],
)
def test_the_bucket_origin_is_where_the_storages_urls_point(variables, expected):
    store = store_from(
        ACADEMY_S3_BUCKET="academy-files",
        ACADEMY_S3_ACCESS_KEY_ID="AKIA",
        ACADEMY_S3_SECRET_ACCESS_KEY="secret",
        **variables,
    )
    assert store.bucket_origin() == expected
    private = built(store, "private").url("certificates/ABC.pdf")
    assert origin(private) == expected and "X-Amz-Signature" in private
    media = built(store, "default")
    rendition = media.url("images/logo.fill-40x40.png")
    assert origin(rendition) == expected and "?" not in rendition
    document = media.url("documents/form.pdf")
    assert origin(document) == expected and "X-Amz-Signature" in document
    assert store.csp_sources() == {"img-src": [expected], "media-src": [expected]}


def test_renditions_may_come_from_a_cdn_in_front_of_the_bucket():
    store = store_from(
        ACADEMY_S3_BUCKET="academy-files",
        ACADEMY_S3_REGION="eu-west-2",
        ACADEMY_S3_ACCESS_KEY_ID="AKIA",
        ACADEMY_S3_SECRET_ACCESS_KEY="secret",
        ACADEMY_S3_PUBLIC_MEDIA_DOMAIN="media.academy.example.org",
    )
    media = built(store, "default")
    assert media.url("images/logo.fill-40x40.png") == (
        "https://media.academy.example.org/media/images/logo.fill-40x40.png"
    )
    # The originals and documents are still signed, on the bucket.
    assert origin(media.url("original_images/logo.png")) == store.bucket_origin()
    assert store.csp_sources() == {
        "img-src": ["https://media.academy.example.org"],
        "media-src": ["https://academy-files.s3.eu-west-2.amazonaws.com"],
    }


def test_the_sites_content_security_policy_follows_the_configuration():
    """The settings as a server loads them, with object storage configured."""
    script = (
        "import json; from config.settings import production as s; "
        "print(json.dumps([s.STORAGES['private']['BACKEND'], "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "academy.example.org",
        "ACADEMY_S3_BUCKET": "academy-files",
        "ACADEMY_S3_REGION": "eu-west-2",
        "ACADEMY_S3_PUBLIC_MEDIA_DOMAIN": "media.academy.example.org",
    }
    output = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    backend, directives = json.loads(output)
    assert backend == "storages.backends.s3.S3Storage"
    assert "https://media.academy.example.org" in directives["img-src"]
    assert "https://academy-files.s3.eu-west-2.amazonaws.com" in directives["media-src"]
    assert directives["script-src"] == ["'self'"]
