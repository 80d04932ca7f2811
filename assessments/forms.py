from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from wagtail.admin.forms import WagtailAdminModelForm

from . import moodle_xml
from .models import AssessmentQuestion, BankImport, QuestionBank, QuestionKind
from .services import (
    AssessmentError,
    ImportRefused,
    SlotsRefused,
    check_question,
    check_rubric,
    check_slots,
    decode_text,
    moodle_xml_text,
)


class QuestionForm(WagtailAdminModelForm):
    """Refuses a question whose options could not be answered or scored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The column is nullable only for questions written before banks; every question saved
        # in the admin belongs to one.
        self.fields["bank"].required = True

    def clean(self):
        cleaned = super().clean()
        options = self.formsets["choices"]
        # The form's clean() runs before the formsets are validated; an invalid formset shows its
        # own errors, and the options can only be checked once they have cleaned data.
        if cleaned.get("rubric") and cleaned.get("kind") != QuestionKind.ESSAY:
            self.add_error("rubric", "Only essay questions are marked against a rubric.")
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


class AssessmentForm(WagtailAdminModelForm):
    """Refuses questions that could not be given to every attempt (see services.check_slots):
    each problem is shown on its own row, with a summary above the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each expectation's name includes its framework and principle: load them with it, for
        # the rows shown and the empty row new ones are made from.
        rows = self.formsets["assessment_questions"]
        for fields in [rows.form.base_fields, *(form.fields for form in rows.forms)]:
            fields["expectation"].queryset = fields["expectation"].queryset.select_related(
                "principle__framework"
            )

    def clean(self):
        cleaned = super().clean()
        rows = self.formsets["assessment_questions"]
        if not rows.is_valid():
            return cleaned
        forms_kept = [
            form for form in rows.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        slots = [
            AssessmentQuestion(
                question=form.cleaned_data.get("question"),
                bank=form.cleaned_data.get("bank"),
                expectation=form.cleaned_data.get("expectation"),
                draw_count=form.cleaned_data.get("draw_count"),
            )
            for form in forms_kept
        ]
        try:
            check_slots(slots=slots)
        except SlotsRefused as refused:
            for index, message in refused.problems:
                forms_kept[index].add_error(None, message)
            count = len(refused.problems)
            self.add_error(
                None,
                "The questions cannot be given as they are: see the "
                + ("problem" if count == 1 else f"{count} problems")
                + " below.",
            )
        return cleaned


class RubricForm(WagtailAdminModelForm):
    """Refuses a rubric that could not mark an essay (see services.check_rubric)."""

    def clean(self):
        cleaned = super().clean()
        criteria = cleaned.get("criteria")
        if criteria is None:
            return cleaned
        try:
            check_rubric(
                [
                    {"title": block.value["title"], "levels": list(block.value["levels"])}
                    for block in criteria
                ]
            )
        except AssessmentError as exc:
            self.add_error("criteria", str(exc))
        return cleaned


class ImportGiftForm(forms.Form):
    """A GIFT or Moodle XML file and the bank its questions go into. Which format the file is in
    is seen from its content (`file_format`, a BankImport.Format); cleaned_data["file"] is the
    file's text, and `file_name` the file's name."""

    bank = forms.ModelChoiceField(
        queryset=QuestionBank.objects.all(), help_text="Every question in the file goes here."
    )
    file = forms.FileField(label="GIFT or Moodle XML file")
    file_format = BankImport.Format.GIFT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is made, so the numbers follow the settings of the moment.
        largest = filesizeformat(settings.ACADEMY_IMPORT_MAX_UPLOAD_BYTES)
        self.fields["file"].help_text = (
            "A Moodle GIFT file saved as UTF-8 text, or a Moodle XML file (as Moodle and Totara "
            f"export question banks), up to {largest}, of at most "
            f"{settings.ACADEMY_IMPORT_MAX_QUESTIONS:,} questions with at most "
            f"{settings.ACADEMY_QUESTION_MAX_OPTIONS:,} options each."
        )
        self.file_name = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        largest = settings.ACADEMY_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > largest:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the largest accepted is "
                f"{filesizeformat(largest)}. Split it into smaller files."
            )
        self.file_name = upload.name
        data = upload.read()
        if moodle_xml.looks_like_xml(data):
            self.file_format = BankImport.Format.MOODLE_XML
        try:
            if self.file_format == BankImport.Format.MOODLE_XML:
                return moodle_xml_text(data)
            return decode_text(data)
        except ImportRefused as error:
            problem = error.problems[0]
            raise forms.ValidationError(f"{problem[0].upper()}{problem[1:]}.") from error


class AdjustmentForm(WagtailAdminModelForm):
    """The fields of a learner's adjustment. It never saves itself: the admin views hand the
    cleaned data to services.grant_adjustment, the one writer (which records the audit entry)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Who and which assessment are the adjustment's identity; grant a new one instead.
            self.fields["learner"].disabled = True
            self.fields["assessment"].disabled = True
        self.fields["learner"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.email} ({user.email})"
        )
        self.fields["reason"].help_text = (
            "Why this adjustment is made or changed. Kept in the audit log with your name; never "
            "shown to the learner."
        )

    def save(self, commit=True):
        raise NotImplementedError("Adjustments are saved by services.grant_adjustment.")
