"""Generate the fictitious sample database as CSV files in `sample_data/csv/`.

Deterministic (seeded): `python -m sample_data.generate` always writes the same files.
County names and codes are real; every enterprise, mine, site, person and figure is invented.
Enterprise and mine names all begin with 示例 so that no invented accident can be read as
belonging to a real company. The story: full year 2021 as the baseline, and 2022 up to
Friday 25 November 2022, the week of a review meeting.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from data_access import geo
from sample_data import plans, scorecard_story, story
from sample_data.reference import CITY, DEPARTMENTS, REPORTING_UNITS, SECTORS

OUT_DIR = Path(__file__).resolve().parent / "csv"
SEED = 42
DATA_END = dt.date(2022, 11, 25)

BRAND_CHARS = "沐岚澈霁泓珩琰瑄璟翊骁晟昀曦煦炜烁熠禾穗芃茗蔚苒琨珏渟湛棠樾"


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, list[dict]] = {}
        self._used_names: set[str] = set()
        self._outlines = {
            f["properties"]["code"]: f["geometry"]
            for f in geo.load_county_outlines()["features"]
        }

    # ---- helpers -------------------------------------------------------------------------
    def brand(self) -> str:
        while True:
            name = self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS)
            if name[0] != name[1] and name not in self._used_names:
                self._used_names.add(name)
                return name

    def point_in_unit(self, unit_code: str, near: tuple[float, float] | None = None,
                      spread_deg: float = 0.04) -> tuple[float, float]:
        """A random point inside the unit's county outline (zones: inside their district)."""
        parent = {u[0]: (u[3] or u[0]) for u in REPORTING_UNITS}[unit_code]
        geometry = self._outlines[parent]
        ring = [pt for poly in (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                                else [geometry["coordinates"]]) for pt in poly[0]]
        min_lon, max_lon = min(p[0] for p in ring), max(p[0] for p in ring)
        min_lat, max_lat = min(p[1] for p in ring), max(p[1] for p in ring)
        for _ in range(10_000):
            if near is not None:
                lat = near[0] + self.rng.uniform(-spread_deg, spread_deg)
                lon = near[1] + self.rng.uniform(-spread_deg, spread_deg)
            else:
                lat = self.rng.uniform(min_lat, max_lat)
                lon = self.rng.uniform(min_lon, max_lon)
            if geo.point_in_geometry(lon, lat, geometry):
                return round(lat, 6), round(lon, 6)
        raise RuntimeError(f"no point found inside {unit_code}")

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def unit_point(self, unit_code: str) -> tuple[float, float]:
        for code, _name, _kind, _parent, lat, lon in REPORTING_UNITS:
            if code == unit_code:
                return lat, lon
        raise KeyError(unit_code)

    # ---- tables --------------------------------------------------------------------------
    def reference(self) -> None:
        self.tables["dataset_info"] = [
            {"key": "is_sample", "value": "true"},
            {"key": "generator", "value": f"sample_data/generate.py seed={SEED}"},
            {"key": "data_as_of", "value": DATA_END.isoformat()},
            {"key": "note", "value": "虚构示例数据:县区名称与代码真实,企业、煤矿、点位、人员和数字均为虚构"},
        ]
        self.tables["units"] = [
            {"code": code, "name": name, "kind": kind, "parent_code": parent or "",
             "lat": lat, "lon": lon, "sort_order": i}
            for i, (code, name, kind, parent, lat, lon) in enumerate((CITY, *REPORTING_UNITS))
        ]
        self.tables["departments"] = [
            {"code": code, "name": name, "sort_order": i} for i, (code, name) in enumerate(DEPARTMENTS)
        ]
        self.tables["sectors"] = [
            {"code": code, "name": name, "sort_order": i} for i, (code, name) in enumerate(SECTORS)
        ]

    def enterprises(self) -> None:
        rows = []
        for unit_code, sector, count in story.enterprise_plan():
            for _ in range(count):
                lat, lon = self.point_in_unit(unit_code, near=self.unit_point(unit_code),
                                              spread_deg=0.03 if unit_code in ("140471", "JKQ")
                                              else 0.25)
                major_hazard = sector in ("hazchem", "industry_trade") and self.rng.random() < 0.4
                required = 2 if sector in ("coal", "noncoal_mine") or major_hazard else 3
                achieved = required if self.rng.random() < 0.7 else max(1, required - 1)
                if self.rng.random() < 0.1:
                    achieved = None if required == 3 else 3
                rows.append({
                    "id": len(rows) + 1,
                    "name": f"示例{self.brand()}{story.SECTOR_WORDS[sector]}有限公司",
                    "unit_code": unit_code, "sector_code": sector, "lat": lat, "lon": lon,
                    "std_grade": "" if achieved is None else achieved,
                    "required_std_grade": required,
                    "has_major_hazard": major_hazard,
                    "is_hazchem": sector == "hazchem",
                })
        self.tables["enterprises"] = rows

    def accidents(self) -> None:
        rows = []
        by_unit_sector: dict[tuple[str, str], list[dict]] = {}
        for e in self.tables["enterprises"]:
            by_unit_sector.setdefault((e["unit_code"], e["sector_code"]), []).append(e)
        unit_codes = [u[0] for u in REPORTING_UNITS]
        for year, count in story.ACCIDENTS_PER_YEAR.items():
            end = dt.date(year, 12, 31) if year < DATA_END.year else DATA_END
            larger = set(self.rng.sample(range(count), story.LARGER_ACCIDENTS[year]))
            for i in range(count):
                sector = self.rng.choices(*zip(*story.ACCIDENT_SECTOR_WEIGHTS.items()))[0]
                unit_code = self.rng.choices(unit_codes, weights=story.unit_weights(year))[0]
                day = self.date_between(dt.date(year, 1, 1), end)
                at = dt.datetime.combine(day, dt.time(self.rng.randint(0, 23),
                                                      self.rng.choice((0, 15, 30, 45))))
                candidates = by_unit_sector.get((unit_code, sector), [])
                enterprise = (self.rng.choice(candidates)
                              if candidates and sector not in ("road_transport", "fire") else None)
                if i in larger:
                    deaths, injuries = self.rng.randint(3, 4), self.rng.randint(0, 6)
                    loss = self.rng.uniform(300, 900)
                    grade = "larger"
                else:
                    deaths = self.rng.choices((0, 1, 2), weights=(28, 62, 10))[0]
                    injuries = self.rng.choices(range(0, 6), weights=(40, 25, 15, 10, 6, 4))[0]
                    loss = min(self.rng.lognormvariate(3.5, 1.0), 900.0)
                    grade = "general"
                rows.append({
                    "id": len(rows) + 1, "occurred_at": at.isoformat(sep=" "),
                    "unit_code": unit_code, "sector_code": sector,
                    "enterprise_id": enterprise["id"] if enterprise else "",
                    "grade": grade, "deaths": deaths, "serious_injuries": injuries,
                    "direct_loss_wan": f"{loss:.2f}",
                    "summary": story.accident_summary(self.rng, sector, deaths, injuries),
                })
        story.apply_grade_mismatches(rows)
        self.tables["accidents"] = number_accidents(rows)

    def targets(self) -> None:
        self.tables["targets"] = story.targets(self.tables["accidents"])

    def key_tasks(self) -> None:
        tasks, reports = [], []
        for i, spec in enumerate(story.KEY_TASKS, start=1):
            code, sector, section, dept, title, desc, units, start, deadline, profile = spec
            tasks.append({
                "id": i, "code": code, "year": 2022, "sector_code": sector,
                "notice_section": section, "title": title, "description": desc,
                "lead_department_code": dept, "responsible_units": units,
                "start_on": start, "deadline": deadline,
            })
            for day, pct, note in story.progress_reports(self.rng, dt.date.fromisoformat(start),
                                                         dt.date.fromisoformat(deadline),
                                                         profile, DATA_END):
                reports.append({"id": len(reports) + 1, "task_id": i,
                                "reported_on": day.isoformat(), "progress_pct": pct, "note": note})
        self.tables["key_tasks"] = tasks
        self.tables["task_progress_reports"] = reports

    def hidden_dangers(self) -> None:
        enterprises = self.tables["enterprises"]
        weights = [story.HD_SECTOR_WEIGHT[e["sector_code"]] for e in enterprises]
        rows = []
        for year, count in story.HIDDEN_DANGERS_PER_YEAR.items():
            end = dt.date(year, 12, 31) if year < DATA_END.year else DATA_END
            picks = self.rng.choices(enterprises, weights=weights, k=count)
            found_days = sorted(self.date_between(dt.date(year, 1, 1), end) for _ in range(count))
            for n, (enterprise, found) in enumerate(zip(picks, found_days), start=1):
                rows.append(story.hidden_danger(
                    self.rng, len(rows) + 1, f"YH{year}-{n:05d}", enterprise, found, DATA_END))
        self.tables["hidden_dangers"] = rows

    def mines(self) -> None:
        mines, faces, milestones = [], [], []
        enterprises = self.tables["enterprises"]
        coal = [e for e in enterprises if e["sector_code"] == "coal"]
        for i, enterprise in enumerate(coal[: story.MINE_COUNT], start=1):
            brand = enterprise["name"][2:4]
            mines.append({
                "id": i, "name": f"示例{brand}煤矿", "enterprise_id": enterprise["id"],
                "unit_code": enterprise["unit_code"], "lat": enterprise["lat"],
                "lon": enterprise["lon"],
                "capacity_wt": self.rng.choice((60, 90, 120, 150, 240, 300, 400, 500, 800)),
                "is_green_pilot": i <= story.GREEN_PILOTS,
                "is_intelligent_demo": i == story.GREEN_PILOTS + 1,
            })
        for mine in mines:
            if mine["is_green_pilot"] or mine["is_intelligent_demo"]:
                milestones.extend(story.mine_milestones(self.rng, mine, len(milestones), DATA_END))
        faces = story.working_faces(self.rng, mines, DATA_END)
        self.tables["coal_mines"] = mines
        self.tables["mine_milestones"] = milestones
        self.tables["working_faces"] = faces

    def resources(self) -> None:
        sites, items = [], []
        for unit_code, kind, subkind, level in story.site_plan():
            near = self.unit_point(unit_code)
            spread = 0.02 if level in ("city", "county") or unit_code in ("140471", "JKQ") else 0.2
            lat, lon = self.point_in_unit(unit_code, near=near, spread_deg=spread)
            site = story.resource_site(self.rng, len(sites) + 1, unit_code, kind, subkind, level,
                                       lat, lon, DATA_END)
            sites.append(site)
            items.extend(story.site_items(self.rng, site, len(items)))
        per_unit: dict[str, int] = {}
        for site in sites:
            per_unit[site["unit_code"]] = per_unit.get(site["unit_code"], 0) + 1
            site["code"] = f"ZY-{site['unit_code']}-{per_unit[site['unit_code']]:03d}"
        # A separate random stream, so that the checks' history leaves every other table as it was.
        checks = story.stock_checks(random.Random(SEED + 1), sites)
        for site in sites:
            del site["last_checked_on"]
        self.tables["resource_sites"] = sites
        self.tables["resource_items"] = items
        self.tables["resource_checks"] = checks

    def run(self) -> dict[str, list[dict]]:
        self.reference()
        self.enterprises()
        self.accidents()
        self.targets()
        self.key_tasks()
        self.hidden_dangers()
        self.mines()
        self.resources()
        self.tables.update(scorecard_story.generate(self.tables, DATA_END))
        self.tables.update(plans.tables())
        return self.tables


def number_accidents(rows: list[dict]) -> list[dict]:
    """Give each accident its report number (事故编号): SG<year>-<nnnn> in order of occurrence."""
    columns = ["id", "code", *(k for k in rows[0] if k != "id")]
    by_time = sorted(rows, key=lambda r: (r["occurred_at"], r["id"]))
    per_year: dict[str, int] = {}
    for row in by_time:
        year = row["occurred_at"][:4]
        per_year[year] = per_year.get(year, 0) + 1
        row["code"] = f"SG{year}-{per_year[year]:04d}"
    return [{column: row[column] for column in columns} for row in rows]


def write_csv(tables: dict[str, list[dict]], out_dir: Path = OUT_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_value(v) for k, v in row.items()})


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return value


if __name__ == "__main__":
    generated = Generator().run()
    write_csv(generated)
    for table_name, table_rows in generated.items():
        print(f"{table_name:24} {len(table_rows):>6}")
