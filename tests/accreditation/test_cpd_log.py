"""My CPD log: its years and hours with and without an accreditation, the person's own entries
added, changed and deleted with clear errors, and nobody else's."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation import selectors, services
from accreditation.errors import CPDEntryError
from accreditation.models import Candidacy, CPDEntry
from tests.accreditation.factories import CandidacyFactory, CPDEntryFactory
from tests.complaint_standards.factories import ExpectationFactory

pytestmark = pytest.mark.django_db

LOG = reverse("accreditation:cpd_log")
ADD = reverse("accreditation:cpd_add")


def _awarded(learner, *, on: date, hours_a_year=10, programme="Senior caseworker accreditation"):
    candidacy = CandidacyFactory(
        candidate=learner,
        version__cpd_hours_per_year=hours_a_year,
        version__programme__name=programme,
    )
    Candidacy.objects.filter(pk=candidacy.pk).update(
        status=Candidacy.Status.AWARDED,
        awarded_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
    )
    return candidacy


# Years ------------------------------------------------------------------------------------------


def test_without_an_accreditation_years_run_from_1_april(learner):
    CPDEntryFactory(learner=learner, activity_date=date(2025, 3, 31), hours="1")
    CPDEntryFactory(learner=learner, activity_date=date(2025, 4, 1), hours="2")
    CPDEntryFactory(learner=learner, activity_date=date(2026, 3, 31), hours="3.5")
    CPDEntryFactory(learner=learner, activity_date=date(2026, 4, 2), hours="4")
    overview = selectors.cpd_overview(user=learner, today=date(2026, 5, 1))
    assert [(y.key, y.starts, y.ends, y.hours, y.entries) for y in overview.years] == [
        ("2026-27", date(2026, 4, 1), date(2027, 3, 31), Decimal(4), 1),
        ("2025-26", date(2025, 4, 1), date(2026, 3, 31), Decimal("5.5"), 2),
        ("2024-25", date(2024, 4, 1), date(2025, 3, 31), Decimal(1), 1),
    ]
    assert overview.current.key == "2026-27"
    assert all(year.required is None for year in overview.years)
    assert overview.total_hours == Decimal("10.5") and overview.total_entries == 4


def test_with_an_accreditation_years_run_from_the_award(learner):
    _awarded(learner, on=date(2024, 9, 15), hours_a_year=10)
    CPDEntryFactory(learner=learner, activity_date=date(2024, 9, 1), hours="5")
    CPDEntryFactory(learner=learner, activity_date=date(2024, 9, 15), hours="6")
    CPDEntryFactory(learner=learner, activity_date=date(2025, 9, 14), hours="4.5")
    CPDEntryFactory(learner=learner, activity_date=date(2025, 9, 15), hours="3")
    overview = selectors.cpd_overview(user=learner, today=date(2026, 1, 10))
    assert overview.programme == "Senior caseworker accreditation"
    assert overview.awarded_on == date(2024, 9, 15)
    rows = [(y.key, y.starts, y.ends, y.hours, y.required, y.met) for y in overview.years]
    assert rows == [
        ("year-2", date(2025, 9, 15), date(2026, 9, 14), Decimal(3), Decimal(10), False),
        ("year-1", date(2024, 9, 15), date(2025, 9, 14), Decimal("10.5"), Decimal(10), True),
        ("before", date(2024, 9, 1), date(2024, 9, 14), Decimal(5), None, False),
    ]
    assert overview.current.hours_to_go == Decimal(7)


def test_the_latest_award_sets_the_years_and_a_withdrawn_or_open_candidacy_does_not(
    learner, other_learner
):
    _awarded(learner, on=date(2023, 5, 1), hours_a_year=5, programme="Intake certification")
    _awarded(learner, on=date(2025, 2, 1), hours_a_year=12)
    CandidacyFactory(candidate=learner)  # working towards another
    _awarded(other_learner, on=date(2022, 1, 1), programme="Another programme")
    overview = selectors.cpd_overview(user=learner, today=date(2025, 6, 1))
    assert overview.programme == "Senior caseworker accreditation"
    assert overview.current.key == "year-1" and overview.current.required == 12


def test_an_award_on_29_february_has_its_anniversary_on_28_february(learner):
    _awarded(learner, on=date(2024, 2, 29))
    overview = selectors.cpd_overview(user=learner, today=date(2025, 3, 1))
    assert [(y.starts, y.ends) for y in overview.years] == [
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2024, 2, 29), date(2025, 2, 27)),
    ]


def test_the_overview_is_one_query_however_many_entries(learner, django_assert_num_queries):
    _awarded(learner, on=date(2020, 1, 1))
    for days in range(0, 2000, 40):
        CPDEntryFactory(learner=learner, activity_date=timezone.localdate() - timedelta(days))
    with django_assert_num_queries(1):
        overview = selectors.cpd_overview(user=learner)
    assert overview.total_entries == 50


# The page ---------------------------------------------------------------------------------------


def test_the_log_needs_a_signed_in_person(client):
    response = client.get(LOG)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_log_shows_this_years_activities_and_each_years_hours(learner_client, learner):
    expectation = ExpectationFactory(text="Staff listen to the complainant first.")
    entry = CPDEntryFactory(learner=learner, activity="Shadowed an investigation", hours="2.5")
    entry.expectations.add(expectation)
    CPDEntryFactory(
        learner=learner,
        activity="Read an old report",
        activity_date=timezone.localdate() - timedelta(days=800),
    )
    CPDEntryFactory(activity="Someone else's reading")
    html = learner_client.get(LOG).content.decode()
    assert "Shadowed an investigation" in html
    assert "Staff listen to the complainant first." in html
    assert "Read an old report" not in html  # another year
    assert "Someone else" not in html
    assert "1 April to 31 March" in html
    assert reverse("accreditation:cpd_edit", args=[entry.pk]) in html

    every = learner_client.get(LOG, {"year": "all"}).content.decode()
    assert "Read an old report" in every and "Shadowed an investigation" in every
    assert learner_client.get(LOG, {"year": "1999-00"}).status_code == 404


def test_an_accredited_person_sees_hours_against_the_requirement(learner_client, learner):
    _awarded(learner, on=timezone.localdate() - timedelta(days=30), hours_a_year=10)
    CPDEntryFactory(learner=learner, hours="4")
    html = learner_client.get(LOG).content.decode()
    assert "follow Senior caseworker accreditation, awarded to you on" in html
    assert "4 of 10" in html
    assert "You need 6 more hours before" in html


def test_recorded_entries_have_no_change_or_delete_links(learner_client, learner):
    recorded = CPDEntryFactory(
        learner=learner, kind=CPDEntry.Kind.RECORDED, source="course-completion:1"
    )
    html = learner_client.get(LOG).content.decode()
    assert "Course completed" in html
    assert reverse("accreditation:cpd_edit", args=[recorded.pk]) not in html
    for name in ("cpd_edit", "cpd_delete"):
        url = reverse(f"accreditation:{name}", args=[recorded.pk])
        assert learner_client.get(url).status_code == 404
        assert learner_client.post(url, _post()).status_code == 404
    assert CPDEntry.objects.filter(pk=recorded.pk).exists()


def test_the_log_page_query_count_does_not_grow_with_entries(
    learner_client, learner, django_assert_max_num_queries
):
    expectations = [ExpectationFactory() for _ in range(3)]
    for days in range(0, 300, 10):
        entry = CPDEntryFactory(
            learner=learner, activity_date=timezone.localdate() - timedelta(days)
        )
        entry.expectations.set(expectations)
    learner_client.get(LOG)  # the first request caches the footer's links
    # Session, user, the header's staff check and managed organisations, the overview, entries,
    # their expectations.
    with django_assert_max_num_queries(7):
        assert learner_client.get(LOG, {"year": "all"}).status_code == 200


# Adding, changing and deleting one's own ---------------------------------------------------------


def _post(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "activity": "Workshop on remedies",
        "activity_date_0": str(today.day),
        "activity_date_1": str(today.month),
        "activity_date_2": str(today.year),
        "hours": "2.5",
        "learned": "Remedies should put the person back where they would have been.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_person_adds_an_activity_with_its_expectations(learner_client, learner):
    chosen, other = ExpectationFactory(), ExpectationFactory()
    page = learner_client.get(ADD).content.decode()
    assert chosen.text in page and other.text in page
    response = learner_client.post(ADD, _post(expectations=[chosen.pk]), follow=True)
    entry = CPDEntry.objects.get(learner=learner)
    assert entry.kind == CPDEntry.Kind.REFLECTIVE and entry.source == ""
    assert entry.hours == Decimal("2.5") and entry.activity_date == timezone.localdate()
    assert list(entry.expectations.all()) == [chosen]
    assert "Added “Workshop on remedies” in your CPD log." in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"activity": ""}, "Activity: Enter what the activity was"),
        ({"activity": "x" * 256}, "Keep the activity to 255 characters or fewer"),
        ({"hours": ""}, "Hours: Enter how many hours the activity took"),
        ({"hours": "0.4"}, "Enter at least 0.5 hours"),
        ({"hours": "0"}, "Enter at least 0.5 hours"),
        ({"hours": "100.5"}, "Enter 100 hours or fewer"),
        ({"hours": "1.25"}, "Give the hours to one decimal place, for example 1.5"),
        ({"hours": "two"}, "Enter the hours as a number, for example 1.5"),
        ({"hours": "NaN"}, "Enter the hours as a number, for example 1.5"),
        ({"learned": ""}, "Say what you learned from the activity"),
        ({"activity_date_0": "", "activity_date_1": "", "activity_date_2": ""}, "Enter the date"),
        ({"activity_date_1": ""}, "Enter the day, the month and the year of the activity"),
        ({"activity_date_0": "31", "activity_date_1": "2"}, "Enter a real date"),
        ({"activity_date_2": "25"}, "Enter a real date"),
        ({"activity_date_0": "a"}, "Enter a real date"),
        ({"expectations": ["999999"]}, "Choose expectations from the list"),
    ],
)
def test_a_bad_activity_is_refused_with_a_clear_error(learner_client, learner, changes, message):
    response = learner_client.post(ADD, _post(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "<title>Error: " in html
    assert not CPDEntry.objects.exists()


def test_a_date_in_the_future_is_refused(learner_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    changes = {
        "activity_date_0": str(tomorrow.day),
        "activity_date_1": str(tomorrow.month),
        "activity_date_2": str(tomorrow.year),
    }
    html = learner_client.post(ADD, _post(**changes)).content.decode()
    assert "The date must be today or in the past" in html
    assert not CPDEntry.objects.exists()


def test_typed_values_are_kept_when_the_form_comes_back(learner_client):
    html = learner_client.post(ADD, _post(hours="1.25", activity_date_0="7")).content.decode()
    assert 'value="1.25"' in html and 'value="7"' in html
    assert 'value="Workshop on remedies"' in html


def test_a_person_changes_their_own_activity(learner_client, learner):
    entry = CPDEntryFactory(learner=learner, activity="Old name", hours="1")
    url = reverse("accreditation:cpd_edit", args=[entry.pk])
    page = learner_client.get(url).content.decode()
    assert 'value="Old name"' in page
    assert f'value="{entry.activity_date.year}"' in page
    learner_client.post(url, _post(activity="New name", hours="3"))
    entry.refresh_from_db()
    assert (entry.activity, entry.hours) == ("New name", Decimal(3))


def test_a_person_deletes_their_own_activity_after_confirming(learner_client, learner):
    entry = CPDEntryFactory(learner=learner, activity="Reading group")
    url = reverse("accreditation:cpd_delete", args=[entry.pk])
    assert "Delete “Reading group”?" in learner_client.get(url).content.decode()
    assert CPDEntry.objects.filter(pk=entry.pk).exists()
    response = learner_client.post(url)
    assert response.status_code == 302
    assert not CPDEntry.objects.filter(pk=entry.pk).exists()


def test_nobody_sees_changes_or_deletes_another_persons_entry(learner_client, other_learner):
    theirs = CPDEntryFactory(learner=other_learner, activity="Private reflection")
    for name in ("cpd_edit", "cpd_delete"):
        url = reverse(f"accreditation:{name}", args=[theirs.pk])
        assert learner_client.get(url).status_code == 404
        assert learner_client.post(url, _post(activity="Mine now")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.activity == "Private reflection"
    for year in ("", "all"):
        assert "Private reflection" not in learner_client.get(LOG, {"year": year}).content.decode()


def test_the_services_refuse_what_the_pages_never_offer(learner, other_learner):
    mine = CPDEntryFactory(learner=learner)
    recorded = CPDEntryFactory(
        learner=learner, kind=CPDEntry.Kind.RECORDED, source="assessment-pass:3"
    )
    fields = {
        "activity": "Changed",
        "activity_date": timezone.localdate(),
        "hours": Decimal(1),
        "learned": "",
        "expectations": [],
    }
    with pytest.raises(CPDEntryError, match="your own"):
        services.change_reflective_entry(entry=mine, by=other_learner, **fields)
    with pytest.raises(CPDEntryError, match="cannot be changed or deleted"):
        services.delete_reflective_entry(entry=recorded, by=learner)
    with pytest.raises(CPDEntryError, match="today or in the past"):
        services.add_reflective_entry(
            learner=learner, **{**fields, "activity_date": date(2999, 1, 1)}
        )
    with pytest.raises(CPDEntryError, match="one decimal place"):
        services.add_reflective_entry(learner=learner, **{**fields, "hours": Decimal("1.25")})
    assert CPDEntry.objects.filter(learner=learner).count() == 2


# The dashboard ----------------------------------------------------------------------------------


def _dashboard_cpd(client) -> str:
    return client.get(reverse("dashboard")).content.decode().split("My CPD</h2>")[1]


def test_the_dashboard_gives_this_years_hours_against_the_accreditation(learner_client, learner):
    _awarded(learner, on=timezone.localdate() - timedelta(days=400), hours_a_year=12)
    CPDEntryFactory(learner=learner, hours="4.5")
    CPDEntryFactory(learner=learner, hours="3", activity_date=timezone.localdate() - timedelta(399))
    cpd = _dashboard_cpd(learner_client)
    assert "you have logged <strong>4.5 hours</strong>" in cpd
    assert "of the 12 a year that Senior caseworker accreditation asks of you" in cpd
    assert "7.5 hours in all" in cpd
    assert reverse("accreditation:cpd_log") in cpd


def test_the_dashboard_tells_an_empty_log_what_it_needs(learner_client, learner):
    _awarded(learner, on=timezone.localdate(), hours_a_year=10)
    cpd = _dashboard_cpd(learner_client)
    assert "Senior caseworker accreditation asks you to log 10 hours by" in cpd


def test_the_dashboard_query_count_does_not_grow_with_cpd_entries(
    learner_client, learner, django_assert_max_num_queries
):
    _awarded(learner, on=timezone.localdate() - timedelta(days=800))
    CPDEntryFactory(learner=learner)
    learner_client.get(reverse("dashboard"))  # the first request caches the footer's links
    # Three more than before organisations: the header's managed organisations, the learner's
    # assignments and the surveys waiting for them; and two for webinars: their registrations
    # and the recordings they have to watch.
    with django_assert_max_num_queries(14):
        learner_client.get(reverse("dashboard"))
    for days in range(0, 900, 15):
        CPDEntryFactory(learner=learner, activity_date=timezone.localdate() - timedelta(days))
    with django_assert_max_num_queries(14):
        assert "My CPD" in learner_client.get(reverse("dashboard")).content.decode()
