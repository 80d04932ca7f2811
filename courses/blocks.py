"""The StreamField blocks trainers build lessons from."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


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
    questions = blocks.ListBlock(blocks.CharBlock(label="Question"), label="Questions to consider")

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


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    video = VideoBlock()
    case_study = CaseStudyBlock()
    reflective_question = ReflectiveQuestionBlock()
    resource = ResourceBlock()
    callout = CalloutBlock()
