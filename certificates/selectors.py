import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DateField, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from assessments.result_notes import ResultNote
from courses.models import CoursePage

from . import codes, contexts, keys, signing
from .models import Award, Certificate, CertificateDesign
from .validity import RENEWAL_WINDOW_DAYS


def by_code(text: str) -> Certificate:
    """The certificate for a code as a person typed it, or 404 for unknown or malformed codes."""
    code = codes.normalise(text)
    if code is None:
        raise Http404("No certificate with this code.")
    try:
        return Certificate.objects.select_related("award", "superseded_by").get(code=code)
    except Certificate.DoesNotExist:
        raise Http404("No certificate with this code.") from None


def for_learner(*, user):
    """The learner's current certificates (not those a corrected one replaced), newest first.

    Each has `renewed`: whether a later cycle of its award followed it, as its verification page
    says. The dashboard lists those apart, so a renewal does not show as two equal rows.
    """
    renewals = later_cycles(
        learner=OuterRef("learner"), award=OuterRef("award"), cycle=OuterRef("cycle")
    )
    return (
        Certificate.objects.filter(learner=user, superseded_at__isnull=True)
        .select_related("award")
        .annotate(renewed=Exists(renewals))
        .order_by("-issued_at")
    )


def current_for_learners(*, learners, now=None):
    """The certificates valid now of many learners at once (`learners`: ids, or a subquery of
    them), for an organisation's lists and figures: active, not expired, not replaced by a
    corrected one, and only the newest cycle of each award (a renewal and the certificate it
    renewed are one thing held). One query, by learner and then soonest expiry first."""
    now = now or timezone.now()
    renewals = later_cycles(
        learner=OuterRef("learner"), award=OuterRef("award"), cycle=OuterRef("cycle")
    )
    return (
        Certificate.objects.filter(
            learner__in=learners, superseded_at__isnull=True, status=Certificate.Status.ACTIVE
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .exclude(Exists(renewals))
        .order_by("learner_id", F("valid_until").asc(nulls_last=True), "title_on_certificate")
    )


def result_notes(attempt) -> list:
    """What a released attempt's result page says about certificates: that the learner's
    certificate for a course this assessment completes is ready, when the attempt passed and the
    certificate is current and active. Nothing after a fail, for an assessment no course ends
    with, or when no certificate was issued (or it was revoked or suspended)."""
    if not attempt.passed:
        return []
    held = Certificate.objects.filter(
        learner_id=attempt.user_id,
        award__course__final_assessment_id=attempt.assessment_id,
        superseded_at__isnull=True,
        status=Certificate.Status.ACTIVE,
    ).order_by("-issued_at")
    newest = {}
    for certificate in held:  # renewals are current too: the newest cycle of each award
        newest.setdefault(certificate.award_id, certificate)
    return [
        ResultNote(
            text=f"Your certificate for “{certificate.title_on_certificate}” is ready.",
            link_text="See it on your learning page",
            url=reverse("dashboard"),
        )
        for certificate in newest.values()
    ]


def later_cycles(*, learner, award, cycle):
    """The current certificates of later cycles of the same learner and award: its renewals.
    Takes values or OuterRef()s, so it also serves as a subquery."""
    return Certificate.objects.filter(
        learner=learner, award=award, cycle__gt=cycle, superseded_at__isnull=True
    )


def renewed_by(*, certificate: Certificate) -> Certificate | None:
    """The newest certificate that renewed this one, or None (no query for one that never
    expires: it is never renewed)."""
    if certificate.valid_until is None:
        return None
    renewals = later_cycles(
        learner=certificate.learner_id, award=certificate.award_id, cycle=certificate.cycle
    )
    return renewals.order_by("-cycle").first()


def can_download(*, user, certificate: Certificate) -> bool:
    return user.is_authenticated and (
        certificate.learner_id == user.pk or user.has_perm("certificates.view_certificate")
    )


def design_for(*, award: Award) -> CertificateDesign | None:
    """The most specific design for an award: its own, then its kind's, then the default."""
    candidates = CertificateDesign.objects.filter(
        Q(award=award) | Q(award__isnull=True, kind=award.kind) | Q(award__isnull=True, kind="")
    ).select_related("signature_image", "logo")

    def specificity(design):
        return 2 if design.award_id else (1 if design.kind else 0)

    return max(candidates, key=specificity, default=None)


# Checking a credential file -----------------------------------------------------------------------

_CREDENTIAL_PATH = re.compile(r"/verify/(?P<code>[0-9A-Za-z-]+)/credential\.json$")


@dataclass(frozen=True)
class CredentialCheck:
    """What a credential file is, in the words the checking page and command both print."""

    outcome: str  # valid, expired, not_yet_valid, suspended, revoked, superseded, altered, not_ours
    message: str
    reason: str = ""  # the public reason for a revocation or suspension
    detail: str = ""  # what the check found wrong, for altered and not_ours
    certificate: Certificate | None = None

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"


def _day(moment) -> str:
    return format_date(timezone.localtime(moment), "j F Y")


_NOT_OURS = (
    "Not issued by the PHSO Academy: this file is not the credential of any certificate the "
    "Academy issued."
)
_ALTERED = (
    "Altered: this credential was changed after the PHSO Academy signed it. Do not rely on it."
)


def _named_certificate(document) -> Certificate | None:
    """The certificate whose credential id the document gives, if it names one of ours."""
    if not isinstance(document, dict):
        return None
    match = _CREDENTIAL_PATH.search(str(document.get("id", "")))
    code = codes.normalise(match["code"]) if match else None
    if code is None:
        return None
    return Certificate.objects.select_related("award", "superseded_by").filter(code=code).first()


def _claims_our_key(document) -> bool:
    proof = document.get("proof") if isinstance(document, dict) else None
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    return isinstance(method, str) and keys.public_key_for(method) is not None


def verify_credential(document, *, now=None) -> CredentialCheck:
    """Check a credential file: what we issued, its signature, dates and the certificate's state.

    A file that names none of our certificates (and does not claim our key) is not ours. One
    that names a certificate must be exactly the credential we signed and stored for it, or it
    was altered; only then is its proof checked (with our published keys only, and contexts from
    disk), so no stranger's file is ever canonicalised, however it was made. The state is the
    certificate's today.
    """
    now = now or timezone.now()
    certificate = _named_certificate(document)
    if certificate is None or certificate.credential is None:
        if _claims_our_key(document):
            return CredentialCheck(
                "altered",
                _ALTERED,
                detail="It carries the Academy's key but is not a credential the Academy issued.",
            )
        return CredentialCheck(
            "not_ours", _NOT_OURS, detail="It does not name a certificate the Academy issued."
        )
    if document != certificate.credential:
        return CredentialCheck(
            "altered", _ALTERED, detail="It differs from the credential the Academy issued."
        )
    check = signing.verify(
        document, public_key_for=keys.public_key_for, loader=contexts.document_loader(), now=now
    )
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not check.valid or not keys.is_our_issuer(issuer_id, check.verification_method):
        # What we stored no longer holds up (a key no longer published, say): say so.
        return CredentialCheck(
            "altered", _ALTERED, detail=check.detail or "Its issuer does not own its key."
        )
    return _state(certificate, document, now)


def _state(certificate: Certificate, document: dict, now) -> CredentialCheck:
    state = certificate.state_at(now)
    if state == "superseded":
        replacement = certificate.superseded_by
        return CredentialCheck(
            "superseded",
            f"Superseded by {replacement.display_code}: the PHSO Academy replaced this "
            f"certificate with a corrected one on {_day(certificate.superseded_at)}.",
            certificate=certificate,
        )
    if state == "revoked":
        return CredentialCheck(
            "revoked",
            f"Revoked on {_day(certificate.status_changed_at)}: the PHSO Academy has withdrawn "
            "this certificate. It is not valid.",
            reason=certificate.public_reason,
            certificate=certificate,
        )
    if state == "suspended":
        return CredentialCheck(
            "suspended",
            "Suspended: this certificate was issued by the PHSO Academy but is not valid while "
            "it is suspended.",
            reason=certificate.public_reason,
            certificate=certificate,
        )
    valid_until = signing.parse_date_time_stamp(document.get("validUntil"))
    if state == "expired" or (valid_until is not None and now >= valid_until):
        if certificate.award.kind == Award.Kind.ACCREDITATION:
            return CredentialCheck(
                "expired",
                f"Lapsed on {_day(valid_until or certificate.valid_until)}: this accreditation "
                "was awarded by the PHSO Academy and was not renewed before it expired. It is "
                "no longer valid.",
                certificate=certificate,
            )
        return CredentialCheck(
            "expired",
            f"Expired on {_day(valid_until or certificate.valid_until)}: this certificate was "
            "issued by the PHSO Academy and is no longer valid.",
            certificate=certificate,
        )
    valid_from = signing.parse_date_time_stamp(document.get("validFrom"))
    if valid_from is not None and now < valid_from:
        return CredentialCheck(
            "not_yet_valid",
            f"Not yet valid: this certificate is valid from {_day(valid_from)}.",
            certificate=certificate,
        )
    return CredentialCheck(
        "valid",
        "Valid: this credential was issued by the PHSO Academy and has not been changed.",
        certificate=certificate,
    )


def assessment_stakes(assessment) -> list[str]:
    """What passing an assessment leads to here: the certificate of each course it is the final
    assessment of (every course gives one on completion)."""
    titles = CoursePage.objects.filter(final_assessment=assessment).values_list("title", flat=True)
    return [f"the certificate of the course “{title}”" for title in titles]


def accreditation_standing(*, now=None, learner_ids=None) -> dict[int, dict[str, int]]:
    """For each programme (by id), how its accreditations stand now, counting each holder's
    latest certificate once: current, due for renewal (the first expiry reminder has gone),
    lapsed (expired unrenewed), suspended and revoked; only the holders in `learner_ids` (a
    query of user ids) when given. One query whatever the number."""
    now = now or timezone.now()
    due_from = now + timedelta(days=RENEWAL_WINDOW_DAYS)
    active = Q(status=Certificate.Status.ACTIVE)
    unexpired = Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    certificates = Certificate.objects.filter(
        award__kind=Award.Kind.ACCREDITATION, superseded_at__isnull=True
    )
    if learner_ids is not None:
        certificates = certificates.filter(learner_id__in=learner_ids)
    rows = (
        certificates.exclude(
            Exists(
                later_cycles(
                    learner=OuterRef("learner"), award=OuterRef("award"), cycle=OuterRef("cycle")
                )
            )
        )
        .values("award__programme_id")
        .annotate(
            current=Count("pk", filter=active & unexpired & ~Q(valid_until__lte=due_from)),
            due_for_renewal=Count(
                "pk", filter=active & Q(valid_until__gt=now, valid_until__lte=due_from)
            ),
            lapsed=Count("pk", filter=active & Q(valid_until__lte=now)),
            suspended=Count("pk", filter=Q(status=Certificate.Status.SUSPENDED)),
            revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
        )
        .order_by()
    )
    return {row.pop("award__programme_id"): row for row in rows}


def current_certificate_dates(*, learner_ids, programme_ids, now=None) -> list[tuple]:
    """(learner id, programme id, issued at) of each accreditation certificate these people hold
    now for these programmes: not replaced by a correction, active, unexpired. One query."""
    now = now or timezone.now()
    return list(
        Certificate.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now),
            award__programme_id__in=list(programme_ids),
            learner_id__in=learner_ids,
            superseded_at__isnull=True,
            status=Certificate.Status.ACTIVE,
        ).values_list("learner_id", "award__programme_id", "issued_at")
    )


