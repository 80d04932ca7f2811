import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Pages, revisions and permissions point at the content type: renaming it keeps them all.
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="academy", model="homepage").update(app_label="portal")


def move_content_type_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="portal", model="homepage").update(app_label="academy")


class Migration(migrations.Migration):
    """Takes over academy.HomePage: its table and content type, with every page kept."""

    initial = True

    dependencies = [
        ("academy", "0003_home_page_moves_to_portal"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("intro", wagtail.fields.RichTextField(blank=True)),
                    ],
                    options={"abstract": False, "db_table": "academy_homepage"},
                    bases=("wagtailcore.page",),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="homepage", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
