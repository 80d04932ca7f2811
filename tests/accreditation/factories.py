import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accreditation.models import (
    Appeal,
    Candidacy,
    CaseworkChecklist,
    ChecklistItem,
    Competency,
    CPDEntry,
    Decision,
    Evidence,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
    QualitySample,
    Requirement,
    RubricCriterion,
    Submission,
    UnitWork,
)
from tests.academy.factories import UserFactory


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "Does the work well."


class PortfolioUnitFactory(DjangoModelFactory):
    """A unit with two rubric criteria."""

    class Meta:
        model = PortfolioUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n}")
    title = factory.Sequence(lambda n: f"Unit {n}")
    summary = "Show how you plan an investigation."
    evidence_requirements = "Two anonymised investigation plans."
    min_evidence_files = 1
    reflection_prompt = "What would you do differently next time?"
    reflection_min_words = 20
    resubmission_limit = 2

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, statement in enumerate(
            extracted if extracted is not None else ["Plans the questions.", "Weighs evidence."]
        ):
            RubricCriterion.objects.create(
                unit=obj, sort_order=position, competency=CompetencyFactory(), statement=statement
            )


class ChecklistFactory(DjangoModelFactory):
    class Meta:
        model = CaseworkChecklist
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Case file checklist {n}")

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or ["Was the complaint acknowledged?"]):
                ChecklistItem.objects.create(checklist=obj, sort_order=position, text=text)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    level = Programme.Level.SENIOR_CASEWORKER
    summary = "Recognises senior caseworkers."
    is_open = True


class VersionFactory(DjangoModelFactory):
    """A published version with one portfolio unit (units=[...] for others, units=[] for none)."""

    class Meta:
        model = ProgrammeVersion
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = ProgrammeVersion.Status.PUBLISHED
    cpd_hours_per_year = 10

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, unit in enumerate(
            extracted if extracted is not None else [PortfolioUnitFactory()]
        ):
            Requirement.objects.create(
                version=obj, sort_order=position, kind=Requirement.Kind.UNIT, unit=unit
            )


class CandidacyFactory(DjangoModelFactory):
    class Meta:
        model = Candidacy

    candidate = factory.SubFactory(UserFactory)
    version = factory.SubFactory(VersionFactory)
    programme = factory.SelfAttribute("version.programme")
    reference = factory.Sequence(lambda n: f"C-T{n:06d}")


def unit_requirement(candidacy: Candidacy) -> Requirement:
    """The candidacy's first portfolio unit requirement."""
    return candidacy.version.requirements.filter(kind=Requirement.Kind.UNIT).first()


# Assessment, as the assessor's services will do it, for tests of what candidates see ----------


def open_submission(submission: Submission, assessor) -> Submission:
    """An assessor opens the submission: it can no longer be withdrawn."""
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.IN_ASSESSMENT, assessor=assessor, opened_at=timezone.now()
    )
    submission.refresh_from_db()
    return submission


def decide(submission: Submission, *, outcome: str, assessor=None, **fields) -> Decision:
    """The assessor's decision on the submission, opening it first if need be."""
    if submission.status == Submission.Status.SUBMITTED:
        open_submission(submission, assessor or UserFactory())
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.DECIDED)
    submission.refresh_from_db()
    return Decision.objects.create(
        submission=submission,
        outcome=outcome,
        feedback=fields.pop("feedback", "Clear plans; the evidence is weighed well."),
        decided_by=submission.assessor,
        **fields,
    )


STATEMENT = (
    "I planned the investigation around the questions the complainant asked, and checked each "
    "answer against the records before I wrote the response."
)


def evidence_file(work: UnitWork, name: str = "plan.pdf") -> Evidence:
    """A small evidence file of the work, stored in private storage as the portfolio stores it."""
    content = b"%PDF-1.4\n% an anonymised investigation plan\n%%EOF\n"
    return Evidence.objects.create(
        work=work,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=work.candidacy.candidate,
    )


