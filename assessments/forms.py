from wagtail.admin.forms import WagtailAdminModelForm

from .services import AssessmentError, check_question


class QuestionForm(WagtailAdminModelForm):
    """Refuses a question whose options could not be answered or scored."""

    def clean(self):
        cleaned = super().clean()
        options = self.formsets["choices"]
        # The form's clean() runs before the formsets are validated; an invalid formset shows its
        # own errors, and the options can only be checked once they have cleaned data.
        if not options.is_valid() or not cleaned.get("kind"):
            return cleaned
        fields = ("text", "is_correct", "fraction", "match_text", "value", "tolerance")
        choices = [
            {field: form.cleaned_data.get(field) for field in fields}
            for form in options.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_question(kind=cleaned.get("kind"), choices=choices)
        except AssessmentError as exc:
            self.add_error(None, str(exc))
        return cleaned
