"""Virus scanning of evidence through a real clamd (tests/accreditation/conftest.py starts one
with the EICAR test signature): a file with a virus is refused and nothing kept; a clean one is
kept marked as scanned; a scanner that is configured but down refuses every upload."""

import pytest

from academy import scanning
from accreditation import services
from accreditation.errors import EvidenceRefusedError
from accreditation.models import Evidence
from tests.clamd import eicar

from .files import docx_bytes, pdf_bytes, stored_evidence, upload

pytestmark = pytest.mark.django_db


def test_a_pdf_carrying_the_eicar_test_virus_is_refused_and_nothing_is_kept(
    clamd, candidacy, requirement
):
    before = stored_evidence()
    with pytest.raises(EvidenceRefusedError) as refusal:
        services.add_evidence(
            candidacy=candidacy,
            requirement=requirement,
            uploaded_file=upload("plan.pdf", pdf_bytes(extra=eicar())),
            by=candidacy.candidate,
        )
    assert str(refusal.value).startswith(
        "“plan.pdf” was not added: the virus scanner found harmful content in it "
        "(Academy-Test-EICAR-Body.UNOFFICIAL)."
    )
    assert not Evidence.objects.exists()
    assert stored_evidence() == before


def test_the_test_virus_inside_a_word_document_is_found_too(clamd, candidacy, requirement):
    infected = docx_bytes(extra={"word/media/attachment.bin": eicar()})
    with pytest.raises(EvidenceRefusedError, match="harmful content"):
        services.add_evidence(
            candidacy=candidacy,
            requirement=requirement,
            uploaded_file=upload("response.docx", infected),
            by=candidacy.candidate,
        )
    assert not Evidence.objects.exists()


def test_a_clean_file_is_kept_marked_as_scanned(clamd, candidacy, requirement):
    content = pdf_bytes()
    evidence = services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload("plan.pdf", content),
        by=candidacy.candidate,
    )
    assert evidence.scanned is True
    assert evidence.file.read() == content


def test_the_page_says_a_file_with_a_virus_was_refused(clamd, candidate_client, requirement):
    candidacy = requirement.version.candidacies.get()
    response = candidate_client.post(
        f"/accreditation/candidacy/{candidacy.pk}/unit/{requirement.pk}/evidence/",
        {"file": upload("plan.pdf", pdf_bytes(extra=eicar())), "description": "Plan"},
    )
    assert response.status_code == 400
    assert "found harmful content in it" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_configured_scanner_that_is_down_refuses_the_upload(
    settings, tmp_path, candidacy, requirement
):
    settings.ACADEMY_CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    before = stored_evidence()
    with pytest.raises(EvidenceRefusedError) as refusal:
        services.add_evidence(
            candidacy=candidacy,
            requirement=requirement,
            uploaded_file=upload("plan.pdf", pdf_bytes()),
            by=candidacy.candidate,
        )
    assert str(refusal.value) == (
        "“plan.pdf” was not added: it could not be checked for viruses just now. Try again later."
    )
    assert not Evidence.objects.exists()
    assert stored_evidence() == before


def test_with_no_scanner_configured_files_are_kept_marked_as_not_scanned(
    candidate_client, candidacy, requirement
):
    assert not scanning.is_configured()
    evidence = services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload("plan.pdf", pdf_bytes()),
        by=candidacy.candidate,
    )
    assert evidence.scanned is False
    page = candidate_client.get(
        f"/accreditation/candidacy/{candidacy.pk}/unit/{requirement.pk}/"
    ).content.decode()
    assert "Files are not checked for viruses on this site at the moment." in page
    assert "Not scanned" in page
