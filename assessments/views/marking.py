"""The marking pages of the admin: the queue, marking one answer (or correcting its mark once the
result is released), and releasing held results."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..formatting import plural
from ..models import Assessment, Mark, Response

MARK = "assessments.mark_response"
MODERATE = services.MODERATE
RELEASE = "assessments.release_results"
PER_PAGE = 50


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def marking_queue(request):
    """Answers to mark, filtered by assessment and stage, oldest first. Without a stage chosen,
    the queue opens on the assessor's own (selectors.opening_stage): moderation for moderators
    with answers to moderate, then second marking, then first marking."""
    _require(request, MARK)
    # Assessments with answers to mark, whether their essays are fixed or drawn from a bank.
    assessments = Assessment.objects.filter(
        pk__in=Response.objects.exclude(marking=Response.Marking.NONE).values(
            "attempt__assessment_id"
        )
    )
    chosen = request.GET.get("assessment", "")
    assessment = next((a for a in assessments if str(a.pk) == chosen), None)
    assessment_id = assessment.pk if assessment else None
    counts = selectors.stage_counts(marker=request.user, assessment_id=assessment_id)
    if "marking" in request.GET:
        stage = request.GET["marking"]
        if stage not in {count.value for count in counts}:
            stage = ""
    else:
        stage = selectors.opening_stage(counts=counts, can_moderate=request.user.has_perm(MODERATE))
    page = Paginator(
        selectors.marking_queue(marker=request.user, assessment_id=assessment_id, marking=stage),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "assessments/admin/marking_queue.html",
        {
            "assessments": assessments,
            "assessment": assessment,
            "counts": counts,
            "stage": stage,
            "stage_label": dict(Response.Marking.choices).get(stage, "") if stage else "",
            "page": page,
            "rows": selectors.queue_rows(page.object_list),
            "held": selectors.held_results(assessment_id=assessment_id),
            "can_release": request.user.has_perm(RELEASE),
        },
    )


def _given(request, rubric) -> services.MarkGiven:
    levels = {}
    if rubric:
        for criterion in rubric["criteria"]:
            value = request.POST.get(f"criterion-{criterion['key']}", "")
            if value:
                levels[criterion["key"]] = value
    return services.MarkGiven(
        levels=levels,
        percent=request.POST.get("percent", ""),
        feedback=request.POST.get("feedback", ""),
    )


def _percent(mark: Mark) -> str:
    return format((mark.score * 100).normalize(), "f")


@require_http_methods(["GET", "POST"])
def mark_response(request, response_id: int):
    """One answer: the question, the learner's text, the rubric, and the mark to give. Second
    markers do not see the first mark; moderators see both. Once the result is released, a
    moderator corrects the final mark here instead (the form that posts "shown")."""
    _require(request, MARK)
    response = selectors.response_to_mark(response_id=response_id, marker=request.user)
    marks = {mark.stage: mark for mark in response.marks.all()}
    rubric = response.version.settings.get("rubric")
    can_moderate = request.user.has_perm(MODERATE)
    released = response.attempt.is_released
    stage = None
    if not released:
        stage = services.stage_for(
            response=response, marks=marks, marker=request.user, can_moderate=can_moderate
        )
    existing = marks.get(stage) if stage else None
    error = None
    given = services.MarkGiven(
        levels=dict(existing.levels) if existing else {},
        percent=_percent(existing) if existing and not rubric else "",
        feedback=existing.feedback if existing else "",
    )
    final = selectors.final_mark(response) if released else None
    correction = None
    if final and can_moderate:
        correction = services.MarkGiven(
            levels=dict(final.levels),
            percent="" if rubric else _percent(final),
            feedback=final.feedback,
        )
    correcting = request.method == "POST" and "shown" in request.POST
    if correcting:
        _require(request, MODERATE)
        correction = _given(request, rubric)
        try:
            services.correct_mark(
                response=response,
                by=request.user,
                given=correction,
                reason=request.POST.get("reason", ""),
                shown=request.POST.get("shown", ""),
            )
        except services.AssessmentError as exc:
            error = str(exc)
        else:
            messages.success(
                request, "The mark has been corrected, and the learner is e-mailed about it."
            )
            return redirect(request.get_full_path())
    elif request.method == "POST":
        given = _given(request, rubric)
        try:
            services.record_mark(
                response=response,
                marker=request.user,
                stage=request.POST.get("stage", ""),
                given=given,
                reason=request.POST.get("reason", ""),
                can_moderate=can_moderate,
            )
        except services.AssessmentError as exc:
            error = str(exc)
        else:
            messages.success(request, "The mark has been saved.")
            return redirect(_back_to_queue(request))
    if stage in (Mark.Stage.FIRST, Mark.Stage.SECOND):
        # Marking is blind: a second marker never sees the first mark, only their own.
        shown = {stage: existing} if existing else {}
    elif stage == Mark.Stage.MODERATED:
        shown = marks  # the marks that disagree, and the moderator's own once given
    else:  # a released result: the final mark is shown on its own, with who gave it and when
        shown = {s: m for s, m in marks.items() if not final or m.pk != final.pk}
    held = (
        not released
        and response.attempt.percent is not None
        and response.attempt.assessment.hold_results
    )
    return TemplateResponse(
        request,
        "assessments/admin/mark_response.html",
        {
            "response": response,
            "candidate": selectors.candidate_label(response.attempt),
            "answer": response.selected[0] if response.selected else "",
            "rubric": rubric,
            "stage": stage,
            "stage_label": Mark.Stage(stage).label if stage else "",
            "existing": existing,
            "given": given,
            "shown_marks": [
                _shown(mark, rubric, response=response, by_you=mark.marker_id == request.user.pk)
                for mark in shown.values()
            ],
            "error": error,
            "final": _shown(final, rubric, response=response) if final else None,
            "corrections": selectors.corrections_of(response) if released else [],
            "held": held,
            "can_release": request.user.has_perm(RELEASE),
            "final_version": services.final_mark_version(final) if final else "",
            "correction": correction,
            "correcting": correcting,
            "reason": request.POST.get("reason", "") if error else "",
            "queue_url": _back_to_queue(request),
        },
        status=400 if error else 200,
    )


def _shown(mark: Mark, rubric, *, response: Response, by_you: bool = False) -> dict:
    """A mark as an assessor reads it: the level of each criterion, the share of the question's
    marks and the marks it gives, and whether the assessor reading it gave it."""
    levels = []
    for criterion in (rubric or {}).get("criteria", []):
        level = next(
            (lv for lv in criterion["levels"] if lv["key"] == mark.levels.get(criterion["key"])),
            None,
        )
        levels.append((criterion["title"], level["label"] if level else "", level))
    return {
        "mark": mark,
        "levels": levels,
        "percent": mark.score * 100,
        "points": mark.score * response.max_marks,
        "by_you": by_you,
    }


def _back_to_queue(request) -> str:
    query = request.GET.get("next", "")
    # Only our own queue's query string goes back in: never an address from outside.
    if query.startswith("?") and "//" not in query:
        return reverse("marking_queue") + query
    return reverse("marking_queue")


@require_POST
def release_results(request, assessment_id: int):
    _require(request, RELEASE)
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    count = services.release_results(assessment=assessment, by=request.user)
    if count:
        messages.success(
            request,
            f"Released {plural(count, 'result')}; each learner is e-mailed.",
        )
    else:
        messages.info(request, "No marked results were waiting to be released.")
    return redirect(f"{reverse('marking_queue')}?assessment={assessment.pk}")
