"""The compliance charts' geometry (organisations.charts): bars in proportion, and a trend
whose month labels never crowd each other."""

from datetime import date

from organisations.charts import WIDTH, bar_chart, line_chart


def test_bars_are_in_proportion_and_a_tier_with_no_staff_says_so():
    chart = bar_chart([("All staff", 100), ("Complaints staff", 25), ("Senior staff", None)])

    full, quarter, empty = chart.bars
    assert full.bar_width == chart.scale_width
    assert quarter.bar_width == chart.scale_width / 4
    assert (empty.bar_width, empty.value_text) == (0, "no staff")
    assert quarter.value_text == "25%"
    assert all(bar.text_x + 40 <= WIDTH for bar in chart.bars)  # "100%" fits after the bar
    assert chart.height == 3 * 44


def test_the_trend_labels_at_most_six_months_and_skips_months_without_staff():
    months = [(date(2025, 12, 1), 0)] + [
        (date(2026, month, 1), 10 * month) for month in range(1, 12)
    ]
    months[3] = (date(2026, 3, 1), None)

    chart = line_chart(months)

    labelled = [(point.label, point.year) for point in chart.points if point.show_label]
    assert labelled == [
        ("Dec", "2025"),
        ("Feb", "2026"),
        ("Apr", ""),
        ("Jun", ""),
        ("Aug", ""),
        ("Oct", ""),
    ]
    assert len(chart.path.split(" ")) == 11  # March had no staff: no point
    assert chart.points[0].x == chart.left and chart.points[-1].x == chart.right
    assert chart.points[0].y == chart.bottom  # 0% on the axis
    assert [label for _y, label in chart.gridlines] == ["0%", "50%", "100%"]


def test_a_single_month_sits_in_the_middle():
    (point,) = line_chart([(date(2026, 12, 1), 50)]).points

    assert point.x == (40 + WIDTH - 24) / 2
    assert point.show_label
