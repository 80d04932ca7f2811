"""Forms for accreditation's pages."""

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from complaint_standards.models import Expectation

from .services.cpd import MAX_REFLECTIVE_HOURS, MIN_REFLECTIVE_HOURS
from .services.portfolio import STATEMENT_MAX_CHARACTERS
from .uploads import ACCEPTED_WORDS, MB


class DayMonthYearWidget(forms.MultiWidget):
    """Day, month and year as three short text boxes (the NHS date input): easier to type and
    to read back than a browser's date picker, and the same with or without JavaScript."""

    def __init__(self, attrs=None):
        parts = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(parts, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DayMonthYearField(forms.MultiValueField):
    widget = DayMonthYearWidget

    def __init__(self, **kwargs):
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def clean(self, value):
        # Any part missing is one message about the date, not one per box.
        if not isinstance(value, list) or not all(str(part or "").strip() for part in value):
            if isinstance(value, list) and any(str(part or "").strip() for part in value):
                raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


class ExpectationChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ReflectiveEntryForm(forms.Form):
    """A CPD activity the person adds to their own log."""

    activity = forms.CharField(
        label="Activity",
        max_length=255,
        help_text="For example: shadowed a senior caseworker's investigation meeting.",
        error_messages={
            "required": "Enter what the activity was",
            "max_length": "Keep the activity to 255 characters or fewer",
        },
    )
    activity_date = DayMonthYearField(
        label="Date",
        help_text="The day you did it, or finished it. For example, 27 3 2026.",
        error_messages={
            "required": "Enter the date of the activity",
            "incomplete": "Enter the day, the month and the year of the activity",
            "invalid": "Enter a real date, for example 27 3 2026",
        },
    )
    hours = forms.DecimalField(
        label="Hours",
        min_value=MIN_REFLECTIVE_HOURS,
        max_value=MAX_REFLECTIVE_HOURS,
        max_digits=4,
        decimal_places=1,
        help_text="Between 0.5 and 100, to one decimal place. For example, 1.5 for an hour and "
        "a half.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many hours the activity took",
            "invalid": "Enter the hours as a number, for example 1.5",
            "min_value": "Enter at least 0.5 hours",
            "max_value": "Enter 100 hours or fewer; log a longer activity in parts",
            "max_decimal_places": "Give the hours to one decimal place, for example 1.5",
            "max_digits": "Enter 100 hours or fewer; log a longer activity in parts",
            "max_whole_digits": "Enter 100 hours or fewer; log a longer activity in parts",
        },
    )
    learned = forms.CharField(
        label="What you learned",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you took from it, and what you will do differently in your work.",
        error_messages={
            "required": "Say what you learned from the activity",
            "max_length": "Keep what you learned to 5,000 characters or fewer",
        },
    )
    expectations = ExpectationChoiceField(
        label="Complaint Standards expectations",
        queryset=Expectation.objects.all(),
        required=False,
        help_text="Choose any the activity relates to.",
        error_messages={"invalid_choice": "Choose expectations from the list"},
    )

    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        allow_empty_file=True,
        help_text="A certificate of attendance, your notes or slides: PDF, Word, Excel, PNG or "
        "JPEG. Only you can download it.",
    )
    remove_evidence = forms.BooleanField(label="Remove the evidence file", required=False)

    def date_parts(self) -> list[tuple[str, str, str]]:
        """(label, width, value) of the day, month and year boxes, as typed or as stored."""
        value = self["activity_date"].value()
        if not isinstance(value, list | tuple):
            value = DayMonthYearWidget().decompress(value)
        shown = ["" if part is None else str(part) for part in value]
        return list(zip(["Day", "Month", "Year"], ["2", "2", "4"], shown, strict=True))

    def clean_activity_date(self):
        day = self.cleaned_data["activity_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day

    def clean_hours(self) -> Decimal:
        return self.cleaned_data["hours"].quantize(Decimal("0.1"))


class EvidenceForm(forms.Form):
    # Empty files reach the service, whose refusal names the file.
    file = forms.FileField(label="Evidence file", allow_empty_file=True)
    description = forms.CharField(
        label="What this file shows (optional)",
        max_length=200,
        required=False,
        help_text="A few words for the assessor, for example 'Investigation plan, case 2'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        largest = settings.ACADEMY_EVIDENCE_MAX_BYTES / MB
        self.fields["file"].help_text = (
            f"{ACCEPTED_WORDS} files, up to {largest:g} MB each. Remove names and other "
            "details that identify complainants before you upload."
        )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label="Your reflective statement",
        required=False,
        max_length=STATEMENT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
