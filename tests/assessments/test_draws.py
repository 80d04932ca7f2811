"""The pure drawing of questions for an attempt (assessments/draws.py)."""

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from assessments import draws


def brute_force_best(pools, counts) -> int:
    """The most seats that can get different items, by trying every assignment (small cases)."""
    seats = [i for i, count in enumerate(counts) for _ in range(count)]
    for size in range(len(seats), 0, -1):
        for chosen in itertools.combinations(range(len(seats)), size):
            options = [pools[seats[seat]] for seat in chosen]
            if any(len(set(pick)) == size for pick in itertools.product(*options)):
                return size
    return 0


problems = st.lists(
    st.tuples(st.lists(st.integers(0, 6), max_size=5), st.integers(0, 3)), max_size=3
).map(lambda rows: ([pool for pool, _ in rows], [count for _, count in rows]))


@given(problems, st.randoms(use_true_random=False))
def test_a_draw_gives_different_items_from_each_pool_or_none_when_impossible(problem, rng):
    pools, counts = problem
    result = draws.draw(pools, counts, rng=rng)
    possible = brute_force_best(pools, counts) == sum(counts)
    assert (result is not None) == possible
    if result is None:
        return
    assert [len(picks) for picks in result] == counts
    for pool, picks in zip(pools, result, strict=True):
        assert set(picks) <= set(pool)
    given_items = [item for picks in result for item in picks]
    assert len(given_items) == len(set(given_items))


@given(problems)
def test_most_given_is_the_largest_number_of_different_items(problem):
    pools, counts = problem
    assert draws.most_given(pools, counts) == brute_force_best(pools, counts)


def test_a_narrow_draw_is_served_even_when_a_wide_one_comes_first():
    # A whole-bank draw of 3 and a draw of 1 from the only tagged question: the tagged one must
    # go to the narrow draw, whatever the wide draw would have picked.
    for seed in range(50):
        wide, narrow = draws.draw([[1, 2, 3, 4], [4]], [3, 1], rng=random.Random(seed))
        assert narrow == [4]
        assert sorted(wide) == [1, 2, 3]


def test_overlapping_pools_that_need_a_picks_moved_are_still_served():
    # Narrowest first cannot see that the {1, 2} draw must leave 2 for the {2, 3} draw when 3 is
    # taken by the {3} draw: the fallback moves picks along a chain.
    for seed in range(50):
        result = draws.draw(
            [[1, 2], [2, 3], [3], [1, 2, 3, 4]], [1, 1, 1, 1], rng=random.Random(seed)
        )
        assert result[2] == [3] and result[1] == [2] and result[0] == [1] and result[3] == [4]


def test_every_item_of_a_pool_can_be_drawn():
    seen = set()
    rng = random.Random(7)
    for _ in range(200):
        seen |= set(draws.draw([list(range(10))], [2], rng=rng)[0])
    assert seen == set(range(10))
