from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from academy.admin_policies import ViewOnlyPolicy

from . import services
from .forms import IssueCertificateForm
from .models import Award, Certificate

register_permission_policy(Certificate, ViewOnlyPolicy(Certificate))


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    list_display = ["display_code", "name_on_certificate", "title_on_certificate", "issued_at"]
    list_filter = ["award"]
    search_fields = ["code", "name_on_certificate", "learner__email"]
    inspect_view_enabled = True
    form_fields = ["learner"]


class AwardViewSet(ModelViewSet):
    model = Award
    icon = "pick"
    list_display = ["title", "kind", "cpd_hours"]
    form_fields = ["title", "cpd_hours"]


class CertificatesGroup(ViewSetGroup):
    menu_label = "Certificates"
    menu_icon = "doc-full-inverse"
    menu_order = 400
    items = (CertificateViewSet, AwardViewSet)


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificatesGroup()


def issue_certificate_view(request):
    if not request.user.has_perm("certificates.add_certificate"):
        raise PermissionDenied
    form = IssueCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.issue_for_course(
                learner=form.learner,
                course=form.cleaned_data["course"],
                issued_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Certificate {certificate.display_code} for {certificate.name_on_certificate}.",
            )
            return redirect("issue_certificate")
    return TemplateResponse(request, "certificates/admin/issue.html", {"form": form})


@hooks.register("register_admin_urls")
def register_issue_url():
    return [path("certificates/issue/", issue_certificate_view, name="issue_certificate")]


class IssueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.add_certificate")


@hooks.register("register_admin_menu_item")
def register_issue_menu_item():
    return IssueMenuItem(
        "Issue a certificate", reverse("issue_certificate"), icon_name="plus", order=410
    )
