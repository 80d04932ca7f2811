"""Random draws of questions for an attempt: pure logic, no Django.

An assessment's draws each ask for a number of questions from a pool (a bank's questions,
perhaps only those tagged with an expectation, less the assessment's fixed questions). Pools may
overlap (a whole-bank draw and a tagged draw from the same bank), and no question may be given
twice, so the draw is a matching of "seats" (one per question asked for) to questions:

- Each draw's pool is shuffled with the random generator given (the caller passes
  random.SystemRandom()), and seats are filled narrowest pool first, each taking the first
  question of its shuffled pool not taken yet. When pools do not overlap, this is exactly a
  uniform random sample per draw.
- Only when that runs short (overlapping pools, where an early draw took what a later one needed)
  does an augmenting path move earlier picks to other questions of their pools. So a draw never
  fails while some assignment exists, and fails (returns None) when none does.
"""

from collections import deque
from collections.abc import Hashable, Sequence
from random import Random
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)


def draw(
    pools: Sequence[Sequence[Item]], counts: Sequence[int], *, rng: Random
) -> list[list[Item]] | None:
    """For each pool, counts[i] different items from it, no item in two draws; None when the
    pools cannot give that many different items between them."""
    if len(pools) != len(counts):
        raise ValueError("one count per pool")
    shuffled = [rng.sample(list(dict.fromkeys(pool)), len(set(pool))) for pool in pools]
    seats = [
        draw_index
        for draw_index in sorted(range(len(pools)), key=lambda i: len(shuffled[i]))
        for _ in range(counts[draw_index])
    ]
    holder: dict[Item, int] = {}  # item -> seat holding it
    held: list[Item | None] = [None] * len(seats)
    for seat, draw_index in enumerate(seats):
        free = next((item for item in shuffled[draw_index] if item not in holder), None)
        if free is not None:
            holder[free] = seat
            held[seat] = free
        elif not _augment(seat, seats, shuffled, holder, held):
            return None
    chosen: list[list[Item]] = [[] for _ in pools]
    for seat, draw_index in enumerate(seats):
        chosen[draw_index].append(held[seat])
    return chosen


def most_given(pools: Sequence[Sequence[Item]], counts: Sequence[int]) -> int:
    """How many of the seats asked for can be filled with different items at best (the size of
    a maximum matching); equal to sum(counts) exactly when draw() succeeds."""
    seats = [i for i in range(len(pools)) for _ in range(counts[i])]
    ordered = [list(dict.fromkeys(pool)) for pool in pools]
    holder: dict[Item, int] = {}
    held: list[Item | None] = [None] * len(seats)
    filled = 0
    for seat, draw_index in enumerate(seats):
        free = next((item for item in ordered[draw_index] if item not in holder), None)
        if free is not None:
            holder[free] = seat
            held[seat] = free
            filled += 1
        elif _augment(seat, seats, ordered, holder, held):
            filled += 1
    return filled


def _augment(start: int, seats, candidates, holder: dict, held: list) -> bool:
    """Find, breadth first, a chain of seats that each move to another item of their pool so
    that the seat `start` gets one; apply it and return True, or False when there is none."""
    came_from: dict[int, tuple[int, object] | None] = {start: None}  # seat -> (seat, item)
    queue = deque([start])
    while queue:
        seat = queue.popleft()
        for item in candidates[seats[seat]]:
            other = holder.get(item)
            if other is None:
                # Free: every seat on the path takes the item the next one gives up.
                while True:
                    previous_item = held[seat]
                    holder[item] = seat
                    held[seat] = item
                    step = came_from[seat]
                    if step is None:
                        return True
                    seat, _ = step
                    item = previous_item
            if other not in came_from:
                came_from[other] = (seat, item)
                queue.append(other)
    return False
