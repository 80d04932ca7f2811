"""Knowledge checks in lessons: one question from the bank, answered as often as the learner
likes, with feedback straight away and nothing marked, kept or counted."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from assessments.models import (
    AssessmentQuestion,
    Attempt,
    Choice,
    QuestionKind,
    QuestionVersion,
    Response,
    Scenario,
)
from courses import services
from courses.blocks import KnowledgeCheckBlock
from courses.models import LessonCompletion
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    correct_answer,
    wrong_answer,
)
from tests.courses.factories import LessonFactory

pytestmark = pytest.mark.django_db

MACHINE_KINDS = [
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_RESPONSE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.SHORT_ANSWER,
    QuestionKind.NUMERICAL,
    QuestionKind.MATCHING,
    QuestionKind.ORDERING,
]


def check_block(question, **fields):
    return (
        "knowledge_check",
        {"question": question, "heading": "", "shuffle_options": True, **fields},
    )


def lesson_with(course, *questions, **fields):
    body = [("text", RichText("<p>Read this first.</p>"))]
    body += [check_block(question, **fields) for question in questions]
    return LessonFactory(parent=course, body=body)


def block_ids(lesson) -> list[str]:
    return [child.id for child in lesson.body if child.block_type == "knowledge_check"]


def check_url(lesson, block_id) -> str:
    return reverse("courses:check_knowledge", args=[lesson.pk, block_id])


def hidden(html: str, name: str, block_id: str) -> str:
    """A hidden field's value in the form of one check."""
    section = html.split(f'id="knowledge-check-{block_id}"', 1)[1].split("</section>", 1)[0]
    return re.search(rf'name="{name}" value="([^"]*)"', section).group(1)


@pytest.fixture
def enrolled(learner, course_tree):
    return services.enrol(user=learner, course=course_tree.course)


def shown(client, lesson, block_id):
    """Open the lesson; the version and order of the check as shown."""
    html = client.get(lesson.url).content.decode()
    version = QuestionVersion.objects.get(pk=hidden(html, "version", block_id))
    order = hidden(html, "order", block_id).split()
    return version, order, html


def post_for(number: int, answer, version, order) -> dict:
    """The form fields a check posts for this answer (save_answers' shape)."""
    data = {"version": str(version.pk), "order": " ".join(order)}
    if isinstance(answer, dict):
        data.update({f"q{number}-{key}": value for key, value in answer.items()})
    else:
        data[f"q{number}"] = answer
    return data


def as_shown(version, order):
    return SimpleNamespace(version=version, option_order=order)


# The block in the editor ---------------------------------------------------------------------


def test_the_block_refuses_an_essay_with_a_reason():
    essay = QuestionFactory(kind=QuestionKind.ESSAY, options=[])
    block = KnowledgeCheckBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"question": essay.pk, "heading": "", "shuffle_options": True}))
    message = str(refused.value.block_errors["question"].messages[0])
    assert "essay is marked by an assessor" in message


@pytest.mark.parametrize("kind", MACHINE_KINDS)
def test_the_block_accepts_every_kind_the_machine_marks(kind):
    question = QuestionFactory(kind=kind)
    block = KnowledgeCheckBlock()
    value = block.clean(block.to_python({"question": question.pk, "shuffle_options": True}))
    assert value["question"] == question


def test_the_block_refuses_a_question_that_cannot_be_answered():
    broken = QuestionFactory(options=[("Yes", False, ""), ("No", False, "")])  # nothing right
    block = KnowledgeCheckBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"question": broken.pk, "shuffle_options": True}))
    message = str(refused.value.block_errors["question"].messages[0])
    assert "at least one correct option" in message


def test_the_block_refuses_a_question_a_certificates_assessment_gives(course):
    """A check shows its right answer to anyone: not for a question of a course's final
    assessment, fixed or drawn from its bank, but fine for one only used for practice."""
    block = KnowledgeCheckBlock()
    final = course.final_assessment
    fixed = final.assessment_questions.exclude(question=None).first().question
    drawn = QuestionFactory(bank=QuestionBankFactory(name="Drawn for the final"))
    AssessmentQuestion.objects.create(
        assessment=final, bank=drawn.bank, draw_count=1, sort_order=99
    )
    for question in (fixed, drawn):
        with pytest.raises(StructBlockValidationError) as refused:
            block.clean(block.to_python({"question": question.pk, "shuffle_options": True}))
        message = str(refused.value.block_errors["question"].messages[0])
        assert f"also in “{final.title}”, which leads to the certificate of the course" in message
    practice = QuestionFactory()
    AssessmentFactory(questions=[practice], title="Practice only")
    value = block.clean(block.to_python({"question": practice.pk, "shuffle_options": True}))
    assert value["question"] == practice


