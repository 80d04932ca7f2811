from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import selectors, services


def _answers_from(post, questions) -> dict[int, list[str]]:
    """Answers keyed by response id. A field for a question outside this attempt is tampering."""
    known = {f"q{q.response_id}" for q in questions}
    foreign = {name for name in post if name.startswith("q") and name not in known}
    if foreign:
        raise services.AssessmentError(
            "The answers sent do not match the questions in this attempt."
        )
    return {q.response_id: post.getlist(f"q{q.response_id}") for q in questions}


@login_required
@require_http_methods(["GET", "POST"])
def take_attempt(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
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
        except services.AssessmentError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render(
        request,
        "assessments/attempt.html",
        {"attempt": attempt, "questions": questions, "error": error},
        status=status,
    )


@login_required
def attempt_result(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    if not attempt.is_submitted:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return render(
        request,
        "assessments/result.html",
        {"attempt": attempt, "questions": selectors.reviewed_questions(attempt=attempt)},
    )
