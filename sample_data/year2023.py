"""The fictitious start of 2023, as files the data admin would import through 数据管理.

`python -m sample_data.year2023` writes, from the 2022 sample in sample_data/csv/:
- sample_data/year2023/data/: the weeks after the sample's last day up to Friday 24 February
  2023 (monitoring reports, meetings and visits, a gas over-limit event, accidents, hidden
  dangers, the 2023 intelligent faces, inspection plans and progress, drills, targets);
- sample_data/year2023/plan/: the 2023 work-plan notice (年度工作通知, 通知条目, 记分卡指标): a few
  targets changed from 2022, a new line (intelligent faces against the year's 30), a dropped
  line (the natural-disaster risk census, finished in 2022).

Everything is invented, like the rest of the sample. Importing data/ first and plan/ second
shows 2023 first without a plan (the measures the data can compute), then under its notice
(docs/annual-plan.md; tests/test_annual_plan.py does exactly that).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from data_access.importing.spec import SPECS_BY_TABLE
from sample_data.plans import LINES_2022, SECTIONS_2022

SAMPLE_CSV = Path(__file__).resolve().parent / "csv"
OUT_DIR = Path(__file__).resolve().parent / "year2023"
DATA_END = dt.date(2023, 2, 24)
LAST_2022 = dt.date(2022, 11, 25)
SEED = 2023

NOTICE_2023 = {"year": 2023, "title": "关于做好2023年应急管理工作的通知(示例)",
               "doc_number": "示例〔2023〕1号", "issued_on": "2023-02-10",
               "checklist_title": "安全生产治本攻坚重点任务清单(示例)"}
CHANGED_TARGETS = {"hazchem_online": 98, "hazchem_alarm_clearance": 98, "township_staffing": 95}
DROPPED = ("risk_census",)
NEW_LINES = (("intelligent_faces", "建成智能化采掘工作面", "progress", 30, "处", "二"),)


def plan_2023() -> dict[str, list[dict]]:
    """The 2023 notice as rows keyed by column (written with the import's Chinese headers)."""
    lines = [(code, name, rule, CHANGED_TARGETS.get(code, target), uom, section)
             for code, name, rule, target, uom, section in LINES_2022 if code not in DROPPED]
    at = next(i for i, line in enumerate(lines) if line[0] == "mhs_inspection") + 1
    lines[at:at] = NEW_LINES
    return {
        "plan_notices": [NOTICE_2023],
        "plan_sections": [{"year": 2023, "code": code, "title": title, "sort_order": i}
                          for i, (code, title) in enumerate(SECTIONS_2022, 1)],
        "plan_lines": [{"year": 2023, "code": code, "name": name, "measure": code, "rule": rule,
                        "target": target, "uom": uom, "section": section, "sort_order": i}
                       for i, (code, name, rule, target, uom, section) in enumerate(lines, 1)],
    }


def _read(table: str) -> list[dict]:
    with (SAMPLE_CSV / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _fridays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    out = []
    while day <= end:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def data_2023(rng: random.Random) -> dict[str, list[dict]]:
    """Rows after the sample's last day, keyed by column, references written as in files."""
    reporting = [u["code"] for u in _read("units")]
    weeks = _fridays(LAST_2022 + dt.timedelta(days=1), DATA_END)
    last_week = [r for r in _read("hazchem_monitoring_weekly") if r["week_ending"] == str(LAST_2022)]
    monitoring = []
    for week in weeks:
        for r in last_week:
            alarms = rng.randint(2, 20)
            cleared = alarms - (1 if rng.random() < 0.1 else 0)
            monitoring.append({**{k: r[k] for k in r if k not in ("id", "week_ending")},
                               "week_ending": week.isoformat(),
                               "points_online": r["points_connected"], "alarms": alarms,
                               "alarms_cleared": cleared, "alarms_over_24h": alarms - cleared})
    leadership = []
    for unit in reporting:
        for month_start in (dt.date(2022, 12, 1), dt.date(2023, 1, 1), dt.date(2023, 2, 1)):
            leadership.append({"unit_code": unit, "held_on": (month_start + dt.timedelta(
                days=rng.randint(2, 20))).isoformat(), "kind": "meeting",
                "note": "研究部署岁末年初安全生产工作"})
            for visit in range(2 if rng.random() < 0.9 else 1):
                leadership.append({"unit_code": unit, "held_on": (month_start + dt.timedelta(
                    days=3 + 9 * visit)).isoformat(), "kind": "grassroots_visit",
                    "note": f"深入基层督导检查(第{visit + 1}次)"})
    mines = _read("coal_mines")
    enterprises = _read("enterprises")
    gas = [{"mine_id": mines[0]["name"], "occurred_on": "2023-01-17", "kind": "gas_over_limit",
            "location": "15103回风巷", "peak_ch4_pct": "1.12", "summary": "断电撤人,排放后恢复"}]
    accidents = []
    for i, day in enumerate(sorted(dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 54))
                                   for _ in range(9))):
        unit = rng.choice(reporting[1:])
        accidents.append({"code": f"SG2023-{i + 1:04d}",
                          "occurred_at": f"{day.isoformat()} {8 + i % 10:02d}:30",
                          "unit_code": unit, "sector_code": "road_transport",
                          "grade": "general", "deaths": 1 if i % 3 == 0 else 0,
                          "serious_injuries": i % 2, "direct_loss_wan": f"{3 + i * 1.5:.2f}",
                          "summary": "一辆货车在县道弯道处侧翻(示例)。"})
    hazards = []
    for i in range(40):
        firm = rng.choice(enterprises)
        found = dt.date(2023, 1, 3) + dt.timedelta(days=rng.randint(0, 50))
        closed = found + dt.timedelta(days=rng.randint(3, 20))
        hazards.append({
            "code": f"YH2023-{i + 1:05d}", "enterprise_id": firm["name"],
            "unit_code": firm["unit_code"], "sector_code": firm["sector_code"],
            "found_on": found.isoformat(), "source": "self_check",
            "level": "major" if i % 13 == 0 else "general", "category": "equipment",
            "description": "配电柜接地线松动(示例)", "measure": "紧固接地线并检测",
            "responsible_person": "王某某", "deadline": (found + dt.timedelta(days=15)).isoformat(),
            "closed_on": closed.isoformat() if closed <= DATA_END else None,
            "accepted_by": "李某某" if closed <= DATA_END else None,
            "regulator_reported_on": found.isoformat() if i % 13 == 0 else None,
            "congress_reported_on": found.isoformat() if i % 13 == 0 else None,
        })
    faces = []
    for i in range(6):
        mine = mines[i % len(mines)]
        accepted = "2023-02-20" if i == 0 else None
        faces.append({
            "code": f"GZM-2023-{i + 1:03d}", "mine_id": mine["name"],
            "name": f"{mine['name']}2023年{i + 1}号智能化综采工作面", "face_type": "mining",
            "plan_year": 2023, "planned_completion_on": f"2023-{6 + i:02d}-30",
            "planned_on": "2023-01-10",
            "construction_started_on": "2023-01-20" if i < 3 else None,
            "self_assessed_on": "2023-02-08" if i == 0 else None,
            "applied_on": "2023-02-10" if i == 0 else None,
            "evaluated_on": "2023-02-15" if i == 0 else None, "accepted_on": accepted,
        })
    plans_2022 = {r["unit_code"]: int(r["planned_inspections"])
                  for r in _read("inspection_plans") if r["year"] == "2022"}
    inspection_plans = [{"year": 2023, "unit_code": u, "planned_inspections": n}
                        for u, n in plans_2022.items()]
    inspection_progress = [{"unit_code": u, "reported_on": "2023-01-31",
                            "done_to_date": n * rng.randint(5, 9) // 100}
                           for u, n in plans_2022.items()]
    drills = [{"unit_code": "140400", "held_on": "2023-02-16", "kind": "comprehensive",
               "title": "长治市2023年春节期间综合应急演练(示例)", "participants": 260}]
    targets = [{"year": 2023, "unit_code": None, "sector_code": None, "metric": "deaths",
                "direction": "at_most", "value": 150, "source": "示例指标(虚构)"},
               {"year": 2023, "unit_code": None, "sector_code": None,
                "metric": "intelligent_faces", "direction": "at_least", "value": 30,
                "source": "示例指标(虚构)"}]
    return {"hazchem_monitoring_weekly": monitoring, "leadership_activities": leadership,
            "coal_gas_events": gas, "accidents": accidents, "hidden_dangers": hazards,
            "working_faces": faces, "inspection_plans": inspection_plans,
            "inspection_progress": inspection_progress, "drills": drills, "targets": targets}


def write_sheet(table: str, rows: list[dict], folder: Path) -> Path:
    """`rows` as `<sheet>.csv` with the import's Chinese headers (codes as they are stored)."""
    spec = SPECS_BY_TABLE[table]
    fields = [f for f in spec.stored if any(f.column in r for r in rows)]
    path = folder / f"{spec.sheet}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f.header for f in fields])
        for row in rows:
            writer.writerow(["" if row.get(f.column) is None else row[f.column] for f in fields])
    return path


def write_all(out_dir: Path = OUT_DIR) -> dict[str, int]:
    counts = {}
    for name, tables in (("data", data_2023(random.Random(SEED))), ("plan", plan_2023())):
        folder = out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        for table, rows in tables.items():
            write_sheet(table, rows, folder)
            counts[f"{name}/{table}"] = len(rows)
    return counts


if __name__ == "__main__":
    for key, n in write_all().items():
        print(f"{key:40} {n:>5}")
