"""Access control in the data layer (data_access/access.py) and the audit log
(data_access/audit.py), on every backend: a county scope never returns another unit's rows,
whichever read a page makes, and every refusal is an OutOfScope."""

from __future__ import annotations

import datetime as dt
import inspect

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import access, audit, catalog, schema
from data_access._sql import CITY_CODE
from data_access.access import COUNTY, DATA_ADMIN, DEPARTMENT, LEADER, Grant, OutOfScope, Scope


def counties(conn) -> list[str]:
    return [c for c in catalog.list_units(conn)["code"] if c != CITY_CODE]


def latest(conn) -> dt.date:
    return catalog.get_latest_data_date(conn)


def test_masks():
    assert access.mask_name("张三丰") == "张某某"
    assert access.mask_name("李四") == "李某"
    assert access.mask_name("欧阳建国") == "欧某某"
    assert access.mask_phone("13812341234") == "138****1234"
    assert access.mask_phone("0355-2021234") == "035****1234"
    assert access.mask_phone("96123") == "*6123"
    assert access.mask_name(None) is None


def test_grant_scope():
    assert Grant(LEADER).scope == Scope(None, True)
    assert Grant(COUNTY, "140402").scope == Scope("140402", True)
    assert not Grant(DATA_ADMIN).sees_pages and Grant(DATA_ADMIN).manages_data
    assert access.SCREEN_SCOPE.personal_data is False


# Every read a page or the brief makes for one unit, with the arguments a page gives it.
def page_reads(as_of: dt.date, unit: str | None):
    from data_access import accidents, mining, rectification, resources, scorecard, weekly
    since = as_of - dt.timedelta(days=7)
    return [
        (accidents.list_accidents, {"as_of": as_of, "unit": unit, "limit": 5000}),
        (accidents.summarize_accidents, {"by": "unit_code", "as_of": as_of}),
        (accidents.summarize_accidents, {"by": "sector_code", "as_of": as_of}),
        (accidents.list_grade_mismatches, {"as_of": as_of, "unit": unit}),
        (rectification.list_hidden_dangers, {"as_of": as_of, "unit": unit, "limit": 100000}),
        (rectification.summarize_hidden_dangers, {"as_of": as_of, "by": "unit_code"}),
        (mining.list_faces, {"as_of": as_of, "unit": unit}),
        (mining.summarize_faces_by_unit, {"as_of": as_of, "unit": unit}),
        (mining.summarize_faces_by_mine, {"as_of": as_of, "unit": unit}),
        (resources.list_resource_sites, {"as_of": as_of, "unit": unit}),
        (resources.list_enterprise_locations, {"unit": unit}),
        (resources.summarize_sites_by_unit, {"as_of": as_of, "unit": unit}),
        (resources.list_sites_in_box, {"min_lat": -90.0, "max_lat": 90.0, "min_lon": -180.0,
                                       "max_lon": 180.0}),
        (scorecard.summarize_hazchem_monitoring, {"as_of": as_of, "unit": unit, "by_unit": True}),
        (weekly.list_new_accidents, {"since": since, "as_of": as_of, "unit": unit}),
        (weekly.list_major_hazard_changes, {"since": since, "as_of": as_of, "unit": unit}),
    ]


def test_county_scope_returns_only_its_rows(conn):
    as_of = latest(conn)
    unit = counties(conn)[0]
    scope = Scope(unit, True)
    seen_other_units = 0
    for fn, kwargs in page_reads(as_of, None):
        everything = fn(conn, **kwargs)
        narrowed = access.call(fn, conn, scope, **kwargs)
        if isinstance(everything, pd.DataFrame) and "unit_code" in everything.columns:
            seen_other_units += int((~everything["unit_code"].isin([unit, CITY_CODE])
                                     & everything["unit_code"].notna()).sum())
            assert set(narrowed["unit_code"].dropna()) <= {unit, CITY_CODE}, fn.__name__
            own = everything[everything["unit_code"] == unit]
            assert len(narrowed[narrowed["unit_code"] == unit]) == len(own), fn.__name__
    assert seen_other_units > 0  # the unscoped reads did hold other units' rows


