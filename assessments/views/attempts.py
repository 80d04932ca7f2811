"""A learner's attempt pages: its questions, a page at a time when the assessment has pages
(saved as the learner goes, with answers checked when the assessment allows it), the
check-your-answers step, and the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import result_notes, selectors, services
from ..models import Attempt

# The check-your-answers step of an attempt, as ?page=check: between the pages and submitting
# on an attempt shown on pages, and where a submit with questions not answered is sent first.
CHECK = "check"
# The submit button's value once the learner has been told what is not answered (the page's
# script asks on the page itself): the attempt is submitted as it is.
CONFIRMED = "confirmed"


def _has_unanswered(attempt) -> bool:
    return any(state.state != "answered" for state in selectors.answer_states(attempt=attempt))


def _answers_from(post, questions) -> dict[int, services.Answer]:
    """Answers keyed by response id from the post, for the questions of the page the form
    showed (services.answers_from_form)."""
    return services.answers_from_form(
        post,
        [
            services.FormQuestion(
                response_id=q.response_id,
                items=tuple(row.key for row in q.rows),
                checked=q.checked is not None,
            )
            for q in questions
        ],
    )


def _attempt_closed(attempt_id: int, message: str) -> JsonResponse:
    """Tell the page's script the attempt takes no more answers, and where its result is."""
    result = reverse("assessments:result", args=[attempt_id])
    return JsonResponse({"error": message, "redirect": result}, status=409)


def _autosave(request, attempt_id: int) -> JsonResponse:
    """Save what the page's script posted (never submit): the time saved, or why not. Every
    learner sends one every few seconds, so the attempt is read once, by the service under its
    lock (only the learner's own: 404 for any other), not first here as well. The service
    finalises an attempt whose time is up and refuses a submitted one. The check step shows no
    questions, so a post from it carries no answers."""

    def positions(attempt) -> range:
        page = _page_asked(attempt, request.POST.get("page"))
        return range(0) if page == CHECK else attempt.positions_on(page)

    try:
        services.save_form(
            user=request.user, attempt_id=attempt_id, positions_for=positions, post=request.POST
        )
    except Attempt.DoesNotExist:
        raise Http404("No attempt found.") from None
    except services.TimeUp as exc:
        messages.warning(request, str(exc))  # shown on the result page the script opens
        return _attempt_closed(attempt_id, str(exc))
    except services.AssessmentError as exc:
        attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
        if attempt.is_submitted:  # submitted before or during the save, e.g. from another tab
            return _attempt_closed(attempt_id, str(exc))
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M")})


def _question_to_check(post, questions):
    """The question of the page whose "Check this answer" was pressed, or AssessmentError."""
    wanted = post.get("check_answer", "")
    for question in questions:
        if str(question.response_id) == wanted:
            return question
    raise services.AssessmentError("The question to check is not on this page.")


def _clock(attempt) -> dict:
    """What the page's countdown needs: the deadline and the server's time, in ISO 8601."""
    if attempt.deadline is None:
        return {}
    return {
        "deadline": attempt.deadline.isoformat(timespec="seconds"),
        "now": timezone.now().isoformat(timespec="seconds"),
        "grace_seconds": int(services.grace().total_seconds()),
    }


def _page_asked(attempt, value) -> int | str:
    """The page of the attempt a request is about: a number from 1 to the attempt's page count
    (1 when it is missing or not a page), or CHECK for the check-your-answers step."""
    if value == CHECK:
        return CHECK
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), attempt.page_count)


def _page_url(attempt, page: int | str) -> str:
    url = reverse("assessments:attempt", args=[attempt.pk])
    if attempt.page_count == 1 and page != CHECK:
        return url
    return f"{url}?page={page}"


