"""Installing the JSON-LD contexts from pinned npm tarballs, and serving only them (no network)."""

import base64
import hashlib
import io
import json
import tarfile

import pytest

from certificates import contexts


def tarball(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


VC = {"@context": {"@protected": True, "id": "@id"}}
OB_MODULE = "/*! notice */\n'use strict';\n\nmodule.exports = " + json.dumps(
    {"@context": {"Achievement": {"@id": "https://example.org/Achievement"}}}, indent=2
)
VC_TARBALL = tarball({"package/contexts/v2.jsonld": json.dumps(VC), "package/README.md": "x"})
OB_TARBALL = tarball({"package/js/contexts/context-3.0.3.js": OB_MODULE})


@pytest.fixture
def pinned(monkeypatch):
    """Two packages like the real ones, pinned to these tarballs' own integrity."""
    pins = (
        contexts.Context(
            url="https://example.org/vc/v2",
            package="@example/credentials-context",
            version="1.0.0",
            integrity=integrity(VC_TARBALL),
            member="package/contexts/v2.jsonld",
        ),
        contexts.Context(
            url="https://example.org/ob/v3",
            package="open-badges-context",
            version="2.0.0",
            integrity=integrity(OB_TARBALL),
            member="package/js/contexts/context-3.0.3.js",
            javascript=True,
        ),
    )
    monkeypatch.setattr(contexts, "CONTEXTS", pins)
    return pins


def serve(requested):
    tarballs = {
        "https://registry.npmjs.org/@example/credentials-context/-/credentials-context-1.0.0.tgz": (
            VC_TARBALL
        ),
        "https://registry.npmjs.org/open-badges-context/-/open-badges-context-2.0.0.tgz": (
            OB_TARBALL
        ),
    }

    def download(url):
        requested.append(url)
        return tarballs[url]

    return download


def test_install_extracts_only_the_contexts_and_a_second_run_downloads_nothing(
    pinned, tmp_path, monkeypatch
):
    target = tmp_path / "jsonld-contexts"
    requested = []
    assert contexts.install(target, download=serve(requested)) is True
    assert len(requested) == 2
    assert sorted(path.name for path in target.iterdir()) == sorted(
        [context.filename for context in pinned] + ["manifest.json"]
    )
    assert contexts.install(target, download=serve(requested)) is False
    assert len(requested) == 2

    monkeypatch.setenv("ACADEMY_JSONLD_CONTEXTS", str(target))
    loader = contexts.document_loader()
    assert loader("https://example.org/vc/v2")["document"] == VC
    assert "Achievement" in loader("https://example.org/ob/v3")["document"]["@context"]
    with pytest.raises(contexts.ContextsError, match="not one the Academy uses"):
        loader("https://example.org/anything-else")


def test_a_tarball_that_does_not_match_its_pin_installs_nothing(pinned, tmp_path):
    target = tmp_path / "venv" / "jsonld-contexts"

    def tampered(url):
        return VC_TARBALL + b"\0"

    with pytest.raises(contexts.ContextsError, match="does not match its pinned integrity"):
        contexts.install(target, download=tampered)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # the half-made folder is gone too


def test_only_https_is_fetched():
    with pytest.raises(contexts.ContextsError, match="only HTTPS"):
        contexts._download("http://registry.npmjs.org/x.tgz")


def test_a_package_without_the_context_file_is_refused(pinned):
    with pytest.raises(contexts.ContextsError, match="has no package/contexts/v2.jsonld"):
        contexts.extract(pinned[0], tarball({"package/index.js": ""}))
    with pytest.raises(contexts.ContextsError, match="not a JSON-LD context"):
        contexts.extract(pinned[0], tarball({"package/contexts/v2.jsonld": "[]"}))


def test_loading_before_installing_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_JSONLD_CONTEXTS", str(tmp_path / "missing"))
    with pytest.raises(contexts.ContextsError, match="make setup"):
        contexts.document_loader()


def test_the_real_pins_name_existing_versions_and_sha512_integrity():
    assert {context.url for context in contexts.CONTEXTS} == {contexts.VC_V2, contexts.OB_V3P0}
    for context in contexts.CONTEXTS:
        assert context.integrity.startswith("sha512-")
        assert context.tarball.startswith("https://registry.npmjs.org/")
    assert contexts.installed()  # `make setup` ran in this virtualenv
