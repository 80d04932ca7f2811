"""Keeping an accreditation: when the current period ends, from when it can be renewed, and what
is still needed to renew it (CPD hours in each year of the period, and the requirements needed
again to renew, met since the period began)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from assessments import selectors as assessment_selectors

from ..models import Candidacy, CaseworkReview, Requirement
from .cpd import CPDYear, anniversary, cpd_overview
from .dashboard import RequirementRow, State
from .programmes import requirements_of

# Renewal opens this many days before the period ends, when the first expiry reminder goes (as
# every certificate renews: certificates.validity.RENEWAL_WINDOW_DAYS); and at any time after.
RENEWAL_WINDOW_DAYS = 90


def _hours(value) -> str:
    """Hours as people write them: 6, 27.5 (PostgreSQL's sums carry a trailing .0)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class RenewalStatus:
    cycle: int
    started_at: datetime
    expires_at: datetime
    opens_at: datetime
    cpd_years: list[CPDYear]  # the years of the CPD log that began in this period
    requirements: list[RequirementRow]  # needed again to renew, judged since the period began
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.now >= self.opens_at

    @property
    def has_lapsed(self) -> bool:
        return self.now >= self.expires_at

    @property
    def problems(self) -> list[str]:
        """What still stands between the candidate and renewal, one sentence each."""
        problems = [
            f"Log {_hours(year.hours_to_go)} more hour{'' if year.hours_to_go == 1 else 's'} of "
            f"CPD in {year.label.lower()} ({_hours(year.hours)} of {_hours(year.required)})."
            for year in self.cpd_years
            if year.required and not year.met
        ]
        problems += [
            f"Meet this again since {self.started_at:%-d %B %Y}: {row.requirement.title}."
            for row in self.requirements
            if not row.met
        ]
        return problems

    @property
    def ready(self) -> bool:
        return self.is_open and not self.problems


def renewal_status(*, candidacy: Candidacy, now: datetime | None = None) -> RenewalStatus | None:
    """Where an awarded candidacy stands on renewal, or None for one not awarded. A fixed
    number of queries whatever the requirements and CPD entries."""
    if candidacy.status != Candidacy.Status.AWARDED or candidacy.cycle_started_at is None:
        return None
    now = now or timezone.now()
    started = candidacy.cycle_started_at
    expires = anniversary(started, candidacy.version.validity_years)
    overview = cpd_overview(user=candidacy.candidate, today=timezone.localdate(now))
    began, ends = timezone.localdate(started), timezone.localdate(expires)
    # The years of the accreditation that began in this period (after it lapsed, none more).
    years = [
        year
        for year in overview.years
        if year.key.startswith("year-") and year.ends >= began and year.starts < ends
    ]
    return RenewalStatus(
        cycle=candidacy.cycle,
        started_at=started,
        expires_at=expires,
        opens_at=expires - timedelta(days=RENEWAL_WINDOW_DAYS),
        cpd_years=years,
        requirements=_renewal_rows(candidacy, since=started),
        now=now,
    )


def _renewal_rows(candidacy: Candidacy, *, since: datetime) -> list[RequirementRow]:
    # Strictly after the period began: the review or pass that led to the award (or to the last
    # renewal) is not met again by being counted twice.
    needed = [r for r in requirements_of(candidacy.version) if r.stage != Requirement.Stage.AWARD]
    assessments = [r.assessment for r in needed if r.kind == Requirement.Kind.ASSESSMENT]
    standings = (
        assessment_selectors.standings(user=candidacy.candidate, assessments=assessments)
        if assessments
        else {}
    )
    reviews = {}
    if any(r.kind == Requirement.Kind.CASEWORK_REVIEW for r in needed):
        for review in CaseworkReview.objects.filter(
            candidacy=candidacy,
            outcome=CaseworkReview.Outcome.COMPETENT,
            recorded_at__gt=since,
        ).order_by("recorded_at"):
            reviews[review.requirement_id] = review
    rows = []
    for requirement in needed:
        if requirement.kind == Requirement.Kind.ASSESSMENT:
            passed = standings[requirement.assessment_id].last_passed_at
            met = passed is not None and passed > since
            rows.append(
                RequirementRow(
                    requirement, State.PASSED if met else State.NOT_STARTED, met, met_at=passed
                )
            )
        else:
            review = reviews.get(requirement.pk)
            rows.append(
                RequirementRow(
                    requirement,
                    State.COMPETENT if review else State.NOT_STARTED,
                    review is not None,
                    met_at=review.recorded_at if review else None,
                )
            )
    return rows
