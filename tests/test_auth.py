"""Login, roles and the screen token through the app (ui/auth.py): the settings and the proxy's
identity as functions, then the whole app in AppTest with `st.user` seeded as Streamlit's own
OIDC login fills it (AppTest.user), on a copy of the sample holding users and tokens."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import access, audit, catalog, db, schema
from data_access._sql import CITY_CODE
from tests.browser import free_port
from tests.conftest import ROOT
from ui import auth
from ui.labels import AUTH_TEXT, MESSAGES
from ui.safe import md

SECRET = "s" * 24


# ---- settings and the proxy's identity -----------------------------------------------------------

def test_settings_default_to_none_and_check_their_values():
    assert auth.parse_settings(None, {}) == auth.AuthSettings()
    assert auth.parse_settings({"mode": "oidc", "session_hours": 2}, {}).session_hours == 2
    assert auth.parse_settings({}, {"DASHBOARD_AUTH_MODE": "OIDC"}).mode == auth.OIDC
    for bad in ({"mode": "ldap"}, {"mode": "proxy"}, {"session_hours": "x"},
                {"session_hours": 0}, {"mode": "proxy", "proxy_secret": "short"},
                {"mode": "proxy", "proxy_addresses": ["not-an-ip"]}):
        with pytest.raises(auth.AuthConfigError):
            auth.parse_settings(bad, {})
    assert auth.parse_settings({"allow_without_login": True}, {}).allow_without_login


def test_proxy_identity_needs_the_secret_and_the_proxy_address():
    by_secret = auth.parse_settings({"mode": "proxy", "proxy_secret": SECRET}, {})
    headers = {"x-remote-user": "wang", "X-Proxy-Secret": SECRET, "X-Remote-Groups": "a, b;c"}
    assert auth.proxy_identity(headers, "10.1.1.1", by_secret) == ("wang", ("a", "b", "c"))
    for forged in ({"X-Remote-User": "wang"}, {"X-Remote-User": "wang", "X-Proxy-Secret": "x"}):
        with pytest.raises(auth.ProxyRefused):
            auth.proxy_identity(forged, None, by_secret)
    assert auth.proxy_identity({"X-Proxy-Secret": SECRET}, None, by_secret) is None
    by_address = auth.parse_settings({"mode": "proxy", "proxy_addresses": ["10.0.0.0/24"]}, {})
    assert auth.proxy_identity({"X-Remote-User": "li"}, "10.0.0.7", by_address) == ("li", ())
    with pytest.raises(auth.ProxyRefused):
        auth.proxy_identity({"X-Remote-User": "li"}, "10.0.1.7", by_address)
    with pytest.raises(auth.ProxyRefused):  # loopback (reported as None) is not listed
        auth.proxy_identity({"X-Remote-User": "li"}, None, by_address)
    loopback = auth.parse_settings({"mode": "proxy", "proxy_addresses": ["127.0.0.1"]}, {})
    assert auth.proxy_identity({"X-Remote-User": "li"}, None, loopback) == ("li", ())


def test_oidc_identity_and_expiry():
    settings = auth.AuthSettings(mode=auth.OIDC)
    assert auth.oidc_identity({"preferred_username": "wang", "groups": ["g1"]}, settings) == \
        ("wang", ("g1",))
    assert auth.oidc_identity({"email": "a@b", "sub": "1", "groups": "g"}, settings) == \
        ("a@b", ("g",))
    assert not auth.expired(1000.0, 1000.0 + 8 * 3600, 8)
    assert auth.expired(1000.0, 1000.0 + 8 * 3600 + 1, 8)


# ---- the app -----------------------------------------------------------------------------------

@pytest.fixture
def access_db(tmp_path, sample_sqlite_path):
    """A copy of the sample with a leader, two county users, a data administrator, a group
    role and a screen token."""
    copy = tmp_path / "access.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = db.create_bureau_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(schema.audit_log.delete())  # other tests' app runs audit into the sample
        units = [c for c in catalog.list_units(conn)["code"] if c != CITY_CODE]
        for principal, role, unit in (("leader", access.LEADER, None),
                                      ("county_a", access.COUNTY, units[0]),
                                      ("county_b", access.COUNTY, units[1]),
                                      ("clerk", access.DATA_ADMIN, None),
                                      ("group:staff", access.DEPARTMENT, None)):
            access.set_user(conn, principal=principal, role=role, unit=unit, name=None, by="t")
        token = access.new_screen_token(conn, "三楼会议室", by="t")
    yield {"url": f"sqlite:///{copy}", "engine": engine, "units": units, "token": token}
    engine.dispose()


def make_app(monkeypatch, url: str, mode: str = auth.OIDC, user: dict | None = None,
             **params: str) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", mode)
    monkeypatch.setenv("DASHBOARD_DATA_ADMIN", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = user if user is not None else {"is_logged_in": False}
    for key, value in params.items():
        at.query_params[key] = value
    return at


def logged_in(login: str, **claims) -> dict:
    return {"is_logged_in": True, "preferred_username": login, "iat": dt.datetime.now()
            .timestamp(), **claims}


def texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.error, *at.info, *at.warning)]


def audit_kinds(engine) -> list[str]:
    auth.audit_writer().flush()
    with engine.connect() as conn:
        return list(conn.execute(sa.select(schema.audit_log.c.kind)).scalars())


def audit_events(engine, kind: str) -> list[dict]:
    """The events of one kind, oldest first, with their detail decoded."""
    auth.audit_writer().flush()
    a = schema.audit_log.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(a.user_name, a.role, a.page, a.scope, a.detail,
                                      a.row_count).where(a.kind == kind).order_by(a.id))
        return [{**r._mapping, "detail": json.loads(r.detail)} for r in rows]


def test_without_login_on_the_sample_every_page_says_so(app):
    at = app.run()
    assert not at.exception
    assert any(AUTH_TEXT["no_login"] in c.value for c in at.sidebar.caption)


def test_without_login_other_data_are_refused_unless_allowed(monkeypatch, access_db):
    monkeypatch.delenv("DASHBOARD_ALLOW_WITHOUT_LOGIN")
    with access_db["engine"].begin() as conn:
        conn.execute(schema.dataset_info.update().where(schema.dataset_info.c.key == "is_sample")
                     .values(value="false"))
    at = make_app(monkeypatch, access_db["url"], mode=auth.NONE).run()
    assert texts(at) == [AUTH_TEXT["none_refused"]] and not at.metric
    monkeypatch.setenv("DASHBOARD_ALLOW_WITHOUT_LOGIN", "1")
    at = make_app(monkeypatch, access_db["url"], mode=auth.NONE).run()
    assert not at.exception and at.metric


def test_not_logged_in_gets_the_login_page(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"]).run()
    assert texts(at) == [AUTH_TEXT["not_logged_in"]]
    assert [b.label for b in at.button] == [AUTH_TEXT["login_button"]]
    assert not at.metric


def test_identity_provider_unreachable(monkeypatch, access_db, tmp_path):
    unused_port = free_port()  # nothing listens there
    at = make_app(monkeypatch, access_db["url"])
    at.secrets["auth"] = {"server_metadata_url":
                          f"http://127.0.0.1:{unused_port}/.well-known/openid-configuration"}
    at.run()
    assert texts(at) == [AUTH_TEXT["idp_unreachable"]] and not at.button


def test_a_login_without_a_role_is_told_and_recorded(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("stranger")).run()
    assert texts(at) == [AUTH_TEXT["no_role"].format(user="stranger")]
    assert not at.metric
    assert audit_kinds(access_db["engine"]) == ["login_failed"]


def test_group_claim_gives_the_role(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("zhao", groups=["staff"])).run()
    assert not at.exception and at.metric
    assert any("市局科室" in c.value for c in at.sidebar.caption)


def test_leader_sees_every_unit_and_no_admin_pages(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("leader")).run()
    assert not at.exception and at.metric
    with access_db["engine"].connect() as conn:
        units = list(catalog.list_units(conn)["code"])
    assert len(at.selectbox(key="global.unit").options) == len(units)
    with pytest.raises(ValueError, match="users.py"):  # not in the leader's navigation
        at.switch_page("pages/users.py")


def test_county_user_is_held_to_the_unit(monkeypatch, access_db):
    own, other = access_db["units"][:2]
    at = make_app(monkeypatch, access_db["url"], user=logged_in("county_a"), unit=other).run()
    assert not at.exception
    assert len(at.selectbox(key="global.unit").options) == 1
    assert at.query_params["unit"] == own
    with access_db["engine"].connect() as conn:
        names = dict(zip(*catalog.list_units(conn)[["code", "name"]].T.values))
    notices = [w.value for w in at.sidebar.warning]
    assert notices == [AUTH_TEXT["unit_denied"].format(unit=other, own=names[own])]
    assert "无权查看该单位" in notices[0]


def test_data_admin_gets_the_admin_pages_only(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("clerk")).run()
    assert not at.exception
    at.switch_page("pages/users.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    with access_db["engine"].connect() as conn:
        assert sorted(shown["登录名"]) == sorted(access.list_users(conn)["principal"])
    at.text_input(key="users.principal").input("newcomer")
    at.selectbox(key="users.role").select(access.COUNTY)
    at.selectbox(key="users.unit").select(access_db["units"][2])
    at.button[0].click().run()  # the form's submit button
    with access_db["engine"].connect() as conn:
        assert access.grant_for(conn, "newcomer") == access.Grant(access.COUNTY,
                                                                  access_db["units"][2])
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert {"login", "role"} <= set(audit_kinds(access_db["engine"]))
    # The period is picked in Chinese boxes (no calendar); every event so far is today's.
    assert not at.get("date_input")
    today = dt.date.today()
    week_ago = today - dt.timedelta(days=7)
    assert [at.selectbox(key=f"audit.start_on.{part}").value
            for part in ("year", "month", "day")] == [week_ago.year, week_ago.month, week_ago.day]
    assert len(at.dataframe[0].value) > 0
    yesterday = today - dt.timedelta(days=1)
    for part in ("year", "month", "day"):
        at.selectbox(key=f"audit.end_on.{part}").set_value(getattr(yesterday, part)).run()
    assert not at.exception and len(at.dataframe[0].value) == 0


def test_logout(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("leader")).run()
    at.sidebar.button(key="auth.logout").click().run()
    assert texts(at) == [AUTH_TEXT["not_logged_in"]]
    assert audit_kinds(access_db["engine"]).count("logout") == 1


def test_an_old_login_must_log_in_again(monkeypatch, access_db):
    old = dt.datetime.now() - dt.timedelta(hours=9)
    at = make_app(monkeypatch, access_db["url"],
                  user=logged_in("leader", iat=old.timestamp())).run()
    assert texts(at) == [AUTH_TEXT["expired"].format(hours="8")]
    assert not at.metric


def test_screen_token_opens_the_screen_and_revoked_stops_it(monkeypatch, access_db):
    token = access_db["token"]
    at = make_app(monkeypatch, access_db["url"], kiosk="1", token=token).run()
    assert not at.exception and AUTH_TEXT["screen_revoked"] not in texts(at)
    assert not at.error
    with access_db["engine"].begin() as conn:
        access.revoke_screen_token(conn, "三楼会议室")
    at.run()
    assert AUTH_TEXT["screen_revoked"] in texts(at)
    at = make_app(monkeypatch, access_db["url"], kiosk="1").run()
    assert texts(at) == [AUTH_TEXT["screen_needs_token"]]
    at = make_app(monkeypatch, access_db["url"], kiosk="1", token="forged").run()
    assert texts(at) == [AUTH_TEXT["screen_revoked"]]


def test_page_views_are_audited_with_their_filters(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("county_a")).run()
    at.switch_page("pages/accidents.py").run()
    auth.audit_writer().flush()
    with access_db["engine"].connect() as conn:
        views = audit.list_events(conn, since=dt.datetime(2000, 1, 1),
                                  until=dt.datetime(2100, 1, 1), kinds=("view",))
    assert "accidents" in set(views["page"]) and set(views["page"]) & {"home", "overview"}
    assert set(views["scope"]) == {access_db["units"][0]}
    assert all(access_db["units"][0] in d for d in views["detail"])
    assert set(views["user_name"]) == {"county_a"}


def test_a_malformed_access_section_is_a_chinese_message(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], mode="ldap").run()
    assert texts(at) == [AUTH_TEXT["config_invalid"].format(
        problem="mode 应为 none / proxy / oidc 之一")]
    assert MESSAGES["config_invalid"] not in texts(at)


def test_a_removed_role_applies_at_the_next_click(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("county_a")).run()
    assert at.metric
    with access_db["engine"].begin() as conn:
        access.remove_user(conn, "county_a")
    at.run()
    assert texts(at) == [AUTH_TEXT["no_role"].format(user=md("county_a", 60))] and not at.metric


# ---- each kind of audit event, written by the app ------------------------------------------------

def test_a_download_is_audited_with_its_file_scope_and_rows(monkeypatch, access_db, builders):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("county_a"), as_of="2022-11-25")
    at.run()
    at.switch_page("pages/accidents.py").run()
    assert not at.exception
    (name,) = [n for n in builders if n.endswith(".csv")]
    data = builders[name]()  # the click
    rows = len(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str))
    (event,) = audit_events(access_db["engine"], "download")
    assert (event["user_name"], event["scope"], event["page"]) == \
        ("county_a", access_db["units"][0], "accidents")
    assert event["detail"] == {"file": name} and event["row_count"] == rows


def test_the_brief_is_audited(monkeypatch, access_db, builders):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("leader"), as_of="2022-11-25")
    at.run()
    (name,) = [n for n in builders if n.endswith(".xlsx") and n.startswith("weekly-brief")]
    assert openpyxl.load_workbook(io.BytesIO(builders[name]())).worksheets
    assert audit_events(access_db["engine"], "download") == []
    (event,) = audit_events(access_db["engine"], "brief")
    assert (event["user_name"], event["scope"], event["detail"]) == \
        ("leader", None, {"file": name})


def test_screen_tokens_made_and_revoked_are_audited(monkeypatch, access_db):
    at = make_app(monkeypatch, access_db["url"], user=logged_in("clerk")).run()
    at.switch_page("pages/users.py").run()
    at.text_input(key="users.screen").input("二楼指挥中心")
    at.button(key="users.new_token").click().run()
    at.selectbox(key="users.revoke").select("二楼指挥中心").run()  # the button takes it next run
    at.button(key="users.revoke_button").click().run()
    assert not at.exception
    with access_db["engine"].connect() as conn:
        screens = access.list_screen_tokens(conn).set_index("name")
    assert pd.notna(screens.loc["二楼指挥中心", "revoked_at"])
    assert [(e["user_name"], e["detail"]) for e in audit_events(access_db["engine"], "token")] \
        == [("clerk", {"screen": "二楼指挥中心", "action": "new"}),
            ("clerk", {"screen": "二楼指挥中心", "action": "revoke"})]


def test_a_revoked_screen_token_is_audited_as_denied(monkeypatch, access_db):
    with access_db["engine"].begin() as conn:
        access.revoke_screen_token(conn, "三楼会议室")
    at = make_app(monkeypatch, access_db["url"], kiosk="1", token=access_db["token"]).run()
    assert texts(at) == [AUTH_TEXT["screen_revoked"]]
    (event,) = audit_events(access_db["engine"], "denied")
    assert (event["user_name"], event["page"], event["detail"]) == \
        ("screen", "screen", {"reason": "token"})


def users_workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "用户与角色"
    sheet.append(["登录名", "角色", "县区", "姓名或说明"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def users_as_stored(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        users = access.list_users(conn)
    return users.assign(updated_at=users["updated_at"].dt.floor("s"))  # the log keeps seconds


def test_the_role_table_is_imported_and_undone_on_data_management_audited(monkeypatch,
                                                                           access_db):
    engine, units = access_db["engine"], access_db["units"]
    with engine.connect() as conn:
        names = dict(zip(*catalog.list_units(conn)[["code", "name"]].T.values))
    before = users_as_stored(engine)
    upload = users_workbook([["county_a", "县区", names[units[2]], "改派"],
                             ["group:bureau-leaders", "局领导", None, "局领导组"]])
    at = make_app(monkeypatch, access_db["url"], user=logged_in("clerk")).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="admin.files").set_value(("用户与角色.xlsx", upload, "application/xlsx"))
    at.run()
    at.button(key="admin.analyse").click().run()
    at.button(key="admin.confirm").click().run()
    assert not at.exception and any("已导入" in s.value for s in at.success)
    with engine.connect() as conn:
        assert access.grant_for(conn, "county_a") == access.Grant(access.COUNTY, units[2])
        assert access.grant_for(conn, "zhou", ["bureau-leaders"]) == access.Grant(access.LEADER)
        stamped = conn.execute(sa.select(schema.app_users.c.updated_by).where(
            schema.app_users.c.principal.in_(["county_a", "group:bureau-leaders"]))).scalars()
        assert set(stamped) == {"clerk"}
    (imported,) = audit_events(engine, "import")
    batch = imported["detail"]["batch"]
    assert (imported["user_name"], imported["detail"]["files"], imported["row_count"]) == \
        ("clerk", ["用户与角色.xlsx"], 2)
    assert [e["detail"] for e in audit_events(engine, "role")] == [
        {"batch": batch, "via": "import", "users": {"new": 1, "changed": 1}}]
    # The role applies at the person's next click: county_a now sees the third unit.
    county = make_app(monkeypatch, access_db["url"], user=logged_in("county_a")).run()
    assert county.selectbox(key="global.unit").options == [names[units[2]]]
    at.checkbox(key="admin.undo_sure").check().run()
    at.button(key="admin.undo").click().run()
    assert not at.exception and any("已撤销" in s.value for s in at.success)
    pd.testing.assert_frame_equal(users_as_stored(engine), before)
    (undone,) = audit_events(engine, "undo")
    assert (undone["user_name"], undone["detail"]) == ("clerk", {"batch": batch})
    assert [e["detail"] for e in audit_events(engine, "role")][1:] == [
        {"batch": batch, "via": "undo", "users": {"new": 1, "changed": 1}}]


def test_a_role_table_with_a_county_without_its_unit_is_refused(monkeypatch, access_db):
    before = users_as_stored(access_db["engine"])
    upload = users_workbook([["wu", "县区", "长治市", None], ["zheng", "局领导", "沁县", None]])
    at = make_app(monkeypatch, access_db["url"], user=logged_in("clerk")).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="admin.files").set_value(("用户.xlsx", upload, "application/xlsx"))
    at.run()
    at.button(key="admin.analyse").click().run()
    problems = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert list(problems["问题"]) == [access.COUNTY_NEEDS_UNIT, "只有县区角色填写县区,其他角色留空。"]
    assert not any(b.key == "admin.confirm" for b in at.button)
    pd.testing.assert_frame_equal(users_as_stored(access_db["engine"]), before)
    assert audit_events(access_db["engine"], "role") == []