def test_county_rows_match_independent_sql(conn):
    """The county's ledger through the gate is exactly its rows in the table."""
    from data_access import rectification
    unit = counties(conn)[1]
    as_of = latest(conn)
    hd = schema.hidden_dangers
    listed = access.call(rectification.list_hidden_dangers, conn, Scope(unit, True),
                         as_of=as_of, limit=100000)
    codes = set(conn.execute(sa.select(hd.c.code).where(hd.c.unit_code == unit)).scalars())
    assert len(listed) > 0 and set(listed["code"]) <= codes


def test_county_scope_refuses_other_units_rows_and_cross_unit_reads(conn):
    from data_access import accidents, resources, validity
    units = counties(conn)
    scope = Scope(units[0], True)
    with pytest.raises(OutOfScope):
        access.call(accidents.count_accidents, conn, scope, as_of=latest(conn), unit=units[1])
    with pytest.raises(OutOfScope):  # no unit argument, not a city-level read
        access.call(validity.summarize_set_aside, conn, scope, tables=("accidents",))
    rs = schema.resource_sites
    other_site = conn.execute(sa.select(rs.c.id).where(rs.c.unit_code == units[1]).limit(1)
                              ).scalar()
    own_site = conn.execute(sa.select(rs.c.id).where(rs.c.unit_code == units[0]).limit(1)
                            ).scalar()
    with pytest.raises(OutOfScope):
        access.call(resources.list_site_items, conn, scope, site_id=other_site)
    assert isinstance(access.call(resources.list_site_items, conn, scope, site_id=own_site),
                      pd.DataFrame)
    # the whole city's scope asks nothing of the kind
    access.call(validity.summarize_set_aside, conn, access.EVERYTHING, tables=("accidents",))


def test_every_unit_argument_is_narrowed():
    """Each data_access read with a `unit` parameter has it keyword-only (the gate sets it)."""
    from data_access import accidents, mining, rectification, resources, scorecard, weekly
    for module in (accidents, mining, rectification, resources, scorecard, weekly):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            parameter = inspect.signature(fn).parameters.get("unit")
            if (parameter is not None and fn.__module__ == module.__name__
                    and not name.startswith("_")):
                assert parameter.kind == parameter.KEYWORD_ONLY, name


def test_personal_data_masked_for_scopes_that_do_not_need_it(conn):
    from data_access import rectification
    as_of = latest(conn)
    shown = access.call(rectification.list_hidden_dangers, conn, access.EVERYTHING,
                        as_of=as_of, limit=50)
    masked = access.call(rectification.list_hidden_dangers, conn, access.SCREEN_SCOPE,
                         as_of=as_of, limit=50)
    assert len(shown) == len(masked) > 0
    assert list(masked["responsible_person"]) == [access.mask_name(n)
                                                  for n in shown["responsible_person"]]
    assert all("某" in n for n in masked["responsible_person"])


def test_roles_by_login_and_group(scratch_engine):
    with scratch_engine.begin() as conn:
        unit = counties(conn)[0]
        access.set_user(conn, principal="wang", role=COUNTY, unit=unit, name="王", by="admin")
        access.set_user(conn, principal="group:leaders", role=LEADER, unit=None, name=None,
                        by="admin")
        access.set_user(conn, principal="group:staff", role=DEPARTMENT, unit=None, name=None,
                        by="admin")
        assert access.grant_for(conn, "wang") == Grant(COUNTY, unit)
        # the login's own row wins over its groups
        assert access.grant_for(conn, "wang", ["leaders"]) == Grant(COUNTY, unit)
        assert access.grant_for(conn, "li", ["staff", "leaders"]) == Grant(LEADER)
        assert access.grant_for(conn, "nobody", ["other"]) is None
        assert access.user_problem(conn, "x", COUNTY, None) is not None
        assert access.user_problem(conn, "x", COUNTY, CITY_CODE) is not None
        assert access.user_problem(conn, "x", "boss", None) is not None
        assert access.user_problem(conn, "x", COUNTY, unit) is None
        access.set_user(conn, principal="wang", role=DATA_ADMIN, unit=unit, name="王", by="a")
        assert access.grant_for(conn, "wang") == Grant(DATA_ADMIN)
        assert set(access.list_users(conn)["principal"]) == {"wang", "group:leaders",
                                                              "group:staff"}
        assert access.remove_user(conn, "wang")
        assert access.grant_for(conn, "wang") is None


