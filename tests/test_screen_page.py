"""The meeting-room screen (kiosk): every view renders the latest data, figures equal SQL."""

from __future__ import annotations

import datetime as dt
import re

from streamlit.testing.v1 import AppTest

from data_access import accident_rules
from sample_data.plans import lines_2022
from tests.conftest import metric_values
from tests.sqlcheck import day_bounds, last_check_sql, scalar

AS_OF = dt.date(2022, 11, 25)


def overdue_sites(conn) -> int:
    last = last_check_sql("s")
    return scalar(conn, f"SELECT COUNT(*) FROM resource_sites s WHERE {last} IS NULL "
                        f"OR {last} < :cut", cut=AS_OF - dt.timedelta(days=90), as_of=AS_OF)


def kiosk(app: AppTest, view: str) -> AppTest:
    app.query_params.update({"kiosk": "1", "views": view})
    at = app.run()
    assert not at.exception and not at.error
    assert len(at.sidebar.markdown) == 0, "the screen has no sidebar"
    assert not at.selectbox and not at.date_input and not at.button
    return at


def test_overview_view(app, sample_conn):
    shown = metric_values(kiosk(app, "overview"))
    bounds = day_bounds(AS_OF)
    assert shown["事故起数"] == f"{scalar(sample_conn, 'SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end', **bounds)}起"
    assert shown["死亡人数"] == f"{scalar(sample_conn, 'SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end', **bounds)}人"
    built = scalar(sample_conn, "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2022 "
                        "AND accepted_on <= :d", d=AS_OF)
    assert shown["工作面已建成"] == f"{built}处"


def test_accidents_view(app, sample_conn):
    shown = metric_values(kiosk(app, "accidents"))
    bounds = day_bounds(AS_OF)
    for grade, label in (("larger", "较大事故"), ("general", "一般事故"), ("major", "重大事故")):
        expected = scalar(sample_conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                               "AND occurred_at < :end AND grade = :g", g=grade, **bounds)
        assert shown[label] == f"{expected}起"
    assert len(app.get("plotly_chart")) == 2


def test_rectification_view(app, sample_conn):
    shown = metric_values(kiosk(app, "rectification"))
    completed = scalar(sample_conn, "SELECT COUNT(DISTINCT task_id) FROM task_progress_reports "
                            "WHERE progress_pct >= 100 AND reported_on <= :d", d=AS_OF)
    total = scalar(sample_conn, "SELECT COUNT(*) FROM key_tasks")
    assert shown["重点任务完成"] == f"{completed}/{total}项"
    overdue = scalar(sample_conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on >= :s AND "
                          "found_on <= :d AND (closed_on IS NULL OR closed_on > :d) "
                          "AND deadline < :d", s=dt.date(2022, 1, 1), d=AS_OF)
    assert shown["超期未整改"] == f"{overdue}项"


def test_mining_view(app, sample_conn):
    shown = metric_values(kiosk(app, "mining"))
    built = scalar(sample_conn, "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2022 "
                        "AND accepted_on <= :d", d=AS_OF)
    target = scalar(sample_conn, "SELECT value FROM targets WHERE year = 2022 AND "
                         "metric = 'intelligent_faces' AND unit_code IS NULL")
    assert shown["工作面已建成"] == f"{built}处"
    assert shown["年度目标"] == f"{target}处"


def test_resources_view(app, sample_conn):
    at = kiosk(app, "resources")
    teams = scalar(sample_conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'team'")
    legend = " ".join(h.body for h in at.get("html") if "map-legend" in h.body)
    shown_teams = sum(int(n) for n in re.findall(r"(\d+)支", legend))
    assert shown_teams == teams, "the legend counts every team once, by type"
    overdue = metric_values(at)["物资检查超期"]
    assert overdue == f"{overdue_sites(sample_conn)}处"
    assert len(at.get("deck_gl_json_chart")) == 1


def chips(at: AppTest) -> list[str]:
    """The words of the headline tiles' verdict chips, in order."""
    return [re.sub(r"<[^>]+>", "", h.body) for h in at.get("html")
            if h.body.startswith("<span class=\"screen-chip")]


def test_overview_tiles_carry_the_pages_verdicts(app, sample_conn):
    at = kiosk(app, "overview")
    bounds = day_bounds(AS_OF)
    progress = accident_rules.time_progress(AS_OF)
    used = scalar(sample_conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND "
                               "occurred_at < :end", **bounds)
    deaths = scalar(sample_conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start "
                                 "AND occurred_at < :end", **bounds)
    limits = {m: scalar(sample_conn, "SELECT value FROM targets WHERE year = 2022 AND metric = :m "
                                     "AND unit_code IS NULL AND sector_code IS NULL", m=m)
              for m in ("accidents_total", "deaths")}
    overdue = overdue_sites(sample_conn)
    words = chips(at)
    assert len(words) == 6, "every headline tile has a verdict"
    assert words[0] == accident_rules.control_status(used, limits["accidents_total"],
                                                     progress).label
    assert words[1] == accident_rules.control_status(deaths, limits["deaths"], progress).label
    assert words[5] == ("达标" if overdue == 0 else "未达标")


def test_scorecard_view_shows_the_sections_the_overview_leaves_out(app):
    at = kiosk(app, "scorecard")
    body = " ".join(h.body for h in at.get("html"))
    overview = " ".join(h.body for h in kiosk(app, "overview").get("html"))
    codes = set(re.findall(r'data-code="([a-z_0-9]+)"', body))
    shown_first = set(re.findall(r'data-code="([a-z_0-9]+)"', overview))
    assert codes and shown_first and not codes & shown_first
    assert codes | shown_first == {line.code for line in lines_2022()}


def test_the_screen_reloads_itself_once_the_quiet_hour_has_come(app):
    def reload_scripts(at: AppTest) -> int:
        return sum("window.location.reload()" in h.body for h in at.get("html"))

    at = kiosk(app, "mining")
    assert reload_scripts(at) == 0, "a page just loaded is not reloaded"
    # The same session a day later: the quiet hour (03:00 by default) has passed since it began.
    at.session_state["screen.loaded_at"] = dt.datetime.now() - dt.timedelta(days=1)
    at.run()
    assert reload_scripts(at) == 1
    at.query_params["reload"] = "off"
    at.run()
    assert reload_scripts(at) == 0


def test_the_map_is_drawn_on_every_view_of_a_rotation_with_it_hidden_on_the_others(app):
    # rotate=3600: the same place in the rotation for both runs, so the two orders show
    # one each of the two views (each in a session of its own).
    shown = {}
    for order in ("overview,resources", "resources,overview"):
        at = AppTest.from_file(app._script_path, default_timeout=60)
        at.query_params.update({"kiosk": "1", "views": order, "rotate": "3600"})
        at.run()
        assert not at.exception
        title = next(h.body for h in at.get("html") if 'class="view"' in h.body)
        hidden = any('<span class="screen-map-off">' in h.body for h in at.get("html"))
        assert len(at.get("deck_gl_json_chart")) == 1, order
        shown["应急资源" if "应急资源" in title else "态势总览"] = hidden
    assert shown == {"应急资源": False, "态势总览": True}
    app.query_params.update({"kiosk": "1", "views": "overview,accidents"})
    assert not app.run().get("deck_gl_json_chart"), "no map where the rotation has none"
