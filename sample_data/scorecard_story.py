"""The invented story behind the overview scorecard's tables (the notice's other quantified
targets): meetings and grassroots visits, gas events, oil and gas storage risk levels, major
hazard sources, the inspection plan, the risk census, drills, township staffing, hazardous-
chemicals monitoring and cyber-security incidents.

Everything here is fictitious. It has its own random generator (seed 4207), so adding or
changing these tables never changes the other tables' CSV files. The story as of Friday
25 November 2022 has both green and red lines: monitoring alarms left uncleared in 潞城区 and
经开区, one county still without its comprehensive drill, a handful of townships with fewer than
three staff, one gas over-limit event this week (none before it in 2022), no outburst, the last
较高风险 oil and gas storage enterprise cleared this week, and every major-hazard-source
responsible person trained once this week's newly registered source was covered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from sample_data.reference import CITY, COUNTIES, REPORTING_UNITS

SEED = 4207
CITY_CODE = CITY[0]
ALL_UNITS = (CITY, *REPORTING_UNITS)
UNIT_NAMES = {u[0]: u[1] for u in ALL_UNITS}
COUNTY_CODES = tuple(u[0] for u in COUNTIES)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while dt.date(year, month, 1) <= end:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _fridays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    days = []
    while day <= end:
        days.append(day)
        day += dt.timedelta(days=7)
    return days


class ScorecardStory:
    def __init__(self, tables: dict[str, list[dict]], data_end: dt.date) -> None:
        self.rng = random.Random(SEED)
        self.tables = tables
        self.end = data_end
        self.start = dt.date(data_end.year - 1, 1, 1)

    def day_in(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.end)
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    # ---- §一 meetings and grassroots visits ----------------------------------------------
    # (unit, year, month) where the story says the requirement was missed in 2022.
    MISSED_MEETINGS = {("140431", 2022, 4), ("JKQ", 2022, 7), ("140426", 2022, 2)}
    SHORT_VISITS = {("140431", 2022, 3), ("140431", 2022, 8), ("140430", 2022, 6),
                    ("140471", 2022, 9), ("140425", 2022, 2), ("140427", 2022, 7),
                    ("JKQ", 2022, 10), ("140429", 2022, 5)}
    _MEETING_TOPICS = ("研究部署本月安全生产重点工作", "传达学习上级安全生产会议精神",
                       "专题研究防汛期间安全防范工作", "研究重大隐患挂牌督办事项",
                       "分析研判安全生产形势", "研究部署岁末年初安全生产工作")
    _VISIT_TOPICS = ("深入煤矿企业督导检查", "深入危化企业指导检查", "检查非煤矿山复工复产",
                     "督导乡镇安全生产工作", "检查建筑施工现场", "检查人员密集场所消防安全")

    def _unused_topic(self, used: set, code: str, day: dt.date, kind: str, topic: str) -> str:
        """`topic`, or the next one in its list if the unit already has that record that day:
        two identical records would be one record twice (the import's natural key)."""
        topics = self._MEETING_TOPICS if kind == "meeting" else self._VISIT_TOPICS
        index = topics.index(topic)
        while (code, day, kind, topic) in used:
            index = (index + 1) % len(topics)
            topic = topics[index]
        used.add((code, day, kind, topic))
        return topic

    def leadership_activities(self) -> list[dict]:
        rows = []
        used: set = set()
        for code, *_ in ALL_UNITS:
            for year, month in _months(self.start, self.end):
                first, last = dt.date(year, month, 1), _month_end(year, month)
                key = (code, year, month)
                random_miss = year < self.end.year and self.rng.random() < 0.03
                meetings = 0 if key in self.MISSED_MEETINGS or random_miss else (
                    1 if self.rng.random() < 0.8 else 2)
                short = key in self.SHORT_VISITS or (year < self.end.year
                                                     and self.rng.random() < 0.04)
                visits = self.rng.choice((0, 1)) if short else self.rng.choice((2, 2, 3, 4))
                events = ([("meeting", self.rng.choice(self._MEETING_TOPICS))
                           for _ in range(meetings)]
                          + [("grassroots_visit", self.rng.choice(self._VISIT_TOPICS))
                             for _ in range(visits)])
                for kind, topic in events:
                    day = self.day_in(first, last)
                    if day > self.end:
                        continue
                    topic = self._unused_topic(used, code, day, kind, topic)
                    rows.append({"id": 0, "unit_code": code, "held_on": day.isoformat(),
                                 "kind": kind, "note": topic})
        rows.sort(key=lambda r: (r["held_on"], r["unit_code"], r["kind"]))
        for i, row in enumerate(rows, start=1):
            row["id"] = i
        return rows

    # ---- §二 gas events ------------------------------------------------------------------
    def coal_gas_events(self) -> list[dict]:
        mines = self.tables["coal_mines"]
        by_unit = {}
        for mine in mines:
            by_unit.setdefault(mine["unit_code"], []).append(mine)
        story = (
            ("140431", dt.date(2021, 3, 12), "1.18", "回风巷瓦斯浓度短时超限,断电撤人后恢复正常"),
            ("140423", dt.date(2021, 7, 8), "1.05", "掘进工作面局部通风机停风导致瓦斯超限"),
            ("140405", dt.date(2021, 10, 21), "1.32", "采煤工作面上隅角瓦斯积聚超限"),
            ("140431", dt.date(2022, 11, 21), "1.12", "综采工作面回风流瓦斯浓度超限,已停产整顿"),
        )
        rows = []
        for unit, day, peak, summary in story:
            mine = self.rng.choice(by_unit[unit])
            place = self.rng.choice(("综采工作面回风巷", "掘进工作面", "采煤工作面上隅角"))
            rows.append({"id": len(rows) + 1, "mine_id": mine["id"],
                         "occurred_on": day.isoformat(), "kind": "gas_over_limit",
                         "location": place, "peak_ch4_pct": peak, "summary": summary})
        return rows

    # ---- §二 oil and gas storage risk levels ---------------------------------------------
    def oil_gas_storage_assessments(self) -> list[dict]:
        hazchem = [e for e in self.tables["enterprises"] if e["is_hazchem"]]
        chosen = self.rng.sample(hazchem, 8)
        initial = ("high", "high", "higher", "higher", "higher", "moderate", "moderate", "low")
        # (enterprise index, date, new level): the dynamic "清零" as it went.
        changes = (
            (0, dt.date(2021, 9, 16), "higher"),
            (1, dt.date(2022, 4, 14), "higher"),
            (2, dt.date(2022, 4, 20), "moderate"),
            (3, dt.date(2022, 5, 11), "moderate"),
            (0, dt.date(2022, 8, 18), "moderate"),
            (4, dt.date(2022, 9, 7), "moderate"),
            (1, dt.date(2022, 11, 22), "moderate"),
        )
        rows = []
        for i, (enterprise, level) in enumerate(zip(chosen, initial)):
            day = dt.date(2021, 3, 8) + dt.timedelta(days=i * 2)
            rows.append({"id": 0, "enterprise_id": enterprise["id"], "assessed_on": day.isoformat(),
                         "risk_level": level})
        for index, day, level in changes:
            rows.append({"id": 0, "enterprise_id": chosen[index]["id"],
                         "assessed_on": day.isoformat(), "risk_level": level})
        # The annual review of the others confirms their level.
        for i, (enterprise, level) in enumerate(zip(chosen[5:], initial[5:])):
            day = dt.date(2022, 3, 15) + dt.timedelta(days=i * 3)
            rows.append({"id": 0, "enterprise_id": enterprise["id"], "assessed_on": day.isoformat(),
                         "risk_level": level})
        rows.sort(key=lambda r: (r["assessed_on"], r["enterprise_id"]))
        for i, row in enumerate(rows, start=1):
            row["id"] = i
        return rows

    # ---- §二 major hazard sources ----------------------------------------------------------
    _SOURCE_PLACES = {"hazchem": ("储罐区", "生产装置区", "液氨储罐区", "甲类仓库"),
                      "industry_trade": ("煤气柜区", "液氨制冷区", "氧气站", "燃气储配站")}
    _ROLES = ("主要负责人", "技术负责人", "操作负责人")
    # Sources identified during 2022: (registered, trained). The last is trained this week.
    _NEW_2022 = ((dt.date(2022, 5, 9), dt.date(2022, 6, 2)),
                 (dt.date(2022, 9, 13), dt.date(2022, 10, 11)),
                 (dt.date(2022, 11, 10), dt.date(2022, 11, 23)))

    def major_hazard_sources(self) -> tuple[list[dict], list[dict]]:
        owners = [e for e in self.tables["enterprises"] if e["has_major_hazard"]]
        sources, events = [], []
        per_unit: Counter = Counter()
        new_slots = set(self.rng.sample(range(len(owners)), len(self._NEW_2022)))
        new_dates = iter(self._NEW_2022)
        for n, enterprise in enumerate(owners):
            count = 2 if self.rng.random() < 0.4 else 1
            places = self.rng.sample(self._SOURCE_PLACES[enterprise["sector_code"]], count)
            for k, place in enumerate(places):
                unit = enterprise["unit_code"]
                per_unit[unit] += 1
                trained_2022 = None
                if n in new_slots and k == 0:
                    registered, trained_2022 = next(new_dates)
                else:
                    registered = dt.date(2018, 1, 1) + dt.timedelta(days=self.rng.randint(0, 1090))
                source_id = len(sources) + 1
                sources.append({
                    "id": source_id, "code": f"WX-{unit}-{per_unit[unit]:03d}",
                    "name": f"{enterprise['name']}{place}", "enterprise_id": enterprise["id"],
                    "unit_code": unit, "sector_code": enterprise["sector_code"],
                    "hazard_grade": self.rng.choices((1, 2, 3, 4), weights=(1, 3, 5, 6))[0],
                    "responsible_role": self.rng.choice(self._ROLES),
                    "registered_on": registered.isoformat(),
                })
                if registered.year < 2022:
                    events.append((source_id, "training",
                                   self.day_in(dt.date(2021, 4, 1), dt.date(2021, 10, 31))))
                    events.append((source_id, "inspection",
                                   self.day_in(dt.date(2021, 3, 1), dt.date(2021, 12, 15))))
                    trained_2022 = self.day_in(dt.date(2022, 3, 1), dt.date(2022, 8, 20))
                events.append((source_id, "training", trained_2022))
                # About one source in twenty has not been inspected yet in 2022.
                if self.rng.random() >= 0.05:
                    earliest = max(registered + dt.timedelta(days=7), dt.date(2022, 3, 1))
                    inspected = self.day_in(earliest, dt.date(2022, 11, 18))
                    if inspected >= earliest:
                        events.append((source_id, "inspection", inspected))
        events.sort(key=lambda e: (e[2], e[0], e[1]))
        event_rows = [{"id": i, "source_id": s, "kind": kind, "held_on": day.isoformat()}
                      for i, (s, kind, day) in enumerate(events, start=1)]
        return sources, event_rows

    # ---- §三 annual inspection plan ------------------------------------------------------
    # How fast each unit works through its plan in 2022 (1.0 = exactly on time).
    _PACE_2022 = {"140425": 0.74, "JKQ": 0.8, "140430": 0.9}

    def inspection_plans(self) -> tuple[list[dict], list[dict]]:
        plans, progress = [], []
        for year in (self.end.year - 1, self.end.year):
            for code, _name, kind, *_ in ALL_UNITS:
                low, high = {"city": (110, 130), "zone": (60, 90)}.get(kind, (150, 260))
                planned = self.rng.randint(low, high) // 5 * 5
                plans.append({"id": len(plans) + 1, "year": year, "unit_code": code,
                              "planned_inspections": planned})
                if year < self.end.year:
                    pace = self.rng.uniform(1.0, 1.06)
                else:
                    pace = self._PACE_2022.get(code, self.rng.uniform(0.97, 1.08))
                days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
                for month in range(1, 13):
                    for day in (dt.date(year, month, 15), _month_end(year, month)):
                        if day > self.end:
                            continue
                        elapsed = day.timetuple().tm_yday / days_in_year
                        wobble = self.rng.uniform(-0.02, 0.02)
                        done = int(planned * max(0.0, min(pace * elapsed + wobble, pace)))
                        previous = progress[-1]["done_to_date"] if (
                            progress and progress[-1]["unit_code"] == code
                            and progress[-1]["reported_on"][:4] == str(year)) else 0
                        progress.append({"id": len(progress) + 1, "unit_code": code,
                                         "reported_on": day.isoformat(),
                                         "done_to_date": max(done, previous)})
        return plans, progress

    # ---- §四 natural-hazard risk census --------------------------------------------------
    _CENSUS_FINISH = {"140431": 0.86, "140425": 0.92}

    def risk_census_progress(self) -> list[dict]:
        rows = []
        for code in COUNTY_CODES:
            finish_by = dt.date(2022, 8, 31) + dt.timedelta(days=self.rng.randint(0, 70))
            ceiling = self._CENSUS_FINISH.get(code, 1.0)
            begin = dt.date(2021, 3, 20)
            for year, month in _months(begin, self.end):
                day = dt.date(year, month, 20)
                if day > self.end:
                    continue
                share = (day - begin).days / max((finish_by - begin).days, 1)
                pct = int(100 * min(1.0, ceiling, 0.08 + share * self.rng.uniform(0.92, 1.02)))
                if share >= 1 and ceiling == 1.0:
                    pct = 100
                previous = rows[-1]["completion_pct"] if rows and rows[-1]["unit_code"] == code else 0
                rows.append({"id": len(rows) + 1, "unit_code": code, "reported_on": day.isoformat(),
                             "completion_pct": max(pct, previous)})
        return rows

    # ---- §五 drills ------------------------------------------------------------------------
    _DRILL_TITLES = {
        "comprehensive": ("防汛抢险综合应急演练", "危险化学品事故综合应急演练", "地震灾害综合应急演练",
                          "森林火灾扑救综合应急演练"),
        "special": ("煤矿透水事故专项应急演练", "尾矿库溃坝专项应急演练", "人员密集场所疏散专项演练",
                    "道路交通事故救援专项演练"),
        "tabletop": ("防汛应急桌面推演", "危化品泄漏处置桌面推演", "森林火灾扑救桌面推演"),
    }
    # 2022: 沁县 has not held its comprehensive drill yet; 屯留区 holds it this week.
    _NO_DRILL_2022 = "140430"
    _DRILL_THIS_WEEK = ("140405", dt.date(2022, 11, 22))

    def drills(self) -> list[dict]:
        rows = []
        required = (CITY_CODE, *COUNTY_CODES)
        for year in (self.end.year - 1, self.end.year):
            for code in required:
                if year == self.end.year and code == self._DRILL_THIS_WEEK[0]:
                    rows.append(self._drill(code, self._DRILL_THIS_WEEK[1], "comprehensive"))
                elif not (year == self.end.year and code == self._NO_DRILL_2022):
                    day = self.day_in(dt.date(year, 4, 10), dt.date(year, 10, 31))
                    rows.append(self._drill(code, day, "comprehensive"))
                for _ in range(self.rng.randint(1, 3)):
                    kind = self.rng.choice(("special", "tabletop"))
                    rows.append(self._drill(code, self.day_in(dt.date(year, 2, 15),
                                                              dt.date(year, 12, 15)), kind))
            for code in ("140471", "JKQ"):  # zones drill too, but are not required to
                rows.append(self._drill(code, self.day_in(dt.date(year, 3, 1),
                                                          dt.date(year, 11, 15)), "special"))
        rows.sort(key=lambda r: (r["held_on"], r["unit_code"]))
        for i, row in enumerate(rows, start=1):
            row["id"] = i
        return rows

    def _drill(self, code: str, day: dt.date, kind: str) -> dict:
        title = f"{UNIT_NAMES[code]}{day.year}年{self.rng.choice(self._DRILL_TITLES[kind])}"
        participants = self.rng.randint(150, 600) if kind == "comprehensive" else (
            self.rng.randint(20, 60) if kind == "tabletop" else self.rng.randint(60, 220))
        return {"id": 0, "unit_code": code, "held_on": day.isoformat(), "kind": kind,
                "title": title, "participants": participants}

    # ---- §六 township staffing -----------------------------------------------------------
    _TOWNSHIPS = {"140403": 14, "140404": 11, "140405": 10, "140406": 7, "140423": 11,
                  "140425": 8, "140426": 8, "140427": 10, "140428": 11, "140429": 11,
                  "140430": 9, "140431": 11}

    def townships(self) -> tuple[list[dict], list[dict]]:
        townships, staffing = [], []
        for code, count in self._TOWNSHIPS.items():
            for n in range(1, count + 1):
                townships.append({"id": len(townships) + 1, "unit_code": code,
                                  "name": f"{UNIT_NAMES[code]}第{n}乡镇(街道)"})
        ids = [t["id"] for t in townships]
        short_at_start = set(self.rng.sample(ids, 24))
        still_short = set(self.rng.sample(sorted(short_at_start), 6))
        fixed_this_week = self.rng.choice(sorted(short_at_start - still_short))
        dropped = set(self.rng.sample(sorted(set(ids) - short_at_start), 2))
        changes = []
        for tid in ids:
            start_staff = self.rng.choice((1, 2, 2)) if tid in short_at_start else self.rng.choice((3, 3, 4, 5))
            changes.append((tid, dt.date(2021, 1, 4), start_staff))
            if tid == fixed_this_week:
                changes.append((tid, dt.date(2022, 11, 21), 3))
            elif tid in short_at_start and tid not in still_short:
                changes.append((tid, self.day_in(dt.date(2021, 3, 1), dt.date(2022, 10, 31)),
                                self.rng.choice((3, 3, 4))))
            elif tid in dropped:
                changes.append((tid, self.day_in(dt.date(2022, 4, 1), dt.date(2022, 10, 31)), 2))
        changes.sort(key=lambda c: (c[1], c[0]))
        staffing = [{"id": i, "township_id": tid, "reported_on": day.isoformat(), "staff": staff}
                    for i, (tid, day, staff) in enumerate(changes, start=1)]
        return townships, staffing

    # ---- §六 hazardous-chemicals monitoring ----------------------------------------------
    # Trouble in the last two weeks: (unit, week ending) -> (uncleared, over 24 h, commit misses).
    _ALARM_TROUBLE = {("140406", dt.date(2022, 11, 18)): (1, 1, 0),
                      ("140406", dt.date(2022, 11, 25)): (3, 2, 2),
                      ("JKQ", dt.date(2022, 11, 25)): (2, 1, 0)}

    def hazchem_monitoring(self) -> list[dict]:
        enterprises = Counter(e["unit_code"] for e in self.tables["enterprises"] if e["is_hazchem"])
        rows = []
        for code in sorted(enterprises, key=lambda c: [u[0] for u in ALL_UNITS].index(c)):
            sources = self.rng.randint(3, 8)
            points_per_source = self.rng.randint(9, 14)
            for week in _fridays(self.start, self.end):
                required = enterprises[code] * 7
                trouble = self._ALARM_TROUBLE.get((code, week))
                misses = trouble[2] if trouble else (self.rng.choice((0, 0, 0, 1))
                                                     if week.year < self.end.year else 0)
                # 经开区 has had one major hazard source waiting to connect since a new plant opened.
                connected = sources - (1 if code == "JKQ" and week >= dt.date(2022, 6, 3) else 0)
                points = connected * points_per_source
                offline = self.rng.choice((0, 0, 0, 1)) + (3 if code == "140471"
                                                            and week >= dt.date(2022, 11, 11) else 0)
                alarms = self.rng.randint(4, 22)
                uncleared, over_24h = (trouble[0], trouble[1]) if trouble else (0, 0)
                rows.append({
                    "id": len(rows) + 1, "unit_code": code, "week_ending": week.isoformat(),
                    "commit_required": required, "commit_on_time": required - misses,
                    "sources_required": sources, "sources_connected": connected,
                    "points_connected": points, "points_online": points - offline,
                    "alarms": alarms, "alarms_cleared": alarms - uncleared,
                    "alarms_over_24h": over_24h,
                })
        return rows

    # ---- §六 cyber-security incidents ----------------------------------------------------
    def cyber_incidents(self) -> list[dict]:
        story = (
            (CITY_CODE, dt.date(2021, 6, 17), "larger", "门户网站", "门户网站遭受网页篡改攻击,经应急处置后恢复,已通报公安机关"),
            ("140423", dt.date(2021, 9, 3), "general", "办公终端", "个别办公终端感染勒索病毒,及时隔离,未造成数据泄露"),
            ("140405", dt.date(2021, 11, 26), "general", "视频会议系统", "视频会议系统遭受暴力破解尝试,已封禁来源地址"),
            (CITY_CODE, dt.date(2022, 3, 22), "general", "邮件系统", "发现钓鱼邮件,已开展全员提醒并清理"),
            ("140406", dt.date(2022, 7, 5), "general", "办公终端", "一台终端弱口令被利用,已整改并全面排查"),
            ("JKQ", dt.date(2022, 10, 14), "general", "监测预警系统", "监测预警系统短时中断,已切换备用链路"),
        )
        return [{"id": i, "unit_code": unit, "occurred_on": day.isoformat(), "severity": severity,
                 "system": system, "summary": summary}
                for i, (unit, day, severity, system, summary) in enumerate(story, start=1)]

    def run(self) -> dict[str, list[dict]]:
        sources, source_events = self.major_hazard_sources()
        plans, progress = self.inspection_plans()
        townships, staffing = self.townships()
        return {
            "leadership_activities": self.leadership_activities(),
            "coal_gas_events": self.coal_gas_events(),
            "oil_gas_storage_assessments": self.oil_gas_storage_assessments(),
            "major_hazard_sources": sources,
            "major_hazard_source_events": source_events,
            "inspection_plans": plans,
            "inspection_progress": progress,
            "risk_census_progress": self.risk_census_progress(),
            "drills": self.drills(),
            "townships": townships,
            "township_staffing": staffing,
            "hazchem_monitoring_weekly": self.hazchem_monitoring(),
            "cyber_incidents": self.cyber_incidents(),
        }


def generate(tables: dict[str, list[dict]], data_end: dt.date) -> dict[str, list[dict]]:
    """The scorecard tables, built from the already generated `tables` (enterprises, mines)."""
    return ScorecardStory(tables, data_end).run()
