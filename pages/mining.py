"""智能化建设: intelligent working faces against the year's target (built, stages, trajectory and
forecast), where the programme lags, and the green-mining pilots and demonstration mine."""

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from data_access import carryover, forecast, mining, targets
from ui import auth
from ui.data import query
from ui.downloads import csv_bytes
from ui.figures import mining as figures
from ui.filters import page_param, set_page_param
from ui.format import cn_date, pct
from ui.guard import section
from ui.labels import (
    CARRIED_OVER,
    CHOOSE,
    COLUMNS,
    FACE_STAGES,
    FACE_TYPES,
    FORECAST_OUTCOMES,
    MINING_COLUMNS,
    PROGRAMME_MINE_STATES,
    PROGRAMMES,
)
from ui.memo import figure
from ui.quality import render_quality_notice
from ui.shell import has_data, page_context, page_header
from ui.weekly import render_week_changes

TARGET_METRICS = ("intelligent_faces", "green_pilot_mines", "intelligent_demo_mines")
LABELS = {**COLUMNS, **MINING_COLUMNS}
NOT_SET = "未设定"

ctx, filters = page_context()
page_header("智能化建设", ctx, filters)
render_week_changes("mining", ctx, filters)
render_quality_notice("mining")
if not has_data(ctx, "working_faces", "coal_mines"):
    st.stop()
unit, as_of = filters.unit_or_none, filters.as_of


def face_targets() -> tuple[float | None, float | None, float | None]:
    """The year's targets for faces, green-mining pilots and demonstration mines."""
    goals = query(targets.list_targets, year=filters.year, metrics=TARGET_METRICS)
    return tuple(targets.pick_target(goals, m, unit=unit) for m in TARGET_METRICS)


def list_programme_mines() -> pd.DataFrame:
    """The green-mining pilots and the demonstration mine, with their milestones' state."""
    return query(mining.summarize_programme_mines, as_of=as_of, unit=unit)


def target_text(value: float | None, unit_word: str) -> str:
    return NOT_SET if value is None else f"{value:.0f}{unit_word}"


def reach_text(f: forecast.Forecast) -> str:
    if f.outcome == forecast.MET:
        return f"已于{cn_date(f.reached_on)}达到目标"
    if f.reached_on is None:
        return FORECAST_OUTCOMES[f.outcome]
    return f"{FORECAST_OUTCOMES[f.outcome]},预计{cn_date(f.reached_on)}达到{f.target:.0f}处"


def programme_tile(programme_mines: pd.DataFrame, programme: str, goal: float | None,
                   label: str) -> None:
    """Built against the number: 建成 0/9座 reads as work to do, not as an achievement."""
    mines = programme_mines[programme_mines["programme"] == programme]
    done = int((mines["state"] == "completed").sum())
    st.metric(f"{label}建成", f"{done}/{len(mines)}座", border=False,
              help="建成数/已确定的试点(示范)煤矿数;“建成”指全部建设节点(含验收)均已完成。")
    st.caption(f"目标 {target_text(goal, '座')} · 滞后 {int((mines['state'] == 'behind').sum())}座")


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "unit_code" in out:
        out["unit_code"] = out["unit_code"].map(ctx.unit_names).fillna(out["unit_code"])
    for column, names in (("face_type", FACE_TYPES), ("stage", FACE_STAGES),
                          ("programme", PROGRAMMES), ("state", PROGRAMME_MINE_STATES)):
        if column in out:
            out[column] = out[column].map(names).fillna(out[column])
    for column in [c for c in out.columns if c.endswith("_on")]:
        out[column] = [d.isoformat() if isinstance(d, dt.date) else "—" for d in out[column]]
    return out


FACE_COLUMNS = ["name", "mine", "unit_code", "face_type", "stage", "planned_completion_on",
                "days_late"]


