"""The fictitious sample data: deterministic, big enough, honest and geographically right."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from data_access import db, geo
from sample_data.generate import Generator, _csv_value
from sample_data.reference import REPORTING_UNITS


@pytest.fixture(scope="module")
def tables():
    return Generator().run()


def _read_csv(name):
    with (db.SAMPLE_CSV_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generator_reproduces_the_shipped_csv(tables):
    for name, rows in tables.items():
        shipped = _read_csv(name)
        regenerated = [{k: str(_csv_value(v)) for k, v in row.items()} for row in rows]
        assert shipped == regenerated, f"{name}.csv differs: run `make sample`"


def test_sizes_meet_the_brief(tables):
    assert len(tables["enterprises"]) >= 300
    assert {e["unit_code"] for e in tables["enterprises"]} == {u[0] for u in REPORTING_UNITS}
    per_year = Counter(a["occurred_at"][:4] for a in tables["accidents"])
    assert per_year["2021"] >= 150 and per_year["2022"] >= 150
    larger = [a for a in tables["accidents"] if a["grade"] == "larger"]
    assert larger
    assert len(tables["hidden_dangers"]) >= 5000
    mines = tables["coal_mines"]
    assert len(mines) >= 40
    assert sum(m["is_green_pilot"] for m in mines) == 9
    assert sum(m["is_intelligent_demo"] for m in mines) == 1
    faces_2022 = [f for f in tables["working_faces"] if f["plan_year"] == 2022]
    assert len(faces_2022) > 58
    assert len(tables["resource_sites"]) >= 150
    assert {s["unit_code"] for s in tables["resource_sites"]} >= {
        u[0] for u in REPORTING_UNITS if u[2] != "zone"}
    sites_with_items = {i["site_id"] for i in tables["resource_items"]}
    assert sites_with_items == {s["id"] for s in tables["resource_sites"]}


def test_hidden_dangers_mix_open_overdue_and_closed(tables):
    end = "2022-11-25"
    rows = tables["hidden_dangers"]
    closed = [r for r in rows if r["closed_on"]]
    still_open = [r for r in rows if not r["closed_on"]]
    overdue = [r for r in still_open if r["deadline"] < end]
    assert len(closed) > len(still_open) > len(overdue) > 0
    assert any(r["level"] == "major" for r in still_open)


def test_every_face_stage_is_present(tables):
    faces = [f for f in tables["working_faces"] if f["plan_year"] == 2022]
    stage_columns = ("construction_started_on", "self_assessed_on", "applied_on",
                     "evaluated_on", "accepted_on")
    reached = Counter(sum(bool(f[c]) for c in stage_columns) for f in faces)
    assert set(reached) == set(range(len(stage_columns) + 1))
    late = [f for f in faces if not f["accepted_on"] and f["planned_completion_on"] < "2022-11-25"]
    assert late


def test_every_location_lies_inside_its_own_county(tables):
    parents = {code: parent or code for code, _n, _k, parent, *_ in REPORTING_UNITS}
    for name in ("enterprises", "coal_mines", "resource_sites"):
        for row in tables[name]:
            county = geo.county_of_point(row["lat"], row["lon"])
            assert county == parents[row["unit_code"]], (name, row["id"], row["unit_code"])


def test_invented_names_say_so(tables):
    assert all(e["name"].startswith("示例") for e in tables["enterprises"])
    assert all(m["name"].startswith("示例") for m in tables["coal_mines"])
    info = {r["key"]: r["value"] for r in tables["dataset_info"]}
    assert info["is_sample"] == "true"
    enterprise_ids = {e["id"] for e in tables["enterprises"]}
    assert {a["enterprise_id"] for a in tables["accidents"] if a["enterprise_id"]} <= enterprise_ids
