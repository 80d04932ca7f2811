"""A learner with something in every part of the Academy, for the privacy tests."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from academy.models import Membership
from accreditation.models import Appeal, CPDEntry, Evidence
from assessments import services as assessment_services
from assessments.models import Attempt, QuestionKind
from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from organisations.models import Assignment, Invitation, PersonalAssignment
from tests.academy.factories import MembershipFactory, OrganisationFactory
from tests.accreditation.factories import (
    CandidacyFactory,
    CPDEntryFactory,
    DecidedSubmissionFactory,
    DecisionFactory,
    UnitWorkFactory,
)
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    essay_question,
    wrong_answers,
)

ESSAY = "At Riverside I handled Mrs Jones's complaint about her late husband's care."
STATEMENT = "I planned the investigation of the Jones complaint around her questions."
LEARNED = "I learned to ask Mrs Jones what outcome she wanted."
GROUNDS = "The assessor missed my second plan for the Jones case."


@dataclass
class Holdings:
    membership: Membership
    released: Attempt
    held: Attempt
    certificate: Certificate
    evidence: Evidence
    cpd: CPDEntry
    invitation: Invitation
    personal_assignment: PersonalAssignment


def submitted(learner, **settings) -> Attempt:
    """A released attempt with wrong answers at a single-choice, short-answer and matching
    assessment (by default it shows marks and correctness now, not the right answers)."""
    assessment = AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.SHORT_ANSWER),
            QuestionFactory(kind=QuestionKind.MATCHING),
        ],
        **settings,
    )
    attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
    assessment_services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    return assessment_services.submit_attempt(attempt=attempt)


def essay_waiting_for_marking(learner) -> Attempt:
    assessment = AssessmentFactory(questions=[essay_question()])
    attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
    response = attempt.responses.get()
    assessment_services.save_answers(attempt=attempt, answers={response.pk: [ESSAY]})
    return assessment_services.submit_attempt(attempt=attempt)


def give_everything(learner, course_tree, catalogue) -> Holdings:
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    membership = MembershipFactory(user=learner, organisation=organisation, team="Intake 2")
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    course_services.complete_lesson(enrolment=enrolment, lesson=course_tree.lessons[0])
    released = submitted(learner)
    held = essay_waiting_for_marking(learner)
    certificate = certificate_services.issue_for_course(learner=learner, course=course_tree.course)
    work = UnitWorkFactory(
        candidacy=CandidacyFactory(candidate=learner, reference="C-PRIV01"), statement=STATEMENT
    )
    decision = DecisionFactory(submission=DecidedSubmissionFactory(work=work, statement=STATEMENT))
    Appeal.objects.create(decision=decision, grounds=GROUNDS)
    evidence = decision.submission.evidence.get()
    cpd = CPDEntryFactory(learner=learner, learned=LEARNED)
    cpd.evidence.save("reflection.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    cpd.evidence_name = "my reflection on the Jones case.pdf"
    cpd.save()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=learner.email.lower(),
        full_name=learner.full_name,
        role_tier="all_staff",
        token_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=14),
    )
    assignment = Assignment.objects.create(
        organisation=organisation,
        kind=Assignment.Kind.COURSE,
        course=course_tree.course,
        audience=Assignment.Audience.PEOPLE,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assignment.people.add(learner)
    personal = PersonalAssignment.objects.create(
        assignment=assignment, user=learner, due_on=assignment.due_on
    )
    return Holdings(
        membership=membership,
        released=released,
        held=held,
        certificate=certificate,
        evidence=evidence,
        cpd=cpd,
        invitation=invitation,
        personal_assignment=personal,
    )
