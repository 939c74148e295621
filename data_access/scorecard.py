"""The overview scorecard: the quantified targets of the year's notice, each line computed as of
a date for the whole city or one unit, with its status by a pure rule.

Which lines, with which rule, target and unit of measure, is the year's plan (data, read by
data_access/plans.py); what each line computes is a measure of the fixed catalogue
(data_access/measures.py), whose queries live here.

Every measure is computed from dated records, so moving `as_of` back shows what the scorecard
showed then (the change since the previous weekly review is the same function a week earlier).
The one exception is standardization: `enterprises` holds the current grades without dates, so
that line is the current state whatever the date (`has_history=False`).

`unit` is a unit code; None or the city code "140400" means the whole city. A measure that has
nothing to measure in the scope (no coal mine, no township, a zone that is not required to drill)
is None, and its status is 无数据 (`no_data`). The rules are written down in docs/scorecard.md.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import accident_rules, plans, rectification, vocab
from data_access import measures as catalogue
from data_access._sql import (
    count_where,
    frame,
    latest_rows,
    sum_of,
    unit_scope,
    year_start,
)
from data_access.accidents import summarize_accidents
from data_access.catalog import relation_names
from data_access.plans import Line
from data_access.schema import (
    coal_gas_events,
    coal_mines,
    cyber_incidents,
    drills,
    enterprises,
    hazchem_monitoring_weekly,
    inspection_plans,
    inspection_progress,
    leadership_activities,
    major_hazard_source_events,
    major_hazard_sources,
    oil_gas_storage_assessments,
    risk_census_progress,
    township_staffing,
    townships,
    units,
    working_faces,
)
from data_access.targets import list_targets, pick_target
from data_access.validity import usable

STATUSES = ("met", "pending", "warning", "missed", "no_data")
RATE_WARNING_FROM = 0.95
MIN_TOWNSHIP_STAFF = 3
MIN_MONTHLY_MEETINGS = 1
MIN_MONTHLY_VISITS = 2
REQUIRED_DRILL_KINDS = ("city", "district", "county")  # 市县两级
CENSUS_UNIT_KINDS = ("district", "county")
SERIOUS_CYBER_SEVERITIES = ("larger", "major", "extra_major")  # 较大及以上
HIGH_OIL_GAS_RISK = ("high", "higher")  # 高风险、较高风险
MONITORING_FRESH_DAYS = 7


# ---- status rules (pure) -----------------------------------------------------------------
def rate_status(value: float | None, *, target: float = 1.0,
                warning_from: float = RATE_WARNING_FROM) -> str:
    """A rate against a fixed target: at or above the target 达标; from `warning_from` up to
    the target 预警; below 未达标; no value 无数据."""
    if value is None:
        return "no_data"
    if value >= target:
        return "met"
    if value >= warning_from:
        return "warning"
    return "missed"


def zero_status(count: int | None) -> str:
    """Events or entities that must be zero: 0 达标, 1 or more 未达标, no value 无数据."""
    if count is None:
        return "no_data"
    return "met" if count <= 0 else "missed"


def year_elapsed_share(as_of: dt.date) -> float:
    """Share of the calendar year elapsed at the end of `as_of` (1 January = 1/365, 31 December = 1)."""
    days = (dt.date(as_of.year, 12, 31) - dt.date(as_of.year, 1, 1)).days + 1
    return as_of.timetuple().tm_yday / days


def progress_status(value: float | None, *, as_of: dt.date, target: float = 1.0) -> str:
    """A target to reach by year end, read against time (时间过半、任务过半): at or above the
    target 达标; not there yet but at or above the time-proportional share of it (target ×
    share of the year elapsed) 预警; behind time 未达标; no value 无数据. On 31 December anything
    short of the target is 未达标."""
    if value is None:
        return "no_data"
    if value >= target:
        return "met"
    if value >= target * year_elapsed_share(as_of):
        return "warning"
    return "missed"


# A once-a-year obligation not yet met is 预警 from this day of the year (month, day): the last
# quarter, when less than three months are left to organise it.
ANNUAL_LATE_FROM = (10, 1)


def annual_status(value: float | None, *, as_of: dt.date, target: float = 1.0,
                  late_from: tuple[int, int] = ANNUAL_LATE_FROM) -> str:
    """An obligation due once a year by 31 December (每年至少1次), judged by its deadline, not
    by time elapsed: done 达标; not yet done before `late_from` (1 October) 未到期, there is time;
    not done from `late_from` to 30 December 预警; not done on 31 December, the deadline,
    未达标; no value 无数据."""
    if value is None:
        return "no_data"
    if value >= target:
        return "met"
    if as_of >= dt.date(as_of.year, 12, 31):
        return "missed"
    if as_of >= dt.date(as_of.year, *late_from):
        return "warning"
    return "pending"


# Accident control measures (kind control in data_access/measures.py): the grades each counts
# (or deaths), the indicator in `targets`, and whether it is controlled at zero whatever the
# targets say (重特大: the notice says 杜绝).
CONTROL_LINES = {
    "major_accidents": (("extra_major", "major"), None, True),
    "larger_accidents": (("larger",), "accidents_larger", False),
    "general_accidents": (("general",), "accidents_general", False),
    "accident_deaths": (None, "deaths", False),
}
CONTROL_STATUS = {"green": "met", "amber": "warning", "red": "missed", "grey": "no_data"}


def control_line(code: str, used: int, limit: float | None, as_of: dt.date
                 ) -> accident_rules.Status:
    """The 事故控制 page's status of an accident control line (正常/预警/超进度/超标/未设定)."""
    zero = CONTROL_LINES[code][2]
    return accident_rules.control_status(used, limit, accident_rules.time_progress(as_of),
                                         zero_controlled=zero)


