"""Inviting staff from a CSV file: every hostile file gets a clear answer naming its lines, and
either everyone in it is invited or nobody is."""

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from academy.models import RoleTier
from organisations import services
from organisations.invitation_file import InvitationFileError, read_people
from organisations.models import Invitation
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.organisations.factories import InvitationFactory, manager_of

HEADER = "E-mail,Name,Role tier\r\n"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Riverside NHS Trust")


@pytest.fixture
def manager(organisation):
    return manager_of(organisation, email="lead@example.org", full_name="Lee Lead")


@pytest.fixture
def queued(monkeypatch):
    """The chunks of invitation ids queued for e-mailing, instead of running the tasks."""
    chunks = []
    monkeypatch.setattr(
        "organisations.services.invitations.enqueue", lambda task, ids: chunks.append(ids)
    )
    return chunks


def invite(organisation, manager, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return services.invite_from_file(organisation=organisation, by=manager, data=data)


def refusal(organisation, manager, text) -> InvitationFileError:
    with pytest.raises(InvitationFileError) as caught:
        invite(organisation, manager, text)
    assert not Invitation.objects.exists(), "a refused file must invite nobody"
    return caught.value


def test_a_good_file_invites_everyone_in_it(organisation, manager, queued):
    counts = invite(
        organisation,
        manager,
        HEADER
        + "Sam.Jones@Example.NHS.uk,Sam Jones,Complaints staff\r\n"
        + "ali@example.org, Ali Khan ,senior_staff\r\n",
    )
    assert (counts.created, counts.renewed) == (2, 0)
    invited = {i.email: i for i in Invitation.objects.all()}
    assert invited["sam.jones@example.nhs.uk"].role_tier == RoleTier.COMPLAINTS_STAFF
    assert invited["ali@example.org"].full_name == "Ali Khan"
    assert invited["ali@example.org"].role_tier == RoleTier.SENIOR_STAFF
    assert all(i.invited_by == manager and i.sent_at is None for i in invited.values())


def test_column_names_in_any_case_and_order_and_tiers_by_label_or_value(
    organisation, manager, queued
):
    invite(
        organisation,
        manager,
        "role_tier,FULL NAME,e-mail address\nALL STAFF,Ann,ann@example.org\n"
        "complaints_staff,Bo,bo@example.org\n",
    )
    tiers = dict(Invitation.objects.values_list("email", "role_tier"))
    assert tiers == {"ann@example.org": "all_staff", "bo@example.org": "complaints_staff"}


def test_a_byte_order_mark_and_windows_line_endings_are_read(organisation, manager, queued):
    data = ("\ufeff" + HEADER + "zoe@example.org,Zoë Brontë,All staff\r\n\r\n").encode()
    assert invite(organisation, manager, data).created == 1
    assert Invitation.objects.get().full_name == "Zoë Brontë"


def test_a_quoted_name_may_hold_a_comma_and_a_line_break(organisation, manager, queued):
    invite(organisation, manager, HEADER + '"a@example.org","Jones, Sam\nJr",All staff\n')
    assert Invitation.objects.get().full_name == "Jones, Sam\nJr"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not-an-address,Sam,All staff", "Line 3: “not-an-address” is not an e-mail address."),
        (",Sam,All staff", "Line 3: The e-mail address is empty."),
        ("sam@example.org,,All staff", "Line 3: The name is empty."),
        ("sam@example.org,Sam,Boss", "Line 3: The role tier “Boss” is not one of All staff"),
        ("sam@example.org,Sam,", "Line 3: The role tier is empty"),
        ("sam@example.org,Sam,All staff,extra", "Line 3: The line has 4 cells"),
        ("=cmd|' /C calc'!A0,Sam,All staff", "Line 3: The e-mail address “=cmd|' /C calc'!A0”"),
        ('sam@example.org,"=HYPERLINK(""http://x"")",All staff', "Line 3: The name “=HYPERLINK"),
        ("sam@example.org,+44 Sam,All staff", "starts with “+”, which a spreadsheet would run"),
        ("sam@example.org,-Sam,All staff", "starts with “-”"),
        ("@sam@example.org,Sam,All staff", "The e-mail address “@sam@example.org” starts with"),
        ("sam@example.org,Sam,@All staff", "The role tier “@All staff” starts with “@”"),
    ],
)
def test_each_bad_line_is_named_and_nobody_is_invited(organisation, manager, line, expected):
    error = refusal(
        organisation, manager, HEADER + "good@example.org,Good Person,All staff\n" + line + "\n"
    )
    assert error.count == 1
    assert error.problems[0].startswith("Line 3: ")
    assert expected in error.problems[0]


