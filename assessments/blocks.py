"""StreamField blocks of the assessments app: the criteria and levels of a marking rubric."""

from decimal import Decimal

from wagtail import blocks


class LevelBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100, help_text="For example “Fully meets”.")
    points = blocks.DecimalBlock(min_value=Decimal(0), max_digits=6, decimal_places=2)
    descriptor = blocks.TextBlock(
        required=False, help_text="What an answer at this level shows, for the marker."
    )

    class Meta:
        icon = "order"


class CriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False, help_text="What the marker looks for.")
    levels = blocks.ListBlock(LevelBlock(), min_num=2, label="Levels, lowest first")

    class Meta:
        icon = "list-ul"