def line_status(line: Line, value: float | None, *, as_of: dt.date) -> str:
    """A plan line's status by the rule the plan gives it: zero lines count against their limit
    (0 for 零控制), a rate's warning band starts at 95 % of its target, a progress line reads
    against time, an annual line (每年至少1次) against its deadline; an indicator's value is its
    count ÷ target."""
    if line.target is None:
        return "no_data"
    if line.rule == "zero":
        count = None if value is None else int(value) - int(line.target)
        return zero_status(count)
    target = 1.0 if measure_kind(line) == "indicator" else line.target
    if line.rule == "progress":
        return progress_status(value, as_of=as_of, target=target)
    if line.rule == "annual":
        return annual_status(value, as_of=as_of, target=target)
    return rate_status(value, target=target, warning_from=target * RATE_WARNING_FROM)


def measure_kind(line: Line) -> str | None:
    known = catalogue.BY_CODE.get(line.measure)
    return known.kind if known else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# ---- queries -----------------------------------------------------------------------------
def _one_row(conn: sa.Connection, stmt: sa.Select) -> dict[str, int]:
    row = frame(conn, stmt).iloc[0]
    return {name: (None if pd.isna(value) else int(value)) for name, value in row.items()}


def _count_units(conn: sa.Connection, unit: str | None, kinds: tuple[str, ...] | None) -> int:
    conditions = [*unit_scope(units.c.code, unit), *usable(conn, units)]
    if kinds:
        conditions.append(units.c.kind.in_(kinds))
    return int(conn.execute(sa.select(sa.func.count()).select_from(units).where(*conditions))
               .scalar())


def complete_months(as_of: dt.date) -> int:
    """Months of the year of `as_of` that have ended by it (a month ends on its last day)."""
    return as_of.month if (as_of + dt.timedelta(days=1)).month != as_of.month else as_of.month - 1