# ---- headline -------------------------------------------------------------------------------
with section():
    face_target, pilot_target, demo_target = face_targets()
    by_stage = query(mining.count_faces_by_stage, as_of=as_of, unit=unit)
    stage_counts = by_stage.groupby("stage")["faces"].sum()
    type_built = by_stage[by_stage["stage"] == "accepted"].groupby("face_type")["faces"].sum()
    started = sum(int(stage_counts.get(s, 0)) for s in mining.STAGES[1:-1])
    late_total = int(by_stage["late"].sum())
    outlook = forecast.forecast_progress(
        query(mining.list_acceptance_dates, as_of=as_of, unit=unit), as_of=as_of,
        target=face_target, ceiling=int(stage_counts.sum()))  # a plan of 0 is a plan
    tiles = st.columns([1.1, 1, 1, 1.2, 1.5])
    with tiles[0].container(border=True, height="stretch"):
        built = outlook.built
        st.metric("已建成工作面", f"{built}处", help="本年度计划内、截至统计日已公示通过的智能化采掘工作面。")
        if face_target is not None and face_target > 0:
            st.progress(min(built / face_target, 1.0),
                        text=f"年度目标 {face_target:.0f}处,完成 {pct(built / face_target)}")
        else:
            st.caption(f"年度目标:{target_text(face_target, '处')}")
    with tiles[1].container(border=True, height="stretch"):
        left, right = st.columns(2)
        left.metric("其中综采", f"{int(type_built.get('mining', 0))}处")
        right.metric("其中掘进", f"{int(type_built.get('heading', 0))}处")
        st.caption(f"本年度计划 {int(stage_counts.sum())}处")
        carried = query(carryover.count_carried_over_faces, as_of=as_of, unit=unit)
        if carried["carried"]:
            st.caption(CARRIED_OVER["faces"].format(**carried))
    with tiles[2].container(border=True, height="stretch"):
        left, right = st.columns(2)
        left.metric("在建工作面", f"{started}处", help="已开工、尚未通过(建设中至评定)。")
        right.metric("逾期未建成", f"{late_total}处", help="计划建成日期已过、尚未通过。")
        st.caption(f"尚未开工 {int(stage_counts.get('planned', 0))}处")
    with tiles[3].container(border=True, height="stretch"):
        shortfall = outlook.shortfall
        st.metric("年底预计建成", f"{outlook.year_end}处",
                  delta=None if shortfall is None else
                  ("可完成目标" if shortfall == 0 else f"差 {shortfall:.0f}处"),
                  delta_color="normal" if shortfall == 0 else "inverse", delta_arrow="off")
        st.caption(reach_text(outlook))
    with tiles[4].container(border=True, height="stretch"), section():
        programme_mines = list_programme_mines()
        left, right = st.columns(2)
        with left:
            programme_tile(programme_mines, "green_pilot", pilot_target, "绿色开采试点")
        with right:
            programme_tile(programme_mines, "intelligent_demo", demo_target, "示范矿井")

    # ---- stages and trajectory ------------------------------------------------------------------
    by_month = query(mining.count_faces_by_month, as_of=as_of, unit=unit)
    left, right = st.columns([2, 3])
    left.plotly_chart(figure(figures.build_stage_bars, by_stage), config={"displayModeBar": False})
    with right:
        st.plotly_chart(figure(figures.build_trajectory, by_month, outlook, as_of=as_of),
                        config={"displayModeBar": False})
        window_start = as_of - dt.timedelta(days=outlook.window_days - 1)
        st.caption(
            f"预测方法:近{outlook.window_days}天({cn_date(window_start)}至{cn_date(as_of)})通过 "
            f"{outlook.recent}处,按每月30天折合每月 {outlook.pace_per_month:.1f}处;年底预计 = 已建成 "
            f"{built}处 + 每月进度 × 剩余月数(取整数,不超过年度计划数);达到目标日期 = 按此进度累计达到目标之日。"
            f"计划累计按计划建成日期统计。")

