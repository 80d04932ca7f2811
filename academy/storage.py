"""Where uploaded and generated files are kept: on this machine's disk (the default), or in an
S3-compatible bucket when ACADEMY_S3_BUCKET is set (config/object_storage.py builds STORAGES).

Code reads and writes files through the storage API only, never by path, so the same code works
on both; a private file leaves the Academy only through academy.file_responses, after the
view's permission check.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used rather than when the models are imported
    (a FileField keeps the storage its callable returns), and again after the setting changes
    (tests on object storage), as Django does for its default storage."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


class MediaStorage(S3Storage):
    """The default storage on object storage. Wagtail's renditions (`images/`) have plain URLs,
    on the bucket or on a CDN's `public_domain`, which a page (or a cached page) can show to
    anyone for as long as the file exists; the bucket's policy lets anyone read that folder.
    Everything else (the original images, which may carry where a photograph was taken, and
    Wagtail's documents, which a collection's privacy may restrict) has a signed URL, given out
    by Wagtail's own views after their checks."""

    PUBLIC_FOLDERS = ("images/",)

    def get_default_settings(self):
        return {**super().get_default_settings(), "public_domain": None}

    def is_public(self, name: str) -> bool:
        return clean_name(name).startswith(self.PUBLIC_FOLDERS)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if parameters or http_method or not self.is_public(name):
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        key = self._normalize_name(clean_name(name))
        if self.public_domain:
            return f"https://{self.public_domain}/{filepath_to_uri(key)}"
        # The unsigned client gives the object's plain URL, in the configured addressing style.
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket_name, "Key": key}
        )


def signed_url(
    field_file, *, content_type: str, seconds: int, filename: str = "", as_attachment=False
) -> str | None:
    """A URL of the file that works for `seconds`, with the response headers a view would have
    sent (its type, download name, never cached by anyone); None when the file is on local disk,
    which has no such URLs."""
    if not isinstance(field_file.storage, S3Storage):
        return None
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
    disposition = content_disposition_header(as_attachment, filename)
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    return field_file.storage.url(field_file.name, parameters=parameters, expire=seconds)
