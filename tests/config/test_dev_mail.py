"""`make run`'s e-mail: saved whole in a folder, shown in the terminal without attachments."""

import email
import io

from django.core.mail import EmailMultiAlternatives

from config.mail import FolderEmailBackend


def test_each_message_is_saved_whole_and_shown_without_its_attachment(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    terminal = io.StringIO()
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 400
    message = EmailMultiAlternatives(
        subject="Your certificate: Welcoming complaints",
        body="Dear Łukasz,\n\nhttp://127.0.0.1:8000/verify/ABCDE/\n",
        from_email="PHSO Academy <academy@example.org>",
        to=["lukasz@example.org"],
    )
    message.attach_alternative("<p>Dear Łukasz</p>", "text/html")
    message.attach("certificate-ABCDE.pdf", pdf, "application/pdf")
    other = EmailMultiAlternatives(subject="Second", body="Two", to=["b@example.org"])

    assert FolderEmailBackend(stream=terminal).send_messages([message, other]) == 2

    shown = terminal.getvalue()
    assert "Subject: Your certificate: Welcoming complaints" in shown
    assert "http://127.0.0.1:8000/verify/ABCDE/" in shown
    assert f"certificate-ABCDE.pdf ({len(pdf):,} bytes)" in shown
    assert len(shown) < 2000  # no base64 PDF in the terminal
    saved = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(saved) == 2
    assert str(saved[0]) in shown or str(saved[1]) in shown
    parsed = [email.message_from_bytes(path.read_bytes()) for path in saved]
    with_pdf = next(part for part in parsed if part["Subject"].startswith("Your certificate"))
    [attached] = [part for part in with_pdf.walk() if part.get_filename()]
    assert attached.get_payload(decode=True) == pdf


def test_make_run_uses_it():
    from config.settings import dev

    assert dev.EMAIL_BACKEND == "config.mail.FolderEmailBackend"