def measure_leadership(conn: sa.Connection, *, as_of: dt.date,
                       unit: str | None = None) -> dict[str, int]:
    """§一 per unit and complete month of the year: unit_months (units in scope × complete
    months), active_unit_months (with any record), meeting_months_met (≥1 meeting) and
    visit_months_met (≥2 grassroots visits). Every unit in `units` (the city bureau, counties
    and zones) is expected to report."""
    months = complete_months(as_of)
    unit_months = _count_units(conn, unit, None) * months
    if months == 0:
        return {"unit_months": 0, "active_unit_months": 0, "meeting_months_met": 0,
                "visit_months_met": 0}
    la = leadership_activities.c
    month = sa.extract("month", la.held_on).label("month")
    last_day = dt.date(as_of.year, months + 1, 1) - dt.timedelta(days=1) if months < 12 else \
        dt.date(as_of.year, 12, 31)
    per_month = (
        sa.select(la.unit_code, month,
                  count_where(la.kind == "meeting", "meetings"),
                  count_where(la.kind == "grassroots_visit", "visits"))
        .where(la.held_on >= year_start(as_of), la.held_on <= last_day,
               *unit_scope(la.unit_code, unit), *usable(conn, leadership_activities))
        .group_by(la.unit_code, month)
        .subquery()
    )
    met = _one_row(conn, sa.select(
        sa.func.count().label("active_unit_months"),
        count_where(per_month.c.meetings >= MIN_MONTHLY_MEETINGS, "meeting_months_met"),
        count_where(per_month.c.visits >= MIN_MONTHLY_VISITS, "visit_months_met")))
    return {"unit_months": unit_months, **met}


def count_gas_events(conn: sa.Connection, *, as_of: dt.date,
                     unit: str | None = None) -> dict[str, int]:
    """§二 coal mines in scope (mines) and, from 1 January to `as_of`, gas over-limit events
    (gas_over_limit) and coal-and-gas outbursts (outburst)."""
    ge = coal_gas_events.c
    mines = int(conn.execute(sa.select(sa.func.count()).select_from(coal_mines)
                             .where(*unit_scope(coal_mines.c.unit_code, unit),
                                    *usable(conn, coal_mines))).scalar())
    events = _one_row(conn, sa.select(
        count_where(ge.kind == "gas_over_limit", "gas_over_limit"),
        count_where(ge.kind == "outburst", "outburst"),
    ).select_from(coal_gas_events.join(coal_mines, ge.mine_id == coal_mines.c.id))
        .where(ge.occurred_on >= year_start(as_of), ge.occurred_on <= as_of,
               *unit_scope(coal_mines.c.unit_code, unit), *usable(conn, coal_gas_events),
               *usable(conn, coal_mines)))
    return {"mines": mines, **events}


def count_high_risk_oil_gas(conn: sa.Connection, *, as_of: dt.date,
                            unit: str | None = None) -> dict[str, int]:
    """§二 oil and gas storage enterprises assessed by `as_of` (assessed) and those whose latest
    assessment on or before `as_of` is 高风险 or 较高风险 (high_risk)."""
    oa = oil_gas_storage_assessments.c
    latest = latest_rows(oil_gas_storage_assessments, key=oa.enterprise_id, day=oa.assessed_on,
                         as_of=as_of, columns=(oa.enterprise_id, oa.risk_level),
                         where=tuple(usable(conn, oil_gas_storage_assessments)))
    return _one_row(conn, sa.select(
        sa.func.count().label("assessed"),
        count_where(latest.c.risk_level.in_(HIGH_OIL_GAS_RISK), "high_risk"),
    ).select_from(latest.join(enterprises, latest.c.enterprise_id == enterprises.c.id))
        .where(*unit_scope(enterprises.c.unit_code, unit), *usable(conn, enterprises)))


def measure_major_hazard_sources(conn: sa.Connection, *, as_of: dt.date,
                                 unit: str | None = None) -> dict[str, int]:
    """§二 major hazard sources registered by `as_of` (sources), and of those, how many had their
    responsible person trained (trained) and were inspected (inspected) between 1 January and
    `as_of`."""
    ev = major_hazard_source_events.c
    done = (
        sa.select(ev.source_id, count_where(ev.kind == "training", "trainings"),
                  count_where(ev.kind == "inspection", "inspections"))
        .where(ev.held_on >= year_start(as_of), ev.held_on <= as_of,
               *usable(conn, major_hazard_source_events))
        .group_by(ev.source_id)
        .subquery()
    )
    mhs = major_hazard_sources.c
    return _one_row(conn, sa.select(
        sa.func.count().label("sources"),
        count_where(done.c.trainings > 0, "trained"),
        count_where(done.c.inspections > 0, "inspected"),
    ).select_from(major_hazard_sources.outerjoin(done, done.c.source_id == mhs.id))
        .where(mhs.registered_on <= as_of, *unit_scope(mhs.unit_code, unit),
               *usable(conn, major_hazard_sources)))


