"""How our questions map to Moodle XML questions (assessments.moodle_xml) and back: kinds,
options, fractions, texts and the tags that carry what Moodle has no field for. The bank import
and export (services.moodle_importing) use it.

Moodle has no difficulty, framework expectations, rubrics or case studies, so they travel as
tags Moodle shows and filters by: "difficulty:hard", "expectation:nhs:2.3", "rubric:<name>" and
"case-study:<title>" (the case study itself is a description question of that name in the same
file). Other tags have nowhere to go here and are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from complaint_standards.models import Expectation

from .. import moodle_xml as mx
from .. import texts
from ..models import Choice, Difficulty, Question, QuestionKind, Rubric, Scenario
from ..scoring import multiple_response_weights
from .gift_mapping import accepted_mark, kept_fraction

DIFFICULTY_TAG = "difficulty:"
EXPECTATION_TAG = "expectation:"
RUBRIC_TAG = "rubric:"
CASE_STUDY_TAG = "case-study:"

# How Moodle's ordering question marks in the way scoring.score_ordering does; the only one read.
ORDERING_GRADING = "RELATIVE_NEXT_EXCLUDE_LAST"
_ORDERING_GRADING_NUMBER = "1"  # Moodle's older files write the grading type as a number
ORDERING_SETTINGS = {
    "layouttype": "VERTICAL",
    "selecttype": "ALL",
    "selectcount": "0",
    "gradingtype": ORDERING_GRADING,
    "showgrading": "SHOW",
}

_KIND_NAMES = {
    "calculated": "calculated",
    "calculatedsimple": "simple calculated",
    "calculatedmulti": "calculated multichoice",
    "cloze": "embedded answers (Cloze)",
    "multianswer": "embedded answers (Cloze)",
    "ddwtos": "drag and drop into text",
    "gapselect": "select missing words",
    "randomsamatch": "random short-answer matching",
    "random": "random",
}


@dataclass
class Lookups:
    """What tags refer to, read once per import: expectations by (framework slug, code) and
    rubrics by name."""

    expectations: dict[tuple[str, str], Expectation]
    rubrics: dict[str, Rubric]

    @classmethod
    def load(cls) -> Lookups:
        return cls(
            expectations={
                (e.principle.framework.slug, e.code): e
                for e in Expectation.objects.select_related("principle__framework")
            },
            rubrics={rubric.name: rubric for rubric in Rubric.objects.all()},
        )


@dataclass
class Mapped:
    """A Moodle question as our fields and options, with the case study it names (by title) and
    what stops it being imported, each with its line."""

    fields: dict = field(default_factory=dict)
    choices: list[dict] = field(default_factory=list)
    expectations: list[Expectation] = field(default_factory=list)
    case_study: str | None = None
    problems: list[mx.MoodleProblem] = field(default_factory=list)


def _percent(weight: Decimal) -> str:
    return format(weight.scaleb(2).normalize(), "f") + "%"


def plain_text(text: mx.MoodleText, what: str, line: int) -> tuple[str, list[mx.MoodleProblem]]:
    """A Moodle text as our plain text: HTML and Markdown read as assessments.texts reads them
    (as GIFT's are), other formats kept as written. Embedded files and what plain text cannot
    show are problems, each saying where it is; a picture of an embedded file is named once."""
    plain, things = texts.plain_text(text.text, text.format)
    unshown = [name for name in text.files if not any(f"“{name}”" in thing for thing in things)]
    messages = [texts.problem(what, f"an embedded file (“{name}”)") for name in unshown]
    messages += [texts.problem(what, thing) for thing in things]
    return plain, [mx.MoodleProblem(line, message) for message in messages]


def _tags(question: mx.MoodleQuestion, lookups: Lookups, mapped: Mapped) -> None:
    def problem(message: str) -> None:
        mapped.problems.append(mx.MoodleProblem(question.line, message))

    for tag in question.tags:
        name, _, value = tag.partition(":")
        value = value.strip()
        if tag.startswith(DIFFICULTY_TAG):
            if value not in Difficulty.values:
                problem(f"the tag “{tag}” should be difficulty:easy, :medium or :hard")
            else:
                mapped.fields["difficulty"] = value
        elif tag.startswith(EXPECTATION_TAG):
            framework, _, code = value.partition(":")
            expectation = lookups.expectations.get((framework.strip(), code.strip()))
            if expectation is None:
                problem(
                    f"the tag “{tag}” names expectation {code.strip() or '?'} of the framework "
                    f"“{framework.strip()}”, which does not exist here"
                )
            elif expectation not in mapped.expectations:
                mapped.expectations.append(expectation)
        elif tag.startswith(RUBRIC_TAG):
            if question.type != mx.ESSAY:
                problem(f"only essay questions have a rubric: remove the tag “{tag}”")
            elif value not in lookups.rubrics:
                problem(
                    f"the rubric “{value}” does not exist here: add a rubric of that name first"
                )
            else:
                mapped.fields["rubric"] = lookups.rubrics[value]
        elif tag.startswith(CASE_STUDY_TAG):
            mapped.case_study = value


def _choice_options(question: mx.MoodleQuestion, mapped: Mapped) -> str:
    """Single choice (Moodle's <single>true</single>, its default) or multiple response. A
    single-choice option may earn part of the mark, and several may earn all of it, as in
    Moodle; one that takes marks away is refused, since our scores never go below zero."""
    single = question.settings.get("single", "true") not in ("false", "0", "")
    choices = []
    for number, answer in enumerate(question.answers, start=1):
        text, problems = plain_text(answer.text, f"option {number}", answer.line)
        feedback, more = plain_text(answer.feedback, f"option {number}'s feedback", answer.line)
        mapped.problems += problems + more
        fraction = answer.fraction if answer.fraction is not None else Decimal(0)
        if not single:
            choice = {"is_correct": fraction > 0, "fraction": kept_fraction(fraction)}
        elif fraction < 0:
            mapped.problems.append(
                mx.MoodleProblem(
                    answer.line,
                    f"option {number} (“{text}”) takes away {_percent(-fraction)}, but a "
                    "single-choice option here earns 0 to 100% and never takes marks away: set "
                    "it to 0% to make it a wrong option worth nothing",
                )
            )
            choice = {}
        else:
            choice = accepted_mark(fraction) if fraction > 0 else {}
        choices.append({"text": text, **choice, "feedback": feedback})
    mapped.choices = choices
    return QuestionKind.SINGLE_CHOICE if single else QuestionKind.MULTIPLE_RESPONSE


def _true_false(question: mx.MoodleQuestion, mapped: Mapped) -> None:
    # Moodle matches "true" and "false"; files from before it did are in that order.
    for index, answer in enumerate(question.answers):
        word = answer.text.text.strip().lower()
        if word not in ("true", "false"):
            word = "true" if index == 0 else "false"
        feedback, problems = plain_text(answer.feedback, f"the “{word}” feedback", answer.line)
        mapped.problems += problems
        mapped.choices.append(
            {"text": word.capitalize(), "is_correct": answer.fraction == 1, "feedback": feedback}
        )


def _accepted(question: mx.MoodleQuestion, mapped: Mapped, numerical: bool) -> None:
    for number, answer in enumerate(question.answers, start=1):
        feedback, problems = plain_text(answer.feedback, f"answer {number}'s feedback", answer.line)
        mapped.problems += problems
        choice = {"feedback": feedback, **accepted_mark(answer.fraction or Decimal(0))}
        if not numerical:
            choice["text"] = answer.text.text
        elif answer.text.text.strip() == "*":
            # Any other number: its feedback, and no mark (as GIFT's ~#feedback).
            choice = {"feedback": feedback, "is_correct": False, "value": None}
            if answer.fraction:
                mapped.problems.append(
                    mx.MoodleProblem(
                        answer.line,
                        f"answer {number} is “*” (any other answer) worth "
                        f"{_percent(answer.fraction)}, but any other answer here earns nothing: "
                        "set it to 0%",
                    )
                )
        else:
            try:
                choice["value"] = Decimal(answer.text.text)
                if not choice["value"].is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                mapped.problems.append(
                    mx.MoodleProblem(
                        answer.line, f"answer {number} (“{answer.text.text}”) is not a number"
                    )
                )
            choice["tolerance"] = answer.tolerance or None
        mapped.choices.append(choice)


def _matching(question: mx.MoodleQuestion, mapped: Mapped) -> None:
    for number, sub in enumerate(question.subquestions, start=1):
        text, problems = plain_text(sub.text, f"pair {number}", sub.line)
        feedback, more = plain_text(sub.feedback, f"pair {number}'s feedback", sub.line)
        mapped.problems += problems + more
        mapped.choices.append({"text": text, "match_text": sub.answer, "feedback": feedback})


def _ordering(question: mx.MoodleQuestion, mapped: Mapped) -> None:
    grading = question.settings.get("gradingtype", "").strip()
    if grading not in (ORDERING_GRADING, _ORDERING_GRADING_NUMBER):
        mapped.problems.append(
            mx.MoodleProblem(
                question.line,
                f"it is marked by “{grading or 'no grading type'}”, but ordering questions here "
                "are marked by each item's next item, not counting the last (Moodle's "
                f"“{ORDERING_GRADING}”): set <gradingtype> to that, or leave the question out",
            )
        )
    if question.settings.get("selecttype", "ALL").strip() not in ("ALL", "0"):
        mapped.problems.append(
            mx.MoodleProblem(
                question.line,
                "it shows learners a selection of its items, but ordering questions here show "
                "every item: set <selecttype> to ALL, or leave the question out",
            )
        )
    # An item's fraction is its place in the right order; sorted() keeps ties as written.
    answers = sorted(question.answers, key=lambda answer: answer.fraction or Decimal(0))
    for number, answer in enumerate(answers, start=1):
        text, problems = plain_text(answer.text, f"item {number}", answer.line)
        feedback, more = plain_text(answer.feedback, f"item {number}'s feedback", answer.line)
        mapped.problems += problems + more
        mapped.choices.append({"text": text, "feedback": feedback})


def _essay(question: mx.MoodleQuestion, mapped: Mapped) -> None:
    if question.settings.get("responseformat") == "noinline":
        mapped.problems.append(
            mx.MoodleProblem(
                question.line,
                "it takes attached files only, but essays here are answered in a text box: set "
                "<responseformat> to editor or plain, or leave the question out",
            )
        )
    if question.settings.get("attachmentsrequired", "0") not in ("0", ""):
        mapped.problems.append(
            mx.MoodleProblem(
                question.line,
                "it requires attached files, which essays here don't take: set "
                "<attachmentsrequired> to 0, or leave the question out",
            )
        )


def from_moodle(question: mx.MoodleQuestion, lookups: Lookups) -> Mapped:
    """Our fields and options for a Moodle question (not a description or category)."""
    mapped = Mapped(problems=list(question.problems))
    stem, problems = plain_text(question.text, "the question text", question.line)
    general, more = plain_text(question.general_feedback, "the general feedback", question.line)
    mapped.problems += problems + more
    for old in ("image", "image_base64"):
        if question.settings.get(old):
            mapped.problems.append(
                mx.MoodleProblem(
                    question.line,
                    "it has an image (Moodle's old <image> element); images can't be kept, "
                    "because questions here are plain text: remove it",
                )
            )
            break
    mapped.fields = {"stem": stem, "general_feedback": general}
    if question.type == mx.MULTICHOICE:
        kind = _choice_options(question, mapped)
    elif question.type == mx.TRUEFALSE:
        kind = QuestionKind.TRUE_FALSE
        _true_false(question, mapped)
    elif question.type == mx.SHORTANSWER:
        kind = QuestionKind.SHORT_ANSWER
        mapped.fields["case_sensitive"] = question.settings.get("usecase", "0") not in ("0", "")
        _accepted(question, mapped, numerical=False)
    elif question.type == mx.NUMERICAL:
        kind = QuestionKind.NUMERICAL
        if question.units:
            mapped.problems.append(
                mx.MoodleProblem(
                    question.line,
                    "it has units, which numerical questions here don't have: remove the "
                    "<units>, or leave the question out",
                )
            )
        _accepted(question, mapped, numerical=True)
    elif question.type == mx.MATCHING:
        kind = QuestionKind.MATCHING
        _matching(question, mapped)
    elif question.type == mx.ORDERING:
        kind = QuestionKind.ORDERING
        _ordering(question, mapped)
    elif question.type == mx.ESSAY:
        kind = QuestionKind.ESSAY
        _essay(question, mapped)
    else:
        name = _KIND_NAMES.get(question.type, question.type or "untyped")
        mapped.problems.append(
            mx.MoodleProblem(
                question.line,
                f"Moodle's “{name}” questions have no kind here: leave this question out",
            )
        )
        return mapped
    mapped.fields["kind"] = kind
    _tags(question, lookups, mapped)
    return mapped


# --- Out ------------------------------------------------------------------------------------


def _plain(text: str) -> mx.MoodleText:
    return mx.MoodleText(text=text, format=mx.PLAIN)


def _mr_weights(choices: list[Choice]) -> list[Decimal]:
    """Each multiple-response option's weight as scoring gives it (an empty fraction is its
    equal share, or penalty), in the places Choice.fraction keeps, so a second export writes
    the same weights."""
    options = [
        {
            "key": str(index),
            "correct": c.is_correct,
            "fraction": None if c.fraction is None else str(c.fraction),
        }
        for index, c in enumerate(choices)
    ]
    weights, _ = multiple_response_weights(options)
    return [
        kept_fraction(Decimal(w.numerator) / Decimal(w.denominator))
        for w in (weights[str(index)] for index in range(len(choices)))
    ]


def _accepted_mark(choice: Choice) -> Decimal:
    """A single-choice option's or accepted answer's mark: its fraction, else all or nothing."""
    if choice.fraction is not None:
        return choice.fraction
    return Decimal(1) if choice.is_correct else Decimal(0)


def tags_for(question: Question) -> list[str]:
    tags = []
    if question.difficulty:
        tags.append(f"{DIFFICULTY_TAG}{question.difficulty}")
    tags += sorted(
        (
            f"{EXPECTATION_TAG}{e.principle.framework.slug}:{e.code}"
            for e in question.expectations.all()
        ),
        key=lambda tag: [int(n) if n.isdigit() else n for n in tag.replace(".", ":").split(":")],
    )
    if question.rubric is not None:
        tags.append(f"{RUBRIC_TAG}{question.rubric.name}")
    if question.scenario is not None:
        tags.append(f"{CASE_STUDY_TAG}{question.scenario.title}")
    return tags


def to_moodle(question: Question) -> tuple[mx.MoodleQuestion, str | None]:
    """The Moodle question for one of ours, and a note when it goes out as another Moodle type
    (a true-or-false question whose options are not True and False)."""
    choices = list(question.choices.all())
    kind = question.kind
    note = None
    out = mx.MoodleQuestion(
        type="",
        name=question.title,
        text=_plain(question.stem),
        general_feedback=_plain(question.general_feedback),
        tags=tags_for(question),
    )
    texts = sorted(c.text for c in choices)
    if kind == QuestionKind.TRUE_FALSE and texts == ["False", "True"]:
        out.type = mx.TRUEFALSE
        out.answers = [
            mx.MoodleAnswer(
                text=mx.MoodleText(c.text.lower(), mx.PLAIN),
                fraction=Decimal(c.is_correct),
                feedback=_plain(c.feedback),
            )
            for c in choices
        ]
    elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
        if kind == QuestionKind.TRUE_FALSE:
            note = (
                "written as a single-choice question: Moodle's true-or-false options are "
                "always “True” and “False”"
            )
        out.type = mx.MULTICHOICE
        out.settings = {"single": "true", "shuffleanswers": "true", "answernumbering": "abc"}
        out.answers = [
            mx.MoodleAnswer(
                text=_plain(c.text), fraction=_accepted_mark(c), feedback=_plain(c.feedback)
            )
            for c in choices
        ]
    elif kind == QuestionKind.MULTIPLE_RESPONSE:
        out.type = mx.MULTICHOICE
        out.settings = {"single": "false", "shuffleanswers": "true", "answernumbering": "abc"}
        out.answers = [
            mx.MoodleAnswer(text=_plain(c.text), fraction=weight, feedback=_plain(c.feedback))
            for c, weight in zip(choices, _mr_weights(choices), strict=True)
        ]
    elif kind == QuestionKind.SHORT_ANSWER:
        out.type = mx.SHORTANSWER
        out.settings = {"usecase": "1" if question.case_sensitive else "0"}
        out.answers = [
            mx.MoodleAnswer(
                text=mx.MoodleText(c.text, mx.MOODLE_AUTO),
                fraction=_accepted_mark(c),
                feedback=_plain(c.feedback),
            )
            for c in choices
        ]
    elif kind == QuestionKind.NUMERICAL:
        out.type = mx.NUMERICAL
        out.answers = [
            mx.MoodleAnswer(
                # An option with no value is the feedback for any other number: Moodle's "*".
                text=mx.MoodleText(
                    "*" if c.value is None else format(c.value.normalize(), "f"), mx.MOODLE_AUTO
                ),
                fraction=Decimal(0) if c.value is None else _accepted_mark(c),
                feedback=_plain(c.feedback),
                tolerance=(c.tolerance or Decimal(0)).normalize(),
            )
            for c in choices
        ]
    elif kind == QuestionKind.MATCHING:
        out.type = mx.MATCHING
        out.settings = {"shuffleanswers": "true"}
        out.subquestions = [
            mx.MoodleSubquestion(
                text=_plain(c.text), answer=c.match_text, feedback=_plain(c.feedback)
            )
            for c in choices
        ]
    elif kind == QuestionKind.ORDERING:
        out.type = mx.ORDERING
        out.settings = dict(ORDERING_SETTINGS)
        out.answers = [
            mx.MoodleAnswer(
                text=_plain(c.text), fraction=Decimal(place), feedback=_plain(c.feedback)
            )
            for place, c in enumerate(choices, start=1)
        ]
    else:
        out.type = mx.ESSAY
        out.settings = {
            "responseformat": "plain",
            "responserequired": "1",
            "responsefieldlines": "15",
            "attachments": "0",
            "attachmentsrequired": "0",
        }
    return out, note


def description_for(scenario: Scenario, name: str | None = None) -> mx.MoodleQuestion:
    """A case study as the Moodle description its questions' "case-study:" tags name (`name`,
    when its title is shared with another case study in the file)."""
    return mx.MoodleQuestion(
        type=mx.DESCRIPTION,
        name=name or scenario.title,
        text=_plain(scenario.text),
        general_feedback=_plain(""),
    )
