from django.db.models import Q
from django.http import Http404

from . import codes
from .models import Award, Certificate, CertificateDesign


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
    """The learner's current certificates (not those a corrected one replaced), newest first."""
    return (
        Certificate.objects.filter(learner=user, superseded_at__isnull=True)
        .select_related("award")
        .order_by("-issued_at")
    )


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
