"""The register and the attendance report in the admin, as a trainer uses them: ticking who
attended, someone who came without registering, removing a mistake, uploading a Teams or Zoom
report, its preview and confirming it; who may, session by session; CSRF; query counts."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from academy import services as people
from accreditation.models import CPDEntry
from courses import selectors
from courses.models import Attendance, Registration
from tests.academy.factories import UserFactory
from tests.courses.attendance_support import mark, register_before, started_session
from tests.courses.test_attendance_file import ZOOM_HEADER, zoom_file, zoom_row

pytestmark = pytest.mark.django_db


def url(name, session, *args):
    return reverse(f"webinar_attendance:{name}", args=[session.pk, *args])


@pytest.fixture
def session(catalogue):
    return started_session(catalogue, title="Remedies that put things right")


@pytest.fixture
def registered(session):
    """Ann and Ben have places, Cat is on the waiting list, Dev cancelled."""
    ann, ben, cat, dev = (
        UserFactory(full_name=name, email=f"{name.lower()}@example.org")
        for name in ("Ann", "Ben", "Cat", "Dev")
    )
    session.capacity = 2
    session.save()
    register_before(session, ann, ben, cat, dev)
    Registration.objects.filter(user=dev).update(status="cancelled", cancelled_at=session.starts_at)
    return ann, ben, cat, dev


def upload(client, session, data: bytes, name="report.csv"):
    return client.post(url("import", session), {"file": SimpleUploadedFile(name, data)})


# The register -----------------------------------------------------------------------------------


def test_the_register_lists_everyone_registered_and_marks_those_ticked(
    trainer_client, session, registered
):
    ann, ben, cat, dev = registered
    assert trainer_client.get(reverse("webinar_attendance:sessions")).status_code == 200
    page = trainer_client.get(url("register", session))
    assert page.status_code == 200
    for person in registered:
        assert person.email in page.text
    assert page.text.index("ann@example.org") < page.text.index("cat@example.org")
    assert page.text.index("cat@example.org") < page.text.index("dev@example.org")

    response = trainer_client.post(
        url("register", session), {"action": "mark", "attended": [ann.pk, cat.pk]}
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {ann.pk, cat.pk}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"register"}
    page = trainer_client.get(url("register", session))
    assert "Marked 2 people as attending." in page.text
    assert page.text.count('name="attended"') == 2  # Ben and Dev are left to tick


def test_ticking_someone_not_on_the_register_records_nothing(trainer_client, session, registered):
    stranger = UserFactory()
    response = trainer_client.post(
        url("register", session), {"action": "mark", "attended": [registered[0].pk, stranger.pk]}
    )
    assert response.status_code == 400
    assert "nothing was recorded" in response.text
    assert not Attendance.objects.exists()
    assert trainer_client.post(url("register", session), {"action": "mark"}).status_code == 400
    bad = trainer_client.post(url("register", session), {"action": "mark", "attended": "x"})
    assert bad.status_code == 400


def test_someone_who_came_without_registering_is_added_by_their_address(
    trainer_client, session, registered
):
    walk_in = UserFactory(email="Walk.In@Example.org", full_name="Wale Inman")
    response = trainer_client.post(
        url("register", session), {"action": "walk_in", "email": "walk.in@example.ORG"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().user == walk_in
    page = trainer_client.get(url("register", session))
    assert "Wale Inman" in page.text and "Did not register" in page.text

    unknown = trainer_client.post(
        url("register", session), {"action": "walk_in", "email": "nobody@example.org"}
    )
    assert unknown.status_code == 400
    assert "No account has this e-mail address" in unknown.text
    assert Attendance.objects.count() == 1


def test_removing_a_mistake_asks_why_and_takes_the_cpd_out(
    trainer_client, trainer, session, registered
):
    ann = registered[0]
    mark(session, [ann], trainer)
    assert CPDEntry.objects.filter(learner=ann).exists()
    page = trainer_client.get(url("remove", session, ann.pk))
    assert page.status_code == 200 and "revokes that under Certificates" in page.text
    assert trainer_client.post(url("remove", session, ann.pk), {"reason": ""}).status_code == 400
    assert Attendance.objects.exists()
    response = trainer_client.post(url("remove", session, ann.pk), {"reason": "Wrong Ann"})
    assert response.status_code == 302
    assert not Attendance.objects.exists() and not CPDEntry.objects.exists()
    # Nothing left to remove reads as missing.
    assert trainer_client.get(url("remove", session, ann.pk)).status_code == 404


def test_before_the_session_starts_the_register_is_a_list_and_marks_nobody(
    trainer_client, catalogue
):
    coming = started_session(catalogue, hours_ago=-24)
    ann = UserFactory()
    register_before(coming, ann)
    page = trainer_client.get(url("register", coming))
    assert page.status_code == 200 and "once the session has started" in page.text
    assert 'name="attended"' not in page.text
    response = trainer_client.post(url("register", coming), {"action": "mark", "attended": ann.pk})
    assert response.status_code == 400 and not Attendance.objects.exists()
    assert "once the session has started" in trainer_client.get(url("import", coming)).text
    refused = upload(trainer_client, coming, zoom_file(zoom_row("Ann", ann.email, 60)))
    assert refused.status_code == 400 and not Attendance.objects.exists()


# The attendance report --------------------------------------------------------------------------


def test_a_zoom_report_is_previewed_then_recorded_with_the_trainers_choices(
    trainer_client, session, registered
):
    ann, ben, cat, dev = registered
    data = zoom_file(
        zoom_row("Ann", "ANN@example.org", 30, leave="10:30:00 AM"),
        zoom_row("Ann", "ann@example.org", 25, join="10:35:00 AM"),
        zoom_row("Ben", "ben@example.org", 20),
        zoom_row("Cat", "cat@example.org", 44),
        zoom_row("Eve", "eve@elsewhere.example", 60),
        zoom_row("Phone caller", "", 60),
    )
    preview = upload(trainer_client, session, data)
    assert preview.status_code == 200
    text = preview.text
    # 75% of 60 minutes is 45: Ann's two joins make 55, Ben's 20 and Cat's 44 fall short.
    assert "To be marked as attending (1)" in text and "For you to decide (2)" in text
    assert "eve@elsewhere.example" in text and "no account has this address" in text
    assert "Phone caller" in text
    assert not Attendance.objects.exists(), "a preview records nothing"

    signed = preview.context["signed"]
    response = trainer_client.post(url("confirm", session), {"report": signed, "include": cat.pk})
    assert response.status_code == 302
    recorded = dict(Attendance.objects.values_list("user_id", "minutes"))
    assert recorded == {ann.pk: 55, cat.pk: 44}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"report"}
    page = trainer_client.get(url("register", session))
    assert "Marked 2 people as attending from the Zoom report." in page.text

    # Confirming the same preview again records nobody twice.
    trainer_client.post(url("confirm", session), {"report": signed, "include": cat.pk})
    assert Attendance.objects.count() == 2


def test_a_hostile_report_changes_nothing_and_names_its_lines(trainer_client, session, registered):
    data = zoom_file(
        zoom_row("Ann", "ann@example.org", 60),
        zoom_row("=cmd|' /C calc'!A0", "ben@example.org", 60),
        zoom_row("Ann", "ann@example.org", 60),
    )
    response = upload(trainer_client, session, data)
    assert response.status_code == 400
    assert "Line 6:" in response.text and "formula" in response.text
    assert "Line 7: It repeats line 5" in response.text
    assert not Attendance.objects.exists()
    for bad in (b"", b"\xff\xfe\x00", b"PK\x03\x04", ZOOM_HEADER.encode() + b"A,\xe9@x.org,1\n"):
        assert upload(trainer_client, session, bad).status_code == 400
    assert not Attendance.objects.exists()


def test_a_too_large_upload_is_refused_before_it_is_read(trainer_client, session, settings):
    settings.ACADEMY_ATTENDANCE_MAX_UPLOAD_BYTES = 100
    response = upload(trainer_client, session, zoom_file(zoom_row("Ann", "a@example.org", 60)))
    assert response.status_code == 400 and "larger than 100" in response.text


def test_a_changed_or_foreign_preview_is_refused(trainer_client, catalogue, session, registered):
    ann = registered[0]
    preview = upload(trainer_client, session, zoom_file(zoom_row("Ann", ann.email, 60)))
    signed = preview.context["signed"]
    tampered = signed[:-3] + ("AAA" if not signed.endswith("AAA") else "BBB")
    response = trainer_client.post(url("confirm", session), {"report": tampered}, follow=True)
    assert "could not be read" in response.text
    other = started_session(catalogue)
    response = trainer_client.post(url("confirm", other), {"report": signed}, follow=True)
    assert "another session" in response.text
    forged = signing.dumps(
        {"session": session.pk, "platform": "Zoom", "mark": [], "decide": []}, salt="other"
    )
    trainer_client.post(url("confirm", session), {"report": forged})
    assert not Attendance.objects.exists()


def test_only_those_listed_to_decide_can_be_added_on_confirming(
    trainer_client, session, registered
):
    ann, ben, *_ = registered
    preview = upload(trainer_client, session, zoom_file(zoom_row("Ann", ann.email, 10)))
    trainer_client.post(
        url("confirm", session), {"report": preview.context["signed"], "include": [ben.pk]}
    )
    assert not Attendance.objects.exists()


# Who may ----------------------------------------------------------------------------------------


def test_trainers_and_administrators_may_others_may_not(
    client, session, registered, trainer, administrator
):
    for allowed in (trainer, administrator):
        client.force_login(allowed)
        assert client.get(url("register", session)).status_code == 200
        assert client.get(url("import", session)).status_code == 200
    for group in (people.ASSESSORS, people.ANALYSTS):
        client.force_login(UserFactory(groups=[group], mfa=True))
        assert client.get(reverse("webinar_attendance:sessions")).status_code in (302, 403)
        assert client.get(url("register", session)).status_code in (302, 403)
        response = client.post(url("register", session), {"action": "mark", "attended": 1})
        assert response.status_code in (302, 403)
    client.force_login(registered[0])
    assert client.get(url("register", session)).status_code in (302, 403)
    assert not Attendance.objects.exists()


def test_a_trainer_of_another_catalogue_may_not_take_this_register(
    client, home_page, catalogue, session, registered, staff_groups
):
    """Object permissions: the register follows the page permission on the session's webinar."""
    group = Group.objects.create(name="Trainers of the information pages")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    other_page = home_page.add_child(instance=type(home_page)(title="Elsewhere", slug="elsewhere"))
    GroupPagePermission.objects.create(
        group=group, page=other_page, permission=Permission.objects.get(codename="change_page")
    )
    outsider = UserFactory(mfa=True)
    outsider.groups.add(group)
    client.force_login(outsider)
    assert client.get(reverse("webinar_attendance:sessions")).status_code == 200
    assert session.webinar.title not in client.get(reverse("webinar_attendance:sessions")).text
    ann = registered[0]
    # Wagtail answers PermissionDenied in its admin by sending the person to the dashboard.
    refusals = [
        client.get(url("register", session)),
        client.get(url("import", session)),
        client.post(url("register", session), {"action": "mark", "attended": ann.pk}),
        client.get(url("remove", session, ann.pk)),
        client.post(url("confirm", session), {"report": "x"}),
    ]
    for response in refusals:
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not Attendance.objects.exists()


def test_every_post_needs_the_csrf_token(trainer, session, registered):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    ann = registered[0]
    assert (
        client.post(url("register", session), {"action": "mark", "attended": ann.pk}).status_code
        == 403
    )
    assert client.post(url("confirm", session), {"report": "x"}).status_code == 403
    assert not Attendance.objects.exists()


def test_a_missing_session_is_404(trainer_client):
    assert (
        trainer_client.get(reverse("webinar_attendance:register", args=[987654])).status_code == 404
    )


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_reads_in_two_queries_whatever_its_size(
    session, trainer, count, django_assert_num_queries
):
    people_ = [UserFactory() for _ in range(count)]
    register_before(session, *people_[: count // 2])
    mark(session, people_[count // 2 :], trainer)
    with django_assert_num_queries(2):
        rows = selectors.register_rows(session=session)
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 8])
def test_the_sessions_list_reads_in_fixed_queries(
    catalogue, trainer_client, count, django_assert_max_num_queries
):
    for _ in range(count):
        started_session(catalogue)
    with django_assert_max_num_queries(25):
        assert trainer_client.get(reverse("webinar_attendance:sessions")).status_code == 200
