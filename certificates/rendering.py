"""Turns a certificate into a PDF with xhtml2pdf, fetching nothing beyond our own files.

Two locks, as xhtml2pdf's security guide advises. Every `src`/`href` goes through our
`link_callback`, which answers only for data URIs, our static files and the font files of
`academy.pdf_fonts`, and returns nothing for anything else (other schemes, other hosts, paths
that climb out). Behind it, xhtml2pdf's own `ResourceAccessPolicy` (the strict `server` preset)
refuses the network outright and confines local reads to those same folders.

The design's logo and signature are Wagtail images, which may be in object storage rather than
on this machine's disk: their renditions are read through the storage and handed to xhtml2pdf as
data URIs, so the renderer never reads media files by path.
"""

import base64
import io
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from academy.pdf_fonts import FIRA_FOLDER, families, font_faces, missing_fonts

from .errors import RenderError

# A rendition larger than this is not drawn: a logo is a few hundred kilobytes at most.
LARGEST_IMAGE_BYTES = 5 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Every PDF embeds its fonts (academy.pdf_fonts): the standard PDF fonts draw only Western
# European letters, so names such as "Łukasz", "محمد" or "王芳" came out with boxes.
FONT_FOLDER = FIRA_FOLDER
FONT_FACES = {"normal": "FiraSans-Regular.ttf", "bold": "FiraSans-SemiBold.ttf"}


def font_files() -> dict[str, str]:
    """The Latin faces by weight: the certificate's main font (the demo draws with it too)."""
    return {weight: str(FONT_FOLDER / name) for weight, name in FONT_FACES.items()}


def faces() -> list[tuple[str, str, str]]:
    """(family, weight, file) of every face the certificate template declares: the Latin faces,
    then those that draw the scripts Fira Sans lacks."""
    latin = [("Fira Sans", weight, path) for weight, path in font_files().items()]
    return latin + [face for face in font_faces() if face[0] != "Fira Sans"]


def _only_local_files(uri: str, rel: str) -> str:
    """xhtml2pdf's resource hook: data images, our static files and the certificate's font
    files, nothing else.

    Refusing everything else keeps a crafted name or template from making the renderer read
    arbitrary files or reach the network.
    """
    if uri.startswith("data:image/"):
        return uri
    if uri in {path for _, _, path in faces()}:
        return uri
    if uri.startswith(settings.STATIC_URL):
        try:
            found = finders.find(uri.removeprefix(settings.STATIC_URL))
        except SuspiciousFileOperation:  # a path that climbs out of the static folders
            return ""
        if found and Path(found).is_file():
            return found
    return ""


def resource_policy() -> ResourceAccessPolicy:
    """xhtml2pdf's own limits: no network, local reads only in our static and font folders."""
    roots = [Path(folder) for folder in settings.STATICFILES_DIRS]
    roots += list({Path(path).parent for _, _, path in faces()})
    return ResourceAccessPolicy.server(base_dir=None, allow_remote=False, extra_roots=tuple(roots))


# The name the first slice used; kept for callers and tests that refer to it.
_only_local_static = _only_local_files


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def _image_data_uri(image, spec: str) -> str:
    """A PNG rendition of a Wagtail image as a data URI, read through its storage (local disk or
    object storage alike), or "" when it cannot be made."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            content = handle.read(LARGEST_IMAGE_BYTES + 1)
    except (OSError, ValueError):  # a missing or broken image file must not stop the certificate
        return ""
    if len(content) > LARGEST_IMAGE_BYTES or not content.startswith(PNG_SIGNATURE):
        return ""
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


def certificate_pdf(certificate) -> bytes:
    declared = faces()
    missing = missing_fonts(declared)
    if missing:  # xhtml2pdf would fall back to Helvetica without a word, and print boxes
        raise RenderError(f"The certificate font is not installed: {', '.join(missing)}")
    design = certificate.design
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "qr": qr_data_uri(certificate.verify_url),
            "faces": declared,
            "families": families(declared),
            "logo_url": _image_data_uri(design and design.logo, "max-1200x480|format-png"),
            "signature_url": _image_data_uri(
                design and design.signature_image, "max-1200x400|format-png"
            ),
        },
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(
        html,
        dest=out,
        link_callback=_only_local_files,
        resource_policy=resource_policy(),
        encoding="utf-8",
    )
    if result.err:
        raise RenderError(f"xhtml2pdf reported {result.err} error(s) for {certificate.code}")
    return out.getvalue()
