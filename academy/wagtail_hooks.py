from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin_audit import AuditIndexView, AuditInspectView
from .admin_policies import ViewOnlyPolicy
from .admin_views import MembershipCreateView, MembershipDeleteView, MembershipEditView
from .models import AuditEntry, Membership, Organisation

register_permission_policy(AuditEntry, ViewOnlyPolicy(AuditEntry))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind", "region", "ods_code", "assesses_own_staff"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "ods_code"]
    form_fields = ["name", "kind", "region", "ods_code", "assesses_own_staff"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    list_display = ["user", "organisation", "team", "role", "role_tier", "joined_at", "left_at"]
    list_filter = ["role", "role_tier", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "team"]
    form_fields = ["user", "organisation", "team", "role", "role_tier", "joined_at", "left_at"]
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = "Audit log"
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    list_filter = ["action"]
    search_fields = ["action", "target_id", "reason", "actor__full_name"]
    inspect_view_enabled = True
    form_fields = ["reason"]


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = "People"
    menu_icon = "group"
    menu_order = 500
    items = (OrganisationViewSet, MembershipViewSet, AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_people():
    return PeopleViewSetGroup()


@hooks.register("insert_global_admin_css")
def academy_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("academy/admin.css"))
