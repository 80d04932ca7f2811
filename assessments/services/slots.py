"""An assessment's questions: its rows of fixed questions and random draws from banks, checked
when they are saved and drawn for each attempt (the matching itself is assessments.draws)."""

import random
from typing import NamedTuple

from .. import draws
from ..formatting import plural
from ..models import AssessmentQuestion, Question
from .errors import AssessmentError
from .versions import with_version_content


class SlotsRefused(AssessmentError):
    """An assessment's rows of questions cannot be given as they are. problems holds (index of
    the row in the slots checked, message) pairs, ready to show next to each row."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(" ".join(message for _index, message in problems))


def _tagged(slot: AssessmentQuestion) -> str:
    return f" tagged with expectation {slot.expectation.code}" if slot.expectation_id else ""


def _pool(slot: AssessmentQuestion) -> list[int]:
    """The ids of the questions a draw picks from, as the bank is now."""
    questions = Question.objects.filter(bank_id=slot.bank_id)
    if slot.expectation_id:
        questions = questions.filter(expectations=slot.expectation_id)
    return list(questions.order_by("pk").values_list("pk", flat=True).distinct())


def check_slots(*, slots: list[AssessmentQuestion]) -> None:
    """Raise SlotsRefused unless every attempt can be given these rows of questions: each row a
    fixed question (once) or a draw from a bank with enough questions, and all the draws
    together able to give different questions, none of them one of the fixed questions."""
    problems: list[tuple[int, str]] = []
    fixed: set[int] = set()
    for index, slot in enumerate(slots):
        row_problem = slot.row_problem()
        problem = row_problem[1] if row_problem else None
        if problem is None and slot.question_id in fixed:
            problem = (
                f"“{slot.question}” is already in this assessment; each question can be in it once."
            )
        if problem:
            problems.append((index, problem))
        elif slot.question_id:
            fixed.add(slot.question_id)
    if problems:
        raise SlotsRefused(problems)

    by_bank: dict[int, list[tuple[int, list[int]]]] = {}
    for index, slot in enumerate(slots):
        if slot.question_id:
            continue
        in_bank = _pool(slot)
        pool = [pk for pk in in_bank if pk not in fixed]
        if not in_bank:
            what = f"no questions{_tagged(slot)}" if slot.expectation_id else "no questions yet"
            problems.append((index, f"“{slot.bank}” has {what}, so nothing can be drawn."))
        elif len(pool) < slot.draw_count:
            also_fixed = len(in_bank) - len(pool)
            fixed_note = ""
            if also_fixed:
                which = "is a fixed question" if also_fixed == 1 else "are fixed questions"
                fixed_note = f", and {also_fixed} of them {which} in this assessment"
            problems.append(
                (
                    index,
                    f"This draw asks for {plural(slot.draw_count, 'question')}, but “{slot.bank}” "
                    f"has {plural(len(in_bank), 'question')}{_tagged(slot)}{fixed_note}. "
                    + (f"Draw at most {len(pool)}." if pool else "Nothing is left to draw."),
                )
            )
        else:
            by_bank.setdefault(slot.bank_id, []).append((index, pool))
    # Draws from one bank may overlap (a whole-bank draw and a tagged one): together they must
    # still be able to give different questions. Banks never share questions.
    for group in by_bank.values():
        if len(group) < 2:
            continue
        counts = [slots[index].draw_count for index, _pool_ids in group]
        best = draws.most_given([pool for _index, pool in group], counts)
        if best < sum(counts):
            bank = slots[group[0][0]].bank
            problems.extend(
                (
                    index,
                    f"The draws from “{bank}” ask for {sum(counts)} different questions "
                    f"between them, but their questions overlap: at most {best} can be given "
                    "without repeating one.",
                )
                for index, _pool_ids in group
            )
    if problems:
        raise SlotsRefused(sorted(problems))


class Given(NamedTuple):
    """One question an attempt is given: the marks its row makes it worth, and the place it
    fills in the assessment before any shuffle (Response.slot)."""

    question: Question
    marks: int
    slot: int


def draw_questions(*, slots: list[AssessmentQuestion], shuffle: bool) -> list[Given]:
    """The questions one attempt is given, in order: each fixed question, and each draw's
    questions picked at random (random.SystemRandom) from its bank as it is now, never one given
    twice, numbered 1, 2, ... in that order (their slots); shuffled into a random order when
    shuffle is set. The rows' questions should have their choices prefetched; the drawn ones are
    loaded here with theirs."""
    rng = random.SystemRandom()
    fixed = {slot.question_id for slot in slots if slot.question_id}
    drawn_slots = [slot for slot in slots if not slot.question_id]
    pools = [[pk for pk in _pool(slot) if pk not in fixed] for slot in drawn_slots]
    chosen = draws.draw(pools, [slot.draw_count for slot in drawn_slots], rng=rng)
    if chosen is None:
        raise AssessmentError(
            "This assessment cannot be started: its banks no longer have enough questions to "
            "draw from. Please tell the course team."
        )
    drawn = with_version_content().in_bulk([pk for picks in chosen for pk in picks])
    picks = iter(chosen)
    in_order = []
    for slot in slots:
        if slot.question_id:
            in_order.append((slot.question, slot.marks))
        else:
            in_order.extend((drawn[pk], slot.marks) for pk in next(picks))
    given = [
        Given(question, marks, number) for number, (question, marks) in enumerate(in_order, start=1)
    ]
    if shuffle:
        given = _shuffled_keeping_case_studies_together(given, rng)
    return given


def _shuffled_keeping_case_studies_together(given: list[Given], rng) -> list[Given]:
    """A random order in which the questions about one case study stay together, in their own
    order, where the first of them would be, so the case study is read once."""
    blocks: dict[object, list[Given]] = {}
    for item in given:
        question = item.question
        key = ("case", question.scenario_id) if question.scenario_id else ("one", question.pk)
        blocks.setdefault(key, []).append(item)
    order = list(blocks.values())
    rng.shuffle(order)
    return [pair for block in order for pair in block]