def measure_inspection_plan(conn: sa.Connection, *, as_of: dt.date,
                            unit: str | None = None) -> dict[str, int]:
    """§三 inspections planned for the year (planned) and done by `as_of` (done: each unit's
    latest cumulative report on or before `as_of`, summed)."""
    ip = inspection_progress.c
    planned = conn.execute(
        sa.select(sum_of(inspection_plans.c.planned_inspections, "planned"))
        .where(inspection_plans.c.year == as_of.year,
               *unit_scope(inspection_plans.c.unit_code, unit), *usable(conn, inspection_plans))
    ).scalar()
    latest = latest_rows(inspection_progress, key=ip.unit_code, day=ip.reported_on, as_of=as_of,
                         columns=(ip.done_to_date,),
                         where=(ip.reported_on >= year_start(as_of), *unit_scope(ip.unit_code, unit),
                                *usable(conn, inspection_progress)))
    done = conn.execute(sa.select(sum_of(latest.c.done_to_date, "done"))).scalar()
    return {"planned": int(planned), "done": int(done)}


def measure_risk_census(conn: sa.Connection, *, as_of: dt.date,
                        unit: str | None = None) -> dict[str, int]:
    """§四 counties in scope (units), how many have reported by `as_of` (reported) and the sum
    of their latest completion percentages (pct_sum; a county that never reported counts 0)."""
    rc = risk_census_progress.c
    reports = latest_rows(risk_census_progress, key=rc.unit_code, day=rc.reported_on,
                          as_of=as_of, columns=(rc.unit_code, rc.completion_pct),
                          where=(*unit_scope(rc.unit_code, unit),
                                 *usable(conn, risk_census_progress)))
    latest = _one_row(conn, sa.select(
        sa.func.count().label("reported"), sum_of(reports.c.completion_pct, "pct_sum"),
    ).select_from(reports.join(units, units.c.code == reports.c.unit_code))
        .where(units.c.kind.in_(CENSUS_UNIT_KINDS), *usable(conn, units)))
    return {"units": _count_units(conn, unit, CENSUS_UNIT_KINDS), **latest}


def measure_drills(conn: sa.Connection, *, as_of: dt.date,
                   unit: str | None = None) -> dict[str, int]:
    """§五 city and county units in scope (required) and how many of them held at least one
    comprehensive drill between 1 January and `as_of` (held). Zones are not required."""
    dr = drills.c
    held = conn.execute(
        sa.select(sa.func.count(sa.distinct(dr.unit_code)))
        .select_from(drills.join(units, units.c.code == dr.unit_code))
        .where(dr.kind == "comprehensive", dr.held_on >= year_start(as_of), dr.held_on <= as_of,
               units.c.kind.in_(REQUIRED_DRILL_KINDS), *unit_scope(dr.unit_code, unit),
               *usable(conn, drills), *usable(conn, units))
    ).scalar()
    return {"required": _count_units(conn, unit, REQUIRED_DRILL_KINDS), "held": int(held)}