def test_a_formula_cell_is_refused_not_cleaned(organisation, manager):
    error = refusal(organisation, manager, HEADER + "a@example.org,=1+2,All staff\n")
    assert "remove that character" in error.problems[0]


def test_a_duplicate_names_the_line_it_repeats(organisation, manager):
    error = refusal(
        organisation,
        manager,
        HEADER
        + "a@example.org,A,All staff\nb@example.org,B,All staff\nA@Example.org,A again,All staff\n",
    )
    assert error.problems == ["Line 4: Duplicate of line 2 (a@example.org)."]


def test_every_bad_line_is_listed_with_all_its_problems(organisation, manager):
    error = refusal(
        organisation,
        manager,
        HEADER + "x,,Boss\nok@example.org,OK,All staff\ny@,Y,\n",
    )
    assert error.count == 2
    assert error.problems[0].startswith("Line 2: “x” is not an e-mail address; the name is empty")
    assert "the role tier “Boss”" in error.problems[0]
    assert error.problems[1].startswith("Line 4: “y@” is not an e-mail address; the role tier")


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(organisation, manager):
    error = refusal(
        organisation,
        manager,
        HEADER + '\na@example.org,"Two\nlines",All staff\nbad,B,All staff\n',
    )
    assert error.problems == ["Line 5: “bad” is not an e-mail address."]


def test_a_current_member_is_refused_by_line(organisation, manager, queued):
    member = MembershipFactory(organisation=organisation, user=UserFactory(email="m@example.org"))
    error = refusal(
        organisation, manager, HEADER + "new@example.org,New,All staff\nM@example.org,M,All staff\n"
    )
    assert error.problems == ["Line 3: Already a member of Riverside NHS Trust (m@example.org)."]
    # Someone who has left may be invited back.
    from academy import services as people

    people.end_membership(membership=member)
    assert invite(organisation, manager, HEADER + "m@example.org,M,All staff\n").created == 1


