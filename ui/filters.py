"""Global filters (as-of date, year, unit) shared by every page and mirrored in the URL as
`?as_of=YYYY-MM-DD&unit=CODE`, so any view is a shareable link.

The widgets live in the sidebar of `app.py`; their state survives page switches because the
entry script renders them on every run. 数据截至 is picked as 月 and 日 of the 统计年度 above it
(ui/datepick.py: Chinese whatever the browser's language). URL values are validated: a malformed or out-of-range
value falls back to the default and the user is told so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from data_access._sql import CITY_CODE
from ui.data import DataContext
from ui.datepick import date_select
from ui.guard import guarded_callback
from ui.labels import AUTH_TEXT, CHOOSE
from ui.safe import md

AS_OF_KEY = "global.as_of"  # the picker's boxes: global.as_of.month, global.as_of.day
YEAR_KEY = "global.year"
UNIT_KEY = "global.unit"
REVIEW_INTERVAL_DAYS = 7


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    unit: str  # a unit code; CITY_CODE for the whole city

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def unit_or_none(self) -> str | None:
        return None if self.unit == CITY_CODE else self.unit

    @property
    def previous_review(self) -> dt.date:
        """The previous weekly review: the same weekday a week earlier."""
        return self.as_of - dt.timedelta(days=REVIEW_INTERVAL_DAYS)

    def query_params(self) -> dict[str, str]:
        params = {"as_of": self.as_of.isoformat()}
        if self.unit != CITY_CODE:
            params["unit"] = self.unit
        return params


def default_unit(ctx: DataContext) -> str:
    """The whole city, or the one unit a county user may see."""
    codes = list(ctx.units["code"])
    return CITY_CODE if CITY_CODE in codes or not codes else codes[0]


def default_filters(ctx: DataContext) -> Filters:
    """The whole city (a county user: their unit) as of the latest data."""
    return Filters(as_of=ctx.latest_date or dt.date.today(), unit=default_unit(ctx))


def parse_as_of(text: str | None, *, earliest: dt.date, latest: dt.date) -> dt.date | None:
    """A valid as-of date from the URL, or None when missing, malformed or out of range."""
    if not text:
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return value if earliest <= value <= latest else None


def parse_unit(text: str | None, unit_codes: list[str]) -> str | None:
    return text if text in unit_codes else None


def date_range(ctx: DataContext) -> tuple[dt.date, dt.date]:
    latest = ctx.latest_date or dt.date.today()
    earliest = dt.date(min(ctx.years), 1, 1) if ctx.years else dt.date(latest.year, 1, 1)
    return earliest, latest


def year_label(year: int, plan_years: tuple[int, ...]) -> str:
    """2022年, or 2023年(无工作通知) for a year whose notice has not been entered."""
    return f"{year}年" if year in plan_years else f"{year}年(无工作通知)"


def year_end_as_of(year: int, latest: dt.date) -> dt.date:
    """The as-of date that shows a whole year: 31 December, or the latest data date."""
    return min(dt.date(year, 12, 31), latest)


# The filter values live under these plain session keys; the widgets mirror them. Widget state
# alone is not enough: a widget's identity can change between runs (AppTest resets Streamlit's
# page mode on every run), and the value must survive that. A page's widget callback may set
# STATE_UNIT or STATE_AS_OF to change a global filter (e.g. a drill-down click on a unit).
STATE_AS_OF = "filters.as_of"
STATE_UNIT = "filters.unit"
STATE_NOTICES = "filters.notices"  # shown until the user changes a filter
STATE_LATEST = "filters.latest"  # the data's latest date when the filters were last drawn


def _initialise(ctx: DataContext) -> None:
    """First run of a session: take the URL's values where valid, with notices for the user."""
    earliest, latest = date_range(ctx)
    notices = []
    params = st.query_params
    as_of = parse_as_of(params.get("as_of"), earliest=earliest, latest=latest)
    if params.get("as_of") and as_of is None:
        notices.append(f"链接中的日期“{md(params.get('as_of'), 20)}”无效或超出数据范围,已改用 {latest}。")
    unit = parse_unit(params.get("unit"), list(ctx.units["code"]))
    if params.get("unit") in ctx.denied_units:
        notices.append(AUTH_TEXT["unit_denied"].format(
            unit=md(params.get("unit"), 20), own=md(ctx.unit_name(default_unit(ctx)))))
    elif params.get("unit") and unit is None:
        notices.append(f"链接中的单位代码“{md(params.get('unit'), 20)}”不存在,已改为全市。")
    st.session_state[STATE_AS_OF] = as_of or latest
    st.session_state[STATE_UNIT] = unit or default_unit(ctx)
    st.session_state[STATE_NOTICES] = notices
    st.session_state[STATE_LATEST] = latest