def measure_township_staffing(conn: sa.Connection, *, as_of: dt.date,
                              unit: str | None = None) -> dict[str, int]:
    """§六 townships in scope (townships), those with a staffing report by `as_of` (reported)
    and those whose latest report shows at least 3 staff (staffed)."""
    ts = township_staffing.c
    latest = latest_rows(township_staffing, key=ts.township_id, day=ts.reported_on,
                         as_of=as_of, columns=(ts.township_id, ts.staff),
                         where=tuple(usable(conn, township_staffing)))
    return _one_row(conn, sa.select(
        sa.func.count().label("townships"),
        sa.func.count(latest.c.staff).label("reported"),
        count_where(latest.c.staff >= MIN_TOWNSHIP_STAFF, "staffed"),
    ).select_from(townships.outerjoin(latest, latest.c.township_id == townships.c.id))
        .where(*unit_scope(townships.c.unit_code, unit), *usable(conn, townships)))


MONITORING_COUNTS = ("commit_required", "commit_on_time", "sources_required",
                     "sources_connected", "points_connected", "points_online", "alarms",
                     "alarms_cleared", "alarms_over_24h")
MONITORING_RATES = {  # rate: (numerator, denominator)
    "commitment_rate": ("commit_on_time", "commit_required"),
    "connection_rate": ("sources_connected", "sources_required"),
    "online_rate": ("points_online", "points_connected"),
    "clearance_rate": ("alarms_cleared", "alarms"),
}


def summarize_hazchem_monitoring(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                                 by_unit: bool = False) -> pd.DataFrame:
    """§六 the latest weekly monitoring report on or before `as_of` (and no older than 7 days):
    week_ending, the counts in MONITORING_COUNTS and the four rates (None where the denominator
    is 0). One row of totals, or one row per unit with `by_unit` (adds unit_code). An empty frame
    means no current report in scope."""
    hm = hazchem_monitoring_weekly.c
    scope = [*unit_scope(hm.unit_code, unit), *usable(conn, hazchem_monitoring_weekly)]
    week = (sa.select(sa.func.max(hm.week_ending))
            .where(hm.week_ending <= as_of,
                   hm.week_ending > as_of - dt.timedelta(days=MONITORING_FRESH_DAYS), *scope)
            .scalar_subquery())
    keys = [hm.unit_code] if by_unit else []
    stmt = (sa.select(*keys, sa.func.max(hm.week_ending).label("week_ending"),
                      *(sum_of(getattr(hm, name), name) for name in MONITORING_COUNTS))
            .where(hm.week_ending == week, *scope)
            .having(sa.func.count() > 0))
    if by_unit:
        stmt = stmt.group_by(hm.unit_code).order_by(hm.unit_code)
    df = frame(conn, stmt)
    for rate, (numerator, denominator) in MONITORING_RATES.items():
        df[rate] = [ratio(n, d) for n, d in zip(df[numerator], df[denominator])]
    return df


def measure_standardization(conn: sa.Connection, *, unit: str | None = None) -> dict[str, int]:
    """§六 enterprises in scope (enterprises) and those at or above their required
    standardization grade (met: a grade is held and its number is at most the required one).
    Current state only: the table keeps no dates."""
    en = enterprises.c
    return _one_row(conn, sa.select(
        sa.func.count().label("enterprises"),
        count_where(sa.and_(en.std_grade.is_not(None), en.std_grade <= en.required_std_grade),
                    "met"),
    ).where(*unit_scope(en.unit_code, unit), *usable(conn, enterprises)))


def count_cyber_incidents(conn: sa.Connection, *, as_of: dt.date,
                          unit: str | None = None) -> dict[str, int]:
    """§六 cyber-security incidents from 1 January to `as_of`: all, and 较大 or worse (serious)."""
    ci = cyber_incidents.c
    return _one_row(conn, sa.select(
        sa.func.count().label("all"),
        count_where(ci.severity.in_(SERIOUS_CYBER_SEVERITIES), "serious"),
    ).where(ci.occurred_on >= year_start(as_of), ci.occurred_on <= as_of,
            *unit_scope(ci.unit_code, unit), *usable(conn, cyber_incidents)))


