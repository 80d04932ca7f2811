"""Issuing a certificate: the award for a course or a webinar, and the learner's certificate
for an award."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import record
from academy.queueing import enqueue
from accreditation import selectors as accreditation_selectors

from .. import codes, credentials, selectors, signals, validity
from ..errors import NotEligibleError
from ..models import Award, Certificate


@transaction.atomic
def award_for_course(*, course) -> Award:
    award, _ = Award.objects.get_or_create(
        course=course,
        defaults={
            "kind": Award.Kind.COURSE_COMPLETION,
            "title": course.title,
            "cpd_hours": course.cpd_hours,
        },
    )
    return award


@transaction.atomic
def award_for_webinar(*, webinar) -> Award:
    """The webinar's attendance award, made the first time someone attends it, with its CPD
    hours and expectations as they are then (administrators can change the award later)."""
    award, created = Award.objects.get_or_create(
        webinar=webinar,
        defaults={
            "kind": Award.Kind.WEBINAR_ATTENDANCE,
            "title": webinar.title,
            "cpd_hours": webinar.cpd_hours,
        },
    )
    if created:
        award.expectations.set(webinar.expectations.all())
    return award


def _current(*, learner, award: Award, cycle: int) -> Certificate | None:
    return Certificate.objects.filter(
        learner=learner, award=award, cycle=cycle, superseded_at__isnull=True
    ).first()


def issue_certificate(
    *,
    learner,
    award: Award,
    issued_by=None,
    reason: str = "",
    renews: Certificate | None = None,
    valid_for_years: int | None = None,
) -> Certificate:
    """Issue the learner's certificate for this award's first cycle, or with `renews` the cycle
    after that certificate's (see renew_certificate); issuing again returns it.

    `valid_for_years` overrides the award's validity: an accreditation lasts as long as the
    programme version the candidate enrolled on says.

    The certificate copies everything it prints (name, title, wording, CPD hours, signatory,
    validity) so later edits to the award or its design never change it.
    """
    cycle = renews.cycle + 1 if renews else 1
    existing = _current(learner=learner, award=award, cycle=cycle)
    if existing:
        return existing
    if not learner.full_name.strip():
        raise NotEligibleError("The learner has no name to print on the certificate.")
    design = selectors.design_for(award=award)
    issued_at = timezone.now()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=codes.new_code(),
                learner=learner,
                award=award,
                cycle=cycle,
                name_on_certificate=learner.full_name.strip(),
                title_on_certificate=award.title,
                wording_on_certificate=_wording(award, design),
                cpd_hours=award.cpd_hours,
                signatory_name=design.signatory_name if design else "",
                signatory_role=design.signatory_role if design else "",
                design=design,
                issued_at=issued_at,
                valid_until=(
                    validity.add_months(issued_at, 12 * valid_for_years)
                    if valid_for_years
                    else award.valid_until(issued_at)
                ),
                issued_by=issued_by,
            )
            credentials.sign_at_issue(certificate)
            record(
                actor=issued_by,
                action="certificate.renewed" if renews else "certificate.issued",
                target=certificate,
                reason=reason or ("Issued by hand" if issued_by else "Course completed"),
                code=certificate.code,
                **({"previous_code": renews.code} if renews else {}),
            )
            transaction.on_commit(
                lambda: enqueue("certificates.tasks.render_certificate_pdf", certificate.pk)
            )
            signals.certificate_issued.send(sender=Certificate, certificate=certificate)
    except IntegrityError:
        # Issued by a concurrent request between the check and the insert.
        return Certificate.objects.get(
            learner=learner, award=award, cycle=cycle, superseded_at__isnull=True
        )
    return certificate


def _wording(award: Award, design) -> str:
    parts = [award.wording.strip(), design.extra_wording.strip() if design else ""]
    return "\n\n".join(part for part in parts if part)


def issue_for_course(*, learner, course, issued_by=None, reason: str = "") -> Certificate:
    return issue_certificate(
        learner=learner, award=award_for_course(course=course), issued_by=issued_by, reason=reason
    )


@transaction.atomic
def award_for_programme(*, programme, validity_years: int) -> Award:
    """The programme's accreditation award, made the first time it is needed, aligned to the
    expectations its competencies draw on. Its validity is what the admin shows; each
    certificate takes its own from the candidate's version."""
    award = Award.objects.filter(programme=programme).first()
    if award:
        return award
    award = Award.objects.create(
        kind=Award.Kind.ACCREDITATION,
        programme=programme,
        title=programme.name,
        # The programme's summary speaks to candidates ("you"); a certificate speaks of the
        # holder. Administrators can change it on the award.
        wording="For meeting every requirement of the programme: the required learning, and "
        "work from their own cases assessed against the PHSO Academy's competency framework "
        "for complaint handling.",
        validity_unit=Award.ValidityUnit.YEARS,
        validity_length=validity_years,
    )
    award.expectations.set(accreditation_selectors.expectations_of(programme=programme))
    return award


def issue_for_programme(*, candidacy) -> Certificate:
    """The candidate's accreditation certificate, valid for as long as their version says."""
    return issue_certificate(
        learner=candidacy.candidate,
        award=award_for_programme(
            programme=candidacy.programme, validity_years=candidacy.version.validity_years
        ),
        reason="Every requirement of the programme met",
        valid_for_years=candidacy.version.validity_years,
    )
