"""A screen left on for days: midnight and New Year pass under it. The timing is tested as
functions of the clock (no waiting), and the screen itself on a database that gains a record
of the new year: 数据截至, the year to date and the week follow it on the next refresh."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access import accident_rules
from tests.conftest import ROOT, metric_values
from tests.sqlcheck import scalar
from ui.filters import CITY_CODE, Filters
from ui.format import read_time
from ui.kiosk import refresh_epoch, view_index

BEIJING = dt.timezone(dt.timedelta(hours=8))
NEW_YEAR = dt.datetime(2023, 1, 1, tzinfo=BEIJING).timestamp()
MIDNIGHT = dt.datetime(2022, 11, 26, tzinfo=BEIJING).timestamp()


def test_rotation_moves_on_by_one_view_across_midnight_and_new_year():
    for start in (MIDNIGHT, NEW_YEAR):
        for rotate in (5, 30, 45, 3600):
            for count in (5, 6):
                turns = [view_index(start + k * rotate, rotate, count) for k in range(-20, 21)]
                steps = {(b - a) % count for a, b in zip(turns, turns[1:])}
                assert steps == {1}, (start, rotate, count)


def test_a_refresh_period_ends_at_midnight_and_new_year_like_any_other():
    for start in (MIDNIGHT, NEW_YEAR):
        for minutes in (1, 5, 60):
            before, after = refresh_epoch(start - 1, minutes), refresh_epoch(start, minutes)
            assert after == before + 1, "the first draw after midnight reads the database"
            assert refresh_epoch(start + minutes * 60 - 1, minutes) == after


def test_the_week_and_the_year_follow_the_data_date_over_new_year():
    first = Filters(as_of=dt.date(2023, 1, 1), unit=CITY_CODE)
    assert first.year == 2023
    assert first.previous_review == dt.date(2022, 12, 25)
    assert accident_rules.time_progress(first.as_of) == 1 / 365
    # The previous review lies in the old year: none of the new year's indicator was used then.
    assert accident_rules.progress_within(first.year, first.previous_review) == 0.0
    assert accident_rules.progress_within(2022, dt.date(2023, 1, 1)) == 1.0


def test_the_stale_bar_says_the_day_and_the_year_once_they_have_passed():
    read = dt.datetime(2022, 12, 31, 23, 58)
    assert read_time(read, dt.datetime(2022, 12, 31, 23, 59)) == "23:58"
    assert read_time(read - dt.timedelta(days=1), read) == "12月30日 23:58"
    assert read_time(read, dt.datetime(2023, 1, 1, 0, 2)) == "2022年12月31日 23:58"


def test_the_screen_follows_a_record_of_the_new_year(monkeypatch, sample_sqlite_path, tmp_path):
    copy = tmp_path / "new-year.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"kiosk": "1", "views": "overview"})
    at.run()
    head = " ".join(h.body for h in at.get("html") if "screen-head" in h.body)
    assert "数据截至2022年11月25日" in head
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO accidents (id, occurred_at, unit_code, sector_code, grade, deaths, "
            "serious_injuries, direct_loss_wan, summary, code) VALUES (99001, "
            "'2023-01-01 00:40:00.000000', '140423', 'road_transport', 'general', 1, 0, 12.5, "
            "'示例:新年第一起事故', 'SG2023-0001')")
    with engine.connect() as conn:
        expected = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= "
                                "'2023-01-01' AND occurred_at < '2023-01-02'")
    engine.dispose()
    st.cache_data.clear()  # what the next refresh period does: read the database again
    at.run()
    assert not at.exception
    head = " ".join(h.body for h in at.get("html") if "screen-head" in h.body)
    assert "数据截至2023年1月1日" in head
    shown = metric_values(at)
    assert shown["事故起数"] == f"{expected}起" == "1起", "the year to date starts again"
    rows = " ".join(h.body for h in at.get("html") if "sc-table" in h.body)
    general = re.search(r'data-code="general_accidents".*?</tr>', rows, re.S).group(0)
    assert "1起" in general
