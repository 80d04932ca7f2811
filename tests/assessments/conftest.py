import os
import threading
from pathlib import Path

import pytest

from academy import services as people
from assessments import services
from assessments.models import QuestionKind
from assessments.signals import attempt_submitted
from tests.academy.factories import UserFactory
from tests.assessments.factories import AssessmentFactory, QuestionFactory


@pytest.fixture
def assessment(db):
    return AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE),
        ],
        pass_mark=75,
    )


@pytest.fixture
def submissions():
    """Every attempt_submitted announcement, in order (safe to collect from several threads)."""
    sent = []
    lock = threading.Lock()

    def receiver(sender, attempt, **kwargs):
        with lock:
            sent.append(attempt.pk)

    attempt_submitted.connect(receiver, dispatch_uid="test-submissions")
    yield sent
    attempt_submitted.disconnect(dispatch_uid="test-submissions")


@pytest.fixture
def assessor(staff_groups):
    return UserFactory(
        full_name="Ada Assessor", email="assessor@example.org", groups=[people.ASSESSORS], mfa=True
    )


@pytest.fixture
def second_assessor(staff_groups):
    return UserFactory(
        full_name="Ben Second", email="second@example.org", groups=[people.ASSESSORS], mfa=True
    )


@pytest.fixture
def moderator(staff_groups):
    return UserFactory(
        full_name="Mo Moderator", email="moderator@example.org", groups=[people.ASSESSORS], mfa=True
    )


@pytest.fixture
def timed(course_tree):
    """The course's final assessment with a 25-minute time limit."""
    assessment = course_tree.assessment
    assessment.time_limit_minutes = 25
    assessment.save()
    return assessment


@pytest.fixture
def attempt(timed, learner):
    """The learner's attempt at the timed assessment, just started (a test module that needs
    another attempt defines its own)."""
    return services.start_attempt(user=learner, assessment=timed)


# ../shared/interop/gift/ next to the repository: present in CI and on developers' machines,
# absent from a user's clone (whose tests use our own fixtures instead).
MOODLE_EXAMPLES = (
    Path(__file__).resolve().parents[3] / "shared" / "interop" / "gift" / "moodle-examples.gift.txt"
)


def shared_text(path: Path) -> str:
    """A fixture file from ../shared: the test skips where it is missing, but fails in CI
    (CI=true), where ../shared is always laid beside the clone."""
    if not path.exists():
        reason = f"{path.name} is not here: {path} (no ../shared/)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def moodle_text() -> str:
    """Moodle's own GIFT examples (their README: ../shared/interop/gift/README.md)."""
    return shared_text(MOODLE_EXAMPLES)