def follow_latest(as_of: dt.date, previous_latest: dt.date, latest: dt.date) -> dt.date:
    """The as-of date once the data's latest date moved (an import, an undo): a view of the
    latest data follows it; a view of an earlier date stays, unless it is now past the data."""
    if as_of == previous_latest:
        return latest
    return min(as_of, latest)


@guarded_callback
def _on_year_change(latest: dt.date) -> None:
    st.session_state[STATE_NOTICES] = []
    st.session_state[STATE_AS_OF] = year_end_as_of(st.session_state[YEAR_KEY], latest)


def _on_as_of_change(as_of: dt.date) -> None:
    st.session_state[STATE_NOTICES] = []
    st.session_state[STATE_AS_OF] = as_of


@guarded_callback
def _on_unit_change() -> None:
    st.session_state[STATE_NOTICES] = []
    st.session_state[STATE_UNIT] = st.session_state[UNIT_KEY]


def render_global_filters(ctx: DataContext) -> Filters:
    if STATE_AS_OF not in st.session_state:
        _initialise(ctx)
    earliest, latest = date_range(ctx)
    if st.session_state.get(STATE_LATEST, latest) != latest:
        st.session_state[STATE_AS_OF] = max(earliest, follow_latest(
            st.session_state[STATE_AS_OF], st.session_state[STATE_LATEST], latest))
    st.session_state[STATE_LATEST] = latest
    years = list(ctx.years) or [latest.year]
    st.session_state[YEAR_KEY] = st.session_state[STATE_AS_OF].year
    st.session_state[UNIT_KEY] = st.session_state[STATE_UNIT]
    with st.sidebar:
        st.selectbox("统计年度", years, key=YEAR_KEY,
                     format_func=lambda y: year_label(y, ctx.plan_years),
                     on_change=_on_year_change, args=(latest,), placeholder=CHOOSE,
                     help="有数据的年度;没有录入年度工作通知的年度标注“无工作通知”。")
        date_select("数据截至", st.session_state[STATE_AS_OF], key=AS_OF_KEY, earliest=earliest,
                    latest=latest, on_change=_on_as_of_change, with_year=False,
                    help="统计年度中的月、日;所有指标按此日期(含当日)统计,默认是数据中的最新日期。")
        st.selectbox("单位", list(ctx.units["code"]), key=UNIT_KEY, on_change=_on_unit_change,
                     placeholder=CHOOSE,
                     format_func=lambda code: "全市" if code == CITY_CODE else ctx.unit_name(code))
        for notice in st.session_state[STATE_NOTICES]:
            st.warning(notice)
    filters = Filters(as_of=st.session_state[STATE_AS_OF], unit=st.session_state[STATE_UNIT])
    sync_url(filters)
    return filters


def sync_url(filters: Filters) -> None:
    st.query_params["as_of"] = filters.as_of.isoformat()
    if filters.unit == CITY_CODE:
        st.query_params.pop("unit", None)
    else:
        st.query_params["unit"] = filters.unit


def page_param(name: str, allowed: list[str]) -> str | None:
    """A page-level URL parameter (e.g. a drill-down selection), if it is one of `allowed`."""
    value = st.query_params.get(name)
    return value if value in allowed else None


def set_page_param(name: str, value: str | None) -> None:
    if value is None:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = value
