"""The checks on an evidence file before anything is stored (accreditation/uploads.py): types
by content, ZIP bombs, sizes and names. Pure: no database."""

import io
import string
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accreditation import uploads
from accreditation.uploads import DOCX, JPEG, PDF, PNG, XLSX, Limits, Refused

from .files import (
    WORD_MACRO_MAIN,
    docx_bomb,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    windows_program,
    xlsx_bytes,
)

MB = uploads.MB
LIMITS = Limits(max_bytes=20 * MB)


def check(name: str, content: bytes, limits: Limits = LIMITS):
    return uploads.check_file(
        name=name, stream=io.BytesIO(content), size=len(content), limits=limits
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("plan.pdf", pdf_bytes(), PDF),
        ("Plan.PDF", pdf_bytes(), PDF),
        ("response.docx", docx_bytes(), DOCX),
        ("timeline.xlsx", xlsx_bytes(), XLSX),
        ("letter.png", image_bytes("PNG"), PNG),
        ("photo.jpg", image_bytes("JPEG"), JPEG),
        ("photo.jpeg", image_bytes("JPEG"), JPEG),
    ],
)
def test_each_accepted_type_is_known_by_its_content(name, content, kind):
    assert check(name, content) is kind


def test_the_stream_is_rewound_for_whoever_reads_it_next():
    stream = io.BytesIO(docx_bytes())
    uploads.check_file(name="a.docx", stream=stream, size=len(stream.getvalue()), limits=LIMITS)
    assert stream.tell() == 0


def test_a_picture_named_as_a_pdf_is_refused_and_the_message_says_what_it_is():
    with pytest.raises(Refused) as refusal:
        check("plan.pdf", image_bytes("PNG"))
    assert str(refusal.value) == (
        "“plan.pdf” was not accepted: its name says it is a PDF document, but its content is a "
        "PNG image. Rename it to end in .png, or save it again as a PDF document."
    )


def test_text_named_as_a_pdf_is_refused():
    with pytest.raises(Refused, match="“notes.pdf” was not accepted: .* is not one we could"):
        check("notes.pdf", b"Just some notes typed in a text editor.\n")


def test_a_windows_program_renamed_docx_is_refused_as_a_program():
    with pytest.raises(Refused, match="“setup.docx” .* it looks like a Windows program"):
        check("setup.docx", windows_program())


def test_a_word_document_named_as_a_workbook_is_refused():
    with pytest.raises(Refused, match="its content is a Word document. Rename it to end in .docx"):
        check("figures.xlsx", docx_bytes())


def test_any_other_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(Refused, match="“bundle.docx” .* it looks like a ZIP archive"):
        check("bundle.docx", buffer.getvalue())


def test_a_zip_with_word_folders_but_no_content_types_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(Refused, match="is not: it looks like"):
        check("fake.docx", buffer.getvalue())


def test_a_macro_enabled_document_renamed_docx_is_refused():
    with pytest.raises(Refused, match="“budget.docx” .* contains macros"):
        check("budget.docx", docx_bytes(main_type=WORD_MACRO_MAIN))
    with pytest.raises(Refused, match="contains macros"):
        check("budget.docx", docx_bytes(extra={"word/vbaProject.bin": b"\0" * 64}))


def test_an_older_or_password_protected_office_file_is_refused_with_a_way_forward():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(Refused, match="older Word or Excel file .* without a password"):
        check("report.docx", ole)


def test_a_damaged_zip_is_refused():
    with pytest.raises(Refused, match="“broken.docx” was not accepted: it is damaged"):
        check("broken.docx", b"PK\x03\x04" + bytes(200))


def test_a_zip_bomb_in_a_docx_is_refused_from_its_directory():
    with pytest.raises(Refused, match="“plan.docx” .* would unpack to far more data"):
        check("plan.docx", docx_bomb(unpacked_mb=20))


