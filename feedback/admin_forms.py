"""The survey form of the admin: says no, with the reason, to what would change the meaning of
answers already given (docs/decisions.md, "Feedback surveys: questions with answers are fixed")."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Answer, Survey

ITEM_FIELDS = ("course", "webinar", "assessment")
# What a question says; its place in the list and whether it is still asked may change.
WORDING_FIELDS = {"kind", "text", "low_label", "high_label"}


class SurveyForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        chosen = {name: cleaned.get(name) for name in ITEM_FIELDS if cleaned.get(name)}
        if len(chosen) != 1:
            raise forms.ValidationError(
                "Choose one course, one webinar or one assessment for the survey to be about."
            )
        ((name, item),) = chosen.items()
        if Survey.objects.filter(**{name: item}).exclude(pk=self.instance.pk).exists():
            self.add_error(name, f"{item.title} already has a survey: change that one instead.")
        if self.instance.pk:
            self._keep_answered_questions()
            self._ask_something()
        return cleaned

    def _ask_something(self):
        questions = self.formsets["questions"]
        questions.is_valid()
        deleted = questions.deleted_forms
        asked = [
            form
            for form in questions.forms
            if form not in deleted
            and (form.instance.pk or form.has_changed())
            and not form.cleaned_data.get("retired")
        ]
        if not asked:
            self.add_error(None, "Keep at least one question that is still asked.")

    def _keep_answered_questions(self):
        answered = set(
            Answer.objects.filter(question__survey=self.instance)
            .values_list("question_id", flat=True)
            .distinct()
        )
        if not answered:
            return
        if set(self.changed_data) & set(ITEM_FIELDS):
            self.add_error(
                None,
                "People have answered this survey, so it stays about the same item. Add a new "
                "survey for the other one.",
            )
        questions = self.formsets["questions"]
        questions.is_valid()  # cleans each question's form, so what changed is known
        deleted = questions.deleted_forms
        for form in questions.forms:
            if form.instance.pk not in answered:
                continue
            # The wording as saved (the instance already carries what was typed).
            text = form.initial.get("text", "")
            if form in deleted:
                self.add_error(
                    None,
                    f"“{text}” has answers, so it cannot be deleted. Tick "
                    "“No longer asked” to stop asking it; its answers stay in the results.",
                )
            elif set(form.changed_data) & WORDING_FIELDS:
                self.add_error(
                    None,
                    f"“{text}” has answers, so its wording and kind cannot "
                    "change: they would no longer match what people answered. Tick “No longer "
                    "asked” and add a new question instead.",
                )
