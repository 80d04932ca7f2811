"""Certificates and audit entries left Wagtail's reference index (wagtail_reference_index_ignore):
drop the rows recorded for them before, so usage counts do not list some and not others."""

from django.db import migrations


def forget(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ignored = ContentType.objects.filter(
        app_label__in=["certificates", "academy"], model__in=["certificate", "auditentry"]
    )
    ReferenceIndex.objects.filter(base_content_type__in=ignored).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_signed_credentials_and_signing_keys"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