def test_the_question_chooser_lists_machine_marked_questions_only(client, trainer):
    single = QuestionFactory(title="Pick the first step")
    essay = QuestionFactory(title="Write about a complaint", kind=QuestionKind.ESSAY, options=[])
    client.force_login(trainer)
    html = client.get("/admin/knowledge_check_question_chooser/").content.decode()
    assert single.title in html
    assert essay.title not in html
    found = client.get("/admin/knowledge_check_question_chooser/results/", {"q": "first step"})
    assert single.title in found.content.decode()


# The lesson page before an answer --------------------------------------------------------------


@pytest.mark.parametrize("kind", MACHINE_KINDS)
def test_the_lesson_shows_the_question_without_answers_or_feedback(
    learner_client, enrolled, course_tree, kind
):
    question = QuestionFactory(kind=kind)
    lesson = lesson_with(course_tree.course, question)
    html = learner_client.get(lesson.url).content.decode()
    assert question.stem in html
    assert "Check my answer" in html
    # The CSRF token is random text that could hold any short string: leave it out.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    assert question.general_feedback not in text
    for choice in question.choices.all():
        assert not choice.feedback or choice.feedback not in text  # no option's feedback
    assert "correct" not in text.lower()
    if kind == QuestionKind.SHORT_ANSWER:
        assert "Apologise" not in html and "Say sorry" not in html
    if kind == QuestionKind.MATCHING:
        # The answers are there to choose from, but nothing pairs them with their items.
        assert "Settle locally" in html
    version = QuestionVersion.objects.get(question=question)
    assert hidden(html, "version", block_ids(lesson)[0]) == str(version.pk)


def test_each_check_on_a_page_has_its_own_fields(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory(), QuestionFactory())
    html = learner_client.get(lesson.url).content.decode()
    assert 'name="q1"' in html and 'name="q2"' in html
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_options_keep_their_written_order_when_the_trainer_asks(
    learner_client, enrolled, course_tree
):
    question = QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE)
    lesson = lesson_with(course_tree.course, question, shuffle_options=False)
    version, order, html = shown(learner_client, lesson, block_ids(lesson)[0])
    assert order == [option["key"] for option in version.options]
    texts = [c.text for c in question.choices.order_by("sort_order")]
    assert [html.index(text) for text in texts] == sorted(html.index(text) for text in texts)


# Answering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", MACHINE_KINDS)
def test_a_right_answer_says_so_with_the_feedback(learner_client, enrolled, course_tree, kind):
    question = QuestionFactory(kind=kind)
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    answer = correct_answer(as_shown(version, order))
    response = learner_client.post(check_url(lesson, block_id), post_for(1, answer, version, order))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Right: well done." in html
    assert question.general_feedback in html
    assert "Try again" in html
    assert f'href="{lesson.url}#knowledge-check-{block_id}"' in html
    assert 'name="q1"' not in html  # the feedback replaces the question's form


@pytest.mark.parametrize("kind", MACHINE_KINDS)
def test_a_wrong_answer_says_so_and_shows_the_right_answer(
    learner_client, enrolled, course_tree, kind
):
    question = QuestionFactory(kind=kind)
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    answer = wrong_answer(as_shown(version, order))
    html = learner_client.post(
        check_url(lesson, block_id), post_for(1, answer, version, order)
    ).content.decode()
    assert "Not right this time." in html
    assert question.general_feedback in html
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE):
        right = question.choices.filter(is_correct=True).first()
        assert f'{right.text}\n      <strong class="academy-option-correct">(right answer)' in html
        chosen = next(o for o in version.options if o["key"] == answer[0])
        assert chosen["feedback"] in html  # the chosen option's own feedback
    if kind == QuestionKind.SHORT_ANSWER:
        assert "Apologise" in html  # the right answer
    if kind == QuestionKind.MATCHING:
        assert "Right match" in html and "Settle locally" in html


