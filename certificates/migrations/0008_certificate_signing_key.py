"""Which key signed each stored credential, so a key's certificates are counted by an index
rather than by reading every credential. Credentials signed before are matched by their proof."""

import django.db.models.deletion
from django.db import migrations, models


def match_signed_credentials(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    SigningKey = apps.get_model("certificates", "SigningKey")
    keys = dict(SigningKey.objects.values_list("public_key", "pk"))
    signed = Certificate.objects.filter(credential__isnull=False).only("credential")
    for certificate in signed.iterator(chunk_size=500):
        method = certificate.credential.get("proof", {}).get("verificationMethod", "")
        key = keys.get(method.rpartition("#")[2])
        if key is not None:
            Certificate.objects.filter(pk=certificate.pk).update(signing_key_id=key)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_forget_certificate_and_audit_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="signing_key",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The key whose proof the stored credential carries.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="certificates.signingkey",
            ),
        ),
        migrations.RunPython(match_signed_credentials, migrations.RunPython.noop),
    ]
