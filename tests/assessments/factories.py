import factory
from factory.django import DjangoModelFactory

from assessments.models import Assessment, AssessmentQuestion, Choice, Question, QuestionKind


class QuestionFactory(DjangoModelFactory):
    """A question with options given as (text, is_correct, feedback) tuples.

    Without options, a single-choice question gets one right option of three and a
    multiple-response question two right options of four. No text uses the word 'correct', so a
    page that leaks correctness is easy to spot.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.SINGLE_CHOICE
    stem = factory.Sequence(lambda n: f"What should a complaint handler do in situation {n}?")
    general_feedback = factory.Sequence(lambda n: f"Overall note number {n} for reviewers.")

    @factory.post_generation
    def options(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            n = obj.pk
            right = 2 if obj.kind == QuestionKind.MULTIPLE_RESPONSE else 1
            extracted = [
                (f"Answer {letter} to question {n}", index < right, f"Remark {letter}{n} on it")
                for index, letter in enumerate("ABCD"[: right + 2])
            ]
        for index, (text, is_correct, feedback) in enumerate(extracted):
            Choice.objects.create(
                question=obj, text=text, is_correct=is_correct, feedback=feedback, sort_order=index
            )


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Final assessment {n}")
    instructions = "Answer every question."
    pass_mark = 75
    max_attempts = None
    shuffle_options = True

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        """The assessment's questions, in order."""
        if create and extracted:
            for order, question in enumerate(extracted):
                AssessmentQuestion.objects.create(
                    assessment=obj, question=question, sort_order=order
                )


def correct_answers(attempt) -> dict[int, list[str]]:
    """Answers that earn full marks, keyed by response id as save_answers expects them."""
    return {
        response.pk: sorted(response.version.correct_keys())
        for response in attempt.responses.select_related("version")
    }


def wrong_answers(attempt) -> dict[int, list[str]]:
    """Answers that earn nothing: one option that is not right for each question."""
    answers = {}
    for response in attempt.responses.select_related("version"):
        wrong = [key for key in response.option_order if key not in response.version.correct_keys()]
        answers[response.pk] = wrong[:1]
    return answers


def answer_post(answers: dict[int, list[str]], *, submit: bool) -> dict[str, list[str] | str]:
    """The form fields the attempt page posts for these answers."""
    data: dict[str, list[str] | str] = {f"q{rid}": keys for rid, keys in answers.items()}
    data["submit" if submit else "save"] = "1"
    return data