@login_required
@require_http_methods(["GET", "POST"])
def take_attempt(request, attempt_id):
    """The attempt's questions, a page at a time when the assessment has pages (?page=N, then
    ?page=check to check the answers and submit). Each post saves the answers of the page it
    came from (the form's hidden "page" field) and then goes where the button pressed says:
    "Check this answer" (check_answer=<response id>) also checks that question's answer and
    comes back to the page at its feedback."""
    # The page's script saves as the learner goes; it posts autosave=1 and reads JSON back.
    if request.method == "POST" and request.POST.get("autosave") == "1":
        return _autosave(request, attempt_id)
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    # The learner's next visit finalises an attempt whose time ran out while they were away.
    if services.finalise_if_overdue(attempt=attempt):
        messages.warning(request, str(services.TimeUp(attempt)))
        return redirect("assessments:result", attempt_id=attempt.pk)
    if attempt.is_submitted:
        return redirect("assessments:result", attempt_id=attempt.pk)
    data = request.POST if request.method == "POST" else request.GET
    page = _page_asked(attempt, data.get("page"))
    # The check step shows no questions, so a post from it carries no answers.
    questions = [] if page == CHECK else selectors.questions_to_answer(attempt=attempt, page=page)
    error = None
    if request.method == "POST":
        try:
            answers = _answers_from(request.POST, questions)
            if "check_answer" in request.POST:
                question = _question_to_check(request.POST, questions)
                services.submit_answer(
                    attempt=attempt, response_id=question.response_id, answers=answers
                )
                messages.success(
                    request,
                    f"Your answer to question {question.position} has been checked and is now "
                    "final. Your other answers on this page have been saved.",
                )
                return redirect(f"{_page_url(attempt, page)}#{question.anchor}-feedback")
            if "submit" in request.POST:
                if page != CHECK and request.POST["submit"] != CONFIRMED:
                    services.save_answers(attempt=attempt, answers=answers)
                    if _has_unanswered(attempt):
                        # Warn first: the check step lists what is not answered, with the submit.
                        return redirect(_page_url(attempt, CHECK))
                services.save_and_submit(attempt=attempt, answers=answers)
                return redirect("assessments:result", attempt_id=attempt.pk)
            services.save_answers(attempt=attempt, answers=answers)
            if "go" in request.POST:  # Previous, Next, a page in the list, or Check
                return redirect(_page_url(attempt, _page_asked(attempt, request.POST["go"])))
            messages.success(request, "Your answers have been saved.")
            return redirect(_page_url(attempt, page))
        except services.TimeUp as exc:
            messages.warning(request, str(exc))
            return redirect("assessments:result", attempt_id=attempt.pk)
        except services.AssessmentError as exc:
            error = str(exc)
    context = {
        "attempt": attempt,
        "error": error,
        "time_left": selectors.time_left(attempt=attempt),
        "clock": _clock(attempt),
        "adjustment": selectors.adjustment_for(user=request.user, assessment=attempt.assessment),
        "current_page": page,
        "pages": range(1, attempt.page_count + 1),
    }
    status = 400 if error else 200
    if page == CHECK:
        states = selectors.answer_states(attempt=attempt)
        context["states"] = states
        context["not_answered"] = [state for state in states if state.state != "answered"]
        context["answered_count"] = len(states) - len(context["not_answered"])
        return render(request, "assessments/attempt_check.html", context, status=status)
    context["questions"] = questions
    return render(request, "assessments/attempt.html", context, status=status)


@login_required
def attempt_result(request, attempt_id):
    attempt = selectors.attempt_for(user=request.user, attempt_id=attempt_id)
    if not attempt.is_submitted:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if not attempt.is_released:
        return render(request, "assessments/awaiting_marking.html", {"attempt": attempt})
    rules = selectors.review_rules(attempt=attempt)
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "questions": selectors.reviewed_questions(attempt=attempt, rules=rules),
            "rules": rules,
            "grade": selectors.grade_for(user=request.user, assessment=attempt.assessment),
            "notes": result_notes.notes_for(attempt=attempt),
        },
    )
