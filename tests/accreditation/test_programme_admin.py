"""Defining and running programmes in the admin, as a programme manager does."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from academy import services as people
from academy.models import AuditEntry
from accreditation.models import Candidacy, PortfolioUnit, Programme, ProgrammeVersion
from tests.academy.factories import UserFactory

from .factories import (
    CandidacyFactory,
    CompetencyFactory,
    PortfolioUnitFactory,
    ProgrammeFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff_groups):
    return UserFactory(full_name="Mina Manager", groups=[people.PROGRAMME_MANAGERS], mfa=True)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def version_form(programme, requirements):
    return nested_form_data(
        {
            "programme": programme.pk,
            "changes": "",
            "validity_years": 3,
            "cpd_hours_per_year": "12",
            "requirements": inline_formset(requirements),
        }
    )


def requirement(kind, **chosen):
    return {
        "kind": kind,
        "stage": "award",
        "course": "",
        "assessment": "",
        "unit": "",
        "checklist": "",
        **chosen,
    }


@pytest.mark.parametrize(
    "name",
    [
        "accreditation_programme:index",
        "accreditation_version:index",
        "accreditation_unit:index",
        "accreditation_checklist:index",
        "accreditation_competency:index",
        "accreditation_candidacy:index",
    ],
)
def test_programme_managers_and_administrators_reach_every_list_and_others_do_not(
    client, staff_groups, manager, administrator, name
):
    for allowed in (manager, administrator):
        client.force_login(allowed)
        assert client.get(reverse(name)).status_code == 200
    for group in (people.TRAINERS, people.ASSESSORS, people.EXTERNAL_QUALITY_ASSURERS):
        client.force_login(UserFactory(groups=[group], mfa=True))
        assert client.get(reverse(name)).status_code in (302, 403)


def test_a_programme_is_opened_to_chosen_organisation_kinds_and_roles(manager_client):
    response = manager_client.post(
        reverse("accreditation_programme:add"),
        {
            "name": "Intake caseworker certification",
            "slug": "intake",
            "level": "intake_caseworker",
            "summary": "For caseworkers in their first year.",
            "is_open": "on",
            "organisation_kinds": ["phso"],
            "role_tiers": ["complaints_staff", "senior_staff"],
            "iqa_sample_percent": 10,
            "appeal_window_days": 20,
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="intake")
    assert programme.organisation_kinds == ["phso"]
    assert programme.role_tiers == ["complaints_staff", "senior_staff"]


def test_a_new_version_is_numbered_and_a_requirement_must_name_what_its_kind_needs(
    manager_client, manager
):
    programme = ProgrammeFactory()
    unit = PortfolioUnitFactory()
    refused = manager_client.post(
        reverse("accreditation_version:add"),
        version_form(programme, [requirement("course", unit=unit.pk)]),
    )
    assert refused.status_code == 200
    assert "Choose the course for this “complete a course” requirement." in (
        refused.content.decode()
    )
    assert not ProgrammeVersion.objects.exists()

    manager_client.post(
        reverse("accreditation_version:add"),
        version_form(programme, [requirement("unit", unit=unit.pk)]),
    )
    version = ProgrammeVersion.objects.get()
    assert (version.number, version.status) == (1, ProgrammeVersion.Status.DRAFT)
    assert [r.unit for r in version.requirements.all()] == [unit]
    assert AuditEntry.objects.filter(action="programme_version.started", actor=manager).exists()


def test_publishing_freezes_a_version(manager_client):
    version = VersionFactory(status=ProgrammeVersion.Status.DRAFT)
    confirm = manager_client.get(reverse("accreditation_version:publish", args=[version.pk]))
    assert "cannot change" in confirm.content.decode()
    manager_client.post(reverse("accreditation_version:publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == ProgrammeVersion.Status.PUBLISHED

    unit = version.requirements.get().unit
    response = manager_client.post(
        reverse("accreditation_version:edit", args=[version.pk]),
        version_form(version.programme, [requirement("unit", unit=unit.pk)]),
    )
    assert "Start a new version instead." in response.content.decode()
    assert version.requirements.count() == 1


def test_a_unit_a_published_version_uses_cannot_change(manager_client):
    version = VersionFactory()
    unit = version.requirements.get().unit
    competency = CompetencyFactory()
    form = nested_form_data(
        {
            "code": unit.code,
            "title": "A new title",
            "summary": unit.summary,
            "evidence_requirements": unit.evidence_requirements,
            "min_evidence_files": 1,
            "reflection_prompt": unit.reflection_prompt,
            "reflection_min_words": 100,
            "resubmission_limit": 2,
            "criteria": inline_formset(
                [{"competency": competency.pk, "statement": "Shows the plan."}]
            ),
        }
    )
    response = manager_client.post(reverse("accreditation_unit:edit", args=[unit.pk]), form)
    assert "cannot change" in response.content.decode()
    assert PortfolioUnit.objects.get(pk=unit.pk).title == unit.title


def test_starting_a_new_version_copies_the_latest(manager_client):
    version = VersionFactory()
    manager_client.post(
        reverse("accreditation_programme:start_version", args=[version.programme.pk])
    )
    draft = ProgrammeVersion.objects.get(status=ProgrammeVersion.Status.DRAFT)
    assert draft.number == version.number + 1
    assert [r.unit_id for r in draft.requirements.all()] == [
        r.unit_id for r in version.requirements.all()
    ]


def test_a_manager_enrols_a_candidate_by_email(manager_client, manager):
    version = VersionFactory(programme__invitation_only=True)
    person = UserFactory(email="cand@example.org")
    url = reverse("accreditation_programme:enrol", args=[version.programme.pk])
    unknown = manager_client.post(url, {"email": "nobody@example.org"})
    assert "Nobody has an Academy account" in unknown.content.decode()
    manager_client.post(url, {"email": "CAND@example.org"})
    candidacy = Candidacy.objects.get()
    assert (candidacy.candidate, candidacy.enrolled_by) == (person, manager)


def test_candidacies_are_only_listed_and_inspected_never_edited(client, manager, administrator):
    candidacy = CandidacyFactory()
    for person in (manager, administrator):
        client.force_login(person)
        inspect = client.get(reverse("accreditation_candidacy:inspect", args=[candidacy.pk]))
        assert inspect.status_code == 200
        for name in ("edit", "delete"):
            url = reverse(f"accreditation_candidacy:{name}", args=[candidacy.pk])
            assert client.get(url).status_code in (302, 403)
        assert client.get(reverse("accreditation_candidacy:add")).status_code in (302, 403)
