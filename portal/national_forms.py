from datetime import date

from django import forms

from . import national


class MonthField(forms.CharField):
    """A month written as 2026-01 (what a browser's month field sends)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                "Enter a month as a year and month number, for example 2026-01.", code="month"
            ) from None


class NationalFiltersForm(forms.Form):
    kind = forms.ChoiceField(label="Organisation kind", required=False)
    region = forms.ChoiceField(required=False)
    framework = forms.ChoiceField(required=False)
    start = MonthField(label="From (month)", required=False, help_text="For example 2026-01.")
    end = MonthField(label="To (month)", required=False, help_text="For example 2026-12.")

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in options.items():
            self.fields[name].choices = choices
        for name in ("start", "end"):
            self.fields[name].widget = forms.TextInput(
                attrs={"type": "month", "placeholder": "YYYY-MM", "maxlength": 7}
            )

    def clean(self):
        data = super().clean()
        default_start, default_end = national.default_range()
        start, end = data.get("start") or default_start, data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            self.add_error("end", "The end month must be the same as the start month or later.")
        elif (end.year - start.year) * 12 + end.month - start.month >= 120:
            self.add_error("start", "Choose a range of ten years or less.")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> national.Filters:
        data = self.cleaned_data
        return national.Filters(
            start=data["start"],
            end=data["end"],
            kind=data.get("kind") or "",
            region=data.get("region") or "",
            framework=data.get("framework") or "",
        )
