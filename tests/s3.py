"""Object storage for the tests: moto's S3 server (tests/s3_server.py), started once per session
in a process of its own, and a bucket of each test's own that STORAGES points at.

The server is a real HTTP server speaking S3's API; the Academy talks to it through
django-storages and boto3 as it would to any S3-compatible store, and the tests fetch signed
and public URLs from it over HTTP as a browser would.
"""

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from config.object_storage import MEDIA_FOLDER, ObjectStore
from tests.requirements import unavailable

REGION = "eu-west-2"
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Fetched:
    status: int
    headers: Message  # looked up without regard to case, as HTTP's names are
    body: bytes


def fetch(url: str, headers: dict[str, str] | None = None) -> Fetched:
    """A GET with no credentials, as a browser following a link or a redirect makes it."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our S3 server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read())


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of moto's S3 server, running for the whole session."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        unavailable("object storage", "moto's server is not installed (pip install -e '.[dev]')")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.s3_server"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = process.stdout.readline().strip()
        if not port.isdigit():
            unavailable("object storage", "moto's S3 server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Bucket:
    """A test's bucket on the S3 server, and how the Academy is configured to use it."""

    store: ObjectStore
    client: object  # boto3's S3 client, to look inside the bucket as its operator would

    @property
    def name(self) -> str:
        return self.store.bucket

    def keys(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return [item["Key"] for item in listed.get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def storages(self) -> dict:
        from django.conf import settings

        return {**settings.STORAGES, **self.store.storages()}


def make_bucket(endpoint: str) -> Bucket:
    """A new bucket whose policy lets anyone read Wagtail's renditions (media/images/) and
    nothing else, as docs/operations.md tells the operator to set it up."""
    import boto3

    store = ObjectStore(
        bucket=f"academy-test-{secrets.token_hex(6)}",
        region=REGION,
        endpoint_url=endpoint,
        access_key_id="academy-test",
        secret_access_key="academy-test-secret",  # moto accepts any
        signed_url_seconds=300,
    )
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=store.access_key_id,
        aws_secret_access_key=store.secret_access_key,
    )
    client.create_bucket(
        Bucket=store.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    client.put_bucket_policy(Bucket=store.bucket, Policy=json.dumps(public_renditions(store)))
    return Bucket(store=store, client=client)


def public_renditions(store: ObjectStore) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRenditions",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{store.bucket}/{MEDIA_FOLDER}/images/*",
            }
        ],
    }


@pytest.fixture
def object_storage(s3_endpoint, settings, tmp_path) -> Bucket:
    """STORAGES on a new bucket of moto's S3 server, for this test; MEDIA_ROOT and
    PRIVATE_MEDIA_ROOT empty folders of its own, where nothing should appear."""
    bucket = make_bucket(s3_endpoint)
    settings.STORAGES = bucket.storages()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return bucket
