"""The compliance page's filters: role tier, team, framework and the trend's months. They come
in the address (GET), so a filtered page or export can be bookmarked and shared."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from academy.models import RoleTier

from . import selectors
from .selectors.compliance import TREND_MONTHS

MONTHS_OFFERED = 36


def _month_key(month: date) -> str:
    return f"{month:%Y-%m}"


class ComplianceFilterForm(forms.Form):
    tier = forms.ChoiceField(
        label="Role tier",
        required=False,
        error_messages={"invalid_choice": "Choose a role tier from the list."},
    )
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list."},
    )
    framework = forms.ChoiceField(
        label="Complaint Standards framework",
        required=False,
        error_messages={"invalid_choice": "Choose a framework from the list."},
    )
    start = forms.ChoiceField(
        label="Trend from",
        required=False,
        error_messages={"invalid_choice": "Choose a ‘Trend from’ month from the list."},
    )
    end = forms.ChoiceField(
        label="Trend to",
        required=False,
        error_messages={"invalid_choice": "Choose a ‘Trend to’ month from the list."},
    )

    def __init__(self, query, *, organisation, today: date | None = None):
        """`query` is the request's GET; what it leaves out takes its default (this
        organisation's framework, the last 12 months), so the form always shows what the figures
        are under."""
        today = today or timezone.localdate()
        this_month = selectors.month_start(today)
        self.months = {
            _month_key(month): month
            for month in (selectors.add_months(this_month, -back) for back in range(MONTHS_OFFERED))
        }
        self.frameworks = {framework.slug: framework for framework in selectors.frameworks()}
        self.default_framework = selectors.framework_for(
            organisation=organisation, frameworks=list(self.frameworks.values())
        )
        self.default_start = selectors.add_months(this_month, 1 - TREND_MONTHS)
        self.default_end = this_month
        defaults = {
            "framework": self.default_framework.slug if self.default_framework else "",
            "start": _month_key(self.default_start),
            "end": _month_key(self.default_end),
        }
        given = {name: query[name] for name in self.base_fields if query.get(name)}
        super().__init__(data={**defaults, **given})
        month_choices = [(key, f"{month:%B %Y}") for key, month in self.months.items()]
        self.fields["tier"].choices = [("", "All role tiers"), *RoleTier.choices]
        self.fields["team"].choices = [("", "All teams")] + [
            (team, team) for team in selectors.teams(organisation=organisation)
        ]
        self.fields["framework"].choices = [
            (slug, str(framework)) for slug, framework in self.frameworks.items()
        ]
        self.fields["start"].choices = month_choices
        self.fields["end"].choices = month_choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "Choose a ‘Trend to’ month the same as or after ‘Trend from’.")
        return data

    def filters(self) -> selectors.Filters:
        """The filters to report under: what was chosen and is valid, the defaults for the rest
        (so a bad value in the address changes nothing but the message it gets)."""
        self.is_valid()  # keeps the valid fields in cleaned_data, the others in errors
        data = self.cleaned_data
        first = self.months.get(data.get("start") or "", self.default_start)
        last = self.months.get(data.get("end") or "", self.default_end)
        if first > last:  # one month was refused, and the other is on the wrong side of its default
            first, last = self.default_start, self.default_end
        return selectors.Filters(
            first_month=first,
            last_month=last,
            framework=self.frameworks.get(data.get("framework") or "", self.default_framework),
            tier=data.get("tier") or "",
            team=data.get("team") or "",
        )

    def query(self) -> str:
        """The filters in force as a query string, for the export links."""
        filters = self.filters()
        return urlencode(
            {
                "tier": filters.tier,
                "team": filters.team,
                "framework": filters.framework.slug if filters.framework else "",
                "start": _month_key(filters.first_month),
                "end": _month_key(filters.last_month),
            }
        )
