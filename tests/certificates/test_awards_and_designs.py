"""Awards (wording, validity, CPD, expectations), certificate designs and what the PDF prints."""

import base64
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from certificates import rendering, selectors, services
from certificates.models import Award, Certificate, CertificateDesign
from certificates.validity import add_months
from tests.academy.factories import UserFactory
from tests.certificates.factories import AwardFactory, CertificateDesignFactory, image
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db


def pdf_reader(certificate) -> PdfReader:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def pdf_flat_text(certificate) -> str:
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(certificate).pages).split())


@pytest.fixture
def award(course):
    return AwardFactory(course=course)


# Validity ----------------------------------------------------------------------------------------


def test_months_are_calendar_months_and_month_ends_are_kept_in_the_month():
    moment = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert add_months(moment, 1) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert add_months(moment, 13) == datetime(2027, 2, 28, 9, 30, tzinfo=UTC)
    assert add_months(datetime(2024, 2, 29, tzinfo=UTC), 12) == datetime(2025, 2, 28, tzinfo=UTC)


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(UTC),
    ),
    months=st.integers(min_value=1, max_value=240),
)
def test_adding_months_always_moves_forward_by_about_that_many_months(moment, months):
    later = add_months(moment, months)
    assert later > moment
    assert (later.year - moment.year) * 12 + later.month - moment.month == months
    assert later.time() == moment.time()


@pytest.mark.parametrize(
    ("unit", "length", "expected"),
    [
        ("none", None, None),
        ("months", 18, datetime(2027, 9, 10, 12, tzinfo=UTC)),
        ("years", 3, datetime(2029, 3, 10, 12, tzinfo=UTC)),
    ],
)
def test_a_certificate_is_valid_for_the_awards_period_from_its_issue(
    award, learner, unit, length, expected, monkeypatch
):
    award.validity_unit, award.validity_length = unit, length
    award.save()
    issued = datetime(2026, 3, 10, 12, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: issued)
    certificate = services.issue_certificate(learner=learner, award=award)
    assert certificate.valid_until == expected
    assert certificate.state_at(issued) == "valid"
    if expected:
        assert certificate.state_at(expected) == "expired"


@pytest.mark.parametrize(("unit", "length"), [("none", 2), ("months", None), ("years", 0)])
def test_the_database_refuses_a_validity_without_a_sensible_period(award, unit, length):
    award.validity_unit, award.validity_length = unit, length
    with pytest.raises(IntegrityError):
        award.save()


# Designs -----------------------------------------------------------------------------------------


def test_no_design_at_all_means_no_design(award):
    assert selectors.design_for(award=award) is None


def test_the_default_design_applies_when_nothing_more_specific_exists(award):
    default = CertificateDesignFactory()
    CertificateDesignFactory(kind=Award.Kind.WEBINAR_ATTENDANCE)
    assert selectors.design_for(award=award) == default


def test_a_design_for_the_kind_wins_over_the_default(award):
    CertificateDesignFactory()
    for_kind = CertificateDesignFactory(kind=Award.Kind.COURSE_COMPLETION)
    assert selectors.design_for(award=award) == for_kind


def test_a_design_for_the_award_wins_over_kind_and_default(award, catalogue):
    CertificateDesignFactory()
    CertificateDesignFactory(kind=Award.Kind.COURSE_COMPLETION)
    for_award = CertificateDesignFactory(award=award)
    other_course = build_course(catalogue=catalogue, title="Investigating complaints").course
    other_course_award = services.award_for_course(course=other_course)
    CertificateDesignFactory(award=other_course_award)
    assert selectors.design_for(award=award) == for_award


def test_the_design_lookup_is_one_query(award, django_assert_num_queries):
    CertificateDesignFactory(logo=image())
    CertificateDesignFactory(kind=Award.Kind.COURSE_COMPLETION, logo=image())
    with django_assert_num_queries(1):
        design = selectors.design_for(award=award)
        assert design.logo.title == "Logo"