def measure_accident_control(conn: sa.Connection, *, as_of: dt.date,
                             unit: str | None = None) -> dict[str, tuple[int, float | None]]:
    """§控 per control line, from 1 January to `as_of`: (accidents or deaths, the year's
    indicator for the scope, None when not set; 0 for 重特大 whatever is set)."""
    by_grade = summarize_accidents(conn, by="grade", as_of=as_of, unit=unit)
    goals = list_targets(conn, year=as_of.year,
                         metrics=tuple(m for _, m, _ in CONTROL_LINES.values() if m))
    out = {}
    for code, (grades, metric, zero) in CONTROL_LINES.items():
        if grades is None:
            used = int(by_grade["deaths"].sum())
        else:
            used = int(by_grade.loc[by_grade["grade"].isin(grades), "accidents"].sum())
        out[code] = (used, 0 if zero else pick_target(goals, metric, unit=unit))
    return out


def count_faces_built(conn: sa.Connection, *, as_of: dt.date,
                      unit: str | None = None) -> dict[str, int]:
    """Intelligent working faces accepted (建成) between 1 January and `as_of` (built), of
    valid faces of valid mines in scope, whatever year they were planned for."""
    wf = working_faces.c
    built = conn.execute(
        sa.select(sa.func.count())
        .select_from(working_faces.join(coal_mines, wf.mine_id == coal_mines.c.id))
        .where(wf.accepted_on >= year_start(as_of), wf.accepted_on <= as_of,
               *unit_scope(coal_mines.c.unit_code, unit), *usable(conn, working_faces),
               *usable(conn, coal_mines))).scalar()
    return {"built": int(built)}


def measure_hazard_closure(conn: sa.Connection, *, as_of: dt.date,
                           unit: str | None = None) -> dict[str, int]:
    """Hidden dangers found from 1 January to `as_of` (found) and of those signed off by then
    (closed)."""
    row = rectification.summarize_hidden_dangers(conn, as_of=as_of, unit=unit).iloc[0]
    return {"found": int(row["found"]), "closed": int(row["closed"])}


def _measures(conn: sa.Connection, lines: tuple[Line, ...], as_of: dt.date, unit: str | None,
              missing: set[str]) -> dict[str, tuple[float | None, float | None]]:
    """(numerator, denominator) per measure the lines use; (count, None) for zero counts;
    (count, the year's indicator or None when not set) for accident control; None = no data. A query whose table is in `missing` is not run: its measures have no data.
    An indicator's denominator is the line's target, filled in by the caller."""
    wanted = {catalogue.BY_CODE[line.measure].query for line in lines
              if line.measure in catalogue.BY_CODE}
    results: dict[str, dict | pd.DataFrame | None] = {}
    for name in wanted:
        fn, tables = MEASURES[name]
        kwargs = {} if name == "standardization" else {"as_of": as_of}
        results[name] = None if missing.intersection(tables) else fn(conn, unit=unit, **kwargs)
    got = results.get
    values: dict[str, tuple[float | None, float | None]] = {
        m.code: (None, None) for m in catalogue.CATALOGUE}

    control = got("accident_control")
    if control is not None:
        values.update(control)
    lead = got("leadership")
    if lead is not None:
        led = lead["active_unit_months"] > 0  # no record at all: nothing was reported, not 0%
        values["monthly_meetings"] = (lead["meeting_months_met"] if led else None,
                                      lead["unit_months"])
        values["leader_visits"] = (lead["visit_months_met"] if led else None, lead["unit_months"])
    gas = got("gas")
    if gas is not None:
        has_mines = gas["mines"] > 0
        values["gas_over_limit"] = (gas["gas_over_limit"] if has_mines else None, None)
        values["coal_outburst"] = (gas["outburst"] if has_mines else None, None)
    oil = got("oil_gas")
    if oil is not None:
        values["oil_gas_high_risk"] = (oil["high_risk"] if oil["assessed"] else None, None)
    mhs = got("major_hazard_sources")
    if mhs is not None:
        values["mhs_training"] = (mhs["trained"], mhs["sources"])
        values["mhs_inspection"] = (mhs["inspected"], mhs["sources"])
    plan = got("inspection_plan")
    if plan is not None:
        values["inspection_plan"] = (plan["done"], plan["planned"])
    census = got("risk_census")
    if census is not None:
        values["risk_census"] = (census["pct_sum"] if census["reported"] else None,
                                 100 * census["units"])
    drill = got("drills")
    if drill is not None:
        values["comprehensive_drills"] = (drill["held"], drill["required"])
    staff = got("township_staffing")
    if staff is not None:
        values["township_staffing"] = (staff["staffed"] if staff["reported"] else None,
                                       staff["townships"])
    monitoring = got("monitoring")
    if monitoring is not None and len(monitoring):
        mon = monitoring.iloc[0]
        for code, (numerator, denominator) in MONITORED.items():
            values[code] = (int(mon[numerator]),
                            None if denominator is None else int(mon[denominator]))
    std = got("standardization")
    if std is not None:
        values["standardization"] = (std["met"], std["enterprises"])
    cyber = got("cyber")
    if cyber is not None:
        values["cyber_incidents"] = (cyber["serious"], None)
    faces = got("faces")
    if faces is not None:
        values["intelligent_faces"] = (faces["built"], None)
    hazards = got("hazards")
    if hazards is not None:
        values["hazard_closure"] = (hazards["closed"], hazards["found"])
    return values


