"""Forms for organisation managers' pages. They check what a person typed; the services check
the rules (organisations.services) and their errors are shown on the form."""

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from academy import services as people_services
from academy.forms import CSVUploadForm
from academy.models import RoleTier
from accreditation.forms import DayMonthYearField, DayMonthYearWidget

from . import services
from .invitation_file import check_person
from .models import Assignment
from .selectors import StaffStatus
from .services import MAX_NEW_STARTERS_DAYS, MAX_REPEAT_MONTHS, REPEAT_CHOICES, Item

KIND_HEADINGS = {
    Assignment.Kind.COURSE: "Courses",
    Assignment.Kind.WEBINAR: "Webinars",
    Assignment.Kind.PROGRAMME: "Accreditation programmes",
}
OTHER = "other"


class DateInput(forms.DateInput):
    """The browser's date field: typed or picked, and sent as YYYY-MM-DD either way."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class AssignmentForm(forms.Form):
    item = forms.ChoiceField(
        label="What to assign",
        help_text="A published course, webinar or accreditation programme.",
        error_messages={"required": "Choose what to assign."},
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=Assignment.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the assignment is for."},
    )
    role_tier = forms.ChoiceField(
        label="Role tier",
        required=False,
        choices=[("", "Choose a role tier")] + list(RoleTier.choices),
        help_text="For everyone in a role tier: who is in it now, and who joins it later.",
    )
    people = forms.MultipleChoiceField(
        label="People",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For chosen people: tick each person.",
    )
    due_on = forms.DateField(
        label="Due date",
        widget=DateInput(),
        help_text="When the people assigned now must have done it.",
        error_messages={
            "required": "Give the due date.",
            "invalid": "Give the due date as a real date, for example 31/03/2027.",
        },
    )
    new_starters_days = forms.IntegerField(
        label="Days new starters get",
        initial=30,
        min_value=0,
        max_value=MAX_NEW_STARTERS_DAYS,
        help_text="People who join, or move into the role tier, later have this many days from "
        "then (never less than the due date).",
        error_messages={"required": "Give the days new starters get, for example 30."},
    )
    repeat = forms.ChoiceField(
        label="How often",
        required=False,
        initial="",
        choices=[("", "Once")]
        + [(str(months), f"Again every {months} months") for months in REPEAT_CHOICES]
        + [(OTHER, "Again every other number of months")],
        widget=forms.RadioSelect,
        help_text="A refresher is due again that many months after each time it is done.",
    )
    repeat_months = forms.IntegerField(
        label="Number of months, for another number",
        required=False,
        min_value=1,
        max_value=MAX_REPEAT_MONTHS,
    )

    def __init__(self, *args, items: dict[str, list], members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._items = {
            f"{kind}:{obj.pk}": Item(kind=kind, obj=obj)
            for kind, objects in items.items()
            for obj in objects
        }
        self.fields["item"].choices = [("", "Choose a course, webinar or programme")] + [
            (KIND_HEADINGS[kind], [(f"{kind}:{obj.pk}", str(obj)) for obj in objects])
            for kind, objects in items.items()
            if objects
        ]
        self._members = {str(member.pk): member for member in members}
        self.fields["people"].choices = [
            (str(member.pk), f"{member.full_name} ({member.email})") for member in members
        ]

    def clean_item(self) -> Item:
        return self._items[self.cleaned_data["item"]]

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == Assignment.Audience.TIER and not data.get("role_tier"):
            self.add_error("role_tier", "Choose the role tier.")
        if (
            audience == Assignment.Audience.PEOPLE
            and not data.get("people")
            and ("people" not in self.errors)
        ):
            self.add_error("people", "Tick at least one person.")
        repeat = data.get("repeat")
        if (
            repeat == OTHER
            and data.get("repeat_months") is None
            and ("repeat_months" not in self.errors)
        ):
            self.add_error("repeat_months", "Give the number of months, for example 18.")
        return data

    @property
    def repeat_every_months(self) -> int | None:
        repeat = self.cleaned_data.get("repeat")
        if repeat == OTHER:
            return self.cleaned_data["repeat_months"]
        return int(repeat) if repeat else None

    @property
    def chosen_people(self) -> list:
        return [self._members[pk] for pk in self.cleaned_data.get("people", [])]


class DueDateForm(forms.Form):
    due_on = forms.DateField(
        label="New due date",
        widget=DateInput(),
        help_text="Everyone still to do it by the old date gets this date, and anyone due "
        "before it gets it too.",
        error_messages={
            "required": "Give the new due date.",
            "invalid": "Give the due date as a real date, for example 31/03/2027.",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log with the change.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why you are withdrawing it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log.",
        error_messages={"required": "Say why you are withdrawing the assignment."},
    )


class InviteForm(forms.Form):
    """One person to invite: the same checks as each line of a CSV file."""

    email = forms.CharField(
        label="E-mail address",
        max_length=320,
        help_text="Their work address. The invitation goes there, and they join with it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As they would want it on their certificates; they can change it later.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role_tier = forms.ChoiceField(
        label="Role tier",
        choices=RoleTier.choices,
        widget=forms.RadioSelect,
        help_text="Their Complaint Standards audience: training you assign by tier follows it.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values, problems = check_person(
            email=cleaned["email"], full_name=cleaned["full_name"], role_tier=cleaned["role_tier"]
        )
        for field, problem in problems:
            self.add_error(field, f"{problem[0].upper()}{problem[1:]}.")
        return {**cleaned, **values}


class UploadForm(CSVUploadForm):
    too_large_advice = "Split it into smaller files and upload each."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.ORGANISATION_INVITATION_MAX_BYTES
        self.fields["file"].label = "CSV file"
        self.fields["file"].help_text = (
            f"Up to {settings.ORGANISATION_INVITATION_MAX_ROWS:,} people and "
            f"{filesizeformat(self.max_bytes)}, saved as CSV UTF-8."
        )


class InvitationSignupForm(SignupForm):
    """allauth's sign-up form for someone invited: the address is the invited one and cannot be
    changed, and the invitation's organisation and tier replace the questions about them."""

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        del self.fields["role_tier"]
        email = self.fields["email"]
        email.initial = invitation.email
        email.disabled = True
        email.help_text = "The address your invitation was sent to. You sign in with it."
        self.fields["full_name"].initial = invitation.full_name

    def signup(self, request, user):
        people_services.complete_signup(
            user=user,
            full_name=self.cleaned_data["full_name"],
            role_tier=self.invitation.role_tier,
            organisation=self.invitation.organisation,
        )
        services.accept_invitation(invitation=self.invitation, user=user)


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
