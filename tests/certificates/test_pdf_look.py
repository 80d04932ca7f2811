"""How a certificate looks: its PDF drawn as a picture by poppler's pdftoppm, then measured.

Without pdftoppm (Debian's poppler-utils) these tests are skipped and say why, except under
CI=true, where they fail: .ci/run installs it.
"""

import io
import os
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from certificates import rendering, services
from tests.academy.factories import UserFactory
from tests.certificates.factories import CertificateDesignFactory, image

pytestmark = pytest.mark.django_db

DPI = 36  # an A4 landscape page becomes 421 x 298 pixels: plenty to find a frame and pictures
NAVY = (29, 53, 87)  # the frame's colour in the template
LOGO = (213, 40, 27)  # made-up pictures in colours nothing else on the page uses
SIGNATURE = (0, 127, 59)


@pytest.fixture
def picture(tmp_path):
    """Turns PDF bytes into a picture of its first page."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        reason = "pdftoppm is missing: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PDF pictures cannot be checked in CI: {reason}", pytrace=False)
        pytest.skip(reason)

    def draw(pdf: bytes) -> Image.Image:
        source = tmp_path / "certificate.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - a fixed program and arguments, our own file
            [pdftoppm, "-png", "-r", str(DPI), "-singlefile", source, tmp_path / "page"],
            check=True,
            timeout=60,
        )
        return Image.open(tmp_path / "page.png").convert("RGB")

    return draw


def near(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(have - want) <= tolerance for have, want in zip(pixel, colour, strict=True))


def box(picture: Image.Image, colour: tuple[int, int, int], tolerance: int = 40):
    """(left, top, right, bottom) around every pixel near `colour`, or None."""
    bands = [
        band.point(lambda value, want=want: 255 if abs(value - want) <= tolerance else 0)
        for band, want in zip(picture.split(), colour, strict=True)
    ]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).getbbox()


def share_of_line(picture, colour, points) -> float:
    """How much of a line of pixels is near `colour` (1.0: all of it)."""
    return sum(near(picture.getpixel(point), colour) for point in points) / len(points)


WORDING = "Showed they can plan and run a fair investigation, and explain its findings."


@pytest.fixture(params=[WORDING, WORDING * 12], ids=["usual", "far too long"])
def designed_certificate(award, request):
    """A certificate with everything a design gives; its wording as usual or long enough to
    fill a page by itself (the middle of the certificate is then drawn smaller to fit)."""
    award.wording = request.param
    award.validity_unit, award.validity_length = "years", 3
    award.save()
    CertificateDesignFactory(
        signatory_name="Grace Holloway",
        signatory_role="Head of the PHSO Academy",
        logo=image("Logo", colour="#d5281b"),
        signature_image=image("Signature", colour="#007f3b"),
    )
    learner = UserFactory(full_name="Łukasz Wiśniewski-Șerban Nguyễn Gwenllïan ap Rhŷs")
    return services.issue_certificate(learner=learner, award=award)


def test_the_frame_fills_one_a4_landscape_page_and_holds_everything(designed_certificate, picture):
    pdf = rendering.certificate_pdf(designed_certificate)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    assert [round(float(side)) for side in pages[0].mediabox[2:]] == [842, 595]  # A4, landscape

    page = picture(pdf)
    width, height = page.size
    left, top, right, bottom = box(page, NAVY)
    # The frame sits the same small margin from every edge...
    margins = [left, top, width - right, height - bottom]
    assert all(0.02 * width <= margin <= 0.05 * width for margin in margins), margins
    assert max(margins) - min(margins) <= 3, margins
    # ...as a line all the way round, not just a box around the words.
    assert share_of_line(page, NAVY, [(left + 1, y) for y in range(top, bottom)]) > 0.95
    assert share_of_line(page, NAVY, [(right - 2, y) for y in range(top, bottom)]) > 0.95
    assert share_of_line(page, NAVY, [(x, top + 1) for x in range(left, right)]) > 0.95
    assert share_of_line(page, NAVY, [(x, bottom - 2) for x in range(left, right)]) > 0.95
    # Nothing is drawn outside it.
    ink = Image.eval(page.convert("L"), lambda value: 255 if value < 200 else 0).getbbox()
    assert ink == (left, top, right, bottom)


def test_the_logo_heads_the_page_and_the_signature_sits_above_the_signatory(
    designed_certificate, picture
):
    page = picture(rendering.certificate_pdf(designed_certificate))
    width, height = page.size
    logo, signature = box(page, LOGO, tolerance=20), box(page, SIGNATURE, tolerance=20)
    assert logo is not None, "the design's logo is not drawn"
    assert signature is not None, "the design's signature is not drawn"
    assert logo[2] < width / 3 and logo[3] < height / 4  # top left
    assert signature[2] < width / 3 and signature[1] > height * 0.6  # bottom left
    # Both are drawn large enough to see: at least 1.5 cm tall.
    assert logo[3] - logo[1] >= 1.5 / 2.54 * DPI
    assert signature[3] - signature[1] >= 1.5 / 2.54 * DPI
