from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import selectors, services


def _answers_from(post, questions) -> dict[int, services.Answer]:
    """Answers keyed by response id, as save_answers takes them. A field for a question or item
    outside this attempt, or a select sent twice, is tampering."""
    answers: dict[int, services.Answer] = {}
    known = set()
    for q in questions:
        if q.rows:
            fields = {row.field: row.field.rsplit("-", 1)[1] for row in q.rows}
            known |= set(fields)
            if any(len(post.getlist(name)) > 1 for name in fields):
                raise services.AssessmentError(services.MISMATCH)
            answers[q.response_id] = {key: post.get(name, "") for name, key in fields.items()}
        else:
            known.add(q.field_name)
            answers[q.response_id] = post.getlist(q.field_name)
    foreign = {name for name in post if name.startswith("q") and name not in known}
    if foreign:
        raise services.AssessmentError(services.MISMATCH)
    return answers


def _attempt_closed(attempt, message: str) -> JsonResponse:
    """Tell the page's script the attempt takes no more answers, and where its result is."""
    result = reverse("assessments:result", args=[attempt.pk])
    return JsonResponse({"error": message, "redirect": result}, status=409)


def _autosave(request, attempt, questions) -> JsonResponse:
    """Save what the page's script posted (never submit): the time saved, or why not."""
    try:
        services.save_answers(attempt=attempt, answers=_answers_from(request.POST, questions))
    except services.TimeUp as exc:
        messages.warning(request, str(exc))  # shown on the result page the script opens
        return _attempt_closed(attempt, str(exc))
    except services.AssessmentError as exc:
        attempt.refresh_from_db(fields=["status"])
        if attempt.is_submitted:  # submitted meanwhile, e.g. from another tab
            return _attempt_closed(attempt, str(exc))
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M")})


def _clock(attempt) -> dict:
    """What the page's countdown needs: the deadline and the server's time, in ISO 8601."""
    if attempt.deadline is None:
        return {}
    return {
        "deadline": attempt.deadline.isoformat(timespec="seconds"),
        "now": timezone.now().isoformat(timespec="seconds"),
        "grace_seconds": int(services.grace().total_seconds()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def take_attempt(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    # The page's script saves as the learner goes; it posts autosave=1 and reads JSON back.
    autosave = request.method == "POST" and request.POST.get("autosave") == "1"
    # The learner's next visit finalises an attempt whose time ran out while they were away.
    if services.finalise_if_overdue(attempt=attempt):
        time_up = str(services.TimeUp(attempt))
        messages.warning(request, time_up)
        if autosave:
            return _attempt_closed(attempt, time_up)
        return redirect("assessments:result", attempt_id=attempt.pk)
    if attempt.is_submitted:
        if autosave:
            return _attempt_closed(attempt, "This attempt has already been submitted.")
        return redirect("assessments:result", attempt_id=attempt.pk)
    questions = selectors.questions_to_answer(attempt=attempt)
    if autosave:
        return _autosave(request, attempt, questions)
    error = None
    if request.method == "POST":
        try:
            services.save_answers(attempt=attempt, answers=_answers_from(request.POST, questions))
            if "submit" in request.POST:
                services.submit_attempt(attempt=attempt)
                return redirect("assessments:result", attempt_id=attempt.pk)
            messages.success(request, "Your answers have been saved.")
            return redirect("assessments:attempt", attempt_id=attempt.pk)
        except services.TimeUp as exc:
            messages.warning(request, str(exc))
            return redirect("assessments:result", attempt_id=attempt.pk)
        except services.AssessmentError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "questions": questions,
            "error": error,
            "time_left": selectors.time_left(attempt=attempt),
            "clock": _clock(attempt),
            "adjustment": selectors.adjustment_for(
                user=request.user, assessment=attempt.assessment
            ),
        },
        status=status,
    )


@login_required
def attempt_result(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    if not attempt.is_submitted:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if not attempt.is_released:
        return render(request, "assessments/awaiting_marking.html", {"attempt": attempt})
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "questions": selectors.reviewed_questions(attempt=attempt),
            "grade": selectors.grade_for(user=request.user, assessment=attempt.assessment),
        },
    )
