"""Programmes and their versions: publishing a version, starting the next one, and enrolling
candidates on the version that is current."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from academy import selectors as people
from academy.audit import record

from ..errors import NotEligibleError, VersionLockedError, WrongStateError
from ..models import Candidacy, Programme, ProgrammeVersion, Requirement, Submission
from ..selectors import current_version

# Candidate references avoid letters and digits that read alike (0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def check_version_editable(version: ProgrammeVersion) -> None:
    if version.pk and version.status != ProgrammeVersion.Status.DRAFT:
        raise VersionLockedError(
            f"Version {version.number} of {version.programme} is "
            f"{version.get_status_display().lower()}: candidates are enrolled on it as it "
            "stands, so it cannot change. Start a new version instead."
        )


def check_publishable(version: ProgrammeVersion) -> list[str]:
    """What stops the version being published, one line each; empty when nothing does."""
    problems = []
    requirements = list(version.requirements.select_related("unit"))
    if not requirements:
        problems.append("Add at least one requirement.")
    if not any(r.stage != Requirement.Stage.RENEWAL for r in requirements):
        problems.append("At least one requirement must be needed to be awarded.")
    for requirement in requirements:
        if requirement.kind == Requirement.Kind.UNIT and not requirement.unit.criteria.exists():
            problems.append(f"Unit {requirement.unit} has no rubric criteria.")
        if requirement.stage != Requirement.Stage.AWARD and requirement.kind in (
            Requirement.Kind.COURSE,
            Requirement.Kind.UNIT,
        ):
            # A course is completed once and a unit judged competent once, so neither can be
            # met again in a later period.
            problems.append(
                f"{requirement.title} cannot be needed to renew: only an assessment (passed "
                "again) or a casework review (reviewed again) can."
            )
    return problems


@transaction.atomic
def publish_version(*, version: ProgrammeVersion, by) -> ProgrammeVersion:
    """Make the draft the version new candidates enrol on. The version published before it is
    retired: its candidates stay on it."""
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    check_version_editable(version)
    problems = check_publishable(version)
    if problems:
        raise VersionLockedError(" ".join(problems))
    ProgrammeVersion.objects.filter(
        programme=version.programme, status=ProgrammeVersion.Status.PUBLISHED
    ).update(status=ProgrammeVersion.Status.RETIRED)
    version.status = ProgrammeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record(actor=by, action="programme_version.published", target=version)
    return version


def _next_number(programme: Programme) -> int:
    # The programme's row lock makes two new versions made at once take different numbers.
    Programme.objects.select_for_update().get(pk=programme.pk)
    return (programme.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_version(*, version: ProgrammeVersion, by) -> ProgrammeVersion:
    """Save a new draft version (as filled in on the admin's form, its requirements with it),
    numbered after its programme's latest."""
    version.number = _next_number(version.programme)
    version.status = ProgrammeVersion.Status.DRAFT
    version.save()
    record(actor=by, action="programme_version.started", target=version)
    return version


@transaction.atomic
def start_version(*, programme: Programme, by) -> ProgrammeVersion:
    """A new draft version, a copy of the latest one's settings and requirements (or empty for
    a programme's first version)."""
    number = _next_number(programme)
    latest = programme.versions.order_by("-number").first()
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number,
        validity_years=latest.validity_years if latest else 3,
        cpd_hours_per_year=latest.cpd_hours_per_year if latest else 0,
    )
    if latest:
        Requirement.objects.bulk_create(
            Requirement(
                version=version,
                sort_order=r.sort_order,
                kind=r.kind,
                stage=r.stage,
                course_id=r.course_id,
                assessment_id=r.assessment_id,
                unit_id=r.unit_id,
                checklist_id=r.checklist_id,
            )
            for r in latest.requirements.all()
        )
    record(actor=by, action="programme_version.started", target=version)
    return version


def eligibility_problem(*, person, programme: Programme, by_manager: bool = False) -> str:
    """Why the person may not enrol on the programme now, or "" when they may."""
    if not programme.is_open or current_version(programme) is None:
        return f"{programme} is not open for enrolment."
    if programme.invitation_only and not by_manager:
        return f"{programme} is by invitation only: a programme manager enrols candidates."
    if programme.role_tiers and person.role_tier not in programme.role_tiers:
        return f"{programme} is not open to people in your role."
    if programme.organisation_kinds:
        kinds = {m.organisation.kind for m in people.current_memberships(user=person)}
        if not kinds & set(programme.organisation_kinds):
            return f"{programme} is not open to people in your organisation."
    return ""


def _new_reference() -> str:
    return "C-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


@transaction.atomic
def enrol(*, candidate, programme: Programme, enrolled_by=None) -> Candidacy:
    """Enrol the candidate on the programme's current version; enrolling again returns the
    candidacy they already have."""
    existing = (
        Candidacy.objects.filter(candidate=candidate, programme=programme)
        .exclude(status=Candidacy.Status.WITHDRAWN)
        .first()
    )
    if existing:
        return existing
    problem = eligibility_problem(
        person=candidate, programme=programme, by_manager=enrolled_by is not None
    )
    if problem:
        raise NotEligibleError(problem)
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                candidate=candidate,
                programme=programme,
                version=current_version(programme),
                reference=_new_reference(),
                enrolled_by=enrolled_by,
            )
    except IntegrityError:
        # Enrolled by a concurrent request between the check and the insert.
        return Candidacy.objects.exclude(status=Candidacy.Status.WITHDRAWN).get(
            candidate=candidate, programme=programme
        )
    record(
        actor=enrolled_by or candidate,
        action="candidacy.enrolled",
        target=candidacy,
        version=candidacy.version.number,
    )
    return candidacy


@transaction.atomic
def withdraw_candidacy(*, candidacy: Candidacy, by, reason: str = "") -> Candidacy:
    """The candidate leaves the programme (or a programme manager takes them off it). Units
    handed in and not yet opened are withdrawn with it; one an assessor has opened is decided
    as it stands. They may enrol again later, on the version current then."""
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != Candidacy.Status.ACTIVE:
        raise WrongStateError(
            f"This candidacy is {candidacy.get_status_display().lower()}: only one still "
            "working towards the programme can be withdrawn."
        )
    now = timezone.now()
    waiting = Submission.objects.select_for_update().filter(
        work__candidacy=candidacy, status=Submission.Status.SUBMITTED
    )
    withdrawn_units = waiting.update(status=Submission.Status.WITHDRAWN, withdrawn_at=now)
    candidacy.status = Candidacy.Status.WITHDRAWN
    candidacy.withdrawn_at = now
    candidacy.save(update_fields=["status", "withdrawn_at"])
    record(
        actor=by,
        action="candidacy.withdrawn",
        target=candidacy,
        reason=reason.strip() or "Withdrew from the programme",
        units_withdrawn=withdrawn_units,
    )
    return candidacy
