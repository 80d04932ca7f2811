from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import DateColumn, NumberColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from academy.admin_policies import ViewOnlyPolicy

from . import services
from .forms import (
    BulkIssueForm,
    CorrectNameForm,
    IssueCertificateForm,
    ReinstateForm,
    RevokeForm,
    SuspendForm,
)
from .models import (
    Award,
    BulkIssue,
    BulkIssueLearner,
    Certificate,
    CertificateDesign,
    SigningKey,
)

register_permission_policy(Certificate, ViewOnlyPolicy(Certificate))
# Whoever may view certificates may see the keys that signed them; no one may change a key here.
register_permission_policy(SigningKey, ViewOnlyPolicy(SigningKey, auth_model=Certificate))

MANAGE = "certificates.manage_certificate"
# Issuing by hand, one learner or many.
ISSUE = "certificates.add_certificate"
INSPECT = "certificate:inspect"  # CertificateViewSet's URL namespace is its model name


def _actions_for(certificate: Certificate) -> list[str]:
    """The lifecycle actions that make sense for a certificate in its present state."""
    if certificate.superseded_at is not None:
        return []
    if certificate.status == Certificate.Status.ACTIVE:
        return ["correct_name", "suspend", "revoke"]
    if certificate.status == Certificate.Status.SUSPENDED:
        return ["reinstate", "revoke"]
    return []


class CertificateInspectView(InspectView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm(MANAGE):
            for priority, name in enumerate(_actions_for(self.object), start=30):
                action = ACTIONS[name]
                buttons.append(
                    Button(
                        action["label"],
                        url=reverse(f"certificate_{name}", args=[self.object.pk]),
                        icon_name=action["icon"],
                        priority=priority,
                    )
                )
        return buttons

    def get_status_display_value(self):
        return self.object.state.capitalize()


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    list_display = [
        "display_code",
        "name_on_certificate",
        "title_on_certificate",
        "issued_at",
        "state",
    ]
    list_filter = ["award", "status"]
    search_fields = ["code", "name_on_certificate", "learner__email"]
    inspect_view_enabled = True
    inspect_view_class = CertificateInspectView
    form_fields = ["learner"]


class AwardViewSet(ModelViewSet):
    model = Award
    icon = "pick"
    list_display = ["title", "kind", "cpd_hours", "validity_display"]
    form_fields = [
        "title",
        "wording",
        "cpd_hours",
        "validity_unit",
        "validity_length",
        "expectations",
    ]


class CertificateDesignViewSet(ModelViewSet):
    model = CertificateDesign
    icon = "image"
    menu_label = "Certificate designs"
    list_display = ["name", "applies_to", "signatory_name"]
    form_fields = [
        "name",
        "award",
        "kind",
        "signatory_name",
        "signatory_role",
        "signature_image",
        "logo",
        "extra_wording",
    ]


# Signing keys: listed and shown, never made or changed here (docs/credentials.md).


def _short_key(key: SigningKey) -> str:
    return f"{key.public_key[:12]}…{key.public_key[-4:]}"


def _is_current(key: SigningKey) -> bool:
    return key.retired_at is None


def _state(key: SigningKey) -> str:
    if _is_current(key):
        return "Current"
    return f"Retired {date_format(localtime(key.retired_at), 'j F Y')}"


class SigningKeyIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(signed=Count("certificates"))

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "public_key", label="Key", accessor=_short_key, get_url=self.get_inspect_url
            ),
            DateColumn("created_at", label="Created", sort_key="created_at"),
            StatusTagColumn("state", label="State", accessor=_state, primary=_is_current),
            NumberColumn("signed", label="Certificates signed"),
        ]


class SigningKeyInspectView(InspectView):
    labels = {"created_at": "Created", "retired_at": "State", "signed": "Certificates signed"}

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_retired_at_display_value(self):
        return _state(self.object)

    def get_signed_display_value(self):
        return self.object.certificates.count()


class SigningKeyViewSet(ModelViewSet):
    model = SigningKey
    icon = "key"
    ordering = "-created_at"
    index_view_class = SigningKeyIndexView
    index_template_name = "certificates/admin/signing_keys.html"
    inspect_view_enabled = True
    inspect_view_class = SigningKeyInspectView
    inspect_view_fields = ["public_key", "created_at", "retired_at", "signed"]

    def get_urlpatterns(self):
        # Keys are made and rotated only by manage.py commands, so there is no add, edit, copy or
        # delete view to refuse, only a listing and each key's page.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self):
        pass  # a key has no edit page for Wagtail to link to

    def get_permissions_to_register(self):
        # Seeing keys follows "Can view certificate"; a group form offering add, change or
        # delete for keys would promise what no one can do.
        return Permission.objects.none()


class CertificatesGroup(ViewSetGroup):
    menu_label = "Certificates"
    menu_icon = "doc-full-inverse"
    menu_order = 400
    items = (CertificateViewSet, AwardViewSet, CertificateDesignViewSet, SigningKeyViewSet)


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificatesGroup()


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
        "was revoked, on which date and why. The learner can still download their PDF.",
    },
    "suspend": {
        "label": "Suspend",
        "icon": "warning",
        "form": SuspendForm,
        "do": _suspend,
        "button": "Suspend certificate",
        "intro": "While suspended, the verification page says the certificate is not valid. "
        "You can reinstate it later.",
    },
    "reinstate": {
        "label": "Reinstate",
        "icon": "undo",
        "form": ReinstateForm,
        "do": _reinstate,
        "button": "Reinstate certificate",
        "intro": "Reinstating lifts the suspension; the certificate is valid again.",
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


@hooks.register("register_admin_urls")
def register_certificate_urls():
    urls = [
        path("certificates/issue/", issue_certificate_view, name="issue_certificate"),
        path("certificates/bulk/", bulk_issue_view, name="bulk_issue"),
        path("certificates/bulk/<int:pk>/", bulk_issue_progress_view, name="bulk_issue_progress"),
    ]
    for action in ACTIONS:
        urls.append(
            path(
                "certificates/<int:pk>/" + action.replace("_", "-") + "/",
                certificate_action_view,
                {"action": action},
                name=f"certificate_{action}",
            )
        )
    return urls


class IssueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ISSUE)


@hooks.register("register_admin_menu_item")
def register_issue_menu_item():
    return IssueMenuItem(
        "Issue a certificate", reverse("issue_certificate"), icon_name="plus", order=410
    )


@hooks.register("register_admin_menu_item")
def register_bulk_issue_menu_item():
    return IssueMenuItem(
        "Issue to many learners", reverse("bulk_issue"), icon_name="group", order=411
    )