MONITORED = {  # measure: (numerator, denominator) in the weekly monitoring report
    "hazchem_commitment": ("commit_on_time", "commit_required"),
    "hazchem_connection": ("sources_connected", "sources_required"),
    "hazchem_online": ("points_online", "points_connected"),
    "hazchem_alarm_clearance": ("alarms_cleared", "alarms"),
    "hazchem_alarms_over_24h": ("alarms_over_24h", None),
}

# Each query, with the tables it reads beyond `units` (which every page needs); the catalogue
# (data_access/measures.py) names the query behind each measure. A line whose table is missing
# (an older deployment, a view not yet made) shows 无数据 and names the table, while the other
# lines are computed.
MEASURES = {
    "accident_control": (measure_accident_control, ("accidents", "targets")),
    "leadership": (measure_leadership, ("leadership_activities",)),
    "gas": (count_gas_events, ("coal_gas_events", "coal_mines")),
    "oil_gas": (count_high_risk_oil_gas, ("oil_gas_storage_assessments", "enterprises")),
    "major_hazard_sources": (measure_major_hazard_sources,
                             ("major_hazard_sources", "major_hazard_source_events")),
    "inspection_plan": (measure_inspection_plan, ("inspection_plans", "inspection_progress")),
    "risk_census": (measure_risk_census, ("risk_census_progress",)),
    "drills": (measure_drills, ("drills",)),
    "township_staffing": (measure_township_staffing, ("townships", "township_staffing")),
    "standardization": (measure_standardization, ("enterprises",)),
    "cyber": (count_cyber_incidents, ("cyber_incidents",)),
    "monitoring": (summarize_hazchem_monitoring, ("hazchem_monitoring_weekly",)),
    "faces": (count_faces_built, ("working_faces", "coal_mines")),
    "hazards": (measure_hazard_closure, ("hidden_dangers",)),
}


def list_missing_tables(conn: sa.Connection) -> tuple[str, ...]:
    """The scorecard's tables (or views) this database lacks: empty when all exist."""
    present = relation_names(conn)
    wanted = dict.fromkeys(table for _, tables in MEASURES.values() for table in tables)
    return tuple(name for name in wanted if name not in present)


COUNTED_RULES = ("zero", "control")  # rules whose value is a count, not a share

# Why a line reads 无数据 when its tables are all there (reason codes; ui/labels.py words them).
NO_PLAN, BAD_RULE, NOTHING_TO_MEASURE = "no_plan", "bad_rule", "nothing_to_measure"


