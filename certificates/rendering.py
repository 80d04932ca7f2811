"""Turns a certificate into a PDF with xhtml2pdf, fetching nothing beyond our own static files."""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from xhtml2pdf import pisa


class RenderError(Exception):
    pass


def _only_local_static(uri: str, rel: str) -> str:
    """xhtml2pdf's resource hook: data URIs and files under our static folders, nothing else.

    Refusing everything else keeps a crafted name or template from making the renderer read
    arbitrary files or reach the network.
    """
    if uri.startswith("data:image/"):
        return uri
    if uri.startswith(settings.STATIC_URL):
        try:
            found = finders.find(uri.removeprefix(settings.STATIC_URL))
        except SuspiciousFileOperation:  # a path that climbs out of the static folders
            return ""
        if found and Path(found).is_file():
            return found
    return ""


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def certificate_pdf(certificate) -> bytes:
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "qr": qr_data_uri(certificate.verify_url),
        },
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, link_callback=_only_local_static, encoding="utf-8")
    if result.err:
        raise RenderError(f"xhtml2pdf reported {result.err} error(s) for {certificate.code}")
    return out.getvalue()
