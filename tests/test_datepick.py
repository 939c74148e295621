"""The Chinese date picker's rules (ui/datepick.py): which years, months and days it offers
between two dates, and where a changed month or year puts the day."""

from __future__ import annotations

import datetime as dt

from ui.datepick import bounded, day_options, month_options, year_options

EARLIEST, LATEST = dt.date(2021, 3, 15), dt.date(2024, 2, 20)


def test_it_offers_only_the_allowed_years_months_and_days():
    assert year_options(EARLIEST, LATEST) == [2021, 2022, 2023, 2024]
    assert month_options(2021, EARLIEST, LATEST) == list(range(3, 13))
    assert month_options(2022, EARLIEST, LATEST) == list(range(1, 13))
    assert month_options(2024, EARLIEST, LATEST) == [1, 2]
    assert day_options(2021, 3, EARLIEST, LATEST) == list(range(15, 32))
    assert day_options(2021, 4, EARLIEST, LATEST) == list(range(1, 31))
    assert day_options(2023, 2, EARLIEST, LATEST) == list(range(1, 29))
    assert day_options(2024, 1, EARLIEST, LATEST) == list(range(1, 32))
    assert day_options(2024, 2, EARLIEST, LATEST) == list(range(1, 21))
    one_day = dt.date(2022, 6, 30)
    assert month_options(2022, one_day, one_day) == [6]
    assert day_options(2022, 6, one_day, one_day) == [30]


def test_a_day_the_month_lacks_becomes_its_last_day_and_bounds_hold():
    far = dt.date(2030, 12, 31)
    assert bounded(2023, 2, 31, EARLIEST, far) == dt.date(2023, 2, 28)
    assert bounded(2024, 2, 30, EARLIEST, far) == dt.date(2024, 2, 29)  # a leap year
    assert bounded(2022, 6, 31, EARLIEST, LATEST) == dt.date(2022, 6, 30)
    assert bounded(2022, 7, 31, EARLIEST, LATEST) == dt.date(2022, 7, 31)
    assert bounded(2021, 3, 1, EARLIEST, LATEST) == EARLIEST
    assert bounded(2021, 1, 10, EARLIEST, LATEST) == EARLIEST
    assert bounded(2024, 2, 29, EARLIEST, LATEST) == LATEST
    assert bounded(2024, 2, 20, EARLIEST, LATEST) == LATEST