@pytest.mark.parametrize(
    ("kind", "partial"),
    [
        (QuestionKind.MULTIPLE_RESPONSE, "one of two"),
        (QuestionKind.SHORT_ANSWER, "half marks"),
        (QuestionKind.NUMERICAL, "within tolerance"),
        (QuestionKind.MATCHING, "one pair"),
        (QuestionKind.ORDERING, "one pair in order"),
    ],
)
def test_a_partly_right_answer_says_so(learner_client, enrolled, course_tree, kind, partial):
    question = QuestionFactory(kind=kind)
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    right = correct_answer(as_shown(version, order))
    if kind == QuestionKind.MULTIPLE_RESPONSE:
        answer = right[:1]
    elif kind == QuestionKind.SHORT_ANSWER:
        answer = [next(c.text for c in question.choices.all() if c.fraction)]
    elif kind == QuestionKind.NUMERICAL:
        exact = next(o for o in version.options if o["correct"])
        answer = [str(int(exact["value"]) + 2)]
    elif kind == QuestionKind.MATCHING:
        wrong = wrong_answer(as_shown(version, order))
        first = next(iter(right))
        answer = {**wrong, first: right[first]}
    else:  # ordering: the first two in place, the rest reversed
        keys = [o["key"] for o in version.options]
        answer = {keys[0]: "1", keys[1]: "2", keys[2]: "4", keys[3]: "3"}
    html = learner_client.post(
        check_url(lesson, block_id), post_for(1, answer, version, order)
    ).content.decode()
    assert "Partly right." in html, partial


def test_a_short_answer_check_matches_stars_as_an_attempt_does(
    learner_client, enrolled, course_tree
):
    question = QuestionFactory(
        kind=QuestionKind.SHORT_ANSWER,
        options=[
            {"text": "*ombudsman*", "is_correct": True, "feedback": "Yes: the Ombudsman."},
            {"text": "*", "fraction": 0, "feedback": "Who has the last word on a complaint?"},
        ],
    )
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    for typed, outcome, feedback in [
        ("the Ombudsman service", "Right: well done.", "Yes: the Ombudsman."),
        ("the council", "Not right this time.", "Who has the last word on a complaint?"),
    ]:
        html = learner_client.post(
            check_url(lesson, block_id), post_for(1, [typed], version, order)
        ).content.decode()
        assert outcome in html and feedback in html, typed


def test_the_learner_can_try_again_as_often_as_they_like(learner_client, enrolled, course_tree):
    question = QuestionFactory()
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    for _ in range(3):
        version, order, html = shown(learner_client, lesson, block_id)
        assert "Not right this time." not in html and question.general_feedback not in html
        wrong = wrong_answer(as_shown(version, order))
        html = learner_client.post(
            check_url(lesson, block_id), post_for(1, wrong, version, order)
        ).content.decode()
        assert "Not right this time." in html
    version, order, _html = shown(learner_client, lesson, block_id)
    right = correct_answer(as_shown(version, order))
    html = learner_client.post(
        check_url(lesson, block_id), post_for(1, right, version, order)
    ).content.decode()
    assert "Right: well done." in html


def test_only_the_check_answered_shows_feedback(learner_client, enrolled, course_tree):
    first, second = QuestionFactory(), QuestionFactory()
    lesson = lesson_with(course_tree.course, first, second)
    one, two = block_ids(lesson)
    version, order, _html = shown(learner_client, lesson, two)
    answer = correct_answer(as_shown(version, order))
    html = learner_client.post(check_url(lesson, two), post_for(2, answer, version, order)).content
    html = html.decode()
    assert second.general_feedback in html
    assert first.general_feedback not in html
    assert 'name="q1"' in html  # the other check is still there to answer


