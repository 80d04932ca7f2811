from django.contrib.auth.models import Permission
from django.db.models import Count
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
from wagtail.permissions import register_permission_policy

from academy.admin_policies import ViewOnlyPolicy

from .admin_inspect import CertificateInspectView
from .admin_views import (
    ACTIONS,
    ISSUE,
    bulk_issue_progress_view,
    bulk_issue_view,
    certificate_action_view,
    issue_certificate_view,
)
from .models import (
    Award,
    Certificate,
    CertificateDesign,
    SigningKey,
)

register_permission_policy(Certificate, ViewOnlyPolicy(Certificate))
# Whoever may view certificates may see the keys that signed them; no one may change a key here.
register_permission_policy(SigningKey, ViewOnlyPolicy(SigningKey, auth_model=Certificate))


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
                "public_key", label="Key", accessor="short_form", get_url=self.get_inspect_url
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
