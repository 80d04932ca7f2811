"""A certificate's page in the admin, in the Academy's words: the code as printed, what an empty
value means, the credential as readable JSON, and the lifecycle actions as visible buttons."""

import json

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.widgets.button import HeaderButton

from .admin_views import ACTIONS, MANAGE, actions_for

FIELDS = {
    "code": "Code",
    "state": "Status",
    "learner": "Learner",
    "award": "Award",
    "cycle": "Period",
    "name_on_certificate": "Name printed",
    "title_on_certificate": "Title printed",
    "wording_on_certificate": "Wording printed",
    "cpd_hours": "CPD hours",
    "signatory": "Signatory printed",
    "design": "Design",
    "issued_at": "Issued",
    "issued_by": "Issued by",
    "valid_until": "Valid until",
    "pdf": "PDF",
    "emailed_at": "E-mailed to the learner",
    "verification": "Verification page",
    "signing_key": "Signed with",
    "replacement": "Replaced by",
    "notices": "Status e-mails",
    "credential": "Credential (Open Badges 3.0)",
}


def when(moment) -> str:
    return date_format(localtime(moment), "j F Y, H:i")


class CertificateInspectView(InspectView):
    def get_fields(self):
        return list(FIELDS)

    @property
    def header_buttons(self):
        if not self.request.user.has_perm(MANAGE):
            return []
        return [
            HeaderButton(
                ACTIONS[name]["label"],
                url=reverse(f"certificate_{name}", args=[self.object.pk]),
                icon_name=ACTIONS[name]["icon"],
                priority=priority,
            )
            for priority, name in enumerate(actions_for(self.object), start=10)
        ]

    def get_field_label(self, field_name, field):
        return FIELDS[field_name]

    def get_code_display_value(self):
        return self.object.display_code

    def get_state_display_value(self):
        certificate = self.object
        state = certificate.state
        if state == "valid":
            return "Valid"
        if state == "expired":
            return f"Expired on {date_format(localtime(certificate.valid_until), 'j F Y')}"
        if state == "superseded":
            return f"Replaced by a corrected certificate on {when(certificate.superseded_at)}"
        words = f"{state.capitalize()} on {when(certificate.status_changed_at)}"
        if certificate.public_reason:
            words += f". Reason shown on the verification page: {certificate.public_reason}"
        return words

    def get_learner_display_value(self):
        learner = self.object.learner
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("wagtailusers_users:edit", args=[learner.pk]),
            learner.full_name,
            learner.email,
        )

    def get_award_display_value(self):
        award = self.object.award
        return format_html('<a href="{}">{}</a>', reverse("award:edit", args=[award.pk]), award)

    def get_cycle_display_value(self):
        cycle = self.object.cycle
        return "First" if cycle == 1 else f"{cycle} (renewed {cycle - 1} times)"

    def get_wording_on_certificate_display_value(self):
        return self.object.wording_on_certificate or "None beyond the title"

    def get_signatory_display_value(self):
        certificate = self.object
        if not certificate.signatory_name:
            return "No signatory printed"
        return ", ".join(filter(None, [certificate.signatory_name, certificate.signatory_role]))

    def get_design_display_value(self):
        design = self.object.design
        if design is None:
            return "The Academy's plain design (no design was set up when it was issued)"
        return format_html(
            '<a href="{}">{}</a>', reverse("certificatedesign:edit", args=[design.pk]), design.name
        )

    def get_issued_at_display_value(self):
        return when(self.object.issued_at)

    def get_issued_by_display_value(self):
        issuer = self.object.issued_by
        if issuer is None:
            return "The Academy, automatically, when the learner met the award's terms"
        return f"{issuer.full_name} ({issuer.email})"

    def get_valid_until_display_value(self):
        valid_until = self.object.valid_until
        return when(valid_until) if valid_until else "Does not expire"

    def get_pdf_display_value(self):
        certificate = self.object
        if not certificate.pdf:
            return "Being prepared"
        return format_html(
            '<a href="{}">Download the PDF</a> (made {})',
            reverse("certificates:pdf", args=[certificate.display_code]),
            when(certificate.pdf_rendered_at),
        )

    def get_emailed_at_display_value(self):
        emailed_at = self.object.emailed_at
        return when(emailed_at) if emailed_at else "Not yet"

    def get_verification_display_value(self):
        url = self.object.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, self.object.verify_url)

    def get_signing_key_display_value(self):
        key = self.object.signing_key
        if key is None:
            return "Not signed"
        return format_html(
            '<a href="{}">Key {}</a>', reverse("signingkey:inspect", args=[key.pk]), key.short_form
        )

    def get_replacement_display_value(self):
        replacement = self.object.superseded_by
        if replacement is None:
            return "Not replaced"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("certificate:inspect", args=[replacement.pk]),
            replacement.display_code,
        )

    def get_notices_display_value(self):
        notices = list(self.object.status_notices.order_by("changed_at"))
        if not notices:
            return "None: its status has not changed"
        return format_html(
            '<ul class="academy-admin-list">{}</ul>',
            format_html_join(
                "",
                "<li>{}: {} ({})</li>",
                (
                    (
                        notice.get_change_display(),
                        when(notice.changed_at),
                        f"e-mailed {when(notice.emailed_at)}" if notice.emailed_at else "not sent",
                    )
                    for notice in notices
                ),
            ),
        )

    def get_credential_display_value(self):
        credential = self.object.credential
        if not credential:
            return "Not signed yet"
        return format_html(
            '<pre class="academy-admin-json" tabindex="0" role="region" '
            'aria-label="Credential JSON">{}</pre>',
            json.dumps(credential, indent=2, ensure_ascii=False),
        )
