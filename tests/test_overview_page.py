"""The overview page through app.py: every headline tile figure and every scorecard line (value,
status, change since the previous review, last week's status, rule on hover) against
independent SQL on the sample database."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import parse_qs

import pytest
import sqlalchemy as sa

from sample_data.plans import lines_2022
from tests.conftest import metric_values, open_page
from tests.sqlcheck import day_bounds, last_check_sql, scalar
from tests.test_scorecard_rules import expected_control_word, expected_scorecard, expected_status
from ui.labels import SCORECARD_DEFINITIONS, SCORECARD_RULES, SCORECARD_STATUSES

LINES_2022 = {line.code: line for line in lines_2022()}
CASES = [(dt.date(2022, 11, 25), None), (dt.date(2022, 6, 30), "140423"),
         (dt.date(2022, 11, 25), "JKQ")]


class ScorecardRows(HTMLParser):
    """Collects, per `<tr data-code>`: status attribute, title, and the text of the value, the
    status chips, the target and the change cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict] = {}
        self._row: dict | None = None
        self._field: str | None = None
        self._td_class: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-code" in a:
            self._row = {"status_attr": a["data-status"], "title": a.get("title", ""),
                         "value": "", "chips": [], "change": "", "target": ""}
            self.rows[a["data-code"]] = self._row
        elif self._row is not None and tag == "td":
            self._td_class = a.get("class")
            self._field = {"sc-change": "change", "sc-target": "target"}.get(self._td_class)
            if self._td_class is None:
                self._field = "cell"
                self._row.setdefault("cells", []).append("")
        elif self._row is not None and tag == "span":
            css = a.get("class", "")
            if css == "sc-value":
                self._field = "value"
            elif "sc-chip" in css:
                self._row["chips"].append("")
                self._field = "chip"
        elif self._row is not None and tag == "small" and self._td_class == "sc-num":
            self._field = None

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None
        if tag in ("span", "td"):
            self._field = {"sc-change": "change", "sc-target": "target"}.get(self._td_class) \
                if tag == "span" else None

    def handle_data(self, data):
        if self._row is None or self._field is None:
            return
        if self._field == "chip":
            self._row["chips"][-1] += data
        elif self._field == "cell":
            self._row["cells"][-1] += data
        else:
            self._row[self._field] += data


def scorecard_rows(at) -> dict[str, dict]:
    parser = ScorecardRows()
    for element in at.html:
        parser.feed(element.proto.body)
    return parser.rows


def _value_text(code: str, numerator, denominator) -> str:
    line = LINES_2022[code]
    if line.rule == "control":
        return f"{numerator}{line.uom}"
    if numerator is None or (line.rule != "zero" and not denominator):
        return "无数据"
    if line.rule == "zero":
        return f"{numerator}{line.uom}"
    tenths = numerator * 1000 // denominator  # rounded down: never 100.0% below the target
    return f"{tenths // 10}.{tenths % 10}%"


def _change_text(code: str, now: tuple, then: tuple) -> str:
    line = LINES_2022[code]
    if not line.has_history:
        return "无历史"

    def value(pair):
        numerator, denominator = pair
        if line.rule == "control":
            return numerator
        if numerator is None or (line.rule != "zero" and not denominator):
            return None
        return numerator if line.rule == "zero" else numerator / denominator

    a, b = value(now), value(then)
    if a is None or b is None:
        return "—"
    if line.rule in ("zero", "control"):
        return "持平" if a == b else f"{a - b:+d}{line.uom}".replace("-", "−")
    points = round((a - b) * 100, 1)
    return "持平" if points == 0 else f"{points:+.1f}个百分点".replace("-", "−")


def word(line, pair: tuple, day: dt.date, status: str) -> str:
    """The chip's word: a control line's own (as on 事故控制), else the status's."""
    if line.rule == "control":
        return expected_control_word(*pair, day)
    return SCORECARD_STATUSES[status]


