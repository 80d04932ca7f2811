"""Writing a question: the one pair of services every writer calls (the admin's create and edit
views, the GIFT and JSON bank imports, the demo), so that a question's version is frozen in one
place, as it is written."""

from django.db import transaction

from ..models import Question
from .versions import current_version, with_version_content


@transaction.atomic
def create_question(*, question: Question) -> Question:
    """Write a new question with the options and expectation tags it holds (a Question is a
    ClusterableModel: a form, an import or the demo builds it whole in memory, choices and
    expectations included, and saving it writes them), and freeze its first version, so its
    history starts when it is written and the first attempt to give it makes no version.
    AssessmentError, with nothing written, when its options could not be answered or scored."""
    if question.pk is not None:
        raise ValueError("This question is written already: update it with update_question.")
    return _write(question)


@transaction.atomic
def update_question(*, question: Question) -> Question:
    """Write the changes made to a question (its fields, options and tags, held in memory until
    now) and freeze the version it now makes, unless it made that version before. Versions
    already given are never changed. AssessmentError, with nothing written, as create_question."""
    if question.pk is None:
        raise ValueError("This question is not written yet: create it with create_question.")
    return _write(question)


def _write(question: Question) -> Question:
    question.save()  # with its choices and expectations
    current_version(question=with_version_content().get(pk=question.pk))
    return question
