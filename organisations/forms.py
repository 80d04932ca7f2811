"""Forms for the organisation's pages: the staff list's filters, a person's tier, leaving."""

from django import forms

from academy.models import RoleTier
from accreditation.forms import DayMonthYearField, DayMonthYearWidget

from .selectors import StaffStatus


class StaffFilterForm(forms.Form):
    """The staff list's filters, from the address (GET): each is optional."""

    q = forms.CharField(
        label="Name or e-mail address",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search with 100 characters or fewer"},
    )
    tier = forms.ChoiceField(
        label="Role tier",
        required=False,
        choices=[("", "All tiers"), *RoleTier.choices],
        error_messages={"invalid_choice": "Choose a role tier from the list"},
    )
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    status = forms.ChoiceField(
        label="Assigned training",
        required=False,
        choices=[("", "Anyone"), *StaffStatus.choices],
        error_messages={"invalid_choice": "Choose how people stand from the list"},
    )

    def __init__(self, *args, teams: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *((team, team) for team in teams)]

    def filters(self) -> dict:
        """The valid filters, for staff(): a filter with a bad value is left out (the page says
        why), the others still apply."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "search": cleaned.get("q", "").strip(),
            "tier": cleaned.get("tier", ""),
            "team": cleaned.get("team", ""),
            "status": cleaned.get("status", ""),
        }


class TierForm(forms.Form):
    role_tier = forms.ChoiceField(
        label="Role tier",
        choices=RoleTier.choices,
        widget=forms.RadioSelect,
        help_text="Training the organisation assigns to a tier follows the person into it.",
        error_messages={
            "required": "Choose a role tier",
            "invalid_choice": "Choose one of the role tiers",
        },
    )


class _LeavingDate(forms.Form):
    left_on = DayMonthYearField(
        label="Date they left",
        help_text="For example, 27 3 2026. Today, or a day in the past.",
        error_messages={
            "required": "Enter the date they left",
            "incomplete": "Enter the day, the month and the year they left",
            "invalid": "Enter a real date, for example 27 3 2026",
        },
    )

    def date_parts(self) -> list[tuple[str, str, str]]:
        """(label, width, value) of the day, month and year boxes, as typed or as given."""
        value = self["left_on"].value()
        if not isinstance(value, list | tuple):
            value = DayMonthYearWidget().decompress(value)
        shown = ["" if part is None else str(part) for part in value]
        return list(zip(["Day", "Month", "Year"], ["2", "2", "4"], shown, strict=True))


class LeavingForm(_LeavingDate):
    """A manager records that someone left."""

    reason = forms.CharField(
        label="Why you are recording it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: moved to another trust. It goes in the Academy's audit log.",
        error_messages={
            "required": "Say why you are recording that they left",
            "max_length": "Keep the reason to 500 characters or fewer",
        },
    )


class OwnLeavingForm(_LeavingDate):
    """A person says they left an organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["left_on"]
        field.label = "Date you left"
        field.error_messages = {
            **field.error_messages,
            "required": "Enter the date you left",
            "incomplete": "Enter the day, the month and the year you left",
        }
