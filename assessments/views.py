from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
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


@login_required
@require_http_methods(["GET", "POST"])
def take_attempt(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    # The learner's next visit finalises an attempt whose time ran out while they were away.
    if services.finalise_if_overdue(attempt=attempt):
        messages.warning(request, str(services.TimeUp(attempt)))
        return redirect("assessments:result", attempt_id=attempt.pk)
    if attempt.is_submitted:
        return redirect("assessments:result", attempt_id=attempt.pk)
    questions = selectors.questions_to_answer(attempt=attempt)
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