def test_screen_tokens_rotate_and_revoke(scratch_engine):
    with scratch_engine.begin() as conn:
        first = access.new_screen_token(conn, "三楼会议室", by="admin")
        assert len(first) >= 40
        assert access.screen_for_token(conn, first) == "三楼会议室"
        second = access.new_screen_token(conn, "三楼会议室", by="admin")
        assert second != first
        assert access.screen_for_token(conn, first) is None
        assert access.screen_for_token(conn, second) == "三楼会议室"
        stored = conn.execute(sa.select(schema.screen_tokens.c.token_sha256)).scalars().all()
        assert second not in stored
        assert access.revoke_screen_token(conn, "三楼会议室")
        assert access.screen_for_token(conn, second) is None
        assert access.screen_for_token(conn, "") is None


def test_audit_writer_writes_each_kind_lists_filters_and_purges(scratch_engine):
    with scratch_engine.begin() as conn:  # other tests' app runs audit into the sample it copies
        conn.execute(schema.audit_log.delete())
    writer = audit.AuditWriter(lambda: scratch_engine)
    now = dt.datetime.now().replace(microsecond=0)  # the writer purges by the real clock too
    for i, kind in enumerate(audit.KINDS):
        writer.record(audit.Event(kind, f"user{i}", role=LEADER, client="10.0.0.1",
                                  page="overview", detail={"unit": "140402"}, rows=i,
                                  at=now - dt.timedelta(minutes=i)))
    writer.record(audit.Event("view", "old", at=now - dt.timedelta(days=200)))
    assert writer.flush()
    with scratch_engine.begin() as conn:
        events = audit.list_events(conn, since=now - dt.timedelta(days=365),
                                   until=now + dt.timedelta(days=1))
        assert set(events["kind"]) == set(audit.KINDS)
        assert len(events) == len(audit.KINDS) + 1
        only = audit.list_events(conn, since=now - dt.timedelta(days=1), until=now
                                 + dt.timedelta(days=1), kinds=("download",), user="user")
        assert list(only["kind"]) == ["download"] and only["client"].iloc[0] == "10.0.0.1"
        assert audit.purge(conn, now=now, retention_days=180) == 1
        remaining = conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log)).scalar()
        assert remaining == len(audit.KINDS)


def test_audit_writer_survives_a_database_that_refuses(tmp_path):
    broken = sa.create_engine(f"sqlite:///{tmp_path / 'none.sqlite'}")  # no audit_log table
    writer = audit.AuditWriter(lambda: broken)
    writer.record(audit.Event("view", "x"))
    assert writer.flush()


def test_the_writing_account_is_named_beside_the_primary(tmp_path):
    from data_access import db
    env = {"DATABASE_URL": "postgresql+psycopg://ro@h/b", "DATABASE_WRITE_URL":
           "postgresql+psycopg://rw@h/b"}
    assert db.resolve_write_database(env).url == "postgresql+psycopg://rw@h/b"
    assert db.resolve_write_database({"DATABASE_URL": "sqlite:///x"}).url == "sqlite:///x"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.bureau]\nurl = "mysql+pymysql://ro@h/b"\n'
                       '[connections.bureau_write]\nurl = "mysql+pymysql://rw@h/b"\n',
                       encoding="utf-8")
    target = db.resolve_write_database({}, secrets)
    assert (target.url, target.origin) == ("mysql+pymysql://rw@h/b", "secrets_write")
    assert db.resolve_read_database({}, secrets).url == "mysql+pymysql://ro@h/b"
