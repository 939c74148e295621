"""Every choice box the pages draw says what to do in Chinese: an emptied or unset selectbox or
multiselect shows its placeholder, and Streamlit's own is English ("Choose an option")."""

from __future__ import annotations

import re

import pytest

from tests.conftest import open_page

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PAGES = [("overview", {}), ("accidents", {}), ("rectification", {}),
         ("rectification", {"rectification.tab": "隐患排查治理"}), ("mining", {}),
         ("resources", {}), ("data", {})]


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_choice_box_has_a_chinese_placeholder(monkeypatch, app, page, params):
    monkeypatch.setenv("DASHBOARD_DATA_ADMIN", "1")
    at = open_page(app, page, **params)
    boxes = [*at.selectbox, *at.multiselect]
    assert len(boxes) >= 4, "the sidebar's 统计年度, 月, 日 and 单位 at least"
    english = [(box.label, box.proto.placeholder) for box in boxes
               if not CHINESE.search(box.proto.placeholder)]
    assert not english, english
