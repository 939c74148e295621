"""数据管理 in a real browser: upload a weekly file, read the preview, confirm, see the new
figure on the overview, undo, and see the old figure again."""

from __future__ import annotations

import datetime as dt

from tests.browser import FINISHED, chromium, open_and_wait, serve_app
from tests.checksums import table_checksums
from tests.test_import import _weekly_accident, sample_copy


def _settle(page) -> None:
    page.wait_for_selector(FINISHED, timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(FINISHED, timeout=60_000)


def _deaths_tile(page) -> str:
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="死亡人数").first
    return tile.locator('[data-testid="stMetricValue"]').inner_text()


def test_upload_preview_confirm_see_it_and_undo(tmp_path, sample_sqlite_path):
    url, engine, before, deaths = sample_copy(sample_sqlite_path, tmp_path)
    upload = tmp_path / "沁县事故快报.xlsx"
    upload.write_bytes(_weekly_accident(dt.datetime(2022, 11, 24, 16, 0)))
    with serve_app(env={"DATABASE_URL": url, "DASHBOARD_DATA_ADMIN": "1"}) as base, \
            chromium() as page:
        open_and_wait(page, f"{base}/")
        assert _deaths_tile(page) == f"{deaths}人"
        open_and_wait(page, f"{base}/data")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.get_by_text("沁县事故快报.xlsx").first.wait_for(timeout=60_000)
        _settle(page)
        page.get_by_role("button", name="检查并预览").click()
        page.get_by_role("button", name="确认导入").wait_for(timeout=60_000)
        _settle(page)
        preview = page.locator('[data-testid="stMain"]').inner_text()
        assert "事故快报" in preview
        with engine.connect() as conn:
            assert table_checksums(conn) == before  # the preview wrote nothing
        page.screenshot(path=str(tmp_path / "preview.png"))
        page.get_by_role("button", name="确认导入").click()
        page.get_by_text("已导入").first.wait_for(timeout=60_000)
        _settle(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').get_by_role("link", name="总览").click()
        page.wait_for_url(f"{base}/**", timeout=60_000)
        _settle(page)
        page.wait_for_function(
            "(want) => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('死亡人数') && m.innerText.includes(want))",
            arg=f"{deaths + 2}人", timeout=60_000)
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').get_by_role("link", name="数据管理").click()
        _settle(page)
        page.get_by_role("tab", name="导入记录").click()
        page.get_by_text("我确认撤销这次导入").click()
        _settle(page)
        page.get_by_role("button", name="撤销导入").click()
        page.get_by_text("已撤销导入记录").first.wait_for(timeout=60_000)
        _settle(page)
        with engine.connect() as conn:
            assert table_checksums(conn) == before
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').get_by_role("link", name="总览").click()
        page.wait_for_function(
            "(want) => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('死亡人数') && m.innerText.includes(want))",
            arg=f"{deaths}人", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
    engine.dispose()
