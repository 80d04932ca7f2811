"""Evidence files for tests, made by the libraries that make real ones where we have them
(reportlab for PDF, Pillow for images, openpyxl for Excel) and by hand for Word."""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def pdf_bytes(text: str = "Investigation plan, case 2", *, extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.save()
    pdf = buffer.getvalue()
    # Bytes after %%EOF are ignored by readers; a test uses them to hide something in a PDF.
    return pdf + extra


def image_bytes(kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(buffer, kind)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Case", "Days to respond"])
    workbook.active.append(["A-101", 18])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(*, main_type: str = WORD_MAIN, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word document: the parts Word itself needs to open one."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
            "</Types>"
        ).encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>Investigation plan</w:t></w:r></w:p></w:body></w:document>"
        ),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bomb(unpacked_mb: int = 50) -> bytes:
    """A Word document with a part of zeros that packs about a thousand to one."""
    buffer = io.BytesIO(docx_bytes())
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.bin", "w") as part,
    ):
        for _ in range(unpacked_mb):
            part.write(bytes(1024 * 1024))
    return buffer.getvalue()


def windows_program() -> bytes:
    """The start of a Windows executable: the MZ header and the PE signature it points to."""
    header = bytearray(256)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\0\0"
    return bytes(header)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """What Django hands a view for an uploaded file; the browser's content type is whatever the
    test says, as it is whatever the browser says."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_evidence() -> set[str]:
    """Every evidence file in private storage now."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
