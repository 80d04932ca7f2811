"""A timed attempt at the demo's practice quiz (one question of every kind), keyboard only.

The learner answers single choice, multiple response, true/false, short answer, numerical,
matching and ordering questions with Tab, the arrow keys, Space, typing and Enter alone, saves,
reloads (everything is still there), submits and gets full marks. A second test lets the time run
out. Every page is checked with axe-core, as in the learner journey.
"""

import io
import time
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from assessments import services
from assessments.models import Assessment, Attempt
from portal.demo_content import PASSWORD, PRACTICE_ASSESSMENT
from tests.browser.support import BROWSER_TEST, expect, sign_in

pytestmark = BROWSER_TEST

LEARNER = "learner@example.org"
QUIZ = PRACTICE_ASSESSMENT["title"]


def _right_answers(assessment) -> dict[str, dict]:
    """Per question stem, its kind and the right answer, from the database."""
    answers = {}
    for link in assessment.assessment_questions.select_related("question"):
        question = link.question
        choices = list(question.choices.order_by("sort_order"))
        kind = question.kind
        if kind in ("single", "multiple", "truefalse"):
            right = {c.text for c in choices if c.is_correct}
        elif kind == "short":
            right = next(c.text for c in choices if c.is_correct)
        elif kind == "numerical":
            right = format(next(c.value for c in choices if c.is_correct).normalize(), "f")
        elif kind == "matching":
            right = {c.text: c.match_text for c in choices if c.text}
        else:  # ordering: the authored order is the answer
            right = {c.text: f"Position {n}" for n, c in enumerate(choices, start=1)}
        answers[question.stem] = {"kind": kind, "right": right}
    return answers


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const group = el.closest('.nhsuk-fieldset') || el.closest('.nhsuk-form-group');
            const legend = group && group.querySelector('legend, label');
            const options = el.tagName === 'SELECT'
                ? Array.from(el.options).map(o => o.text.trim()) : [];
            return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '',
                    name: el.name || '', value: el.value || '',
                    text: (el.innerText || '').trim(), checked: !!el.checked,
                    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
                    question: legend ? legend.innerText.trim() : '', options,
                    selected: el.tagName === 'SELECT' ? el.selectedIndex : -1};
        }"""
    )


def _question_for(answers, state) -> dict:
    return next(a for stem, a in answers.items() if stem in state["question"])


def _tab_to_main(page):
    """A fresh document: Tab to the skip link, Enter moves focus to <main>."""
    # Start from the top of the document even if the browser kept focus somewhere after a
    # navigation or reload; a person's first Tab on a new page starts there too.
    page.wait_for_load_state()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "maincontent"


def _tab_to_button(page, name):
    for _ in range(80):
        page.keyboard.press("Tab")
        state = _focused(page)
        if state["tag"] == "button" and state["text"] == name:
            return
    raise AssertionError(f"Tab never reached the {name!r} button")


def _answer_with_keyboard(page, answers) -> set[str]:
    """Tab through the form answering each control; return the stems answered."""
    answered = set()
    _tab_to_main(page)
    page.keyboard.press("Tab")
    for _ in range(80):
        state = _focused(page)
        if state["tag"] == "button":
            break
        question = _question_for(answers, state)
        kind, right = question["kind"], question["right"]
        answered.add(next(s for s in answers if s in state["question"]))
        if state["type"] == "radio":
            # Tab lands on the group's first radio; the arrows move (and check) the choice.
            labels = page.evaluate(
                "name => Array.from(document.getElementsByName(name))"
                ".map(el => el.labels[0].innerText.trim())",
                state["name"],
            )
            target = next(i for i, text in enumerate(labels) if text in right)
            for _ in range(target):
                page.keyboard.press("ArrowDown")
            if not _focused(page)["checked"]:
                page.keyboard.press("Space")
            assert _focused(page)["checked"]
            assert _focused(page)["label"] in right
        elif state["type"] == "checkbox":
            if (state["label"] in right) != state["checked"]:
                page.keyboard.press("Space")
            assert _focused(page)["checked"] == (state["label"] in right)
        elif state["tag"] == "select":
            # A closed <select>: ArrowDown steps through its options without opening it.
            wanted = right[state["label"]]
            target = state["options"].index(wanted)
            steps = target - state["selected"]
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
            after = _focused(page)
            assert after["options"][after["selected"]] == wanted, (after, wanted)
        elif state["tag"] == "input":
            assert kind in ("short", "numerical"), state
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(right)
            assert _focused(page)["value"] == right
        else:
            raise AssertionError(f"unexpected control in the form: {state}")
        page.keyboard.press("Tab")
    assert state["text"] == "Save and finish later", state
    return answered


def _check_kept(page, answers):
    """After a reload the page shows every saved answer."""
    fieldsets = page.locator("form fieldset").all()
    fields = page.locator("form input.nhsuk-input").all()
    assert len(fieldsets) + len(fields) == len(answers)
    for fieldset in fieldsets:
        legend = fieldset.locator("legend").inner_text()
        question = next(a for stem, a in answers.items() if stem in legend)
        right = question["right"]
        if question["kind"] in ("matching", "ordering"):
            for select in fieldset.locator("select").all():
                label = page.locator(f"label[for='{select.get_attribute('id')}']").inner_text()
                chosen = select.evaluate("el => el.options[el.selectedIndex].text.trim()")
                assert chosen == right[label.strip()], (legend, label, chosen)
        else:
            for item in fieldset.locator(".nhsuk-radios__item, .nhsuk-checkboxes__item").all():
                text = item.locator("label").inner_text().strip()
                assert item.locator("input").is_checked() == (text in right), (legend, text)
    for field in fields:
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        question = next(a for stem, a in answers.items() if stem in label)
        assert field.input_value() == question["right"], label


def _practice_quiz():
    call_command("load_demo", stdout=io.StringIO())
    assessment = Assessment.objects.get(title=QUIZ)
    assert assessment.time_limit_minutes == 20
    assert {link.question.kind for link in assessment.assessment_questions.all()} == {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numerical",
        "matching",
        "ordering",
    }
    return assessment


def test_a_timed_attempt_of_every_kind_with_the_keyboard_alone(
    live_server, new_context, a11y, screenshot
):
    started = time.monotonic()
    assessment = _practice_quiz()
    answers = _right_answers(assessment)
    learner = User.objects.get(email=LEARNER)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline is not None
    base = live_server.url

    page = new_context().new_page()
    sign_in(page, base, LEARNER, PASSWORD)
    attempt_url = base + reverse("assessments:attempt", args=[attempt.pk])
    page.goto(attempt_url)
    expect(page.locator("h1")).to_contain_text(QUIZ)
    expect(page.get_by_text("You have until")).to_be_visible()
    expect(page.locator(".academy-time-left")).to_contain_text("(UK time)")
    a11y.check(page, "practice attempt")
    screenshot(page, "practice-attempt")

    answered = _answer_with_keyboard(page, answers)
    assert answered == set(answers), set(answers) - answered
    screenshot(page, "practice-attempt-answered", full_page=False)
    page.keyboard.press("Enter")  # on "Save and finish later"
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()

    # Resume after a reload: every answer is still there.
    page.reload()
    expect(page.get_by_text("You have until")).to_be_visible()
    _check_kept(page, answers)
    a11y.check(page, "practice attempt, after reload")

    page.goto(attempt_url)  # a fresh document (no #maincontent): Tab starts from the top
    _tab_to_main(page)
    _tab_to_button(page, "Submit my answers")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Your result")
    expect(page.get_by_text("You scored 100% – you passed.")).to_be_visible()
    n = len(answers)
    expect(page.get_by_text(f"{n} of {n} marks.")).to_be_visible()
    a11y.check(page, "practice result")
    screenshot(page, "practice-result")

    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.auto_submitted
    assert attempt.percent == 100
    print(f"\nattempt kinds: {len(a11y.pages)} pages checked in {time.monotonic() - started:.1f}s")
    a11y.assert_clean()


def test_an_attempt_whose_time_ran_out_goes_to_the_result(live_server, new_context, a11y):
    assessment = _practice_quiz()
    learner = User.objects.get(email=LEARNER)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    # Past the deadline and the grace after it.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=10))
    base = live_server.url

    page = new_context().new_page()
    sign_in(page, base, LEARNER, PASSWORD)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    expect(page.locator("h1")).to_contain_text("Your result")
    assert page.url == base + reverse("assessments:result", args=[attempt.pk]), page.url
    expect(page.get_by_text("Your time ran out").first).to_be_visible()
    expect(page.get_by_text("You scored 0% – you did not pass this time.")).to_be_visible()
    a11y.check(page, "result after time ran out")

    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    a11y.assert_clean()
