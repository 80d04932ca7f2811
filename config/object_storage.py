"""STORAGES on S3-compatible object storage when ACADEMY_S3_BUCKET is set, and the origins its
URLs point at, which the Content Security Policy must allow (docs/operations.md, "Files on object
storage"; docs/decisions.md, "Files on object storage").

One bucket holds two folders: `media/` for the default storage (Wagtail's images and documents)
and `private/` for certificate PDFs, evidence and recordings. Nothing in the bucket is public
except `media/images/` (Wagtail's renditions, by a plain URL); everything else is reached by a
signed URL that a view hands out after its permission check.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

MEDIA_FOLDER = "media"
PRIVATE_FOLDER = "private"


@dataclass(frozen=True)
class ObjectStore:
    bucket: str
    region: str = ""
    endpoint_url: str = ""  # another provider's S3 API (MinIO, Ceph, ...); empty on AWS
    access_key_id: str = ""  # empty: boto3's own chain (an instance role, AWS_* variables)
    secret_access_key: str = ""
    public_media_domain: str = ""  # a CDN's host in front of the bucket, for the renditions
    signed_url_seconds: int = 300

    @classmethod
    def from_env(cls, env: environ.Env, *, signed_url_seconds: int) -> "ObjectStore | None":
        """The store ACADEMY_S3_* describe, or None (files on local disk) without a bucket."""
        bucket = env("ACADEMY_S3_BUCKET", default="")
        if not bucket:
            return None
        store = cls(
            bucket=bucket,
            region=env("ACADEMY_S3_REGION", default=""),
            endpoint_url=env("ACADEMY_S3_ENDPOINT_URL", default="").rstrip("/"),
            access_key_id=env("ACADEMY_S3_ACCESS_KEY_ID", default=""),
            secret_access_key=env("ACADEMY_S3_SECRET_ACCESS_KEY", default=""),
            public_media_domain=env("ACADEMY_S3_PUBLIC_MEDIA_DOMAIN", default=""),
            signed_url_seconds=signed_url_seconds,
        )
        store.check()
        return store

    def check(self) -> None:
        if not self.endpoint_url and not self.region:
            raise ImproperlyConfigured(
                "Set ACADEMY_S3_REGION (e.g. eu-west-2) with ACADEMY_S3_BUCKET, or "
                "ACADEMY_S3_ENDPOINT_URL for a provider other than AWS."
            )
        if self.endpoint_url and urlsplit(self.endpoint_url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(
                f"ACADEMY_S3_ENDPOINT_URL must start with https:// (or http://), not "
                f"{self.endpoint_url!r}."
            )
        if bool(self.access_key_id) != bool(self.secret_access_key):
            raise ImproperlyConfigured(
                "Set both ACADEMY_S3_ACCESS_KEY_ID and ACADEMY_S3_SECRET_ACCESS_KEY, or neither "
                "(boto3 then finds credentials itself, e.g. the instance's role)."
            )
        if "/" in self.public_media_domain or ":" in self.public_media_domain:
            raise ImproperlyConfigured(
                "ACADEMY_S3_PUBLIC_MEDIA_DOMAIN is a host name (media.example.org), without "
                "https:// or a path."
            )
        if self.signed_url_seconds < 1:
            raise ImproperlyConfigured("ACADEMY_S3_SIGNED_URL_SECONDS must be at least 1.")

    def _options(self, folder: str) -> dict:
        return {
            "bucket_name": self.bucket,
            "location": folder,
            "region_name": self.region or None,
            "endpoint_url": self.endpoint_url or None,
            "access_key": self.access_key_id or None,
            "secret_key": self.secret_access_key or None,
            "signature_version": "s3v4",
            # Another provider's endpoint takes the bucket in the path; AWS in the host name.
            # Fixed, not left to botocore, so bucket_origin() knows where URLs point.
            "addressing_style": "path" if self.endpoint_url else "virtual",
            # Two uploads of "report.pdf" must not overwrite each other (S3Storage's default),
            # as FileSystemStorage never does.
            "file_overwrite": False,
            "default_acl": None,  # objects are private; the bucket policy opens media/images/
            "querystring_auth": True,
            "querystring_expire": self.signed_url_seconds,
        }

    def storages(self) -> dict:
        """The "default" and "private" entries of STORAGES."""
        return {
            "default": {
                "BACKEND": "academy.storage.MediaStorage",
                "OPTIONS": {
                    **self._options(MEDIA_FOLDER),
                    "public_domain": self.public_media_domain or None,
                },
            },
            "private": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": self._options(PRIVATE_FOLDER),
            },
        }

    def bucket_origin(self) -> str:
        """Where the bucket's own URLs point, signed or not."""
        if self.endpoint_url:
            parts = urlsplit(self.endpoint_url)
            return f"{parts.scheme}://{parts.netloc}"
        # botocore's virtual-hosted names: us-east-1 keeps the global endpoint's.
        regional = "s3" if self.region == "us-east-1" else f"s3.{self.region}"
        return f"https://{self.bucket}.{regional}.amazonaws.com"

    def public_media_origin(self) -> str:
        """Where pages' images (Wagtail's renditions) are fetched from."""
        if self.public_media_domain:
            return f"https://{self.public_media_domain}"
        return self.bucket_origin()

    def csp_sources(self) -> dict[str, list[str]]:
        """What the Content Security Policy adds, by directive: pages' images from the public
        media origin; a recording's video, which its view redirects to a signed URL, from the
        bucket. Downloads are navigations, which the policy does not govern."""
        return {"img-src": [self.public_media_origin()], "media-src": [self.bucket_origin()]}
