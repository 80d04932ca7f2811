"""Forms behind the programme admin: each says no, with the reason, to what the rules refuse."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from academy.models import Organisation, RoleTier

from .errors import VersionLockedError
from .models import ProgrammeVersion, Requirement
from .services import check_version_editable


class ProgrammeForm(WagtailAdminModelForm):
    organisation_kinds = forms.MultipleChoiceField(
        label="Open to organisations of these kinds",
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to open it to every kind of organisation.",
    )
    role_tiers = forms.MultipleChoiceField(
        label="Open to these roles",
        choices=RoleTier.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to open it to every role.",
    )


def _locked_by(instance, versions) -> str:
    """Why the unit or checklist cannot change: the versions beyond draft that use it."""
    names = ", ".join(f"{v.programme} version {v.number}" for v in versions)
    return (
        f"{instance} is part of {names}, which candidates are enrolled on as it stands, so it "
        "cannot change. Add a new one (with its own code or title) and use it in a new version."
    )


class LockedWhenPublishedForm(WagtailAdminModelForm):
    """A portfolio unit or casework checklist: fixed once a published version uses it."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            versions = (
                ProgrammeVersion.objects.filter(requirements__in=self._requirements())
                .exclude(status=ProgrammeVersion.Status.DRAFT)
                .select_related("programme")
                .distinct()
            )
            if versions:
                raise forms.ValidationError(_locked_by(self.instance, versions))
        return cleaned


class PortfolioUnitForm(LockedWhenPublishedForm):
    def _requirements(self):
        return Requirement.objects.filter(unit=self.instance)


class CaseworkChecklistForm(LockedWhenPublishedForm):
    def _requirements(self):
        return Requirement.objects.filter(checklist=self.instance)


class ProgrammeVersionForm(WagtailAdminModelForm):
    """A draft version; a published or retired one is shown but cannot be saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A version stays with its programme: its number is that programme's.
            self.fields["programme"].disabled = True

    def clean(self):
        cleaned = super().clean()
        try:
            check_version_editable(self.instance)
        except VersionLockedError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


class EnrolCandidateForm(forms.Form):
    email = forms.EmailField(
        label="Candidate's e-mail address",
        help_text="They must already have an Academy account.",
    )
