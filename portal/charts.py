"""Bar charts drawn as inline SVG on the server: no JavaScript and no built assets. Each chart is
described in words (its title and a summary) for screen readers, and every page that shows one
shows its figures in a table beside it. Pure: no Django."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 48, 28, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    show_label: bool


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    bars: list[Bar]
    top: int  # the value the axis goes up to
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM


def nice_top(value: float) -> int:
    """The smallest of 1, 2, 5 times a power of ten at or above the value (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def column_chart(title: str, points: list[tuple[str, int]]) -> Chart:
    """Columns, one per point (label, value), left to right; at most twelve labels under them."""
    top = nice_top(max((value for _label, value in points), default=0))
    area = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(points), 1)
    every = max(1, -(-len(points) // 12))
    bars = []
    for i, (label, value) in enumerate(points):
        height = area * value / top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value=value,
                show_label=i % every == 0,
            )
        )
    if points:
        highest = max(points, key=lambda point: point[1])
        summary = (
            f"{title}: {sum(v for _l, v in points):,} in all over {len(points)} "
            f"periods, from {points[0][0]} to {points[-1][0]}; the most, {highest[1]:,}, in "
            f"{highest[0]}."
        )
    else:
        summary = f"{title}: nothing to show."
    return Chart(title=title, summary=summary, bars=bars, top=top)
