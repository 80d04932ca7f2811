"""Question versions: the immutable form of a question that attempts are given. A version is
frozen the first time a question is given, checked or saved in a form it has not had before;
later edits to the question make new versions and never change a version already given."""

import hashlib
import json
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..formatting import canonical_number
from ..models import Question, QuestionKind, QuestionVersion, Rubric
from .validation import check_question, check_rubric, choices_to_check


def rubric_content(rubric: Rubric) -> dict:
    """The rubric as a question version freezes it (without keys)."""
    return {
        "name": rubric.name,
        "guidance": rubric.guidance,
        "criteria": [
            {
                "title": block.value["title"],
                "description": block.value["description"],
                "levels": [
                    {
                        "label": level["label"],
                        "points": canonical_number(level["points"]),
                        "descriptor": level["descriptor"],
                    }
                    for level in block.value["levels"]
                ],
            }
            for block in rubric.criteria
        ],
    }


def _keyed_rubric(rubric: dict | None) -> dict | None:
    """The frozen rubric with random keys for criteria and levels, which marks refer to."""
    if rubric is None:
        return None
    return {
        **rubric,
        "criteria": [
            {
                "key": secrets.token_hex(4),
                **criterion,
                "levels": [{"key": secrets.token_hex(4), **lvl} for lvl in criterion["levels"]],
            }
            for criterion in rubric["criteria"]
        ],
    }


def _content_of(question: Question) -> dict:
    """What a version freezes. Single and multiple choice without fractions keep the shape they
    had before other kinds existed, so their content hashes (and versions) do not change."""
    kind = question.kind
    options = []
    for c in question.choices.all():
        if kind == QuestionKind.MATCHING:
            option = {"text": c.text, "match": c.match_text, "feedback": c.feedback}
        elif kind == QuestionKind.ORDERING:
            option = {"text": c.text, "feedback": c.feedback}
        elif kind == QuestionKind.NUMERICAL:
            option = {
                "value": canonical_number(c.value),
                "tolerance": canonical_number(c.tolerance) or "0",
                "correct": c.is_correct,
                "feedback": c.feedback,
            }
        else:
            option = {"text": c.text, "correct": c.is_correct, "feedback": c.feedback}
        if c.fraction is not None and kind in (
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_RESPONSE,
            QuestionKind.SHORT_ANSWER,
            QuestionKind.NUMERICAL,
        ):
            option["fraction"] = canonical_number(c.fraction)
        options.append(option)
    content = {
        "kind": kind,
        "stem": question.stem,
        "general_feedback": question.general_feedback,
        "options": options,
    }
    if kind == QuestionKind.SHORT_ANSWER:
        content["settings"] = {"case_sensitive": question.case_sensitive}
    if kind == QuestionKind.ESSAY:
        rubric = rubric_content(question.rubric) if question.rubric_id else None
        if rubric:
            check_rubric(rubric["criteria"])
        content["settings"] = {"rubric": rubric}
    if question.scenario_id:
        # Only when there is one, so versions of questions without a case study keep their hash.
        scenario = {"title": question.scenario.title, "text": question.scenario.text}
        content["settings"] = {**content.get("settings", {}), "scenario": scenario}
    return content


def _keyed_options(kind: str, options: list[dict]) -> list[dict]:
    """The options with random keys, so nothing about a key hints at its place or correctness.
    A matching question's right-hand texts are keyed once each (two items may share a match)."""
    if kind != QuestionKind.MATCHING:
        return [{"key": secrets.token_hex(4), **option} for option in options]
    right_keys: dict[str, str] = {}
    for option in options:
        right_keys.setdefault(" ".join(option["match"].split()), secrets.token_hex(4))
    keyed = [
        {
            "key": secrets.token_hex(4),
            "side": "left",
            "text": option["text"],
            "match": right_keys[" ".join(option["match"].split())],
            "feedback": option["feedback"],
        }
        for option in options
        if option["text"].strip()
    ]
    keyed += [{"key": key, "side": "right", "text": text} for text, key in right_keys.items()]
    return keyed


def _checked_content(question: Question) -> tuple[dict, str]:
    """What a version of the question as it is now freezes, and its hash; AssessmentError when
    the question could not be answered or scored."""
    content = _content_of(question)
    check_question(kind=content["kind"], choices=choices_to_check(question))
    return content, hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def current_version(*, question: Question) -> QuestionVersion:
    """The immutable version matching the question as it is now, created on first use."""
    content, digest = _checked_content(question)
    existing = QuestionVersion.objects.filter(question=question, content_hash=digest).first()
    return existing or _new_version(question, content, digest)


def current_versions(*, questions: list[Question]) -> list[QuestionVersion]:
    """current_version of each question, in order, looking the existing ones up in one query
    (an exam start would otherwise make one per question). The questions should have their
    choices, rubric and case study loaded."""
    checked = [(question, *_checked_content(question)) for question in questions]
    existing = {
        (version.question_id, version.content_hash): version
        for version in QuestionVersion.objects.filter(
            question__in=[question.pk for question in questions],
            content_hash__in=[digest for _question, _content, digest in checked],
        )
    }
    return [
        existing.get((question.pk, digest)) or _new_version(question, content, digest)
        for question, content, digest in checked
    ]


def _new_version(question: Question, content: dict, digest: str) -> QuestionVersion:
    """Freeze the content as the question's next version (or return the one a racing caller
    froze first)."""
    options = _keyed_options(content["kind"], content["options"])
    version_settings = content.get("settings", {})
    if "rubric" in version_settings:
        version_settings = {**version_settings, "rubric": _keyed_rubric(version_settings["rubric"])}
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        last = question.versions.aggregate(last=Max("number"))["last"] or 0
        try:
            with transaction.atomic():
                return QuestionVersion.objects.create(
                    question=question,
                    number=last + 1,
                    content_hash=digest,
                    kind=content["kind"],
                    stem=content["stem"],
                    general_feedback=content["general_feedback"],
                    options=options,
                    settings=version_settings,
                )
        except IntegrityError:
            return QuestionVersion.objects.get(question=question, content_hash=digest)


def with_version_content():
    """Questions with what a version of them is made from loaded: options, rubric, case study."""
    return Question.objects.select_related("rubric", "scenario").prefetch_related("choices")
