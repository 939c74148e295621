"""The app shell: URL-mirrored filters, the 示例数据 badge, and clear Chinese messages for bad
configuration, an unreachable database, a database without tables and an empty table."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import db, schema
from tests.conftest import ROOT, as_of_shown, open_page, set_as_of, shown
from tests.sqlcheck import scalar
from ui.filters import parse_as_of, parse_unit, year_end_as_of
from ui.format import cn_date
from ui.labels import MESSAGES
from ui.navigation import requested_path

EARLIEST, LATEST = dt.date(2021, 1, 1), dt.date(2022, 11, 25)


def test_parse_as_of_accepts_only_valid_dates_in_range():
    assert parse_as_of("2022-06-30", earliest=EARLIEST, latest=LATEST) == dt.date(2022, 6, 30)
    assert parse_as_of("2022-11-25", earliest=EARLIEST, latest=LATEST) == LATEST
    assert parse_as_of("2022-11-26", earliest=EARLIEST, latest=LATEST) is None
    assert parse_as_of("2020-12-31", earliest=EARLIEST, latest=LATEST) is None
    assert parse_as_of("2022-13-01", earliest=EARLIEST, latest=LATEST) is None
    assert parse_as_of("' OR 1=1 --", earliest=EARLIEST, latest=LATEST) is None
    assert parse_as_of(None, earliest=EARLIEST, latest=LATEST) is None


def test_parse_unit_and_year_end():
    assert parse_unit("140423", ["140400", "140423"]) == "140423"
    assert parse_unit("999999", ["140400", "140423"]) is None
    assert year_end_as_of(2021, LATEST) == dt.date(2021, 12, 31)
    assert year_end_as_of(2022, LATEST) == LATEST


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "info", "markdown", "caption")
                    for e in at.get(kind))


def test_defaults_show_latest_date_whole_city_and_sample_badge(app, sample_sqlite_url):
    at = app.run()
    assert not at.exception
    assert as_of_shown(at) == LATEST
    assert at.selectbox(key="global.unit").value == "140400"
    assert at.query_params["as_of"] == "2022-11-25"
    badges = [m.value for m in at.sidebar.markdown if "badge[" in m.value]
    assert badges and "示例数据" in badges[0], "the 示例数据 badge is missing"
    engine = sa.create_engine(sample_sqlite_url)
    with engine.connect() as conn:
        assert scalar(conn, "SELECT COUNT(*) FROM dataset_info WHERE key = 'is_sample' "
                            "AND value = 'true'") == 1


def test_url_sets_filters_and_changing_them_updates_the_url(app):
    at = open_page(app, "accidents", as_of="2022-06-30", unit="140423")
    assert as_of_shown(at) == dt.date(2022, 6, 30)
    assert at.selectbox(key="global.unit").value == "140423"
    at.selectbox(key="global.unit").set_value("140431").run()
    assert at.query_params["unit"] == "140431"
    at.selectbox(key="global.year").set_value(2021).run()
    assert as_of_shown(at) == dt.date(2021, 12, 31)
    assert at.query_params["as_of"] == "2021-12-31"


def test_the_as_of_date_is_picked_in_chinese_within_the_data(app):
    at = open_page(app, "accidents")
    assert not at.get("date_input"), "no calendar: its month names follow the browser's language"
    month, day = at.selectbox(key="global.as_of.month"), at.selectbox(key="global.as_of.day")
    assert month.options == [f"{m}月" for m in range(1, LATEST.month + 1)]
    assert day.options == [f"{d}日" for d in range(1, LATEST.day + 1)]
    set_as_of(at, dt.date(2022, 6, 30))
    assert at.query_params["as_of"] == "2022-06-30"
    assert f"至{cn_date(dt.date(2022, 6, 30))}" in " ".join(c.value for c in at.caption)
    assert [f"{d}日" for d in range(1, 31)] == at.selectbox(key="global.as_of.day").options
    # Another month keeps the day where it exists, else takes the month's last day …
    set_as_of(at, dt.date(2021, 3, 31))
    at.selectbox(key="global.as_of.month").set_value(2).run()
    assert as_of_shown(at) == dt.date(2021, 2, 28) and at.query_params["as_of"] == "2021-02-28"
    # … and never passes the latest date in the data.
    at.selectbox(key="global.year").set_value(2022).run()
    at.selectbox(key="global.as_of.month").set_value(1).run()
    at.selectbox(key="global.as_of.day").set_value(31).run()
    at.selectbox(key="global.as_of.month").set_value(LATEST.month).run()
    assert as_of_shown(at) == LATEST
    assert not at.exception and not at.sidebar.warning


def test_bad_url_values_fall_back_with_a_notice(app):
    at = open_page(app, "overview", as_of="2030-01-01", unit="XYZ")
    assert as_of_shown(at) == LATEST
    assert at.selectbox(key="global.unit").value == "140400"
    warnings = shown(" ".join(w.value for w in at.warning))
    assert "2030-01-01" in warnings and "XYZ" in warnings


def _run_with_url(monkeypatch, url: str) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def test_unreachable_database_gives_a_chinese_message(monkeypatch):
    at = _run_with_url(monkeypatch, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not at.exception
    assert [e.value for e in at.error] == [MESSAGES["db_unreachable"]]


def test_database_without_tables_says_what_is_missing(monkeypatch, tmp_path):
    at = _run_with_url(monkeypatch, f"sqlite:///{tmp_path / 'blank.sqlite'}")
    assert not at.exception
    assert len(at.error) == 1
    assert "生产安全事故" in at.error[0].value and "隐患台账" in at.error[0].value


def test_empty_table_is_named_and_other_pages_still_work(monkeypatch, tmp_path, sample_sqlite_path):
    copy = tmp_path / "partial.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = sa.create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(schema.resource_items.delete())
        conn.execute(schema.resource_sites.delete())
    engine.dispose()
    at = _run_with_url(monkeypatch, f"sqlite:///{copy}")
    at.switch_page("pages/resources.py").run()
    assert not at.exception and not at.error
    assert any("应急资源点位" in i.value for i in at.info)
    at.switch_page("pages/accidents.py").run()
    assert not at.exception and not at.error
    assert at.metric


@pytest.mark.parametrize("content", ["[connections.bureau\nurl = 'x'", "\xff\xfe"])
def test_malformed_secrets_file_gives_a_chinese_message(monkeypatch, tmp_path, content):
    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(content.encode("latin-1"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "SECRETS_PATH", secrets)
    monkeypatch.setattr(db.resolve_database, "__defaults__", (None, secrets))
    import streamlit as st

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [MESSAGES["config_invalid"]]


def test_database_url_resolution_order(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.bureau]\nurl = "postgresql+psycopg://u@h/db"\n',
                       encoding="utf-8")
    assert db.resolve_database({"DATABASE_URL": "sqlite:///x"}, secrets).origin == "env"
    assert db.resolve_database({}, secrets).url == "postgresql+psycopg://u@h/db"
    fallback = db.resolve_database({}, tmp_path / "absent.toml")
    assert fallback.is_embedded_sample and fallback.url.endswith("bureau-sample.sqlite")


def test_sample_database_build_is_idempotent(tmp_path):
    path = tmp_path / "s.sqlite"
    db.ensure_sample_database(path)
    first = path.stat().st_mtime_ns
    db.ensure_sample_database(path)
    assert path.stat().st_mtime_ns == first
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("page", ["overview", "accidents", "rectification", "mining",
                                  "resources"])
@pytest.mark.parametrize("as_of", ["2021-12-31", "2021-01-03", "2022-01-01"])
def test_every_page_renders_early_and_baseline_dates(app, page, as_of):
    at = open_page(app, page, as_of=as_of)
    assert not at.error, [e.value for e in at.error]
    assert as_of_shown(at) == dt.date.fromisoformat(as_of)


def test_sidebar_menu_names_the_pages_in_chinese_and_keeps_the_filters(app):
    at = open_page(app, "accidents", as_of="2022-06-30", unit="140423")
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links] == ["总览", "事故控制", "专项整治", "智能化建设",
                                                    "应急资源"]
    for link in links:
        assert parse_qs(link.proto.query_string) == {"as_of": ["2022-06-30"],
                                                     "unit": ["140423"]}


def test_requested_path_is_the_address_after_the_base_path():
    assert requested_path("http://h:8501/overview", "") == "overview"
    assert requested_path("http://h:8501/", "") == ""
    assert requested_path(None, "") == ""
    assert requested_path("https://h/dash/accidents/", "/dash") == "accidents"
    assert requested_path("https://h/dash", "dash") == ""
    assert requested_path("http://h/%3Cb%3Ex", "") == "<b>x"
