from django.db import migrations


class Migration(migrations.Migration):
    """The home page belongs to the portal app now (portal.0001 takes over its table)."""

    dependencies = [
        ("academy", "0002_home_page"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HomePage")],
            database_operations=[],
        ),
    ]
