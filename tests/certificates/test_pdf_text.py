"""What a certificate PDF says, read back from the file: every name as it was given, in a font
the file carries with it, and every other field as the certificate holds it."""

import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from academy import pdf_fonts
from certificates import rendering, services
from certificates.errors import RenderError
from tests.academy.factories import UserFactory
from tests.certificates.factories import CertificateDesignFactory
from tests.certificates.pdfs import check_certificate_pdf, flat_text, runs

pytestmark = pytest.mark.django_db

NAMES = [
    "Łukasz Wiśniewski-Șerban Nguyễn Gwenllïan ap Rhŷs",  # the name in the report
    "Zofia Żółkiewska-Łęcka",  # Polish
    "Ștefan Țăranu-Brâncoveanu",  # Romanian, with the comma below
    "Nguyễn Thị Minh Khai",  # Vietnamese
    "Trần Hưng Đạo",
    "Siôn Llŷr ap Rhŷs Ŵyn",  # Welsh
    "Αλέξανδρος Παπαδόπουλος",  # Greek
    "Дмитрий Иванович Соколов",  # Russian
    "Олександра Ґонта-Їжакевич",  # Ukrainian
    "İpek Ağaoğlu Işıkçı",  # Turkish: dotted and dotless i
    "Jiří Dvořák",  # Czech
    "Erdős Pálma Kőműves",  # Hungarian
    "Þórunn Guðmundsdóttir",  # Icelandic
    "Ġużeppi Ħabib Żammit",  # Maltese
    "Ķēniņa Ļūdmila Ņikitina",  # Latvian
    "Əli Məmmədov",  # Azerbaijani
    "Ђорђе Петровић",  # Serbian
    "Seán Ó Briain",  # Irish
]


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_prints_the_name_as_it_was_given_in_a_font_it_carries(award, name):
    certificate = services.issue_certificate(learner=UserFactory(full_name=name), award=award)
    printed = [run for run in runs(rendering.certificate_pdf(certificate)) if run.text == name]
    assert len(printed) == 1, [run.text for run in runs(rendering.certificate_pdf(certificate))]
    assert printed[0].embedded
    assert printed[0].font.endswith("FiraSans-SemiBold")


# Scripts Fira Sans lacks: each drawn in the face that carries it (academy.pdf_fonts).
OTHER_SCRIPTS = [
    ("محمد العلي", "NotoSansArabic"),  # Arabic, joined and right to left
    ("王芳", "DroidSansFallback"),  # Chinese
    ("김민준", "NanumGothic"),  # Korean Hangul, which Droid Sans Fallback lacks
]
SYSTEM_FACES = {"DroidSansFallback": pdf_fonts.CJK_FONT, "NanumGothic": pdf_fonts.HANGUL_FONT}


@pytest.mark.parametrize(("name", "face"), OTHER_SCRIPTS)
def test_names_in_scripts_fira_sans_lacks_print_in_a_font_that_has_them(award, name, face):
    if face in SYSTEM_FACES and not SYSTEM_FACES[face].is_file():
        pytest.skip(f"{SYSTEM_FACES[face]} is not installed (CI installs it)")
    certificate = services.issue_certificate(learner=UserFactory(full_name=name), award=award)
    pdf = rendering.certificate_pdf(certificate)
    check_certificate_pdf(pdf, certificate)  # the whole text reads back, in embedded fonts
    drawn = [run for run in runs(pdf) if unicodedata.normalize("NFKC", run.text) == name]
    assert drawn and all(face in run.font for run in drawn), [(r.text, r.font) for r in runs(pdf)]


def test_every_font_that_draws_text_is_embedded_as_truetype(certificate):
    page = PdfReader(io.BytesIO(rendering.certificate_pdf(certificate))).pages[0]
    drawing = {run.font for run in runs(rendering.certificate_pdf(certificate))}
    fonts = {
        str(font.get_object()["/BaseFont"]): font.get_object()
        for font in page["/Resources"]["/Font"].values()
    }
    assert drawing == {name for name in fonts if "FiraSans" in name}
    for name in drawing:
        descriptor = fonts[name]["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name  # the TrueType program itself, in the file
        assert name.split("+")[1] in {"FiraSans-Regular", "FiraSans-SemiBold"}


def test_the_text_read_back_is_every_field_of_the_certificate_in_order(
    award, monkeypatch, settings
):
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    award.title = "Investigating complaints fairly"
    award.wording = "Showed they can plan and run a fair investigation."
    award.cpd_hours = 3
    award.validity_unit, award.validity_length = "years", 2
    award.save()
    CertificateDesignFactory(signatory_name="Grace Holloway", signatory_role="Head of Learning")
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 10, 12, tzinfo=UTC))
    learner = UserFactory(full_name="Αλέξανδρος Παπαδόπουλος")
    certificate = services.issue_certificate(learner=learner, award=award)
    code = certificate.display_code

    assert [run.text for run in runs(rendering.certificate_pdf(certificate))] == [
        "PHSO Academy",
        "Certificate of completion",
        "This certifies that",
        "Αλέξανδρος Παπαδόπουλος",
        "has completed",
        "Investigating complaints fairly",
        "Showed they can plan and run a fair investigation.",
        "Issued on 10 March 2026 · 3 CPD hours",
        "Valid until 10 March 2028",
        "Grace Holloway",
        "Head of Learning",
        "Certificate code",
        code,
        "Scan to verify",
        f"Check this certificate at https://academy.example.org/verify/{code}/",
    ]


def test_the_verify_address_and_the_code_are_printed_large_enough_to_read(certificate):
    printed = {run.text: run for run in runs(rendering.certificate_pdf(certificate))}
    address = printed[f"Check this certificate at {certificate.verify_url}"]
    assert address.size >= 11
    assert printed[certificate.display_code].size >= 14


def test_a_long_wording_wraps_and_still_reads_back_whole(award, learner):
    award.wording = " ".join(["Handled complaints fairly, openly and in good time."] * 6)
    award.save()
    certificate = services.issue_certificate(learner=learner, award=award)
    assert award.wording in flat_text(rendering.certificate_pdf(certificate))


def test_without_its_font_the_certificate_is_not_rendered_at_all(certificate, monkeypatch):
    monkeypatch.setattr(rendering, "FONT_FOLDER", Path("/nonexistent/fonts"))
    with pytest.raises(RenderError, match="font is not installed"):
        rendering.certificate_pdf(certificate)


def test_the_renderer_reads_the_two_certificate_fonts_and_no_other_file_beside_them():
    hook = rendering._only_local_files
    for path in rendering.font_files().values():
        assert hook(path, "") == path
        rendering.resource_policy().check_path(path)
    assert hook(str(rendering.FONT_FOLDER / "FiraSans-Black.ttf"), "") == ""
    assert hook(str(rendering.FONT_FOLDER / ".." / "LICENSE"), "") == ""
    assert hook(f"file://{rendering.font_files()['normal']}", "") == ""
