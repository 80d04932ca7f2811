"""Rubric scoring is pure: properties of score_rubric and marks_disagree."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import marks_disagree, rubric_maximum, score_rubric


@st.composite
def rubrics(draw):
    """A frozen rubric: criteria with two to five levels of different, non-negative points."""
    criteria = []
    for c in range(draw(st.integers(1, 6))):
        points = draw(st.lists(st.integers(0, 20), min_size=2, max_size=5, unique=True))
        if max(points) == 0:
            points[0] = 1
        levels = [{"key": f"c{c}l{n}", "points": str(p)} for n, p in enumerate(points)]
        criteria.append({"key": f"c{c}", "levels": levels})
    return criteria


@st.composite
def marked(draw):
    criteria = draw(rubrics())
    chosen = {c["key"]: draw(st.sampled_from(c["levels"]))["key"] for c in criteria}
    return criteria, chosen


def top(criterion):
    return max(criterion["levels"], key=lambda level: int(level["points"]))


@given(marked())
def test_a_rubric_score_is_a_share_of_the_mark(case):
    criteria, chosen = case
    assert 0 <= score_rubric(criteria, chosen) <= 1


@given(marked(), st.randoms())
def test_the_order_of_criteria_does_not_change_the_score(case, rng):
    criteria, chosen = case
    shuffled = list(criteria)
    rng.shuffle(shuffled)
    assert score_rubric(shuffled, chosen) == score_rubric(criteria, chosen)


@given(marked())
def test_full_marks_only_at_the_top_level_of_every_criterion(case):
    criteria, chosen = case
    at_top = all(chosen[c["key"]] == top(c)["key"] for c in criteria)
    assert (score_rubric(criteria, chosen) == 1) == at_top


@given(marked())
def test_the_score_is_the_points_over_the_maximum(case):
    criteria, chosen = case
    points = sum(
        int(next(lv for lv in c["levels"] if lv["key"] == chosen[c["key"]])["points"])
        for c in criteria
    )
    assert score_rubric(criteria, chosen) == Fraction(points) / rubric_maximum(criteria)


@given(marked())
def test_a_missing_or_foreign_level_is_refused(case):
    criteria, chosen = case
    first = criteria[0]["key"]
    with pytest.raises(ValueError):
        score_rubric(criteria, {k: v for k, v in chosen.items() if k != first})
    with pytest.raises(ValueError):
        score_rubric(criteria, {**chosen, first: "not-a-level"})


@given(st.fractions(0, 1), st.fractions(0, 1), st.integers(0, 100))
def test_marks_disagree_is_symmetric_and_never_for_equal_marks(a, b, tolerance):
    assert marks_disagree(a, b, tolerance_percent=tolerance) == marks_disagree(
        b, a, tolerance_percent=tolerance
    )
    assert not marks_disagree(a, a, tolerance_percent=tolerance)
    assert marks_disagree(a, b, tolerance_percent=tolerance) == (abs(a - b) * 100 > tolerance)
