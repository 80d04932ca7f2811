"""Programmes, their versions and requirements, and a person's candidacies, as pages read them."""

from django.db.models import Prefetch, Q

from complaint_standards.models import Expectation

from ..models import Candidacy, Competency, Programme, ProgrammeVersion, Requirement


def current_version(programme: Programme) -> ProgrammeVersion | None:
    """The published version new candidates enrol on, or None."""
    return programme.versions.filter(status=ProgrammeVersion.Status.PUBLISHED).first()


def open_programmes():
    """Programmes open for enrolment with a published version, each with that version and its
    requirements, in three queries."""
    published = ProgrammeVersion.objects.filter(status=ProgrammeVersion.Status.PUBLISHED)
    return (
        Programme.objects.filter(is_open=True, versions__in=published)
        .prefetch_related(
            Prefetch("versions", queryset=published, to_attr="published"),
        )
        .order_by("name")
    )


def published_programmes():
    """Programmes with a published version, by name: what an organisation may assign (whether
    or not they are open for enrolment today)."""
    published = ProgrammeVersion.objects.filter(status=ProgrammeVersion.Status.PUBLISHED)
    return Programme.objects.filter(versions__in=published).distinct().order_by("name")


def requirements_of(version: ProgrammeVersion) -> list[Requirement]:
    """The version's requirements in order, with what each names, in one query."""
    return list(
        version.requirements.select_related("course", "assessment", "unit", "checklist").order_by(
            "sort_order", "pk"
        )
    )


def my_candidacies(*, person) -> list[Candidacy]:
    """The person's candidacies, withdrawn ones last, in one query."""
    return list(
        Candidacy.objects.filter(candidate=person)
        .select_related("programme", "version")
        .order_by("status", "-enrolled_at")
    )


def candidacy_for(*, person, pk: int) -> Candidacy | None:
    """The person's own candidacy with this id, or None (someone else's reads as missing)."""
    return (
        Candidacy.objects.filter(candidate=person, pk=pk)
        .select_related("programme", "version")
        .first()
    )


def active_candidacy(*, person, programme: Programme) -> Candidacy | None:
    """The person's candidacy on the programme that is not withdrawn, or None."""
    return (
        Candidacy.objects.filter(candidate=person, programme=programme)
        .exclude(status=Candidacy.Status.WITHDRAWN)
        .select_related("version")
        .first()
    )


def competencies_of(*, programme: Programme) -> list[Competency]:
    """The competencies any version of the programme assesses (through its units' rubrics and
    its casework checklists), in framework order, in one query."""
    return list(
        Competency.objects.filter(
            Q(criteria__unit__requirements__version__programme=programme)
            | Q(checklist_items__checklist__requirements__version__programme=programme)
        )
        .distinct()
        .order_by("position", "name")
    )


def expectations_of(*, programme: Programme):
    """The Complaint Standards expectations the programme's competencies are aligned to."""
    return Expectation.objects.filter(competencies__in=competencies_of(programme=programme))


def started_programmes(*, person_ids, programme_ids) -> set[tuple[int, int]]:
    """(person id, programme id) for each candidacy of these people on these programmes that
    is not withdrawn: who is working towards (or holds) which, in one query."""
    return set(
        Candidacy.objects.filter(candidate_id__in=person_ids, programme_id__in=programme_ids)
        .exclude(status=Candidacy.Status.WITHDRAWN)
        .order_by()
        .values_list("candidate_id", "programme_id")
    )
