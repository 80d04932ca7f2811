"""A candidate's portfolio for one unit: evidence kept or refused, the statement, handing in,
withdrawing and resubmitting, and the unit's state as the dashboard reads it."""

import hashlib
import re

import pytest
from django.db import connection
from django.urls import reverse

from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import AccreditationError, EvidenceRefusedError, WrongStateError
from accreditation.models import Decision, Evidence, Submission
from accreditation.selectors import UnitStatus

from .factories import (
    CandidacyFactory,
    PortfolioUnitFactory,
    VersionFactory,
    decide,
    open_submission,
    unit_requirement,
)
from .files import (
    docx_bomb,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    stored_evidence,
    upload,
    windows_program,
)

pytestmark = pytest.mark.django_db

STATEMENT = " ".join(["I planned the questions before I spoke to the complainant."] * 3)


def add(candidacy, requirement, name="plan.pdf", content=None, **kwargs):
    return services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload(name, content if content is not None else pdf_bytes(name)),
        # As the view does: the name as sent, which Django would have cleaned on the file.
        name=name,
        by=candidacy.candidate,
        **kwargs,
    )


def ready(candidacy, requirement, files=1):
    """Enough evidence and words to hand the unit in."""
    for n in range(files):
        add(candidacy, requirement, name=f"plan-{n}.pdf")
    services.save_statement(
        candidacy=candidacy, requirement=requirement, statement=STATEMENT, by=candidacy.candidate
    )


def submit(candidacy, requirement):
    return services.submit_unit(
        candidacy=candidacy, requirement=requirement, by=candidacy.candidate
    )


def state(candidacy, requirement):
    return selectors.unit_state(candidacy, requirement)


# Evidence -----------------------------------------------------------------------------------------


