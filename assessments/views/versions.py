"""A question's version history and "Regrade past attempts", in the Wagtail admin.

The URL patterns are part of the question viewset (wagtail_hooks.QuestionViewSet), so they are
named question:versions and question:regrade, and the question's edit page links to both.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..formatting import plural
from ..models import Question, QuestionVersion

VIEW = "assessments.view_question"
CHANGE = "assessments.change_question"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _question(pk: int) -> Question:
    return get_object_or_404(services.with_version_content(), pk=pk)


def _current(question: Question) -> tuple[QuestionVersion | None, str]:
    """The version the question gives now (made if an edit outside the admin has not made it
    yet), or None and why the question cannot be given as it is."""
    try:
        return services.current_version(question=question), ""
    except services.AssessmentError as error:
        return None, str(error)


def versions_view(request, pk: int):
    """Every version of the question: its number, when it was made, how many attempts were
    given it and how many answers were regraded against it."""
    _require(request, VIEW)
    question = _question(pk)
    current, problem = _current(question)
    return TemplateResponse(
        request,
        "assessments/admin/question_versions.html",
        {
            "question": question,
            "versions": selectors.version_history(
                question=question, current_id=current.pk if current else None
            ),
            "problem": problem,
            "can_regrade": request.user.has_perm(CHANGE),
        },
    )


class RegradeForm(forms.Form):
    against = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why are you regrading?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, what was wrong with the answer key. Kept in the audit log with "
        "your name and every mark that changes; learners do not see it.",
    )


def _inline_limit() -> int:
    return getattr(settings, "ASSESSMENT_REGRADE_INLINE_MAX", 500)


@require_http_methods(["GET", "POST"])
def regrade_view(request, pk: int):
    """Say what regrading the question's past answers would change (a dry run), and regrade
    them once the trainer gives a reason and confirms. Large regrades run as a task."""
    _require(request, CHANGE)
    question = _question(pk)
    back = reverse("question:versions", args=[question.pk])
    current, problem = _current(question)
    if current is None:
        messages.error(request, f"This question cannot be given as it is now: {problem}")
        return redirect(back)
    preview = services.regrade_question(question=question, by=request.user, dry_run=True)
    form = RegradeForm(request.POST or None, initial={"against": preview.against.pk})
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if form.cleaned_data["against"] != preview.against.pk:
            form.add_error(
                None,
                "The question has been changed since you opened this page. Check what "
                "regrading would do now, then confirm again.",
            )
        elif preview.answers == 0:
            messages.info(request, "There was nothing to regrade.")
            return redirect(back)
        elif preview.answers > _inline_limit():
            from .. import tasks

            ids = (question.pk, preview.against.pk, request.user.pk, reason)
            transaction.on_commit(lambda: tasks.regrade_question.delay(*ids))
            messages.success(
                request,
                f"Regrading {preview.answers} answers in the background. The audit log lists "
                "each changed mark when it is done.",
            )
            return redirect(back)
        else:
            try:
                done = services.regrade_question(
                    question=question, by=request.user, reason=reason, against=preview.against
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _done_message(done))
                return redirect(back)
    return TemplateResponse(
        request,
        "assessments/admin/question_regrade.html",
        {"question": question, "preview": preview, "form": form, "back_url": back},
    )


def _done_message(done: services.Regrade) -> str:
    return (
        f"Regraded {plural(done.answers, 'answer')} against version {done.against.number}: "
        f"{plural(done.changed, 'mark')} changed ({done.raised} up, {done.lowered} down), and "
        f"{plural(done.passes_changed, 'attempt')} changed between pass and fail."
    )
