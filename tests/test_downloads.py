"""Every download is built when it is asked for, not on every render: the pages hand the
download buttons a builder, and the file it builds holds the rows the page shows (or, for the
resource sites, every site in the filter, counted in SQL), formulas neutralised."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from tests.conftest import open_page
from tests.sqlcheck import day_bounds, scalar

AS_OF = dt.date(2022, 11, 25)


def shown_frame(at, column: str) -> pd.DataFrame:
    """The first table shown with `column` (AppTest finds dataframes by position, not key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def download_buttons(at) -> list:
    return list(at.get("download_button"))


def assert_all_deferred(at) -> None:
    """No download button of the run carries file bytes: each has a builder instead."""
    buttons = download_buttons(at)
    assert buttons
    for button in buttons:
        assert button.proto.deferred_file_id, button.proto.label
        assert not button.proto.url, button.proto.label


def csv_frame(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def excel_frame(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)


def built(builders: dict[str, object], stem: str, suffix: str) -> bytes:
    (name,) = [n for n in builders if n.startswith(stem) and n.endswith(suffix)]
    data = builders[name]()
    assert isinstance(data, bytes)
    return data


def test_accident_list_downloads_hold_the_listed_accidents(app, sample_conn, builders):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat())
    assert_all_deferred(at)
    shown = shown_frame(at, "grade_check")
    expected = scalar(sample_conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                                   "AND occurred_at < :end", **day_bounds(AS_OF))
    assert len(shown) == expected
    for table in (csv_frame(built(builders, "事故明细", ".csv")), excel_frame(built(builders, "事故明细", ".xlsx"))):
        assert len(table) == expected
        assert list(table["事故编号"]) == list(shown["code"])


def test_ledger_downloads_hold_the_listed_hidden_dangers(app, builders):
    at = open_page(app, "rectification", **{"rectification.tab": "隐患排查治理"})
    assert_all_deferred(at)
    shown = at.dataframe[-1].value
    assert len(shown) > 0
    for table in (csv_frame(built(builders, "隐患清单", ".csv")), excel_frame(built(builders, "隐患清单", ".xlsx"))):
        assert len(table) == len(shown)
        assert list(table.iloc[:, 0]) == [str(v) for v in shown.iloc[:, 0]]


def test_late_faces_download_holds_the_late_faces(app, builders):
    at = open_page(app, "mining", as_of=AS_OF.isoformat())
    assert_all_deferred(at)
    shown = shown_frame(at, "逾期天数")
    table = csv_frame(built(builders, "逾期智能化工作面", ".csv"))
    assert len(shown) > 0
    assert list(table["工作面"]) == list(shown["工作面"])


def test_site_list_download_holds_every_site(app, sample_conn, builders):
    at = open_page(app, "resources", as_of=AS_OF.isoformat(), **{"resources.tab": "点位清单"})
    assert_all_deferred(at)
    book = openpyxl.load_workbook(io.BytesIO(built(builders, "应急资源点位", ".xlsx")))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    names = [row[header.index("名称")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [r for r, in sample_conn.exec_driver_sql(
        "SELECT name FROM resource_sites").fetchall()]
    assert len(names) == scalar(sample_conn, "SELECT COUNT(*) FROM resource_sites") > 0
    assert sorted(names) == sorted(expected)


def test_weekly_brief_downloads_are_built_on_click(app, builders):
    at = open_page(app, "overview", as_of=AS_OF.isoformat())
    assert_all_deferred(at)
    assert any(n.endswith(".docx") for n in builders)
    book = openpyxl.load_workbook(io.BytesIO(built(builders, "weekly-brief", ".xlsx")))
    assert len(book.worksheets) > 1  # the brief's own content is tested in test_brief