def test_a_file_is_kept_under_a_random_name_with_its_hash_and_its_type_from_content(
    candidacy, requirement
):
    content = pdf_bytes()
    evidence = services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload("Complaint 42 plan.pdf", content, content_type="image/png"),
        description="  Investigation plan, case 42 ",
        by=candidacy.candidate,
    )
    assert evidence.original_name == "Complaint 42 plan.pdf"
    assert evidence.description == "Investigation plan, case 42"
    assert evidence.content_type == "application/pdf"  # not what the browser said
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.scanned is False
    # Random hex, so nothing of the name the candidate gave (which may name a complainant).
    stored = evidence.file.name.split("/")[-1]
    assert "Complaint" not in stored and "plan" not in stored and " " not in stored
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    assert evidence.file.read() == content
    assert AuditEntry.objects.filter(action="evidence.added", target_id=str(evidence.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", image_bytes("PNG"), "its content is a PNG image"),
        ("plan.pdf", b"plain text, not a PDF", "is not one we could recognise"),
        ("setup.docx", windows_program(), "it looks like a Windows program"),
        ("plan.docx", docx_bomb(unpacked_mb=20), "would unpack to far more data"),
        ("../../plan.pdf", pdf_bytes(), "its name includes folders"),
        ("pl\x1ban.pdf", pdf_bytes(), "its name contains hidden control characters"),
        ("plan.exe", windows_program(), "only PDF, Word (.docx), Excel (.xlsx), PNG and JPEG"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(candidacy, requirement, name, content, message):
    before = stored_evidence()
    with pytest.raises(EvidenceRefusedError, match=re.escape(message)):
        add(candidacy, requirement, name=name, content=content)
    assert not Evidence.objects.exists()
    assert stored_evidence() == before
    assert not AuditEntry.objects.filter(action="evidence.added").exists()


def test_a_file_over_the_configured_size_is_refused(settings, candidacy, requirement):
    settings.ACADEMY_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(EvidenceRefusedError, match="the largest file you can upload is 1 KB"):
        add(candidacy, requirement, content=pdf_bytes(extra=bytes(2048)))
    assert not Evidence.objects.exists()


def test_the_same_file_twice_in_a_unit_is_refused(candidacy, requirement):
    content = docx_bytes()
    add(candidacy, requirement, name="response.docx", content=content)
    with pytest.raises(EvidenceRefusedError, match="same file as “response.docx”"):
        add(candidacy, requirement, name="copy.docx", content=content)
    assert Evidence.objects.count() == 1


def test_a_file_can_be_removed_and_leaves_storage(
    candidacy, requirement, django_capture_on_commit_callbacks
):
    evidence = add(candidacy, requirement)
    stored = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=evidence, by=candidacy.candidate)
    assert not Evidence.objects.exists()
    assert stored.removeprefix("evidence/") not in stored_evidence()
    assert AuditEntry.objects.filter(action="evidence.removed").exists()


def test_a_file_handed_in_stays_but_one_only_in_a_withdrawn_submission_can_go(
    candidacy, requirement
):
    ready(candidacy, requirement)
    first = Evidence.objects.get()
    submission = submit(candidacy, requirement)
    services.withdraw_submission(submission=submission, by=candidacy.candidate)
    services.remove_evidence(evidence=first, by=candidacy.candidate)
    assert list(submission.evidence.all()) == []

    ready(candidacy, requirement)
    second = Evidence.objects.get()
    decide(submit(candidacy, requirement), outcome=Decision.Outcome.NOT_YET_COMPETENT)
    with pytest.raises(WrongStateError, match="handed in with submission 2, so it stays"):
        services.remove_evidence(evidence=second, by=candidacy.candidate)


# The statement and handing in ---------------------------------------------------------------------


def test_a_unit_needs_its_files_and_words_before_it_is_handed_in(candidacy, requirement):
    requirement.unit.min_evidence_files = 2
    requirement.unit.save()
    add(candidacy, requirement)
    services.save_statement(
        candidacy=candidacy, requirement=requirement, statement="Too short.", by=None
    )
    with pytest.raises(WrongStateError) as refusal:
        submit(candidacy, requirement)
    assert str(refusal.value) == (
        "Upload at least 2 evidence files (you have 1). Write at least 20 words in your "
        "reflective statement (it has 2)."
    )
    assert not Submission.objects.exists()


def test_handing_in_freezes_the_statement_and_the_evidence_as_they_are(candidacy, requirement):
    ready(candidacy, requirement, files=2)
    submission = submit(candidacy, requirement)
    assert submission.number == 1 and submission.status == Submission.Status.SUBMITTED
    assert submission.statement == STATEMENT
    assert submission.evidence.count() == 2
    assert AuditEntry.objects.filter(action="submission.submitted").count() == 1

    services.withdraw_submission(submission=submission, by=candidacy.candidate)
    services.save_statement(
        candidacy=candidacy, requirement=requirement, statement="Rewritten " * 30, by=None
    )
    add(candidacy, requirement, name="new.pdf")
    again = submit(candidacy, requirement)
    submission.refresh_from_db()
    assert submission.statement == STATEMENT and submission.evidence.count() == 2
    assert again.number == 2 and again.evidence.count() == 3
    assert again.statement.startswith("Rewritten")


def test_nothing_changes_and_nothing_is_handed_in_twice_while_a_submission_is_open(
    candidacy, requirement
):
    ready(candidacy, requirement)
    submit(candidacy, requirement)
    with pytest.raises(WrongStateError, match="You have handed this unit in already"):
        submit(candidacy, requirement)
    with pytest.raises(WrongStateError, match="withdraw it first"):
        add(candidacy, requirement, name="late.pdf")
    with pytest.raises(WrongStateError, match="withdraw it first"):
        services.save_statement(
            candidacy=candidacy, requirement=requirement, statement="Changed", by=None
        )
    assert Submission.objects.count() == 1


def test_a_competent_unit_cannot_be_handed_in_again(candidacy, requirement):
    ready(candidacy, requirement)
    decide(submit(candidacy, requirement), outcome=Decision.Outcome.COMPETENT)
    assert state(candidacy, requirement).status == UnitStatus.COMPETENT
    with pytest.raises(WrongStateError, match="judged competent"):
        submit(candidacy, requirement)


def test_resubmissions_follow_not_yet_competent_decisions_up_to_the_units_limit(
    candidacy, requirement
):
    requirement.unit.resubmission_limit = 1
    requirement.unit.save()
    ready(candidacy, requirement)
    decide(submit(candidacy, requirement), outcome=Decision.Outcome.NOT_YET_COMPETENT)
    assert state(candidacy, requirement).status == UnitStatus.NOT_YET_COMPETENT
    assert state(candidacy, requirement).resubmissions_left == 1

    # A withdrawn resubmission is not a resubmission.
    services.withdraw_submission(submission=submit(candidacy, requirement), by=None)
    second = submit(candidacy, requirement)
    assert second.number == 3
    decide(second, outcome=Decision.Outcome.NOT_YET_COMPETENT)
    assert state(candidacy, requirement).status == UnitStatus.NO_RESUBMISSIONS_LEFT
    with pytest.raises(WrongStateError, match="You have used the 1 resubmission this unit allows"):
        submit(candidacy, requirement)
    with pytest.raises(WrongStateError, match="every resubmission it allows has been used"):
        add(candidacy, requirement, name="more.pdf")


def test_an_overturned_decision_is_the_one_that_counts(candidacy, requirement):
    ready(candidacy, requirement)
    first = decide(submit(candidacy, requirement), outcome=Decision.Outcome.NOT_YET_COMPETENT)
    overturn = Decision.objects.create(
        submission=first.submission,
        kind=Decision.Kind.IQA_OVERTURN,
        outcome=Decision.Outcome.COMPETENT,
        feedback="The plans meet every criterion.",
        decided_by=first.decided_by,
        supersedes=first,
    )
    current = state(candidacy, requirement)
    assert current.status == UnitStatus.COMPETENT and current.current_decision == overturn


def test_a_unit_outside_the_candidates_version_is_refused(candidacy):
    elsewhere = unit_requirement(CandidacyFactory())
    with pytest.raises(AccreditationError, match="not part of your programme"):
        add(candidacy, elsewhere)


# Withdrawing --------------------------------------------------------------------------------------


def test_a_submission_is_withdrawn_until_an_assessor_opens_it(candidacy, requirement):
    ready(candidacy, requirement)
    submission = submit(candidacy, requirement)
    services.withdraw_submission(submission=submission, by=candidacy.candidate)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN and submission.withdrawn_at
    assert AuditEntry.objects.filter(action="submission.withdrawn").count() == 1
    assert state(candidacy, requirement).status == UnitStatus.IN_PROGRESS
    with pytest.raises(WrongStateError, match="withdrawn this submission already"):
        services.withdraw_submission(submission=submission, by=candidacy.candidate)

    opened = open_submission(submit(candidacy, requirement), assessor=CandidacyFactory().candidate)
    with pytest.raises(WrongStateError, match="An assessor has opened this submission"):
        services.withdraw_submission(submission=opened, by=candidacy.candidate)
    opened.refresh_from_db()
    assert opened.status == Submission.Status.IN_ASSESSMENT


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite has no row locks",
)
# serialized_rollback, as every transactional test here: a flush without it makes content types
# afresh under new ids, and the next test that puts back the migrated rows then clashes with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_withdraw_racing_an_assessor_opening_waits_for_the_row_and_is_refused():
    """On PostgreSQL with real threads: the assessor has the row locked and is opening it; the
    candidate's withdraw waits on the lock and, once the opening commits, is refused."""
    import threading

    from django.db import close_old_connections, transaction
    from django.utils import timezone

    candidacy = CandidacyFactory()
    requirement = unit_requirement(candidacy)
    ready(candidacy, requirement)
    submission = submit(candidacy, requirement)
    assessor = CandidacyFactory().candidate
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def assessor_opens():
        try:
            with transaction.atomic():
                row = Submission.objects.select_for_update().get(pk=submission.pk)
                locked.set()
                release.wait(timeout=60)
                row.status, row.assessor, row.opened_at = (
                    Submission.Status.IN_ASSESSMENT,
                    assessor,
                    timezone.now(),
                )
                row.save()
        finally:
            close_old_connections()

    def candidate_withdraws():
        try:
            services.withdraw_submission(submission=submission, by=candidacy.candidate)
            outcome["withdraw"] = "withdrawn"
        except WrongStateError as refusal:
            outcome["withdraw"] = str(refusal)
        finally:
            close_old_connections()

    opener = threading.Thread(target=assessor_opens)
    opener.start()
    assert locked.wait(timeout=60)
    withdrawer = threading.Thread(target=candidate_withdraws)
    withdrawer.start()
    _wait_until_a_query_waits_on_a_lock()
    release.set()
    opener.join(timeout=60)
    withdrawer.join(timeout=60)
    assert outcome["withdraw"] == (
        "An assessor has opened this submission, so it can no longer be withdrawn."
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_ASSESSMENT


def _wait_until_a_query_waits_on_a_lock():
    import time

    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("The withdraw never waited on the assessor's row lock")


# The state of every unit, for the dashboard -------------------------------------------------------


def test_unit_states_reads_every_unit_in_four_queries(django_assert_max_num_queries):
    units = [PortfolioUnitFactory() for _ in range(6)]
    candidacy = CandidacyFactory(version=VersionFactory(units=units))
    requirements = list(selectors.unit_requirements(candidacy))
    ready(candidacy, requirements[1])
    ready(candidacy, requirements[2])
    submit(candidacy, requirements[2])
    for n, outcome in ((3, "competent"), (4, "not_yet_competent"), (5, "not_yet_competent")):
        ready(candidacy, requirements[n])
        decide(submit(candidacy, requirements[n]), outcome=outcome)
    add(candidacy, requirements[5], name="reworked.pdf")

    with django_assert_max_num_queries(4):
        states = selectors.unit_states(candidacy)
    assert [states[r.pk].status for r in requirements] == [
        UnitStatus.NOT_STARTED,
        UnitStatus.IN_PROGRESS,
        UnitStatus.SUBMITTED,
        UnitStatus.COMPETENT,
        UnitStatus.NOT_YET_COMPETENT,
        UnitStatus.RESUBMISSION_DUE,
    ]
    assert states[requirements[3].pk].current_decision.outcome == "competent"


# Reading a page -----------------------------------------------------------------------------------


def unit_url(candidacy, requirement, name="unit", *args):
    return reverse(f"accreditation:{name}", args=[candidacy.pk, requirement.pk, *args])


def test_the_unit_page_says_what_the_unit_asks_and_what_the_assessor_looks_for(
    candidate_client, candidacy, requirement
):
    page = candidate_client.get(unit_url(candidacy, requirement)).content.decode()
    assert "Show how you plan an investigation." in page
    assert "Two anonymised investigation plans." in page
    assert "Plans the questions." in page and "Weighs evidence." in page
    assert "What would you do differently next time?" in page
    assert "It needs at least 20 words." in page
    assert "Upload at least 1 evidence file (you have 0)." in page


def test_uploading_through_the_page_keeps_the_file_and_lists_it(
    candidate_client, candidacy, requirement
):
    response = candidate_client.post(
        unit_url(candidacy, requirement, "upload_evidence"),
        {"file": upload("plan.pdf", pdf_bytes()), "description": "Plan for case 2"},
    )
    assert response.status_code == 302
    page = candidate_client.get(response["Location"]).content.decode()
    assert "“plan.pdf” was added." in page
    assert "Plan for case 2" in page


def test_a_refused_upload_shows_the_reason_in_the_error_summary(
    candidate_client, candidacy, requirement
):
    response = candidate_client.post(
        unit_url(candidacy, requirement, "upload_evidence"),
        {"file": upload("plan.pdf", image_bytes("PNG"))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert "its content is a PNG image" in page
    assert not Evidence.objects.exists()


def _multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    """A form upload as a browser sends it, with the file name exactly as given: Django's test
    client would send only its base name."""
    boundary = "AcademyTestBoundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("../../etc/plan.pdf", "“../../etc/plan.pdf” was not accepted: its name includes folders"),
        ("C:\\Users\\me\\plan.pdf", "its name includes folders"),
        ("..", "its name includes folders"),
        ("pl\x01an.pdf", "its name contains hidden control characters"),
        ("\x07", "its name contains hidden control characters"),
    ],
)
def test_a_name_with_folders_or_control_characters_is_refused_not_cleaned_on_the_page(
    candidate_client, candidacy, requirement, sent, message
):
    before = stored_evidence()
    body, content_type = _multipart(sent, pdf_bytes())
    response = candidate_client.post(
        unit_url(candidacy, requirement, "upload_evidence"), body, content_type=content_type
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_evidence() == before


def test_the_statement_is_saved_and_its_words_counted_on_the_server(
    candidate_client, candidacy, requirement
):
    response = candidate_client.post(
        unit_url(candidacy, requirement, "save_statement"), {"statement": "One two three."}
    )
    page = candidate_client.get(response["Location"]).content.decode()
    assert "Your statement was saved: 3 words." in page
    assert "Your saved statement has 3 words" in page
    assert "Write at least 20 words in your reflective statement (it has 3)." in page


def test_handing_in_asks_for_confirmation_then_the_unit_can_be_withdrawn(
    candidate_client, candidacy, requirement
):
    ready(candidacy, requirement)
    confirm = candidate_client.get(unit_url(candidacy, requirement, "submit_unit"))
    assert "Hand it in for assessment" in confirm.content.decode()
    assert not Submission.objects.exists()
    done = candidate_client.post(unit_url(candidacy, requirement, "submit_unit"))
    page = candidate_client.get(done["Location"]).content.decode()
    submission = Submission.objects.get()
    assert "You can withdraw it until an assessor opens it." in page
    assert "Withdraw the submission" in page
    withdrawn = candidate_client.post(
        unit_url(candidacy, requirement, "withdraw_submission", submission.pk)
    )
    page = candidate_client.get(withdrawn["Location"]).content.decode()
    assert "You withdrew submission 1." in page


def test_withdrawing_after_an_assessor_opened_it_says_so(candidate_client, candidacy, requirement):
    ready(candidacy, requirement)
    submission = open_submission(submit(candidacy, requirement), CandidacyFactory().candidate)
    response = candidate_client.post(
        unit_url(candidacy, requirement, "withdraw_submission", submission.pk)
    )
    assert response.status_code == 400
    assert "An assessor has opened this submission" in response.content.decode()


def _reach(candidacy, requirement, status):
    """Bring the unit to the state named."""
    if status == "not_started":
        return
    ready(candidacy, requirement)
    if status == "in_progress":
        return
    submission = submit(candidacy, requirement)
    if status == "submitted":
        return
    if status == "being_assessed":
        open_submission(submission, CandidacyFactory().candidate)
        return
    if status == "competent":
        decide(submission, outcome="competent", criteria=[])
        return
    decide(
        submission,
        outcome="not_yet_competent",
        feedback="The second plan does not say how evidence will be weighed.",
        to_resubmit="A plan that sets out how you will weigh conflicting evidence.",
        criteria=[
            {"statement": "Plans the questions.", "met": True, "comment": "Thorough."},
            {"statement": "Weighs evidence.", "met": False, "comment": "Not shown."},
        ],
    )
    if status == "resubmission_due":
        add(candidacy, requirement, name="new-plan.pdf")
    if status == "no_resubmissions_left":
        requirement.unit.resubmission_limit = 0
        requirement.unit.save()


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("not_started", "Upload your evidence and write your reflective statement below."),
        ("in_progress", "Your evidence and statement are ready to hand in."),
        ("submitted", "It is waiting for an assessor."),
        ("being_assessed", "An assessor is assessing this unit."),
        ("competent", "This unit is complete: you have been judged competent."),
        ("not_yet_competent", "Read their feedback below"),
        ("resubmission_due", "You have started changing this unit after the assessor"),
        ("no_resubmissions_left", "every resubmission the unit allows has been used"),
    ],
)
def test_the_unit_page_shows_each_state(candidate_client, candidacy, requirement, status, says):
    _reach(candidacy, requirement, status)
    response = candidate_client.get(unit_url(candidacy, requirement))
    assert response.status_code == 200
    page = response.content.decode()
    assert f">{UnitStatus(status).label}</strong>" in page
    assert says in page
    if status in {"not_yet_competent", "resubmission_due", "no_resubmissions_left"}:
        assert "The second plan does not say how evidence will be weighed." in page
        assert "A plan that sets out how you will weigh conflicting evidence." in page
        # The row as read aloud: the headings repeated in each cell for phones are hidden.
        said = re.sub(
            r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>|<[^>]+>', " ", page
        )
        assert "Weighs evidence. Not met yet Not shown." in " ".join(said.split())
    if status in {"submitted", "being_assessed", "competent", "no_resubmissions_left"}:
        assert "Upload the file" not in page and "Save the statement" not in page


def test_a_withdrawn_candidacy_keeps_its_page_but_its_portfolio_cannot_change(
    candidate_client, candidacy, requirement
):
    add(candidacy, requirement)
    candidacy.status = candidacy.Status.WITHDRAWN
    candidacy.save()
    page = candidate_client.get(unit_url(candidacy, requirement)).content.decode()
    assert "plan.pdf" in page
    assert "Upload the file" not in page and "Save the statement" not in page
    assert "Your candidacy is withdrawn." in page
    with pytest.raises(WrongStateError, match="Your candidacy is withdrawn, so its portfolio"):
        add(candidacy, requirement, name="more.pdf")
