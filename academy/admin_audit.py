"""The audit log in the admin, in words: "Mark corrected by Joanna Lee", about a record named as
people know it and linked to its page, rather than model names and ids."""

import json

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import localtime
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import IndexView, InspectView

from . import audit


def what_happened(entry) -> str:
    who = entry.actor.full_name if entry.actor else "the Academy itself"
    return f"{audit.action_words(entry.action)} by {who}"


def target_url(entry, user) -> str | None:
    """The page for the record an entry concerns, if this user may open one."""
    if entry.target is None:
        return None
    if entry.target_kind.url is not None:
        return entry.target_kind.url(entry.target)
    url = AdminURLFinder(user).get_edit_url(entry.target)
    if url:
        return url
    try:
        return reverse(f"{entry.target._meta.model_name}:inspect", args=[entry.target.pk])
    except NoReverseMatch:
        return None


class AuditIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor")

    def get_table(self, object_list):
        entries = list(object_list)
        audit.load_targets(entries)
        for entry in entries:
            entry.target_url = target_url(entry, self.request.user)
        return super().get_table(entries)

    @cached_property
    def columns(self):
        return [
            DateColumn("at", label="When", sort_key="at"),
            TitleColumn(
                "what", label="What happened", accessor=what_happened, get_url=self.get_inspect_url
            ),
            TitleColumn(
                "about",
                label="About",
                accessor="target_text",
                get_url=lambda entry: entry.target_url,
            ),
            Column("reason", label="Reason", accessor=lambda entry: entry.reason or "—"),
        ]


class AuditInspectView(InspectView):
    FIELDS = {
        "what": "What happened",
        "at": "When",
        "about": "About",
        "reason": "Reason given",
        "details": "Details",
    }

    def get_fields(self):
        return list(self.FIELDS)

    def get_field_label(self, field_name, field):
        return self.FIELDS[field_name]

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        audit.load_targets([entry])
        entry.target_url = target_url(entry, self.request.user)
        return entry

    def get_page_subtitle(self):
        return what_happened(self.object)

    def get_what_display_value(self):
        return what_happened(self.object)

    def get_at_display_value(self):
        return date_format(localtime(self.object.at), "j F Y, H:i:s")

    def get_about_display_value(self):
        entry = self.object
        if entry.target_url:
            return format_html('<a href="{}">{}</a>', entry.target_url, entry.target_text)
        return entry.target_text

    def get_reason_display_value(self):
        return self.object.reason or "None given"

    def get_details_display_value(self):
        if not self.object.details:
            return "None"
        return format_html(
            '<pre class="academy-admin-json" tabindex="0" role="region" '
            'aria-label="Details">{}</pre>',
            json.dumps(self.object.details, indent=2, ensure_ascii=False),
        )
