from django.db import migrations, models


def slot_from_position(apps, schema_editor):
    # Attempts started so far did not record their slots. Without shuffled questions a
    # question's position is its slot; with them the slot cannot be recovered, and the
    # position is the nearest there is (docs/decisions.md, "Reliability per slot").
    Response = apps.get_model("assessments", "Response")
    Response.objects.update(slot=models.F("position"))


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0017_stars_and_added_fractions"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="slot",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(slot_from_position, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="slot",
            field=models.PositiveSmallIntegerField(editable=False),
        ),
    ]
