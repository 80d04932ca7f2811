"""A learner downloads everything the Academy holds about them: each app's section, their own
data only, and nothing of an assessment the review rules do not let them see yet."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.models import AuditEntry
from assessments.models import QuestionKind
from courses import services as course_services
from portal import privacy
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory
from tests.feedback.factories import answer_as, make_survey
from tests.portal.privacy_data import (
    ESSAY,
    GROUNDS,
    LEARNED,
    STATEMENT,
    essay_waiting_for_marking,
    give_everything,
    submitted,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "about",
    "downloaded",
    "account",
    "email_addresses",
    "memberships",
    "audit_entries",
    "invitations",
    "assignments",
    "enrolments",
    "webinar_registrations",
    "webinar_attendance",
    "webinar_recordings_watched",
    "assessment_attempts",
    "assessment_adjustments",
    "certificates",
    "accreditation",
    "cpd_entries",
    "feedback_surveys",
}


def download(client) -> tuple[object, dict]:
    response = client.get(reverse("my_data"))
    return response, json.loads(response.content)


def test_the_download_is_a_json_attachment_of_every_section(
    learner_client, learner, course_tree, catalogue
):
    held = give_everything(learner, course_tree, catalogue)
    response, data = download(learner_client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="phso-academy-my-data-')
    assert response["Cache-Control"] == "private, no-store"
    assert set(data) == SECTIONS
    assert data["account"]["name"] == "Priya Sharma"
    assert data["account"]["email"] == "priya@example.org"
    assert data["account"]["multi_factor_authentication"] == {"set_up": False, "methods": []}
    assert data["email_addresses"] == [
        {"email": "priya@example.org", "verified": True, "primary": True}
    ]
    assert data["memberships"][0]["organisation"] == "Riverside NHS Trust"
    assert data["memberships"][0]["team"] == "Intake 2"
    assert data["invitations"][0]["organisation"] == "Riverside NHS Trust"
    assert data["assignments"][0]["item"] == course_tree.course.title
    assert data["enrolments"][0]["course"] == course_tree.course.title
    assert len(data["enrolments"][0]["lessons_completed"]) == 1
    assert [a["status"] for a in data["assessment_attempts"]] == ["Submitted", "Awaiting marking"]
    assert data["certificates"][0]["code"] == held.certificate.display_code
    assert data["certificates"][0]["state"] == "valid"
    unit = data["accreditation"][0]["portfolio_units"][0]
    assert unit["reflective_statement"] == STATEMENT
    assert held.evidence.original_name in unit["submissions"][0]["evidence_files"]
    assert unit["submissions"][0]["decisions"][0]["outcome"] == "Not yet competent"
    assert unit["submissions"][0]["decisions"][0]["appeal"]["grounds"] == GROUNDS
    assert data["cpd_entries"][0]["what_you_learned"] == LEARNED
    assert data["cpd_entries"][0]["evidence_file"] == "my reflection on the Jones case.pdf"


def test_no_secret_is_in_the_file(client, course_tree, catalogue):
    person = UserFactory(mfa=True)
    client.force_login(person)
    _response, data = download(client)
    text = json.dumps(data)
    assert data["account"]["multi_factor_authentication"]["set_up"] is True
    assert person.password not in text
    assert "secret" not in text
    assert "token" not in text


def test_another_persons_data_is_never_in_the_file(
    learner_client, learner, other_learner, course_tree, catalogue
):
    theirs = give_everything(other_learner, course_tree, catalogue)
    _response, data = download(learner_client)
    text = json.dumps(data)
    assert "Tom Hughes" not in text and "tom@example.org" not in text
    assert theirs.certificate.display_code not in text
    assert theirs.evidence.original_name not in text
    for section in SECTIONS - {"about", "downloaded", "account", "email_addresses"}:
        held = data[section]["offers"] if section == "feedback_surveys" else data[section]
        assert held == [], section


def test_the_address_has_no_id_so_nobody_asks_for_anothers(client, learner, other_learner):
    assert reverse("my_data") == "/dashboard/my-data.json"
    client.force_login(other_learner)
    _response, data = download(client)
    assert data["account"]["id"] == other_learner.pk


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("my_data"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_downloads_are_rate_limited(learner_client, settings):
    for _ in range(10):
        assert learner_client.get(reverse("my_data")).status_code == 200
    assert learner_client.get(reverse("my_data")).status_code == 429


def test_the_dashboard_links_to_the_download(learner_client):
    html = learner_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("my_data")}"' in html
    assert "Download my data (JSON file)" in html


# What the review rules hide stays out of the file ---------------------------------------------


def _right_texts(attempt, *, every_feedback: bool = True) -> list[str]:
    """Texts only the right answers contain: accepted short answers and the general feedback,
    and (every_feedback) the feedback written for each option, even those the page shows only
    for an answer given."""
    texts = []
    for response in attempt.responses.select_related("version"):
        version = response.version
        texts.append(version.general_feedback)
        if every_feedback:
            texts += [o["feedback"] for o in version.options if o.get("feedback")]
        if version.kind == QuestionKind.SHORT_ANSWER:
            texts += [o["text"] for o in version.options if o["correct"]]
    return [text for text in texts if text]


def test_a_released_attempt_shows_marks_and_correctness_but_not_the_right_answers_yet(learner):
    attempt = submitted(learner)  # unlimited attempts: the answers wait for the close
    data = privacy.personal_data(user=learner)
    (record,) = data["assessment_attempts"]
    text = json.dumps(record, default=str, ensure_ascii=False)
    assert record["result"]["percent"] == attempt.percent
    assert record["not_shown_yet"].startswith("Not shown here or on the review page yet")
    assert all(question["outcome"] for question in record["questions"])
    assert not any("right_answers" in question for question in record["questions"])
    for secret in _right_texts(attempt):
        assert secret not in text
    choice = next(q for q in record["questions"] if q["kind"] == QuestionKind.SINGLE_CHOICE)
    assert [option for option in choice["options"] if "right" in option] == [
        option for option in choice["options"] if option["chosen"]
    ]


def test_hidden_marks_stay_hidden(learner):
    hidden = {f"review_{moment}_marks": False for moment in ("immediately", "later", "closed")}
    submitted(learner, **hidden)
    (record,) = privacy.personal_data(user=learner)["assessment_attempts"]
    assert "result" not in record
    assert not any("marks" in question for question in record["questions"])


def test_once_no_attempt_is_left_the_right_answers_are_in_the_file(learner):
    attempt = submitted(learner, max_attempts=1)
    (record,) = privacy.personal_data(user=learner)["assessment_attempts"]
    text = json.dumps(record, default=str, ensure_ascii=False)
    assert [s for s in _right_texts(attempt, every_feedback=False) if s not in text] == []


def test_an_answer_awaiting_marking_is_in_the_file_without_marks_or_feedback(learner):
    essay_waiting_for_marking(learner)
    (record,) = privacy.personal_data(user=learner)["assessment_attempts"]
    assert record["status"] == "Awaiting marking"
    assert "result" not in record
    (question,) = record["questions"]
    assert question["your_answer"] == ESSAY
    assert set(question) == {"number", "question", "kind", "your_answer"}


def test_audit_entries_about_the_person_name_no_member_of_staff(client, learner, administrator):
    client.force_login(administrator)
    client.get(reverse("wagtailusers_users:edit", args=[learner.pk]))
    assert AuditEntry.objects.filter(action="learner_record.viewed").exists()
    entries = privacy.personal_data(user=learner)["audit_entries"]
    assert [(entry["what"], entry["by"]) for entry in entries] == [
        ("Learner's record viewed", "a member of Academy staff")
    ]


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        privacy.personal_data(user=user)
    return len(queries)


def test_the_file_is_read_in_a_fixed_number_of_queries(learner, course_tree, catalogue):
    give_everything(learner, course_tree, catalogue)
    before = _queries(learner)
    for _ in range(3):
        submitted(learner)
    assert _queries(learner) == before <= 30


def test_surveys_show_as_offered_and_answered_but_never_the_answers(
    learner_client, learner, course_tree
):
    survey = make_survey(course=course_tree.course)
    answer_as(survey, ratings=[5, 4, 3, 2], text="Shorter videos, please", user=learner)

    _, data = download(learner_client)

    offers = data["feedback_surveys"]["offers"]
    assert [(offer["about"], offer["state"]) for offer in offers] == [
        (course_tree.course.title, "Answered")
    ]
    assert "Shorter videos" not in json.dumps(data)


def test_webinar_registrations_are_in_the_download(learner, other_learner, catalogue):
    session = WebinarFactory(parent=catalogue, title="Remedies in practice").sessions.get()
    mine = course_services.register(session=session, user=learner)
    course_services.cancel_registration(registration=mine)
    course_services.register(session=session, user=learner)
    course_services.register(session=session, user=other_learner)
    records = privacy.personal_data(user=learner)["webinar_registrations"]
    assert [(r["webinar"], r["status"]) for r in records] == [
        ("Remedies in practice", "cancelled"),
        ("Remedies in practice", "place"),
    ]
    assert records[0]["cancelled"] is not None
    assert records[1]["session_starts"] == session.starts_at
