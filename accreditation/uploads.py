"""Checks on an uploaded evidence file, before anything of it is stored: its name, its size, and
its type read from its content. No Django here: the service passes in the name, the bytes and
the limits, and gets back the file's type or a `Refused` whose message names the file.

Types are told by content, never by the name or the browser's content type: PDF, PNG and JPEG by
their signatures (through `filetype`), Word and Excel files by opening the ZIP they are and
looking at its parts, from its central directory, without unpacking it (docs/accreditation.md).
"""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import filetype
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from academy.file_names import MB, extension_of, in_words, is_control, shown


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept as evidence."""

    name: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF document", "application/pdf", (".pdf",))
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PNG = FileType("PNG image", "image/png", (".png",))
JPEG = FileType("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
ACCEPTED = (PDF, DOCX, XLSX, PNG, JPEG)
ACCEPTED_WORDS = "PDF, Word (.docx), Excel (.xlsx), PNG and JPEG"
ACCEPTED_EXTENSIONS = tuple(ext for kind in ACCEPTED for ext in kind.extensions)

_BY_SIGNATURE = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPEG}

# What the main part of a Word or Excel file declares itself to be in [Content_Types].xml. The
# macro-enabled forms (.docm, .xlsm) are refused even when renamed: macros run code.
_MAIN_PARTS = {
    DOCX: (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
_MACRO_MAIN_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}

# How a few kinds of file we refuse are described, for a clearer message than an extension.
_LOOKS_LIKE = {
    "exe": "a Windows program",
    "elf": "a program",
    "zip": "a ZIP archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "gz": "a compressed (gzip) file",
    "gif": "a GIF image",
    "bmp": "a BMP image",
    "tif": "a TIFF image",
    "webp": "a WebP image",
    "heic": "a HEIC photo",
    "doc": "an older Word document (.doc)",
    "xls": "an older Excel workbook (.xls)",
    "rtf": "a rich text file (.rtf)",
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    """The bounds a file must keep within. Only `max_bytes` is a setting; the ZIP bounds are
    far above what a real Word or Excel file needs (docs/accreditation.md)."""

    max_bytes: int
    max_name_length: int = 200
    # A DOCX or XLSX: at most this many parts, unpacking to at most this much in all, and no
    # part over a megabyte that unpacks to more than `zip_max_ratio` times its packed size
    # (Apache POI's default for its zip bomb check).
    zip_max_entries: int = 2000
    zip_max_unpacked_bytes: int = 250 * MB
    zip_max_ratio: int = 100
    zip_ratio_from_bytes: int = MB
    content_types_max_bytes: int = MB


class Refused(Exception):
    """The file was refused; the message says why, naming the file, for the person uploading."""


def check_name(name: str, limits: Limits) -> None:
    """Refuse a name that is empty, too long, has folder parts or hidden characters, or does not
    end in an extension we accept. A bad name is refused, not cleaned: what is kept is what the
    person chose."""
    if not name or not name.strip():
        raise Refused(
            "The file has no name. Give it a name that ends in .pdf, .docx, .xlsx, .png or .jpg "
            "and upload it again."
        )
    if any(is_control(c) for c in name):
        raise Refused(
            f"{shown(name)} was not accepted: its name contains hidden control characters. "
            "Rename the file and upload it again."
        )
    if (
        "/" in name
        or "\\" in name
        or name in {".", ".."}
        or (len(name) > 1 and name[1] == ":" and name[0].isascii() and name[0].isalpha())
    ):
        raise Refused(
            f"{shown(name)} was not accepted: its name includes folders or slashes. "
            "Upload the file under a plain name, such as investigation-plan.pdf."
        )
    if len(name) > limits.max_name_length:
        raise Refused(
            f"{shown(name)} was not accepted: its name is longer than "
            f"{limits.max_name_length} characters. Give it a shorter name."
        )
    if name != name.strip():
        raise Refused(
            f"{shown(name)} was not accepted: its name starts or ends with a space. "
            "Rename the file and upload it again."
        )
    if extension_of(name) not in ACCEPTED_EXTENSIONS:
        raise Refused(
            f"{shown(name)} was not accepted: only {ACCEPTED_WORDS} files can be uploaded as "
            "evidence, and the file's name must end in .pdf, .docx, .xlsx, .png, .jpg or .jpeg."
        )


def check_size(name: str, size: int, limits: Limits) -> None:
    if size == 0:
        raise Refused(f"{shown(name)} is empty. Choose the file again, or another one.")
    if size > limits.max_bytes:
        raise Refused(
            f"{shown(name)} is {in_words(size)}: the largest file you can upload is "
            f"{in_words(limits.max_bytes)}. Make it smaller (for example, save a PDF at a lower "
            "image quality) or split it into parts."
        )


def check_file(*, name: str, stream: BinaryIO, size: int, limits: Limits) -> FileType:
    """The file's type, when its name, size and content are acceptable and agree; otherwise
    raise Refused. Reads the start of the stream (and a ZIP's directory) and rewinds it."""
    check_name(name, limits)
    check_size(name, size, limits)
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    claimed = next(kind for kind in ACCEPTED if extension_of(name) in kind.extensions)
    if head.startswith(b"PK\x03\x04"):
        found = _office_type(name, stream, limits)
        stream.seek(0)
    else:
        found = _by_signature(head)
    if found is claimed:
        return found
    if found is not None:
        raise Refused(
            f"{shown(name)} was not accepted: its name says it is a {claimed.name}, but its "
            f"content is a {found.name}. Rename it to end in {found.extensions[0]}, or save it "
            f"again as a {claimed.name}."
        )
    raise Refused(
        f"{shown(name)} was not accepted: its name says it is a {claimed.name}, but its content "
        f"is not{_looks_like(head)}. Only {ACCEPTED_WORDS} files can be uploaded as evidence."
    )


def _by_signature(head: bytes) -> FileType | None:
    kind = filetype.guess(head)
    return _BY_SIGNATURE.get(kind.mime) if kind else None


def _looks_like(head: bytes) -> str:
    if head.startswith(_OLE_SIGNATURE):
        return (
            ": it looks like an older Word or Excel file (.doc or .xls) or a document protected "
            "by a password. Save it as .docx or .xlsx, without a password"
        )
    kind = filetype.guess(head)
    if kind is None:
        return " one we could recognise"
    return f": it looks like {_LOOKS_LIKE.get(kind.extension, f'a {kind.extension.upper()} file')}"


def _office_type(name: str, stream: BinaryIO, limits: Limits) -> FileType | None:
    """DOCX or XLSX when the ZIP has the parts of one and is safe to open; None when it is some
    other ZIP. Only the central directory is read, and [Content_Types].xml within a bound."""
    damaged = Refused(
        f"{shown(name)} was not accepted: it is damaged, or is not really the kind of file its "
        "name says. Open it on your computer, save it again and upload the new copy."
    )
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise damaged from None
    with archive:
        entries = archive.infolist()
        _check_not_a_bomb(name, entries, limits)
        names = {entry.filename for entry in entries}
        kind = next((k for k, (part, _) in _MAIN_PARTS.items() if part in names), None)
        if kind is None or "[Content_Types].xml" not in names:
            return None
        if any(n.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for n in names):
            raise _macros(name)
        declared = _declared_type(archive, _MAIN_PARTS[kind][0], limits)
        if declared in _MACRO_MAIN_TYPES:
            raise _macros(name)
        if declared != _MAIN_PARTS[kind][1]:
            raise damaged
        return kind


def _check_not_a_bomb(name: str, entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    unpacks = Refused(
        f"{shown(name)} was not accepted: it would unpack to far more data than a document of "
        "its size holds, which is how some harmful files are made. If it is a genuine document, "
        "save it again from Word or Excel and upload the new copy."
    )
    if len(entries) > limits.zip_max_entries:
        raise Refused(
            f"{shown(name)} was not accepted: it is made of more than "
            f"{limits.zip_max_entries:,} parts, far more than a document has."
        )
    if sum(entry.file_size for entry in entries) > limits.zip_max_unpacked_bytes:
        raise unpacks
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise Refused(
                f"{shown(name)} was not accepted: it is encrypted. Save it without a password "
                "and upload it again."
            )
        if entry.file_size > limits.zip_ratio_from_bytes and (
            entry.compress_size == 0 or entry.file_size > entry.compress_size * limits.zip_max_ratio
        ):
            raise unpacks


def _declared_type(archive: zipfile.ZipFile, part: str, limits: Limits) -> str:
    """The content type [Content_Types].xml gives the part: its Override, else the Default for
    the part's extension; "" when it gives none or cannot be read."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > limits.content_types_max_bytes:
        return ""
    try:
        with archive.open(info) as member:
            text = member.read(limits.content_types_max_bytes + 1)
        root = fromstring(text)
    except (zipfile.BadZipFile, OSError, ValueError, ParseError, DefusedXmlException):
        return ""
    namespace = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    for override in root.iter(f"{namespace}Override"):
        if override.get("PartName", "").lower() == f"/{part}":
            return override.get("ContentType", "")
    extension = part.rsplit(".", 1)[-1]
    for default in root.iter(f"{namespace}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType", "")
    return ""


def _macros(name: str) -> Refused:
    return Refused(
        f"{shown(name)} was not accepted: it contains macros, which can run programs. Save it "
        "as a Word document (.docx) or Excel workbook (.xlsx) without macros and upload it again."
    )