# ---- where it lags --------------------------------------------------------------------------
st.subheader("滞后情况")
with section():
    by_unit = query(mining.summarize_faces_by_unit, as_of=as_of, unit=unit)
    by_mine = query(mining.summarize_faces_by_mine, as_of=as_of, unit=unit)
    late_faces = query(mining.list_faces, as_of=as_of, unit=unit, late_only=True)
    if by_mine.empty:
        st.info("所选范围内本年度没有列入计划的智能化工作面。")
        st.stop()
    left, right = st.columns([2, 3])
    left.plotly_chart(figure(figures.build_unit_lag_bars, by_unit, ctx.unit_names,
                                                  height=110 + 28 * len(by_unit)),
                      config={"displayModeBar": False})
    with right:
        st.markdown(f"**逾期未建成的工作面({len(late_faces)}处,逾期最久的在前)**")
        table = with_labels(late_faces)[FACE_COLUMNS].rename(columns=LABELS | {"name": "工作面"})
        st.dataframe(table, hide_index=True, height=min(38 + 35 * len(table), 320),
                     key="mining.late_faces")
        st.download_button("下载逾期工作面清单(CSV)", auth.audited(
            partial(csv_bytes, table), what=f"逾期智能化工作面_{as_of.isoformat()}.csv",
            rows=len(table)),
                           file_name=f"逾期智能化工作面_{as_of.isoformat()}.csv", mime="text/csv",
                           key="mining.download_late", icon=":material/download:")

    left, right = st.columns([2, 3])
    with left:
        st.markdown("**各煤矿:计划、已建成与逾期(逾期多的在前)**")
        mines = with_labels(by_mine).assign(
            programme=[PROGRAMMES["intelligent_demo"] if demo else PROGRAMMES["green_pilot"] if green
                       else "" for green, demo in zip(by_mine["is_green_pilot"],
                                                      by_mine["is_intelligent_demo"])])
        st.dataframe(mines[["mine", "unit_code", "planned", "accepted", "late", "programme"]]
                     .rename(columns=LABELS | {"planned": "计划数", "programme": "试点/示范"}),
                     hide_index=True, height=min(38 + 35 * len(by_mine), 320), key="mining.mines")
    with right:
        mine_names = dict(zip(by_mine["mine_id"].astype(str), by_mine["mine"]))
        options = list(mine_names)
        if st.session_state.get("mining.mine") not in options:
            st.session_state["mining.mine"] = page_param("mine", options) or options[0]
        chosen = st.selectbox("选择煤矿,查看其工作面各阶段日期", options, key="mining.mine",
                              format_func=mine_names.get, placeholder=CHOOSE)
        set_page_param("mine", chosen)
        faces = query(mining.list_faces, as_of=as_of, unit=unit, mine_id=int(chosen))
        stage_columns = ["name", "stage", "planned_completion_on", "construction_started_on",
                         "self_assessed_on", "applied_on", "evaluated_on", "accepted_on", "days_late"]
        st.dataframe(with_labels(faces)[stage_columns].rename(columns=LABELS | {"name": "工作面"}),
                     hide_index=True, key="mining.mine_faces")

# ---- green-mining pilots and the demonstration mine -----------------------------------------
st.subheader("绿色开采试点与智能化示范矿井")
with section():
    _, pilot_target, demo_target = face_targets()
    programme_mines = list_programme_mines()
    st.caption("试点/示范煤矿按煤矿名录标记统计;全部建设节点(含最终验收)完成的煤矿计为“建成”,"
               f"计入年度目标(绿色开采试点 {target_text(pilot_target, '座')}、"
               f"智能化示范矿井 {target_text(demo_target, '座')})。节点状态按统计日判断。")
    if programme_mines.empty:
        st.info("所选范围内没有绿色开采试点煤矿或智能化示范矿井。")
        st.stop()
    left, right = st.columns([5, 4])
    with left:
        summary = with_labels(programme_mines).assign(
            progress=[f"{a}/{m}" for a, m in zip(programme_mines["achieved"],
                                                programme_mines["milestones"])],
            next_milestone=[f"{name}({cn_date(day)[5:]})" if isinstance(day, dt.date) else "—"
                            for name, day in zip(programme_mines["next_milestone"],
                                                 programme_mines["next_planned_on"])])
        st.dataframe(summary[["programme", "mine", "unit_code", "state", "progress", "achieved_late",
                              "overdue", "next_milestone"]]
                     .rename(columns=LABELS | {"progress": "已完成节点", "state": "状态",
                                               "achieved_late": "逾期完成", "overdue": "逾期未完成"}),
                     hide_index=True, key="mining.programmes",
                     height=38 + 35 * len(summary))
    with right:
        milestones = query(mining.list_milestones, as_of=as_of, unit=unit)
        if milestones.empty:
            st.info("暂无建设节点数据。")
        else:
            st.plotly_chart(figure(figures.build_milestone_timeline,
                milestones, as_of=as_of, programme_names=PROGRAMMES,
                order=list(zip(programme_mines["mine"], programme_mines["programme"])),
                height=130 + 30 * milestones["mine_id"].nunique()), config={"displayModeBar": False})
