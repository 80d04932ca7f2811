"""The fonts every PDF we make embeds, for names and text in any script people write them in.

xhtml2pdf splits text by glyph coverage, so each family in a PDF's font-family list draws the
characters the ones before it lack: Fira Sans for Latin, Greek and Cyrillic (with Vietnamese),
Noto Sans Arabic (which carries the joined letter forms xhtml2pdf shapes Arabic with) and, where
Debian's packages are installed, Droid Sans Fallback (fonts-droid-fallback) for Chinese and
Japanese, and Nanum Gothic (fonts-nanum) for Korean's Hangul syllables, which Droid lacks.
The first two come from their PyPI packages; the others are too large to ship that way."""

import logging
from pathlib import Path

import fontpkg_fira_sans
import fontpkg_noto_sans_arabic

log = logging.getLogger(__name__)

FIRA_FOLDER = fontpkg_fira_sans.ROOT / "files"
ARABIC_FOLDER = fontpkg_noto_sans_arabic.ROOT / "files"
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
HANGUL_FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


def font_faces() -> list[tuple[str, str, str]]:
    """(family, weight, file) of each face a PDF declares; the families in fallback order. The
    caller refuses to render when `missing_fonts` names any (xhtml2pdf would draw boxes)."""
    faces = [
        ("Fira Sans", "normal", str(FIRA_FOLDER / "FiraSans-Regular.ttf")),
        ("Fira Sans", "bold", str(FIRA_FOLDER / "FiraSans-SemiBold.ttf")),
        ("Noto Sans Arabic", "normal", str(ARABIC_FOLDER / "NotoSansArabic[wdth,wght].ttf")),
    ]
    for family, path, scripts in (
        ("Droid Sans Fallback", CJK_FONT, "Chinese and Japanese"),
        ("Nanum Gothic", HANGUL_FONT, "Korean"),
    ):
        if path.is_file():
            faces.append((family, "normal", str(path)))
        else:
            log.warning("%s is not installed: %s print as boxes", path, scripts)
    # One file serves both weights of a script Fira Sans lacks: bold falls back to it too.
    faces += [(family, "bold", path) for family, weight, path in faces[2:]]
    return faces


def missing_fonts(faces) -> list[str]:
    return [path for _, _, path in faces if not Path(path).is_file()]


def families(faces) -> list[str]:
    """The font-family list, in fallback order."""
    return list(dict.fromkeys(family for family, _, _ in faces))