@pytest.mark.parametrize(
    "second",
    [
        {"kind": ""},  # a second default
        {"kind": Award.Kind.COURSE_COMPLETION, "first": {"kind": Award.Kind.COURSE_COMPLETION}},
        {"award": True, "first": {"award": True}},
        {"award": True, "kind": Award.Kind.COURSE_COMPLETION, "first": {"name": "x"}},
    ],
    ids=["two-defaults", "two-for-a-kind", "two-for-an-award", "award-and-kind"],
)
def test_the_database_keeps_one_design_per_level(award, second):
    first = dict(second.pop("first", {}))
    if first.pop("award", False):
        first["award"] = award
    CertificateDesignFactory(**first)
    if second.pop("award", False):
        second["award"] = award
    with pytest.raises(IntegrityError):
        CertificateDesignFactory(**second)


# What the certificate prints, and that it never changes ----------------------------------------


def test_the_certificate_prints_the_awards_wording_and_the_designs_signatory(
    award, learner, django_capture_on_commit_callbacks
):
    award.wording = "Showed they can welcome a complaint and keep the person informed."
    award.save()
    CertificateDesignFactory(
        extra_wording="Awarded under the NHS Complaint Standards.",
        logo=image("Logo"),
        signature_image=image("Signature", colour="#000000"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(learner=learner, award=award)
    flat = pdf_flat_text(certificate)
    assert "Showed they can welcome a complaint and keep the person informed." in flat
    assert "Awarded under the NHS Complaint Standards." in flat
    assert "Rob Behrens Ombudsman" in flat  # the role on the line under the name
    # The QR code, the logo and the signature are drawn.
    assert len(pdf_reader(certificate).pages[0].images) == 3


def test_without_a_design_the_pdf_has_the_qr_code_and_no_signatory(
    award, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(learner=learner, award=award)
    assert certificate.signatory_name == ""
    assert len(pdf_reader(certificate).pages[0].images) == 1
    assert "PHSO Academy" in pdf_flat_text(certificate)


def test_later_edits_to_the_award_or_design_never_change_an_issued_certificate(
    award, learner, django_capture_on_commit_callbacks
):
    award.wording = "Original wording."
    award.cpd_hours = 3
    award.validity_unit, award.validity_length = "years", 2
    award.save()
    design = CertificateDesignFactory(signatory_name="First Signatory", extra_wording="First.")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(learner=learner, award=award)
    before = pdf_flat_text(certificate)
    snapshot = Certificate.objects.values(
        "name_on_certificate",
        "title_on_certificate",
        "wording_on_certificate",
        "cpd_hours",
        "signatory_name",
        "signatory_role",
        "valid_until",
    ).get(pk=certificate.pk)

    award.title = "Renamed award"
    award.wording = "New wording."
    award.cpd_hours = 9
    award.validity_unit, award.validity_length = "none", None
    award.save()
    design.signatory_name = "Second Signatory"
    design.extra_wording = "Second."
    design.save()
    learner.full_name = "Someone Else"
    learner.save()

    again = services.issue_certificate(learner=learner, award=award)
    assert again.pk == certificate.pk
    assert Certificate.objects.values(*snapshot).get(pk=certificate.pk) == snapshot
    assert snapshot["wording_on_certificate"] == "Original wording.\n\nFirst."
    assert snapshot["signatory_name"] == "First Signatory"
    assert snapshot["valid_until"] is not None
    assert pdf_flat_text(certificate) == before
    assert "First Signatory" in before


def test_a_name_with_markup_is_escaped_on_the_verify_page_and_in_the_pdf(
    award, client, django_capture_on_commit_callbacks
):
    learner = UserFactory(full_name='<b>Bold</b> <script>alert("x")</script> Name')
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(learner=learner, award=award)
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &lt;script&gt;" in html
    assert "<script>alert" not in html
    assert '<b>Bold</b> <script>alert("x")</script> Name' in pdf_flat_text(certificate)


# The renderer's resource hook --------------------------------------------------------------------


def test_the_renderer_reads_no_media_file_by_path(settings, tmp_path):
    """The design's images reach the renderer as data URIs read through the storage (which may
    be object storage), so no URL under MEDIA_URL is ever read from disk."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    media = Path(settings.MEDIA_ROOT)
    (media / "images").mkdir(parents=True)
    (media / "images" / "logo.png").write_bytes(b"\x89PNG")
    (media / "documents").mkdir()
    (media / "documents" / "private.pdf").write_bytes(b"%PDF")
    hook = rendering._only_local_files

    assert hook(f"{settings.MEDIA_URL}images/logo.png", "") == ""
    assert hook(f"{settings.MEDIA_URL}documents/private.pdf", "") == ""
    assert hook(f"{settings.MEDIA_URL}../secret.png", "") == ""
    assert hook(f"file://{media}/images/logo.png", "") == ""
    assert hook("https://example.org/media/images/logo.png", "") == ""


def test_the_designs_logo_reaches_the_renderer_as_a_png_data_uri():
    logo = image()
    uri = rendering._image_data_uri(logo, "max-1200x480|format-png")
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.partition(",")[2]).startswith(b"\x89PNG\r\n\x1a\n")
    assert rendering._only_local_files(uri, "") == uri
    assert rendering._image_data_uri(None, "max-1200x480|format-png") == ""


# Administration ---------------------------------------------------------------------------------


def test_an_administrator_sets_an_awards_wording_validity_and_expectations(
    client, administrator, award
):
    from complaint_standards.models import Expectation, Framework, Principle

    framework = Framework.objects.create(name="NHS Complaint Standards", slug="nhs")
    principle = Principle.objects.create(
        framework=framework, number=1, title="Welcoming complaints"
    )
    expectation = Expectation.objects.create(principle=principle, number=1, text="Be open.")
    client.force_login(administrator)
    url = reverse("award:edit", args=[award.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": award.title,
            "wording": "Printed wording.",
            "cpd_hours": "2.5",
            "validity_unit": "years",
            "validity_length": "3",
            "expectations": [expectation.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    award.refresh_from_db()
    assert (award.wording, award.validity_unit, award.validity_length) == (
        "Printed wording.",
        "years",
        3,
    )
    assert list(award.expectations.all()) == [expectation]


def test_the_award_form_explains_a_validity_without_a_number(client, administrator, award):
    client.force_login(administrator)
    response = client.post(
        reverse("award:edit", args=[award.pk]),
        {"title": award.title, "cpd_hours": "1", "validity_unit": "months", "validity_length": ""},
    )
    assert response.status_code == 200
    assert "Give a number of months or years" in response.content.decode()
    award.refresh_from_db()
    assert award.validity_unit == "none"


def test_an_administrator_creates_a_design_with_a_logo(client, administrator, award):
    logo = image()
    client.force_login(administrator)
    add = reverse("certificatedesign:add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "name": "Course certificates",
            "award": "",
            "kind": "course_completion",
            "signatory_name": "A Signatory",
            "signatory_role": "",
            "logo": logo.pk,
            "signature_image": "",
            "extra_wording": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    design = CertificateDesign.objects.get()
    assert design.logo == logo
    assert selectors.design_for(award=award) == design


def test_a_trainer_cannot_manage_designs(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("certificatedesign:add"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_xhtml2pdfs_own_policy_refuses_the_network_and_files_outside_our_folders(settings):
    from xhtml2pdf.config.resources import ResourceAccessError

    policy = rendering.resource_policy()
    with pytest.raises(ResourceAccessError):
        policy.check_url("https://example.org/logo.png")
    with pytest.raises(ResourceAccessError):
        policy.check_path("/etc/passwd")
    for folder in ("documents", "images", "original_images"):
        with pytest.raises(ResourceAccessError):
            policy.check_path(Path(settings.MEDIA_ROOT) / folder / "logo.png")
