"""How ratios are rounded on screen and in exports: 四舍五入 (half up), never half to even."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.figures.accidents import bar_text
from ui.figures.overview import format_change, format_share
from ui.format import half_up, pct, pct_number


@pytest.mark.parametrize("value,digits,shown", [
    (5 / 8, 0, "63%"),      # round() would give 62
    (1 / 8, 0, "13%"),      # round() would give 12
    (3 / 8, 0, "38%"),
    (0.00125, 1, "0.1%"),   # 0.125 → 0.1: only the digit after the last kept one counts
    (0.00125, 2, "0.13%"),
    (0.6245, 1, "62.5%"),   # the last half of the decimal form, not of the binary one
    (0.62449, 1, "62.4%"),
    (29 / 200, 0, "15%"),   # 14.499999… in binary, 14.5 as written
    (1.0, 1, "100.0%"),
    (0.0, 0, "0%"),
])
def test_pct_rounds_halves_up(value, digits, shown):
    assert pct(value, digits) == shown


def test_half_up_and_missing_values():
    assert half_up(2.5) == 3 and half_up(3.5) == 4 and half_up(0.125, 2) == 0.13
    assert half_up(-2.5) == -3  # away from zero, as written by hand
    assert pct_number(0.625, 0) == 63 and pct_number(0.0625) == 6.3
    assert pct_number(None) is None and pct_number(float("nan")) is None
    assert pct(None) == "无数据"


def test_shares_in_tables_charts_and_the_scorecard_round_half_up():
    assert format_share(0.0625) == "6.3%"
    row = pd.Series({"limit": 8.0, "used": 5, "share": 5 / 8, "week_used": 0}, dtype=object)
    assert bar_text(row, "人").startswith("63% · 5/8人")
    line = pd.Series({"code": "monthly_meetings", "rule": "rate", "change": 0.0125,
                      "unit": ""})
    assert format_change(line).startswith("+1.3")  # round(1.25, 1) gives 1.2
