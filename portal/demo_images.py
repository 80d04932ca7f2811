"""The demo certificate design's logo and signature, drawn here with Pillow so that nothing is
copied in. Both come out the same every time, so the demo is the same on every machine."""

import io
import math

from PIL import Image, ImageDraw, ImageFont

from certificates.rendering import font_files

NAVY = (29, 53, 87, 255)
SLATE = (76, 98, 114, 255)
INK = (24, 38, 92, 255)
WHITE = (255, 255, 255, 255)
# Pillow draws polygons and lines without anti-aliasing: draw four times larger, then shrink.
SCALE = 4


def _png(image: Image.Image) -> bytes:
    small = image.resize((image.width // SCALE, image.height // SCALE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _scaled(*points: tuple[float, float]) -> list[tuple[float, float]]:
    return [(x * SCALE, y * SCALE) for x, y in points]


def logo_png() -> bytes:
    """An open book in a navy square, and the Academy's name beside it (1,000 x 240 pixels)."""
    image = Image.new("RGBA", (1000 * SCALE, 240 * SCALE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    box = [coordinate for point in _scaled((10, 10), (230, 230)) for coordinate in point]
    draw.rounded_rectangle(box, radius=36 * SCALE, fill=NAVY)
    # Two pages rising from the spine, with a gap between them, and a tick above: done.
    draw.polygon(_scaled((44, 78), (112, 94), (112, 186), (44, 170)), fill=WHITE)
    draw.polygon(_scaled((128, 94), (196, 78), (196, 170), (128, 186)), fill=WHITE)
    draw.line(_scaled((88, 50), (110, 68), (152, 30)), fill=WHITE, width=14 * SCALE)
    fonts = font_files()
    name = ImageFont.truetype(fonts["bold"], 96 * SCALE)
    strapline = ImageFont.truetype(fonts["normal"], 38 * SCALE)
    ((x, y),) = _scaled((270, 118))
    draw.text((x, y), "PHSO Academy", font=name, fill=NAVY, anchor="ls")
    ((x, y),) = _scaled((272, 184))
    draw.text((x, y), "Learning for complaint handlers", font=strapline, fill=SLATE, anchor="ls")
    return _png(image)


# Each letter after the capital as (height above the line, loop size): tall looped ascenders,
# small rounded letters, and a last one that dips below the line.
LETTERS = [(1.0, 0.9), (0.3, 0.2), (0.95, 0.85), (0.9, 0.85), (0.32, 0.2), (0.3, 0.1), (0.28, 0.15)]
DESCENDER = (-0.55, 0.7)


def _cubic(p0, p1, p2, p3, steps):
    for i in range(1, steps + 1):
        t = i / steps
        yield tuple(
            (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
            for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
        )


def _signature_path(per_letter: int = 160) -> list[tuple[float, float]]:
    """A pen's path in a box one unit wide and a third as tall (y downwards): a capital loop,
    joined letters (a trochoid, whose loops form where the pen runs back on itself), and a
    flourish under the name."""
    base, height, step = 0.22, 0.16, 0.09
    points = list(_cubic((0.02, 0.25), (0.0, 0.02), (0.16, -0.02), (0.1, 0.16), per_letter))
    points += _cubic(points[-1], (0.06, 0.3), (0.02, 0.2), (0.08, base), per_letter // 2)
    start = points[-1][0]
    letters = [*LETTERS, DESCENDER]
    for index, (rise, loop) in enumerate(letters):
        for i in range(1, per_letter + 1):
            theta = 2 * math.pi * i / per_letter
            x = start + step * (index + i / per_letter) + 0.03 * loop * math.sin(theta)
            y = base - height * rise * (1 - math.cos(theta)) / 2
            points.append((x, y))
    end = points[-1]
    points += _cubic(end, (end[0] + 0.05, 0.34), (0.5, 0.3), (0.12, 0.3), per_letter * 2)
    # A right-handed slant: the higher the pen, the further right.
    return [(x + 0.35 * (base - y), y) for x, y in points]


def signature_png() -> bytes:
    """A made-up handwritten signature in dark blue ink on a clear background (780 x 300)."""
    s = SCALE
    width, height = 780 * s, 300 * s
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    unit = 830 * s  # the path's unit: its letters end short of one, so the ink fits the width
    path = [(30 * s + x * unit, 20 * s + y * unit) for x, y in _signature_path()]
    for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
        # Pressed harder on the way down, as a pen is: downstrokes are thicker.
        length = math.hypot(x1 - x0, y1 - y0) or 1
        radius = (2.2 + 2.8 * max(0.0, (y1 - y0) / length)) * s
        draw.line([(x0, y0), (x1, y1)], fill=INK, width=round(2 * radius))
        draw.ellipse((x1 - radius, y1 - radius, x1 + radius, y1 + radius), fill=INK)
    return _png(image)
