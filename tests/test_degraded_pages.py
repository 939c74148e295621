"""Dirty and hostile databases through app.py: every failure has its own Chinese message, only
the part of a page that needs the missing piece degrades, nothing ends in Streamlit's English
error screen, and a database that goes away leaves the last good figures under a notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, as_of_shown, metric_values, server_url
from tests.test_failures import DIGITS
from tests.test_overview_page import scorecard_rows
from ui.guard import guarded_callback
from ui.labels import MESSAGES, SCORECARD_STATUSES

PAGES = ("overview", "accidents", "rectification", "mining", "resources")
STALE = re.compile(r"数据更新于 \d\d:\d\d,数据库暂不可用")


def app_on(monkeypatch, url: str, **environ: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def copy_with(sample_sqlite_path: Path, tmp_path: Path, *statements: str) -> str:
    """A copy of the sample with `statements` run on it; its URL."""
    copy = tmp_path / "dirty.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = sa.create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()
    return f"sqlite:///{copy}"


def on_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def messages(at: AppTest) -> list[str]:
    return [e.value for kind in ("error", "warning", "info") for e in at.get(kind)]


def url_with(variable: str, **parts: str) -> str:
    return sa.make_url(server_url(variable)).set(**parts).render_as_string(hide_password=False)


# ---- no database: one true message each ----------------------------------------------------
def _auth_pg() -> str:
    return url_with("TEST_POSTGRES_URL", username="nobody_dashboard")


def _auth_mysql() -> str:
    return url_with("TEST_MYSQL_URL", password="wrong-password")


def _missing_pg() -> str:
    name = sa.make_url(server_url("TEST_POSTGRES_URL")).database
    return url_with("TEST_POSTGRES_URL", database=f"{name}_absent")


def _missing_mysql() -> str:
    name = sa.make_url(server_url("TEST_MYSQL_URL")).database
    return url_with("TEST_MYSQL_URL", database=f"{name}_absent")


@pytest.mark.parametrize(("make_url", "message"), [
    (lambda: "postgresql+psycopg://nobody@127.0.0.1:1/none", MESSAGES["db_unreachable"]),
    (lambda: "mysql+pymysql://nobody@127.0.0.1:1/none", MESSAGES["db_unreachable"]),
    (_auth_pg, MESSAGES["db_auth_failed"]),
    (_auth_mysql, MESSAGES["db_auth_failed"]),
    (_missing_pg, MESSAGES["db_missing"]),
    (_missing_mysql, MESSAGES["db_missing"]),
    (lambda: "mysql+mysqldb://root@127.0.0.1:1/x",
     MESSAGES["driver_missing"].format(driver="MySQLdb")),
], ids=["unreachable-pg", "unreachable-mysql", "auth-pg", "auth-mysql", "missing-pg",
        "missing-mysql", "driver"])
def test_each_connection_failure_has_its_own_message(monkeypatch, make_url, message):
    at = app_on(monkeypatch, make_url()).run()
    assert not at.exception
    assert [e.value for e in at.error] == [message]


def test_a_missing_column_the_context_needs_is_named(monkeypatch, tmp_path, sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path, "ALTER TABLE units RENAME COLUMN name TO title")
    at = app_on(monkeypatch, url).run()
    assert not at.exception
    assert [e.value for e in at.error] == [MESSAGES["column_missing"].format(
        table="“单位”(units)", column="name")]


# ---- one part of a page degrades, the rest works --------------------------------------------
def test_a_missing_table_degrades_only_what_reads_it(monkeypatch, tmp_path, sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path, "DROP TABLE resource_items")
    at = on_page(app_on(monkeypatch, url).run(), "resources")
    expected = MESSAGES["table_missing"].format(table="“应急物资装备”(resource_items)")
    assert expected in [e.value for e in at.error]
    assert "救援人员" in metric_values(at), "the headline does not need the items"
    assert as_of_shown(at), "the sidebar still works"
    at = on_page(at, "accidents")
    assert not at.error and metric_values(at)


def test_a_missing_column_degrades_only_its_sections(monkeypatch, tmp_path, sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path,
                    "ALTER TABLE coal_gas_events RENAME COLUMN kind TO event_kind")
    at = on_page(app_on(monkeypatch, url).run(), "overview")
    expected = MESSAGES["column_missing"].format(table="“煤矿瓦斯事件”(coal_gas_events)",
                                                 column="kind")
    assert expected in [e.value for e in at.error]  # the scorecard, and 本周变化 (it compares it)
    assert {"事故起数", "隐患销号率", "应急资源点位"} <= set(metric_values(at))
    assert at.dataframe, "the monitoring table still shows"
    at = on_page(at, "mining")
    assert metric_values(at)["已建成工作面"]


def test_one_dropped_scorecard_table_empties_its_lines_only(monkeypatch, tmp_path,
                                                            sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path, "DROP TABLE coal_gas_events")
    at = on_page(app_on(monkeypatch, url).run(), "overview")
    assert not at.error, messages(at)
    rows = scorecard_rows(at)
    for code in ("gas_over_limit", "coal_outburst"):
        assert rows[code]["status_attr"] == "no_data"
        assert rows[code]["value"] == SCORECARD_STATUSES["no_data"]
        assert "缺少数据表:煤矿瓦斯事件" in rows[code]["title"]
    assert {"met", "warning", "missed"} <= {row["status_attr"] for row in rows.values()}
    for page in PAGES[1:]:
        at = on_page(at, page)
        assert not at.error, (page, messages(at))


def test_a_query_timeout_says_so(monkeypatch, tmp_path, sample_sqlite_path):
    # resource_items becomes a view that never finishes: its queries meet the 1-second limit.
    endless = ", ".join(f"({DIGITS}) AS t{i}" for i in range(12))
    url = copy_with(sample_sqlite_path, tmp_path, "DROP TABLE resource_items",
                    "CREATE VIEW resource_items AS SELECT t0.d AS id, t1.d AS site_id, "
                    "'x' AS item, 'drainage' AS category, t2.d AS quantity, '台' AS uom "
                    f"FROM {endless} WHERE {' + '.join(f't{i}.d' for i in range(12))} > 200")
    at = on_page(app_on(monkeypatch, url, DASHBOARD_QUERY_TIMEOUT="1").run(), "resources")
    assert MESSAGES["query_timeout"].format(seconds="1") in [e.value for e in at.error]
    assert "救援人员" in metric_values(at)


def test_a_null_unit_name_reads_as_its_code(monkeypatch, tmp_path, sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path,
                    "ALTER TABLE units RENAME TO units_kept",
                    "CREATE VIEW units AS SELECT code, CASE code WHEN '140423' THEN NULL "
                    "ELSE name END AS name, kind, parent_code, lat, lon, sort_order "
                    "FROM units_kept")
    at = app_on(monkeypatch, url).run()
    assert not at.exception and not at.error
    unit = at.selectbox(key="global.unit")
    assert "140423" in unit.options
    unit.set_value("140423").run()
    assert not at.exception and not at.error
    assert any(c.value.startswith("140423 ·") for c in at.caption)
    for page in PAGES:
        assert not on_page(at, page).error, page


def test_without_dataset_info_the_data_are_not_marked_as_sample(monkeypatch, tmp_path,
                                                                sample_sqlite_path):
    url = copy_with(sample_sqlite_path, tmp_path, "DROP TABLE dataset_info")
    at = app_on(monkeypatch, url).run()
    assert not at.exception and not at.error
    assert not [m for m in at.sidebar.markdown if "示例数据" in m.value]
    assert metric_values(on_page(at, "overview"))


def test_filters_that_fail_leave_the_pages_working(monkeypatch, sample_sqlite_url):
    def broken(ctx):
        raise TypeError("a value the filters cannot draw")

    monkeypatch.setattr("ui.filters.render_global_filters", broken)
    at = app_on(monkeypatch, sample_sqlite_url).run()
    assert not at.exception
    assert [w.value for w in at.sidebar.warning] == [MESSAGES["filters_failed"]]
    assert metric_values(on_page(at, "accidents"))


def test_a_failing_widget_callback_is_told_in_chinese():
    def script():
        import streamlit as st

        from tests.test_degraded_pages import failing_action
        st.button("go", key="go", on_click=failing_action)

    at = AppTest.from_function(script, default_timeout=60).run()
    at.button(key="go").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [MESSAGES["action_failed"]]


@guarded_callback
def failing_action() -> None:
    raise KeyError("gone")


# ---- the database goes away: last good figures under a notice --------------------------------
def run_until(at: AppTest, done, runs: int = 60) -> AppTest:
    """Rerun until `done(at)`: the first runs after a restart may still find the database away
    (a probe under way); generous, not timed."""
    for _ in range(runs):
        at.run()
        if done(at):
            return at
    raise AssertionError("the condition never came")


def stale_notices(at: AppTest) -> list[str]:
    return [STALE.search(h.proto.body).group() for h in at.get("html")
            if 'class="stale-bar"' in h.proto.body and STALE.search(h.proto.body)]


def test_a_page_keeps_its_last_figures_while_the_database_is_stopped(monkeypatch,
                                                                      throwaway_postgres):
    at = on_page(app_on(monkeypatch, throwaway_postgres.url()).run(), "overview")
    before, lines = metric_values(at), scorecard_rows(at)
    assert not stale_notices(at)
    throwaway_postgres.stop()
    try:
        at.run()
        assert not at.exception and not at.error, messages(at)
        assert len(stale_notices(at)) == 1
        assert metric_values(at) == before and scorecard_rows(at) == lines
        at = on_page(at, "mining")  # never shown before: no last good figures
        assert MESSAGES["db_unreachable"] in [e.value for e in at.error]
        assert as_of_shown(at), "the sidebar still works"
        assert len(stale_notices(at)) == 1
    finally:
        throwaway_postgres.start()
    at = on_page(at, "overview")
    run_until(at, lambda a: not stale_notices(a))
    assert not at.error and metric_values(at) == before


def test_the_screen_keeps_its_last_figures_while_the_database_is_stopped(monkeypatch,
                                                                         throwaway_postgres):
    at = app_on(monkeypatch, throwaway_postgres.url())
    at.query_params.update({"kiosk": "1", "views": "overview"})
    at.run()
    before = metric_values(at)
    assert before and not at.exception
    throwaway_postgres.stop()
    try:
        at.run()
        assert not at.exception
        bodies = [h.proto.body for h in at.get("html")]
        assert any('class="screen-head"' in b and "态势总览" in b for b in bodies)
        assert any('class="screen-stale"' in b and STALE.search(b) for b in bodies)
        assert at.get("iframe"), "the clock stays"
        assert metric_values(at) == before
    finally:
        throwaway_postgres.start()
    run_until(at, lambda a: not any('class="screen-stale"' in h.proto.body for h in a.get("html")))
    assert metric_values(at) == before
