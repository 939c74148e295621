"""Every choice box the pages draw says what to do in Chinese: an emptied or unset selectbox or
multiselect shows its placeholder, and Streamlit's own is English ("Choose an option")."""

from __future__ import annotations

import re

import pytest

from tests.conftest import open_page
from tests.test_auth import access_db, logged_in, make_app  # noqa: F401 (access_db: a fixture)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PAGES = [("overview", {}), ("accidents", {}), ("rectification", {}),
         ("rectification", {"rectification.tab": "隐患排查治理"}), ("mining", {}),
         ("resources", {}), ("data", {})]


def english_placeholders(at) -> list[tuple[str, str]]:
    boxes = [*at.selectbox, *at.multiselect]
    assert len(boxes) >= 4, "the sidebar's 统计年度, 月, 日 and 单位 at least"
    return [(box.label, box.proto.placeholder) for box in boxes
            if not CHINESE.search(box.proto.placeholder)]


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_choice_box_has_a_chinese_placeholder(monkeypatch, app, page, params):
    monkeypatch.setenv("DASHBOARD_DATA_ADMIN", "1")
    assert not english_placeholders(open_page(app, page, **params))


def test_the_admin_pages_choice_boxes_too(monkeypatch, access_db):  # noqa: F811
    at = make_app(monkeypatch, access_db["url"], user=logged_in("clerk")).run()
    for page in ("users", "audit"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert not english_placeholders(at), page