@pytest.fixture(scope="module")
def sample(sample_sqlite_url):
    engine = sa.create_engine(sample_sqlite_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


@pytest.mark.parametrize(("as_of", "unit"), CASES)
def test_every_scorecard_line_matches_sql(app, sample, as_of, unit):
    params = {"as_of": as_of.isoformat(), **({"unit": unit} if unit else {})}
    at = open_page(app, "overview", **params)
    shown = scorecard_rows(at)
    assert list(shown) == [line.code for line in lines_2022()]
    previous_day = as_of - dt.timedelta(days=7)
    now = expected_scorecard(sample, as_of, unit)
    before = expected_scorecard(sample, previous_day, unit)
    for line in lines_2022():
        row = shown[line.code]
        status = expected_status(line.code, *now[line.code], as_of)
        assert row["value"] == _value_text(line.code, *now[line.code]), line.code
        assert row["status_attr"] == status, line.code
        assert row["chips"][0] == word(line, now[line.code], as_of, status), line.code
        assert row["change"] == _change_text(line.code, now[line.code], before[line.code]), \
            line.code
        if line.has_history:
            previous = expected_status(line.code, *before[line.code], previous_day)
            assert row["chips"][1] == word(line, before[line.code], previous_day, previous), \
                line.code
        else:
            assert len(row["chips"]) == 1
        assert SCORECARD_DEFINITIONS[line.code] in row["title"]
        assert SCORECARD_RULES[line.rule] in row["title"]
        limit = now[line.code][1]
        target = {"zero": f"0{line.uom}", "control": "未设定" if limit is None
                  else f"{limit}{line.uom}"}.get(line.rule, "100%")
        assert row["target"].startswith(target), line.code


@pytest.mark.parametrize(("unit", "colours"), [
    (None, {"met", "warning", "missed"}), ("JKQ", {"no_data"})])
def test_the_sample_story_shows_every_colour(app, unit, colours):
    at = open_page(app, "overview", as_of="2022-11-25", **({"unit": unit} if unit else {}))
    assert colours <= {row["status_attr"] for row in scorecard_rows(at).values()}


@pytest.mark.parametrize(("as_of", "unit"), CASES[:2])
def test_tiles_match_sql(app, sample, as_of, unit):
    params = {"as_of": as_of.isoformat(), **({"unit": unit} if unit else {})}
    metrics = metric_values(open_page(app, "overview", **params))
    u = "" if unit is None else " AND unit_code = :unit"
    up = {} if unit is None else {"unit": unit}
    bounds = day_bounds(as_of)
    assert metrics["事故起数"] == f"{scalar(sample, 'SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end' + u, **bounds, **up):,}起"
    assert metrics["死亡人数"] == f"{scalar(sample, 'SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end' + u, **bounds, **up):,}人"
    tasks = scalar(sample, "SELECT COUNT(*) FROM key_tasks WHERE year = :y", y=as_of.year)
    done = scalar(sample, "SELECT COUNT(DISTINCT r.task_id) FROM task_progress_reports r JOIN "
                          "key_tasks t ON t.id = r.task_id WHERE t.year = :y AND "
                          "r.progress_pct >= 100 AND r.reported_on <= :d", y=as_of.year, d=as_of)
    assert metrics["重点任务完成"] == f"{done}/{tasks}项"
    period = "found_on >= :start AND found_on <= :d" + u
    found = scalar(sample, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period}",
                   start=dt.date(as_of.year, 1, 1), d=as_of, **up)
    closed = scalar(sample, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period} AND "
                            "closed_on <= :d", start=dt.date(as_of.year, 1, 1), d=as_of, **up)
    assert metrics["隐患销号率"] == f"{closed / found * 100:.1f}%"
    faces = ("FROM working_faces f JOIN coal_mines m ON m.id = f.mine_id WHERE f.plan_year = :y "
             "AND f.planned_on <= :d" + ("" if unit is None else " AND m.unit_code = :unit"))
    built = scalar(sample, f"SELECT COUNT(*) {faces} AND f.accepted_on <= :d", y=as_of.year,
                   d=as_of, **up)
    late = scalar(sample, f"SELECT COUNT(*) {faces} AND f.planned_completion_on < :d AND "
                          "(f.accepted_on IS NULL OR f.accepted_on > :d)", y=as_of.year,
                  d=as_of, **up)
    assert metrics["智能化工作面建成"] == f"{built}处"
    assert metrics["逾期未建成"] == f"{late}处"
    where = "WHERE 1 = 1" + u
    assert metrics["应急资源点位"] == f"{scalar(sample, f'SELECT COUNT(*) FROM resource_sites {where}', **up)}处"
    last = last_check_sql()
    overdue = scalar(sample, f"SELECT COUNT(*) FROM resource_sites {where} AND "
                             f"({last} IS NULL OR {last} < :cutoff)",
                     cutoff=as_of - dt.timedelta(days=90), as_of=as_of, **up)
    assert metrics["物资检查超期"] == f"{overdue}处"


def test_tiles_link_to_their_pages_with_the_same_filters(app):
    at = open_page(app, "overview", as_of="2022-06-30", unit="140423")
    links = at.main.get("page_link")  # the sidebar's menu has links to the same pages
    pages = {link.proto.page.split("/")[-1].removesuffix(".py"): link.proto.query_string
             for link in links}
    assert set(pages) >= {"accidents", "rectification", "mining", "resources"}
    for page in ("accidents", "rectification", "mining", "resources"):
        assert parse_qs(pages[page]) == {"as_of": ["2022-06-30"], "unit": ["140423"]}, page


def test_monitoring_by_unit_matches_sql(app, sample):
    at = open_page(app, "overview", as_of="2022-11-25")
    table = next(df.value for df in at.dataframe if "消警率" in df.value.columns)
    week = dt.date(2022, 11, 25)
    expected = sample.execute(sa.text(
        "SELECT u.name, w.alarms, w.alarms_cleared, w.alarms_over_24h FROM "
        "hazchem_monitoring_weekly w JOIN units u ON u.code = w.unit_code WHERE "
        "w.week_ending = :w ORDER BY w.unit_code").bindparams(
        sa.bindparam("w", week, type_=sa.Date))).all()
    assert list(table["单位"]) == [r[0] for r in expected]
    assert list(table["本周报警(条)"]) == [r[1] for r in expected]
    assert list(table["超24小时未消警(条)"]) == [r[3] for r in expected]
    for shown, (_name, alarms, cleared, _over) in zip(table["消警率"], expected):
        tenths = cleared * 1000 // alarms
        assert shown == f"{tenths // 10}.{tenths % 10}%"