class SubmissionFactory(DjangoModelFactory):
    """A portfolio unit submitted for assessment: the candidacy's first unit (its UnitWork made
    if need be), numbered after the unit's earlier submissions, with `evidence` files (one unless
    told) frozen in it."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    class Params:
        candidacy = factory.SubFactory(CandidacyFactory)

    work = factory.LazyAttribute(
        lambda o: UnitWork.objects.get_or_create(
            candidacy=o.candidacy,
            requirement=unit_requirement(o.candidacy),
            defaults={"statement": STATEMENT},
        )[0]
    )
    number = factory.LazyAttribute(lambda o: o.work.submissions.count() + 1)
    statement = STATEMENT

    @factory.post_generation
    def evidence(obj, create, extracted, **kwargs):
        if create:
            count = 1 if extracted is None else extracted
            obj.evidence.add(
                *(evidence_file(obj.work, f"plan-{obj.number}-{n}.pdf") for n in range(count))
            )


class CPDEntryFactory(DjangoModelFactory):
    """A reflective entry (kind="recorded" with a source for one the Academy adds)."""

    class Meta:
        model = CPDEntry

    learner = factory.SubFactory(UserFactory)
    kind = CPDEntry.Kind.REFLECTIVE
    activity = factory.Sequence(lambda n: f"Read a casework guide, part {n}")
    activity_date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("1.5")
    learned = "How to plan an investigation around the complainant's questions."


# Decisions, quality assurance and appeals -------------------------------------------------------
# Rows made directly, as the assessing services would leave them, for the tests of IQA, EQA and
# appeals.


class EvidenceFactory(DjangoModelFactory):
    """A small PDF of evidence in the candidate's portfolio for the work's unit."""

    class Meta:
        model = Evidence

    work = factory.SubFactory("tests.accreditation.factories.UnitWorkFactory")
    file = factory.django.FileField(filename="upload.pdf", data=b"%PDF-1.4\n% evidence\n")
    original_name = factory.Sequence(lambda n: f"investigation plan {n}.pdf")
    description = "An anonymised investigation plan"
    content_type = "application/pdf"
    size = 20
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("work.candidacy.candidate")


class UnitWorkFactory(DjangoModelFactory):
    """The candidacy's portfolio for its version's first unit."""

    class Meta:
        model = UnitWork
        django_get_or_create = ("candidacy", "requirement")

    candidacy = factory.SubFactory(CandidacyFactory)
    requirement = factory.LazyAttribute(lambda work: unit_requirement(work.candidacy))
    statement = "I planned the investigation around the questions the complainant asked."


class DecidedSubmissionFactory(DjangoModelFactory):
    """A submission of a unit, opened and decided by its assessor, with one evidence file
    (evidence=N for more); its decision is made by DecisionFactory."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    work = factory.SubFactory(UnitWorkFactory)
    number = factory.LazyAttribute(lambda s: s.work.submissions.count() + 1)
    statement = "I planned the investigation around the questions the complainant asked."
    status = Submission.Status.DECIDED
    assessor = factory.SubFactory(UserFactory)
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def evidence(obj, create, extracted, **kwargs):
        if create:
            obj.evidence.add(*(EvidenceFactory(work=obj.work) for _ in range(extracted or 1)))


class DecisionFactory(DjangoModelFactory):
    """An assessor's "not yet competent" decision on a decided submission, each criterion
    judged."""

    class Meta:
        model = Decision

    submission = factory.SubFactory(DecidedSubmissionFactory)
    kind = Decision.Kind.ASSESSMENT
    outcome = Decision.Outcome.NOT_YET_COMPETENT
    feedback = "The plan names the questions but not the evidence for each."
    to_resubmit = "A plan that links each question to the evidence that answers it."
    decided_by = factory.SelfAttribute("submission.assessor")
    criteria = factory.LazyAttribute(
        lambda d: [
            {
                "criterion": criterion.pk,
                "competency": criterion.competency.name,
                "statement": criterion.statement,
                "met": position == 0,
                "comment": "Seen in the plan." if position == 0 else "Not shown.",
            }
            for position, criterion in enumerate(
                d.submission.work.requirement.unit.criteria.order_by("sort_order")
            )
        ]
    )


class QualitySampleFactory(DjangoModelFactory):
    class Meta:
        model = QualitySample

    decision = factory.SubFactory(DecisionFactory)
    reason = QualitySample.Reason.SHARE


class AppealFactory(DjangoModelFactory):
    class Meta:
        model = Appeal

    decision = factory.SubFactory(DecisionFactory)
    grounds = "The assessor missed the second plan, which links every question to its evidence."


def staff(group: str, **fields):
    """A member of a staff group with an authenticator (the group must exist: staff_groups)."""
    return UserFactory(groups=[group], mfa=True, **fields)