def test_an_empty_answer_is_refused_with_a_message(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    response = learner_client.post(
        check_url(lesson, block_id), {"version": version.pk, "order": " ".join(order)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer the question first, then check your answer." in html
    assert 'name="q1"' in html


def test_a_word_for_a_number_is_refused_and_kept_to_correct(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory(kind=QuestionKind.NUMERICAL))
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    response = learner_client.post(
        check_url(lesson, block_id), post_for(1, ["thirty"], version, order)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a number, like 12 or 3.5." in html
    assert 'value="thirty"' in html


def test_a_number_too_large_to_mark_is_refused_at_once_with_a_reason(
    learner_client, enrolled, course_tree
):
    lesson = lesson_with(course_tree.course, QuestionFactory(kind=QuestionKind.NUMERICAL))
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    response = learner_client.post(
        check_url(lesson, block_id), post_for(1, ["1e100000000"], version, order)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a number with at most 30 digits before the decimal point and 30 after it." in html


def test_an_ordering_with_a_position_twice_is_refused(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory(kind=QuestionKind.ORDERING))
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    answer = {key: "1" for key in order}
    response = learner_client.post(check_url(lesson, block_id), post_for(1, answer, version, order))
    assert response.status_code == 400
    assert "Give each item a different position from 1 to 4." in response.content.decode()


# An edit between showing and answering ---------------------------------------------------------


def test_an_answer_is_checked_against_the_version_shown(learner_client, enrolled, course_tree):
    question = QuestionFactory()
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    old_stem = question.stem
    question.stem = "A question the trainer rewrote meanwhile?"
    question.save()
    answer = correct_answer(as_shown(version, order))
    html = learner_client.post(
        check_url(lesson, block_id), post_for(1, answer, version, order)
    ).content.decode()
    assert "Right: well done." in html
    assert f"<p>{old_stem}</p>" in html


@pytest.mark.parametrize("which", ["missing", "another question's", "not a number"])
def test_a_version_that_is_gone_or_not_this_questions_gets_a_message(
    learner_client, enrolled, course_tree, which
):
    question = QuestionFactory()
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    data = post_for(1, correct_answer(as_shown(version, order)), version, order)
    if which == "missing":
        data["version"] = str(version.pk + 1000)
    elif which == "another question's":
        other = lesson_with(course_tree.course, QuestionFactory())
        data["version"] = shown(learner_client, other, block_ids(other)[0])[0].pk
    else:
        data["version"] = "v1"
    response = learner_client.post(check_url(lesson, block_id), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "This question was changed after the page was loaded" in html
    assert "Right: well done." not in html
    assert question.stem in html and 'name="q1"' in html  # asked again, as it is now


# Bad input -------------------------------------------------------------------------------------


def _counts():
    return (
        QuestionVersion.objects.count(),
        Attempt.objects.count(),
        Response.objects.count(),
        LessonCompletion.objects.count(),
        Choice.objects.count(),
    )


@pytest.mark.parametrize(
    "tamper",
    ["option of no question", "field of another check", "order rearranged", "order cut short"],
)
def test_tampered_answers_are_refused_and_change_nothing(
    learner_client, enrolled, course_tree, tamper
):
    lesson = lesson_with(course_tree.course, QuestionFactory(), QuestionFactory())
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    before = _counts()
    data = post_for(1, correct_answer(as_shown(version, order)), version, order)
    if tamper == "option of no question":
        data["q1"] = ["deadbeef"]
    elif tamper == "field of another check":
        data["q2"] = [order[0]]
    elif tamper == "order rearranged":
        data["order"] = " ".join([*order[:-1], "deadbeef"])
    else:
        data["order"] = " ".join(order[:-1])
    response = learner_client.post(check_url(lesson, block_id), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Right: well done." not in html
    assert version.general_feedback not in html
    assert _counts() == before


def test_a_select_sent_twice_is_refused(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory(kind=QuestionKind.MATCHING))
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    right = correct_answer(as_shown(version, order))
    data = post_for(1, right, version, order)
    first = next(iter(right))
    data[f"q1-{first}"] = [right[first], right[first]]
    response = learner_client.post(check_url(lesson, block_id), data)
    assert response.status_code == 400
    assert "does not fit this question" in response.content.decode()


def test_a_check_that_is_not_in_the_lesson_sends_the_learner_back(
    learner_client, enrolled, course_tree
):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    other = lesson_with(course_tree.course, QuestionFactory())
    response = learner_client.post(check_url(lesson, block_ids(other)[0]), {"q1": "x"}, follow=True)
    assert response.redirect_chain == [(lesson.url, 302)]
    assert "That knowledge check is no longer part of this lesson." in response.content.decode()


# Who may answer -------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_sign_in(client, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    response = client.post(check_url(lesson, block_ids(lesson)[0]), {"q1": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert response.url.endswith("next=" + lesson.url)


def test_a_learner_not_enrolled_is_sent_to_the_course(learner_client, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    response = learner_client.post(
        check_url(lesson, block_ids(lesson)[0]), {"q1": "x"}, follow=True
    )
    assert response.redirect_chain == [(course_tree.course.url, 302)]
    assert "Enrol on the course to start its lessons." in response.content.decode()


def test_staff_not_enrolled_try_a_check_on_the_live_lesson(client, trainer, course_tree):
    question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)
    lesson = lesson_with(course_tree.course, question)
    block_id = block_ids(lesson)[0]
    client.force_login(trainer)
    version, order, _html = shown(client, lesson, block_id)
    answer = correct_answer(as_shown(version, order))
    response = client.post(check_url(lesson, block_id), post_for(1, answer, version, order))
    assert response.status_code == 200
    assert "Right: well done." in response.content.decode()
    assert not trainer.enrolments.exists()


def test_an_unpublished_lesson_takes_no_answers(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    lesson.unpublish()
    response = learner_client.post(check_url(lesson, block_ids(lesson)[0]), {"q1": "x"})
    assert response.status_code == 404


def test_answers_are_posted_only(learner_client, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    assert learner_client.get(check_url(lesson, block_ids(lesson)[0])).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(learner, enrolled, course_tree):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    block_id = block_ids(lesson)[0]
    version, order, html = shown(client, lesson, block_id)
    data = post_for(1, correct_answer(as_shown(version, order)), version, order)
    assert client.post(check_url(lesson, block_id), data).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(check_url(lesson, block_id), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Right: well done." in response.content.decode()


def test_a_trainer_previewing_sees_the_question_without_a_form(client, trainer, course_tree):
    question = QuestionFactory()
    lesson = lesson_with(course_tree.course, question)
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk])).content.decode()
    assert question.stem in html
    assert "In a preview answers are not checked" in html
    assert "Check my answer" not in html.split("In a preview")[0].rsplit("<section", 1)[1]


# Formative: nothing is kept or counted ---------------------------------------------------------


def test_checking_answers_creates_no_attempt_and_completes_nothing(
    learner_client, learner, enrolled, course_tree
):
    lesson = lesson_with(course_tree.course, QuestionFactory())
    block_id = block_ids(lesson)[0]
    version, order, _html = shown(learner_client, lesson, block_id)
    versions = QuestionVersion.objects.count()
    for answer in (wrong_answer, correct_answer):
        data = post_for(1, answer(as_shown(version, order)), version, order)
        learner_client.post(check_url(lesson, block_id), data)
    assert not Attempt.objects.exists()
    assert not Response.objects.exists()
    assert not LessonCompletion.objects.exists()
    assert QuestionVersion.objects.count() == versions
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None
    html = learner_client.get(lesson.url).content.decode()
    assert "You have completed this lesson." not in html


# Queries --------------------------------------------------------------------------------------


def _lesson_queries(client, lesson) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    return len(queries)


def test_the_lesson_page_query_count_does_not_grow_with_the_checks(
    learner_client, enrolled, course_tree, django_assert_num_queries
):
    plain = course_tree.lessons[0]
    one = lesson_with(course_tree.course, QuestionFactory())
    many = lesson_with(course_tree.course, *(QuestionFactory(kind=kind) for kind in MACHINE_KINDS))
    for lesson in (plain, one, many):
        learner_client.get(lesson.url)  # caches the site's root paths; versions are made
    without = _lesson_queries(learner_client, plain)
    with django_assert_num_queries(without + 3):
        _lesson_queries(learner_client, one)
    with django_assert_num_queries(without + 3):
        _lesson_queries(learner_client, many)


def test_case_studies_add_one_query_for_all_the_checks(
    learner_client, enrolled, course_tree, django_assert_num_queries
):
    plain = course_tree.lessons[0]
    scenario = Scenario.objects.create(title="A late letter", text="A letter came late.")
    questions = [QuestionFactory(scenario=scenario) for _ in range(3)]
    lesson = lesson_with(course_tree.course, *questions)
    for page in (plain, lesson):
        learner_client.get(page.url)
    without = _lesson_queries(learner_client, plain)
    with django_assert_num_queries(without + 4):
        html = learner_client.get(lesson.url).content.decode()
    assert html.count("Case study: A late letter") == 3


def test_a_trainer_can_open_a_lesson_with_a_check_in_the_editor(client, trainer, course_tree):
    question = QuestionFactory(title="Which step comes first")
    lesson = lesson_with(course_tree.course, question)
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Knowledge check" in html
    assert "knowledge_check_question_chooser" in html
    chosen = client.get(f"/admin/knowledge_check_question_chooser/chosen/{question.pk}/")
    assert question.title in chosen.content.decode()
