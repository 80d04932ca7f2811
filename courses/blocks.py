"""The StreamField blocks trainers build lessons from."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from assessments import knowledge_checks
from assessments.services import AssessmentError

from .choosers import question_chooser_viewset

QuestionChooserBlock = question_chooser_viewset.get_block_class(
    name="QuestionChooserBlock", module_path="courses.blocks"
)


class ListItemCharBlock(blocks.CharBlock):
    """A line of text as one item of a ListBlock. Wagtail shows no label beside a list's items,
    so the text box carries its own accessible name, the block's label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = self.label


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    url = blocks.URLBlock(help_text="Address of the video file (MP4 or WebM).")
    transcript = blocks.RichTextBlock(
        help_text="Required: learners who cannot watch or hear the video read this instead."
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    scenario = blocks.RichTextBlock()
    questions = blocks.ListBlock(
        ListItemCharBlock(label="Question to consider"), label="Questions to consider"
    )

    class Meta:
        icon = "user"
        template = "courses/blocks/case_study.html"


class ReflectiveQuestionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock()
    guidance = blocks.TextBlock(required=False, help_text="What a good reflection might cover.")

    class Meta:
        icon = "help"
        template = "courses/blocks/reflective_question.html"


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False)

    class Meta:
        icon = "download"
        template = "courses/blocks/resource.html"


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[
            ("info", "Key point"),
            ("good_practice", "Good practice"),
            ("warning", "Take care"),
        ],
        default="info",
    )
    heading = blocks.CharBlock()
    text = blocks.RichTextBlock()

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"


class KnowledgeCheckBlock(blocks.StructBlock):
    """One question from the bank that learners answer in the lesson, as often as they like,
    with feedback straight away. Formative: nothing is marked, kept or counted."""

    heading = blocks.CharBlock(
        required=False,
        help_text="Optional. Learners see “Check your understanding” when this is empty.",
    )
    question = QuestionChooserBlock(
        help_text="A question the Academy marks itself (any kind except essay). Learners see "
        "it as it is when they open the lesson."
    )
    shuffle_options = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text="Show single-choice and multiple-response options in a new order each time. "
        "Matching answers and ordering items are always mixed up.",
    )

    class Meta:
        icon = "help"
        label = "Knowledge check"
        template = "courses/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        question = value.get("question")
        if question is not None:
            try:
                knowledge_checks.check_knowledge_question(question=question)
                knowledge_checks.check_not_given_for_a_certificate(question=question)
            except AssessmentError as error:
                raise StructBlockValidationError(
                    block_errors={"question": ValidationError(str(error))}
                ) from error
        return value

    def get_context(self, value, parent_context=None):
        """The check as this learner sees it now: from the page's knowledge checks (worked out
        once per page render, see lesson_checks), or the answer just posted (see
        views.check_knowledge). The lesson template passes the block's id as block_id."""
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page, request = parent_context.get("page"), parent_context.get("request")
        block_id = parent_context.get("block_id")
        shown = None
        if page is not None and block_id:
            shown = lesson_checks(page=page, request=request).get(block_id)
            posted = getattr(request, "knowledge_check_answered", None)
            if shown is not None and posted is not None and posted.block_id == block_id:
                shown = posted.merged_with(shown)
        context["check"] = shown
        context["is_preview"] = bool(getattr(request, "is_preview", False))
        return context


@dataclass(frozen=True)
class LessonCheck:
    """A knowledge check as one page render shows it. question is None when the question
    cannot be shown (deleted, or changed into one the machine cannot mark)."""

    block_id: str
    number: int
    question: knowledge_checks.ShownQuestion | None
    checked: knowledge_checks.CheckedAnswer | None = None
    error: str = ""

    def merged_with(self, fresh: "LessonCheck") -> "LessonCheck":
        """This posted check, shown with the fresh question when it has none of its own."""
        if self.question is None and self.checked is None:
            return LessonCheck(self.block_id, fresh.number, fresh.question, error=self.error)
        return self


def knowledge_check_blocks(body) -> list[tuple[int, object]]:
    """The knowledge check blocks of a lesson body, numbered from 1 in page order: the number
    keeps each one's form fields apart from the others'."""
    found = [child for child in body if child.block_type == "knowledge_check"]
    return list(enumerate(found, start=1))


def lesson_checks(*, page, request) -> dict[str, LessonCheck]:
    """Every knowledge check of the page by block id, each question at its current version with
    its options in a new order. A fixed number of queries however many checks there are, once
    per render (kept on the request)."""
    cache = getattr(request, "_knowledge_checks", None) if request is not None else None
    if cache is not None and id(page) in cache:
        return cache[id(page)]
    numbered = knowledge_check_blocks(page.body)
    questions = [child.value["question"] for _n, child in numbered if child.value["question"]]
    versions = knowledge_checks.current_versions_by_question(questions=questions)
    found = {}
    for number, child in numbered:
        question = child.value["question"]
        version = versions.get(question.pk) if question is not None else None
        shown = None
        if version is not None:
            order = knowledge_checks.new_order(
                version=version, shuffle=child.value["shuffle_options"]
            )
            shown = knowledge_checks.shown_question(version=version, number=number, order=order)
        found[child.id] = LessonCheck(block_id=child.id, number=number, question=shown)
    if request is not None:
        if cache is None:
            cache = request._knowledge_checks = {}
        cache[id(page)] = found
    return found


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    video = VideoBlock()
    case_study = CaseStudyBlock()
    reflective_question = ReflectiveQuestionBlock()
    resource = ResourceBlock()
    callout = CalloutBlock()
    knowledge_check = KnowledgeCheckBlock()