def compute_scorecard(conn: sa.Connection, *, as_of: dt.date,
                      unit: str | None = None) -> pd.DataFrame:
    """Every line of the plan of the year of `as_of`, in order: code, name, measure, kind,
    section, section_title, rule, unit, value (a fraction for shares and indicators, a count
    for zero and control lines, None for no data), numerator, denominator (a control line's
    indicator), target (a control line's: its indicator), expected (the time-proportional share
    for progress and control lines), status (one of STATUSES), verdict (a control line's own
    word, 正常/预警/超进度/超标/未设定, else None), has_history, missing_tables (the
    tables the line needs that the database lacks), reason (why a line without missing tables
    has no data: no_plan, bad_rule, nothing_to_measure; else None), problem (a bad rule's
    explanation) and plan_title (the notice's title; None without a plan). The target is in
    the line's terms: a fraction for shares, a count for zero lines and indicators.

    A year without a plan: every measure of the catalogue, under its own name, grouped by
    kind, computed without target (status 无数据, reason no_plan)."""
    plan = plans.read_plan(conn, as_of.year)
    lines = plan.lines if plan is not None else plans.catalogue_lines()
    titles = plan.section_titles if plan is not None else vocab.MEASURE_KINDS
    missing = set(list_missing_tables(conn))
    measured = _measures(conn, lines, as_of, unit, missing)
    rows = []
    for line in lines:
        known = catalogue.BY_CODE.get(line.measure)
        problem = catalogue.rule_problem(line.measure, line.rule)
        numerator, denominator = measured.get(line.measure, (None, None))
        kind = known.kind if known else None
        if kind == "indicator":
            denominator = line.target
        value = numerator if line.rule in COUNTED_RULES else ratio(numerator, denominator)
        if problem:
            value = numerator = denominator = None
        status = "no_data" if problem else line_status(line, value, as_of=as_of)
        target = 1.0 if kind == "indicator" and line.target is not None else line.target
        expected = (target * year_elapsed_share(as_of)
                    if line.rule == "progress" and target is not None else None)
        shown_target, verdict = line.target, None
        if line.rule == "control" and not problem:
            # the indicator is the year's 控制指标 (targets), not the plan's number; judged by
            # the 事故控制 page's rule, in its own words
            shown_target = denominator if line.target is not None else None
            if line.target is not None and numerator is not None:
                expected = accident_rules.time_progress(as_of)
                control = control_line(line.measure, numerator, denominator, as_of)
                status, verdict = CONTROL_STATUS[control.colour], control.label
        tables = tuple(t for t in MEASURES[known.query][1] if t in missing) if known else ()
        reason = (BAD_RULE if problem else NO_PLAN if plan is None
                  else NOTHING_TO_MEASURE if value is None and not tables else None)
        rows.append({
            "code": line.code, "name": line.name, "measure": line.measure, "kind": kind,
            "section": line.section, "section_title": titles.get(line.section, line.section),
            "rule": line.rule, "unit": line.uom, "value": value, "numerator": numerator,
            "denominator": denominator, "target": shown_target, "expected": expected,
            "status": status, "verdict": verdict, "has_history": line.has_history, "missing_tables": tables,
            "reason": reason, "problem": problem,
            "plan_title": plan.title if plan is not None else None,
        })
    return pd.DataFrame(rows)


def compare_weeks(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """`current` with previous_value, previous_status, previous_verdict and change (current − previous; None when
    either is missing or the line keeps no history) from the scorecard of the previous review.
    Lines are matched by code; a line the previous scorecard lacks (the review fell in the
    previous year, under another plan) has no previous value."""
    before = previous.set_index("code")
    out = current.copy()
    known = [c in before.index for c in out["code"]]
    out["previous_value"] = [before.at[c, "value"] if k else None
                             for c, k in zip(out["code"], known)]
    out["previous_status"] = [before.at[c, "status"] if k else "no_data"
                              for c, k in zip(out["code"], known)]
    out["previous_verdict"] = [before.at[c, "verdict"] if k and "verdict" in before else None
                               for c, k in zip(out["code"], known)]
    changes = []
    for now, then, history in zip(out["value"], out["previous_value"], out["has_history"]):
        both = not (now is None or then is None or pd.isna(now) or pd.isna(then))
        changes.append(now - then if both and history else None)
    out["change"] = pd.Series(changes, index=out.index, dtype=object)
    return out