def test_someone_with_an_unanswered_invitation_gets_it_renewed(
    organisation, manager, queued, django_capture_on_commit_callbacks
):
    old = InvitationFactory(
        organisation=organisation, email="a@example.org", role_tier=RoleTier.ALL_STAFF, token="t"
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = invite(organisation, manager, HEADER + "a@example.org,Ann New,Senior staff\n")
    assert (counts.created, counts.renewed) == (0, 1)
    renewed = Invitation.objects.get()
    assert renewed.pk == old.pk
    assert (renewed.full_name, renewed.role_tier) == ("Ann New", RoleTier.SENIOR_STAFF)
    assert renewed.expires_at > old.expires_at and renewed.sent_at is None
    assert services.find_invitation(token="t") is None, "the old link must stop working"
    assert queued == [[old.pk]]


def test_a_refused_file_leaves_unanswered_invitations_as_they_were(organisation, manager):
    old = InvitationFactory(organisation=organisation, email="a@example.org", token="t")
    with pytest.raises(InvitationFileError):
        invite(organisation, manager, HEADER + "a@example.org,A,All staff\nbad,B,All staff\n")
    assert services.find_invitation(token="t") == old


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n  \r\n", "The file is empty."),
        (b"E-mail,Name,Role tier\r\n\r\n", "The file has a header row but nobody to invite"),
        (b"PK\x03\x04\x14\x00\x06\x00rest", "This is not a CSV file: it looks like an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "older Excel workbook (.xls)"),
        (b"%PDF-1.7\n", "it looks like a PDF"),
        (b"E-mail,Name\x00,Role tier\n", "it holds binary data"),
        (
            b"E-mail,Name,Role tier\na@example.org,Ren\xe9e,All staff\n",
            "The file is not in UTF-8: line 2 has a character that cannot be read (byte 0xe9)",
        ),
        (b"Email;Name;Role tier\na@x.org;A;All staff\n", "separated by semicolons or tabs"),
        (b"a@example.org,A,All staff\n", "The first row looks like a person"),
        (b"E-mail,Name,Tier,Email\n", "the column E-mail is named twice (cells 1 and 4)"),
        (b"E-mail,Name\na@example.org,A\n", "it has no Role tier column"),
        (b'E-mail,Name,Role tier\n"a@example.org,A,All staff\n', "cannot be read as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(organisation, manager, data, expected):
    error = refusal(organisation, manager, data)
    assert expected in " ".join(error.problems)


def test_above_the_row_limit_the_file_is_refused_with_its_own_message(
    organisation, manager, settings
):
    settings.ORGANISATION_INVITATION_MAX_ROWS = 3
    rows = "".join(f"p{n}@example.org,P {n},All staff\n" for n in range(4))
    error = refusal(organisation, manager, HEADER + rows)
    assert error.problems == [
        "The file has more than 3 people, the most one upload may invite. Split it into "
        "smaller files and upload each."
    ]


def test_many_problems_are_counted_and_the_first_listed(organisation, manager, settings):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 2
    error = refusal(organisation, manager, HEADER + "bad,B,All staff\n" * 5)
    assert (len(error.problems), error.count, error.unlisted) == (2, 5, 3)


def _staff_file(rows: int) -> bytes:
    tiers = ["All staff", "complaints_staff", "Senior staff"]
    lines = [HEADER] + [
        f"person{n}@trust.example.nhs.uk,Person Number {n},{tiers[n % 3]}\r\n" for n in range(rows)
    ]
    return ("\ufeff" + "".join(lines)).encode()


def test_fifty_thousand_rows_are_checked_with_a_fixed_number_of_queries(
    organisation, manager, django_assert_num_queries
):
    """Reading needs no query; checking against the organisation one, however many rows."""
    for _ in range(5):
        MembershipFactory(organisation=organisation)
    invited = read_people(_staff_file(50_000), max_rows=50_000, problems_listed=200)
    with django_assert_num_queries(1):
        services.invitations.check_people(
            organisation=organisation, invited=invited, problems_listed=200
        )
    assert len(invited) == 50_000


def test_fifty_thousand_rows_are_invited_in_batches_and_emailed_in_chunks(
    organisation,
    manager,
    queued,
    settings,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    settings.ORGANISATION_INVITATION_EMAIL_CHUNK = 200
    data = _staff_file(50_000)
    # Lock, members, unanswered invitations, the audit entry and savepoints, and the inserts:
    # batches of 1,000, or fewer where the database takes fewer parameters (SQLite).
    fields = [f for f in Invitation._meta.concrete_fields if not f.primary_key]
    batch = min(1000, connection.ops.bulk_batch_size(fields, [None] * 50_000))
    inserts = math.ceil(50_000 / batch)
    with (
        django_assert_max_num_queries(10 + inserts),
        django_capture_on_commit_callbacks(execute=True),
    ):
        counts = services.invite_from_file(organisation=organisation, by=manager, data=data)
    assert counts.created == 50_000
    assert Invitation.objects.filter(organisation=organisation).count() == 50_000
    assert len(queued) == 250 and {len(chunk) for chunk in queued} == {200}
    assert len({pk for chunk in queued for pk in chunk}) == 50_000


def test_the_upload_page_invites_and_says_how_many(client, organisation, manager, queued):
    InvitationFactory(organisation=organisation, email="old@example.org")
    client.force_login(manager)
    url = reverse("organisations:upload", args=[organisation.pk])
    data = HEADER + "a@example.org,A,All staff\nold@example.org,Old,All staff\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("staff.csv", data.encode(), "text/csv")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "organisations:invitations", args=[organisation.pk]
    )
    assert "We are sending 2 invitations: 1 new and 1 renewed" in response.content.decode()


def test_the_upload_page_lists_every_problem_by_line(client, organisation, manager):
    client.force_login(manager)
    url = reverse("organisations:upload", args=[organisation.pk])
    data = HEADER + "a@example.org,A,All staff\nbad,B,All staff\na@example.org,A,All staff\n"
    response = client.post(url, {"file": SimpleUploadedFile("staff.csv", data.encode())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody was invited: there are 2 problems with the file" in page
    assert "Line 3: “bad” is not an e-mail address." in page
    assert "Line 4: Duplicate of line 2 (a@example.org)." in page
    assert not Invitation.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, organisation, manager, settings
):
    settings.ORGANISATION_INVITATION_MAX_BYTES = 100
    client.force_login(manager)
    url = reverse("organisations:upload", args=[organisation.pk])
    data = (HEADER + "a@example.org,A,All staff\n" * 10).encode()
    response = client.post(url, {"file": SimpleUploadedFile("staff.csv", data)})
    assert response.status_code == 400
    assert "The file is larger than 100\xa0bytes" in response.content.decode()
    assert not Invitation.objects.exists()


def test_uploading_with_no_file_asks_for_one(client, organisation, manager):
    client.force_login(manager)
    response = client.post(reverse("organisations:upload", args=[organisation.pk]), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
