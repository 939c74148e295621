"""The meeting-room screen (kiosk): every view renders the latest data, figures equal SQL."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.conftest import metric_values
from tests.sqlcheck import day_bounds, scalar

AS_OF = dt.date(2022, 11, 25)


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
    assert shown["任务已完成"] == f"{completed}项"
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
    shown = metric_values(at)
    teams = scalar(sample_conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'team'")
    assert shown["救援队伍"] == f"{teams}处"
    assert len(at.get("deck_gl_json_chart")) == 1
