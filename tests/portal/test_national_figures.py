"""The national view's figures, against the small Academy worked out by hand
(tests/portal/national_data.py): each split and filter, pass rates, people who left."""

import pytest

from academy.models import User
from portal import national
from portal.models import NONE
from portal.national_refresh import refresh_national_figures
from tests.accreditation.factories import CandidacyFactory, VersionFactory
from tests.portal.national_data import build_small

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(course_tree):
    data = build_small(course_tree)
    refresh_national_figures()
    return data


def figures(small, **filters):
    start, end = national.default_range()
    return national.national_figures(filters=national.Filters(start=start, end=end, **filters))


def by_month(result, month):
    [row] = [row for row in result.months if row.key == month.isoformat()[:7]]
    return row.counts


def split(result, dimension):
    return {row.key: row.counts for row in result.splits[dimension]}


def counts(learners, enrolments, completions, certificates):
    return national.Counts(learners, enrolments, completions, certificates)


def test_every_month_of_the_range_is_counted(small):
    result = figures(small)
    assert len(result.months) == 12
    assert result.months[-1].key == small.this_month.isoformat()[:7]
    assert by_month(result, small.last_month) == counts(2, 2, 1, 1)
    # The corrected certificate counts once, in the month it was first issued.
    assert by_month(result, small.this_month) == counts(2, 3, 2, 1)
    assert result.total == counts(4, 5, 3, 2)


def test_by_kind_a_person_counts_in_each_current_organisation_and_leavers_in_none(small):
    kinds = split(figures(small), "kind")
    assert list(kinds) == ["nhs_trust", "government", "none"]
    assert kinds["nhs_trust"] == counts(2, 3, 1, 1)
    assert kinds["government"] == counts(1, 1, 0, 0)
    assert kinds["none"] == counts(2, 2, 2, 1)


def test_by_region(small):
    regions = split(figures(small), "region")
    assert regions == {
        "london": counts(2, 3, 1, 1),
        "national": counts(1, 1, 0, 0),
        "none": counts(2, 2, 2, 1),
    }


def test_by_framework(small):
    frameworks = split(figures(small), "framework")
    assert frameworks == {
        str(small.f1.pk): counts(2, 2, 1, 1),
        str(small.f2.pk): counts(2, 2, 1, 1),
        "none": counts(1, 1, 1, 0),
    }


def test_a_kind_filter(small):
    result = figures(small, kind="nhs_trust")
    assert by_month(result, small.last_month) == counts(1, 1, 1, 1)
    assert by_month(result, small.this_month) == counts(1, 2, 0, 0)
    # The other splits are of the trust's people only.
    assert split(result, "region") == {"london": counts(2, 3, 1, 1)}
    assert result.organisations == {"organisations": 1, "memberships": 2}
    assert result.labels["Organisation kind"] == "NHS trust"


def test_no_organisation(small):
    result = figures(small, kind="none")
    assert result.total == counts(2, 2, 2, 1)
    assert result.organisations == {"organisations": 0, "memberships": 0}


def test_region_and_framework_filters_together(small):
    result = figures(small, region="london", framework=str(small.f1.pk))
    assert result.total == counts(2, 2, 1, 1)
    assert split(result, "kind") == {"nhs_trust": counts(2, 2, 1, 1)}


def test_a_date_range(small):
    result = national.national_figures(
        filters=national.Filters(start=small.this_month, end=small.this_month)
    )
    assert [row.key for row in result.months] == [small.this_month.isoformat()[:7]]
    assert result.total == counts(2, 3, 2, 1)
    assert result.labels["From"] == result.labels["To"]


def test_pass_rates_count_released_attempts_only(small):
    result = figures(small)
    [rate] = result.pass_rates
    assert (rate.attempts, rate.passed) == (4, 3)
    assert result.overall_pass_rate.rate == 75
    trust = figures(small, kind="nhs_trust")
    # p3 left the trust: their pass is no longer the trust's.
    assert (trust.overall_pass_rate.attempts, trust.overall_pass_rate.passed) == (3, 2)
    assert figures(small, framework=str(small.f2.pk)).pass_rates == []


def test_expectation_coverage(small):
    result = figures(small)
    assert result.learners_with_learning == 4
    coverage = {(row.framework, row.code): (row.learners, row.share) for row in result.coverage}
    assert coverage == {
        (str(small.f2), "1.1"): (1, 25.0),
        (str(small.f1), "1.1"): (1, 25.0),
        (str(small.f1), "1.2"): (0, 0.0),
    }
    nhs = {
        (row.framework, row.code): (row.learners, row.share)
        for row in figures(small, framework=str(small.f1.pk)).coverage
    }
    assert nhs == {(str(small.f1), "1.1"): (1, 25.0), (str(small.f1), "1.2"): (0, 0.0)}
    trust = figures(small, kind="nhs_trust", framework=str(small.f1.pk))
    assert trust.learners_with_learning == 2
    assert [row.share for row in trust.coverage] == [50.0, 0.0]


def test_totals_of_organisations_and_current_memberships(small):
    assert figures(small).organisations == {"organisations": 2, "memberships": 3}
    assert figures(small, region="national").organisations == {
        "organisations": 1,
        "memberships": 1,
    }


def test_refreshing_twice_changes_nothing(small):
    from portal.models import NationalCoverage, NationalFigure

    before = sorted(
        NationalFigure.objects.values_list(
            "month", "kind", "region", "framework", "assessment_id", "enrolments", "learners"
        )
    )
    coverage = sorted(
        NationalCoverage.objects.values_list("kind", "region", "expectation_id", "learners")
    )
    refresh_national_figures()
    assert (
        sorted(
            NationalFigure.objects.values_list(
                "month", "kind", "region", "framework", "assessment_id", "enrolments", "learners"
            )
        )
        == before
    )
    assert (
        sorted(NationalCoverage.objects.values_list("kind", "region", "expectation_id", "learners"))
        == coverage
    )


def test_the_accreditation_pipeline_follows_the_kind_and_region_filters(small):
    """p1 works towards a programme from the trust in London; p3 (who left the trust) and p4
    from no organisation."""
    version = VersionFactory()
    for name in ("Person 1", "Person 3", "Person 4"):
        CandidacyFactory(candidate=User.objects.get(full_name=name), version=version)

    def working(**filters):
        [report] = figures(small, **filters).pipeline
        return report.pipeline["working"]

    assert working() == 3
    assert working(kind="nhs_trust") == 1
    assert working(region="london") == 1
    assert working(kind="government_department") == 0
    assert working(kind=NONE) == 2
    assert working(region=NONE) == 2