def personal_data(*, user) -> dict:
    """Every certificate issued to the person, those a correction or renewal replaced too, for
    their own download (portal.privacy). One query."""
    certificates = Certificate.objects.filter(learner=user).order_by("issued_at", "pk")
    return {
        "certificates": [
            {
                "code": certificate.display_code,
                "title": certificate.title_on_certificate,
                "name_on_certificate": certificate.name_on_certificate,
                "cpd_hours": certificate.cpd_hours,
                "issued": certificate.issued_at,
                "valid_until": certificate.valid_until,
                "status": certificate.get_status_display(),
                "state": certificate.state,
                "superseded": certificate.superseded_at,
                "verification_page": certificate.verify_url,
            }
            for certificate in certificates
        ]
    }


def issue_facts():
    """(learner id, award id, month issued) of every certificate issued, each issue once: a
    correction's replacement is left out (the certificate it replaced counts, in its month).
    The month (first day, UK time) is worked out by the database; an iterator."""
    return (
        Certificate.objects.filter(supersedes__isnull=True)
        .annotate(month=TruncMonth("issued_at", output_field=DateField()))
        .values_list("learner_id", "award_id", "month")
        .order_by()
        .iterator(chunk_size=10000)
    )


def award_topics() -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Each award's course id (by award id, for course awards), and (award id, expectation id)
    of the expectations each award evidences itself. Two queries."""
    courses = dict(Award.objects.filter(course__isnull=False).values_list("pk", "course_id"))
    tags = list(Award.expectations.through.objects.values_list("award_id", "expectation_id"))
    return courses, tags
