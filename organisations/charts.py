"""The geometry of the compliance page's charts, drawn as inline SVG by the templates
(templates/organisations/includes/): no JavaScript and no built assets.

The drawings are 320 units wide, close to a phone's width, so their text stays readable when
they shrink to fit 390 px; on wider screens they grow to at most the width the CSS allows."""

from dataclasses import dataclass
from datetime import date
from math import ceil

WIDTH = 320


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    label_y: int
    bar_y: int
    bar_width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = 16
    scale_width: int = WIDTH - 48  # room after the longest bar for "100%"


def bar_chart(items: list[tuple[str, int | None]]) -> BarChart:
    """Horizontal bars of percentages, each under its label; a missing share (no staff) has no
    bar and says so."""
    row, scale = 44, WIDTH - 48
    bars = []
    for index, (label, percent) in enumerate(items):
        top = index * row
        width = scale * (percent or 0) / 100
        bars.append(
            Bar(
                label=label,
                value_text="no staff" if percent is None else f"{percent}%",
                label_y=top + 14,
                bar_y=top + 20,
                bar_width=round(width, 1),
                text_x=round(width + 6, 1),
            )
        )
    return BarChart(bars=bars, height=len(items) * row)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the month, on the axis when shown
    year: str  # under the first month labelled, and the first labelled in each new year
    show_label: bool
    percent: int | None


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    path: str  # the polyline through the months that had staff
    gridlines: list[tuple[float, str]]
    height: int = 214
    width: int = WIDTH
    left: int = 40
    right: int = WIDTH - 24
    bottom: int = 170


def line_chart(items: list[tuple[date, int | None]]) -> LineChart:
    """A line of percentages over months, with gridlines at 0, 50 and 100%. Months with no staff
    have no point. At most six month labels show, evenly spaced, so they never overlap; the year
    goes under the first of them and under the first in each new year."""
    left, right, top, bottom = 40, WIDTH - 24, 10, 170
    count = len(items)
    step = (right - left) / (count - 1) if count > 1 else 0
    every = ceil(count / 6)
    points, last_year = [], None
    for index, (month, percent) in enumerate(items):
        show_label = index % every == 0
        new_year = show_label and month.year != last_year
        if show_label:
            last_year = month.year
        x = left + step * index if count > 1 else (left + right) / 2
        y = bottom - (bottom - top) * (percent or 0) / 100
        points.append(
            Point(
                x=round(x, 1),
                y=round(y, 1),
                label=f"{month:%b}",
                year=f"{month:%Y}" if new_year else "",
                show_label=show_label,
                percent=percent,
            )
        )
    path = " ".join(f"{p.x},{p.y}" for p in points if p.percent is not None)
    gridlines = [(bottom - (bottom - top) * value / 100, f"{value}%") for value in (0, 50, 100)]
    return LineChart(points=points, path=path, gridlines=gridlines)
