"""The admin's own pages for certificates: issuing by hand, bulk issue and its progress, and the
lifecycle actions (revoke, suspend, reinstate, correct the name). wagtail_hooks.py adds them to
the admin's URLs and menus."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import services
from .forms import (
    BulkIssueForm,
    CorrectNameForm,
    IssueCertificateForm,
    ReinstateForm,
    RevokeForm,
    SuspendForm,
)
from .models import BulkIssue, BulkIssueLearner, Certificate

MANAGE = "certificates.manage_certificate"
# Issuing by hand, one learner or many.
ISSUE = "certificates.add_certificate"
INSPECT = "certificate:inspect"  # CertificateViewSet's URL namespace is its model name


def actions_for(certificate: Certificate) -> list[str]:
    """The lifecycle actions that make sense for a certificate in its present state."""
    if certificate.superseded_at is not None:
        return []
    if certificate.status == Certificate.Status.ACTIVE:
        return ["correct_name", "suspend", "revoke"]
    if certificate.status == Certificate.Status.SUSPENDED:
        return ["reinstate", "revoke"]
    return []


ISSUED_MESSAGES = {
    BulkIssueLearner.Outcome.ISSUED: (
        "Certificate {certificate.display_code} issued to {certificate.name_on_certificate}."
    ),
    BulkIssueLearner.Outcome.RENEWED: (
        "Certificate {certificate.display_code} issued to {certificate.name_on_certificate} for "
        "the next period: it renews the one due to expire."
    ),
    BulkIssueLearner.Outcome.ALREADY_HELD: (
        "{certificate.name_on_certificate} already holds certificate "
        "{certificate.display_code}, and it is not yet due for renewal: nothing was issued."
    ),
}


def issue_certificate_view(request):
    if not request.user.has_perm(ISSUE):
        raise PermissionDenied
    form = IssueCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate, outcome = services.issue_by_administrator(
                learner=form.learner,
                award=services.award_for_course(course=form.cleaned_data["course"]),
                issued_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.RefusedError as exc:
            form.add_error(None, str(exc))
        else:
            held = outcome == BulkIssueLearner.Outcome.ALREADY_HELD
            say = messages.warning if held else messages.success
            say(request, ISSUED_MESSAGES[outcome].format(certificate=certificate))
            return redirect("issue_certificate")
    return TemplateResponse(request, "certificates/admin/issue.html", {"form": form})


# Bulk issue: a form, then a progress page that refreshes itself until the batch is finished.


def bulk_issue_view(request):
    if not request.user.has_perm(ISSUE):
        raise PermissionDenied
    form = BulkIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learners = services.check_bulk_learners(
                emails_text=data["emails"], organisation=data["organisation"]
            )
            bulk_issue = services.start_bulk_issue(
                award=data["award"],
                learners=learners,
                requested_by=request.user,
                reason=data["reason"],
            )
        except services.BulkIssueError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        except services.RefusedError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Issuing {bulk_issue.award} to {bulk_issue.total} learners. This page shows "
                "how far it has got.",
            )
            return redirect("bulk_issue_progress", bulk_issue.pk)
    recent = BulkIssue.objects.select_related("award", "requested_by")[:10]
    return TemplateResponse(
        request,
        "certificates/admin/bulk_issue.html",
        {"form": form, "recent": recent, "renewal_days": services.RENEWAL_WINDOW_DAYS},
    )


def bulk_issue_progress_view(request, pk):
    if not request.user.has_perm(ISSUE):
        raise PermissionDenied
    bulk_issue = get_object_or_404(BulkIssue.objects.select_related("award", "requested_by"), pk=pk)
    results = (
        BulkIssueLearner.objects.filter(bulk_issue=bulk_issue)
        .exclude(outcome=BulkIssueLearner.Outcome.PENDING)
        .select_related("learner", "certificate")
        .order_by("pk")
    )
    failures = results.filter(outcome=BulkIssueLearner.Outcome.FAILED)
    page = Paginator(results, 100).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "certificates/admin/bulk_issue_progress.html",
        {
            "bulk_issue": bulk_issue,
            "failures": failures,
            "page": page,
            "finished": bulk_issue.status == BulkIssue.Status.FINISHED,
        },
    )


# Lifecycle actions: one view each, a form with a reason, only for holders of manage_certificate.


def _revoke(certificate, by, data):
    services.revoke(
        certificate=certificate, by=by, reason=data["reason"], public_reason=data["public_reason"]
    )
    return certificate, f"Certificate {certificate.display_code} is revoked."


def _suspend(certificate, by, data):
    services.suspend(
        certificate=certificate, by=by, reason=data["reason"], public_reason=data["public_reason"]
    )
    return certificate, f"Certificate {certificate.display_code} is suspended."


def _reinstate(certificate, by, data):
    services.reinstate(certificate=certificate, by=by, reason=data["reason"])
    return certificate, f"Certificate {certificate.display_code} is reinstated."


def _correct_name(certificate, by, data):
    replacement = services.correct_name(
        certificate=certificate, by=by, new_name=data["new_name"], reason=data["reason"]
    )
    return replacement, (
        f"Certificate {certificate.display_code} is superseded by "
        f"{replacement.display_code} for {replacement.name_on_certificate}."
    )


ACTIONS = {
    "revoke": {
        "label": "Revoke",
        "icon": "cross",
        "form": RevokeForm,
        "do": _revoke,
        "button": "Revoke certificate",
        "intro": "Revoking withdraws the certificate for good: its verification page says it "
        "was revoked, on which date and why. The learner is told by e-mail, with the reason "
        "for the verification page.",
    },
    "suspend": {
        "label": "Suspend",
        "icon": "warning",
        "form": SuspendForm,
        "do": _suspend,
        "button": "Suspend certificate",
        "intro": "While suspended, the verification page says the certificate is not valid. "
        "You can reinstate it later. The learner is told by e-mail.",
    },
    "reinstate": {
        "label": "Reinstate",
        "icon": "undo",
        "form": ReinstateForm,
        "do": _reinstate,
        "button": "Reinstate certificate",
        "intro": "Reinstating lifts the suspension; the certificate is valid again. The learner "
        "is told by e-mail.",
    },
    "correct_name": {
        "label": "Correct the name",
        "icon": "edit",
        "form": CorrectNameForm,
        "do": _correct_name,
        "button": "Issue corrected certificate",
        "intro": "A certificate never changes once issued. Correcting the name issues a new "
        "certificate with a new code and PDF; the old code's page points to it.",
    },
}


def certificate_action_view(request, pk, action):
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    spec = ACTIONS[action]
    certificate = get_object_or_404(Certificate.objects.select_related("award"), pk=pk)
    form = spec["form"](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result, message = spec["do"](certificate, request.user, form.cleaned_data)
        except services.RefusedError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(INSPECT, result.pk)
    return TemplateResponse(
        request,
        "certificates/admin/action.html",
        {
            "form": form,
            "certificate": certificate,
            "title": f"{spec['label']}: {certificate.display_code}",
            "intro": spec["intro"],
            "button": spec["button"],
            "back_url": reverse(INSPECT, args=[pk]),
        },
    )