def test_a_docx_that_unpacks_past_the_total_cap_is_refused_even_at_a_plain_ratio():
    content = docx_bytes(extra={"word/media/notes.xml": bytes(range(256)) * 4096})
    with pytest.raises(Refused, match="would unpack to far more data"):
        check("plan.docx", content, Limits(max_bytes=LIMITS.max_bytes, zip_max_unpacked_bytes=MB))


def test_a_docx_of_too_many_parts_is_refused():
    parts = {f"word/media/p{n}.xml": b"<p/>" for n in range(20)}
    with pytest.raises(Refused, match="more than 10 parts"):
        check("plan.docx", docx_bytes(extra=parts), Limits(max_bytes=MB, zip_max_entries=10))


def test_an_encrypted_part_is_refused():
    content = bytearray(docx_bytes(extra={"word/secret.xml": b"<secret/>"}))
    # Set the "encrypted" flag in the last part's central directory entry (secret.xml's).
    entry = content.rindex(b"PK\x01\x02")
    content[entry + 8] |= 0x1
    with pytest.raises(Refused, match="it is encrypted"):
        check("plan.docx", bytes(content))


def test_an_empty_or_oversized_file_is_refused_with_the_sizes():
    too_large = "“plan.pdf” is 1.5 MB: the largest file you can upload is 1 MB"
    with pytest.raises(Refused, match="“plan.pdf” is empty"):
        check("plan.pdf", b"")
    with pytest.raises(Refused, match=too_large):
        check("plan.pdf", pdf_bytes(extra=bytes(int(1.5 * MB))), Limits(max_bytes=MB))


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "The file has no name"),
        ("   ", "The file has no name"),
        ("../plan.pdf", "“../plan.pdf” was not accepted: its name includes folders"),
        ("..\\..\\plan.pdf", "its name includes folders"),
        ("/etc/plan.pdf", "its name includes folders"),
        ("C:plan.pdf", "its name includes folders"),
        ("..", "its name includes folders"),
        ("pl\x07an.pdf", "“pl\ufffdan.pdf” was not accepted: its name contains hidden control"),
        ("plan\n.pdf", "hidden control characters"),
        # A right-to-left override makes "plan\u202efdp.exe" show as "planexe.pdf".
        ("plan\u202efdp.exe", "hidden control characters"),
        ("x" * 197 + ".pdf", "its name is longer than 200 characters"),
        (" plan.pdf", "starts or ends with a space"),
        ("plan.exe", "only PDF, Word (.docx), Excel (.xlsx), PNG and JPEG files"),
        ("plan", "only PDF"),
        (".pdf", "only PDF"),
        ("plan.pdf.exe", "only PDF"),
    ],
)
def test_bad_names_are_refused_not_cleaned(name, why):
    with pytest.raises(Refused) as refusal:
        check(name, pdf_bytes())
    assert why in str(refusal.value)


def test_a_long_name_is_shortened_in_the_message():
    with pytest.raises(Refused) as refusal:
        check("x" * 300 + ".pdf", pdf_bytes())
    assert "“" + "x" * 79 + "…”" in str(refusal.value)


_PLAIN = string.ascii_letters + string.digits + " -_()"


@given(
    stem=st.text(_PLAIN, min_size=1, max_size=60).filter(lambda s: s == s.strip()),
    extension=st.sampled_from(uploads.ACCEPTED_EXTENSIONS),
)
def test_any_plain_name_with_an_accepted_extension_passes(stem, extension):
    uploads.check_name(stem + extension, LIMITS)


@given(
    before=st.text(_PLAIN, max_size=20),
    bad=st.sampled_from(["/", "\\", "\x00", "\x1b", "\x7f", "\u200f", "\u2028"]),
    after=st.text(_PLAIN, max_size=20),
)
def test_any_name_with_a_slash_or_control_character_is_refused(before, bad, after):
    with pytest.raises(Refused):
        uploads.check_name(f"{before}{bad}{after}.pdf", LIMITS)
