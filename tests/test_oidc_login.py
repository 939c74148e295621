"""OIDC mode end to end: a real OpenID Connect provider (npm's certified `oidc-provider`,
tests/oidc/provider.js, installed by `make oidc-provider`) on a local port, the app with
Streamlit's own `st.login()` against it, and Chromium doing what a person does: log in with a
password on the provider's form, see the pages of the role (局领导, 县区 held to its unit, 市局科室
by a group claim, 数据管理员), log out through the provider, fail a login with a wrong password,
log in without a role, and find the provider down — each with the app's Chinese page, and the
audit log's events.

The browser opens the app at http://localhost:PORT, the origin of `redirect_uri`: Streamlit
keeps the login's state in a cookie of the host the login started on and accepts its user
cookie only from the origin of `redirect_uri` (docs/security.md)."""

from __future__ import annotations

import contextlib
import functools
import json
import secrets
import subprocess
import time
import urllib.request

import pytest
import sqlalchemy as sa

from data_access import access, catalog, db, schema
from data_access._sql import CITY_CODE
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FINISHED,
    ROOT,
    free_port,
    open_and_wait,
    serve_app,
    wait_for_audit_event,
)
from ui.labels import AUTH_TEXT, USERS_TEXT

PROVIDER_DIR = ROOT / "tests" / "oidc"
CLIENT_ID = "changzhi-dashboard"
USERS = {
    "wang.leader": {"password": "Wang-pass-2022", "name": "王局长"},
    "li.county": {"password": "Li-pass-2022", "name": "李科长"},
    "sun.staff": {"password": "Sun-pass-2022", "groups": ["safety-coordination"]},
    "zhao.clerk": {"password": "Zhao-pass-2022"},
    "newcomer": {"password": "New-pass-2022"},
}
# What each role's menu holds (the issue's roles), and what it must not.
DASHBOARD_PAGES = ("总览", "事故控制", "专项整治", "智能化建设", "应急资源")
ADMIN_PAGES = ("数据管理", "用户与角色", "审计日志")
WAIT_MS = 90_000
PROBE_TTL_S = 3  # the provider-down test waits out at most this long a cached "reachable"
MENU_LINKS = '[data-testid="stSidebar"] [data-testid="stPageLink"]'


@functools.cache
def install_provider() -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "install-oidc-provider")], check=True,
                   timeout=900)


class IdentityProvider:
    """tests/oidc/provider.js on 127.0.0.1:port, stopped and started at will."""

    def __init__(self, port: int, redirect_uri: str, client_secret: str, log_path) -> None:
        self.port, self.log_path = port, log_path
        self.issuer = f"http://127.0.0.1:{port}"
        self.metadata_url = f"{self.issuer}/.well-known/openid-configuration"
        self.env = {"OIDC_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID,
                    "OIDC_CLIENT_SECRET": client_secret, "OIDC_REDIRECT_URI": redirect_uri,
                    "OIDC_USERS": json.dumps(USERS), "PATH": "/usr/local/bin:/usr/bin:/bin"}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(["node", "provider.js"], cwd=PROVIDER_DIR,
                                            env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace"))
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    self.metadata_url, timeout=2) as response:
                if json.loads(response.read())["issuer"] == self.issuer:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"the identity provider did not start within 60 s: "
                           f"{self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@pytest.fixture(scope="module")
def oidc(tmp_path_factory, sample_sqlite_path):
    """The app in oidc mode on a copy of the sample, with its provider; app_users holds a
    leader, a county user, a group for 市局科室 and a data administrator."""
    install_provider()
    tmp = tmp_path_factory.mktemp("oidc")
    copy = tmp / "oidc.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = db.create_bureau_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(schema.audit_log.delete())
        units = catalog.list_units(conn)
        county, other = [c for c in units["code"] if c != CITY_CODE][:2]
        for principal, role, unit in (("wang.leader", access.LEADER, None),
                                      ("li.county", access.COUNTY, county),
                                      ("group:safety-coordination", access.DEPARTMENT, None),
                                      ("zhao.clerk", access.DATA_ADMIN, None)):
            access.set_user(conn, principal=principal, role=role, unit=unit, name=None, by="t")
    app_port, idp_port = free_port(), free_port()
    app = f"http://localhost:{app_port}"
    client_secret = secrets.token_urlsafe(24)
    provider = IdentityProvider(idp_port, f"{app}/oauth2callback", client_secret,
                                tmp / "provider.log")
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{app}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n', encoding="utf-8")
    env = {"DATABASE_URL": f"sqlite:///{copy}", "DASHBOARD_AUTH_MODE": "oidc",
           "DASHBOARD_ALLOW_WITHOUT_LOGIN": "", "DASHBOARD_DATA_ADMIN": "",
           "DASHBOARD_IDP_PROBE_TTL_S": str(PROBE_TTL_S)}
    provider.start()
    try:
        with serve_app(env=env, port=app_port, options=("--secrets.files", str(secrets_file))):
            yield {"app": app, "provider": provider, "engine": engine, "county": county,
                   "other": other, "names": dict(zip(units["code"], units["name"]))}
    finally:
        provider.stop()
        engine.dispose()


@contextlib.contextmanager
def browser_page():
    """A page in a fresh Chromium profile (no cookies of an earlier login)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        try:
            yield page
        finally:
            browser.close()


def settle(page) -> None:
    """Wait for the app's script to finish, and for the rerun that may follow."""
    page.wait_for_selector(FINISHED, timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.wait_for_selector(FINISHED, timeout=WAIT_MS)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def to_login_form(page, oidc) -> None:
    """From the app's 您尚未登录 page to the provider's login form."""
    open_and_wait(page, oidc["app"], WAIT_MS)
    assert AUTH_TEXT["not_logged_in"] in main_text(page)
    page.get_by_role("button", name=AUTH_TEXT["login_button"]).click()
    page.wait_for_url(f"{oidc['provider'].issuer}/interaction/**", timeout=WAIT_MS)
    page.wait_for_selector("#submit")


def submit(page, login: str, password: str) -> None:
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    page.click("#submit")


def log_in(page, oidc, login: str) -> None:
    to_login_form(page, oidc)
    submit(page, login, USERS[login]["password"])
    page.wait_for_url(f"{oidc['app']}/**", timeout=WAIT_MS)
    settle(page)


def menu(page) -> list[str]:
    return page.locator(MENU_LINKS).all_inner_texts()


def menu_has(page, titles) -> list[bool]:
    links = menu(page)
    return [any(title in link for link in links) for title in titles]


def provider_session(page) -> list[dict]:
    """The provider's session cookie in the browser (oidc-provider deletes it at logout; over
    plain HTTP Chromium keeps only its `.legacy` twin, SameSite=None needing HTTPS)."""
    return [c for c in page.context.cookies() if c["name"] in ("_session", "_session.legacy")
            and c["domain"] == "127.0.0.1"]




def test_a_leader_logs_in_sees_every_unit_and_logs_out(oidc):
    with browser_page() as page:
        log_in(page, oidc, "wang.leader")
        assert "wang.leader · 局领导" in page.locator('[data-testid="stSidebar"]').inner_text()
        assert all(menu_has(page, DASHBOARD_PAGES)) and not any(menu_has(page, ADMIN_PAGES))
        # Any unit may be asked for.
        open_and_wait(page, f"{oidc['app']}/accidents?unit={oidc['other']}", WAIT_MS)
        assert "无权查看该单位" not in page.locator("body").inner_text()
        assert f"unit={oidc['other']}" in page.url
        wait_for_audit_event(oidc["engine"], ("login", "wang.leader"))
        assert provider_session(page)
        # 退出登录: the provider asks to confirm, then sends the browser back, logged out.
        page.get_by_role("button", name=AUTH_TEXT["logout_button"]).click()
        page.wait_for_url(f"{oidc['provider'].issuer}/session/end**", timeout=WAIT_MS)
        page.click("#logout")
        page.wait_for_url(f"{oidc['app']}/**", timeout=WAIT_MS)
        settle(page)
        assert AUTH_TEXT["not_logged_in"] in main_text(page)
        assert not menu(page)
        wait_for_audit_event(oidc["engine"], ("logout", "wang.leader"))
        # The provider's session ended too; the app's link to its page stays logged out.
        assert not provider_session(page)
        open_and_wait(page, f"{oidc['app']}/accidents", WAIT_MS)
        assert AUTH_TEXT["not_logged_in"] in main_text(page) and not menu(page)


def test_a_county_user_after_a_wrong_password_sees_the_own_unit_only(oidc):
    own, other = oidc["names"][oidc["county"]], oidc["names"][oidc["other"]]
    with browser_page() as page:
        to_login_form(page, oidc)
        submit(page, "li.county", "wrong-password")
        page.wait_for_selector("#error")
        assert "用户名或密码错误" in page.locator("#error").inner_text()
        assert page.url.startswith(f"{oidc['provider'].issuer}/interaction/")
        submit(page, "li.county", USERS["li.county"]["password"])
        page.wait_for_url(f"{oidc['app']}/**", timeout=WAIT_MS)
        settle(page)
        assert f"li.county · 县区({own})" in page.locator('[data-testid="stSidebar"]').inner_text()
        assert all(menu_has(page, DASHBOARD_PAGES)) and not any(menu_has(page, ADMIN_PAGES))
        # A link naming another unit: told, and the page shows the own unit.
        open_and_wait(page, f"{oidc['app']}/accidents?unit={oidc['other']}", WAIT_MS)
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "无权查看该单位" in sidebar and f"unit={oidc['county']}" in page.url
        assert other not in main_text(page)
        wait_for_audit_event(oidc["engine"], ("login", "li.county"))


def test_a_cancelled_login_returns_to_the_chinese_login_page(oidc):
    with browser_page() as page:
        to_login_form(page, oidc)
        submit(page, "li.county", "wrong-password")
        page.wait_for_selector("#error")
        page.click("#abort")
        page.wait_for_url(f"{oidc['app']}/**", timeout=WAIT_MS)
        settle(page)
        assert AUTH_TEXT["not_logged_in"] in main_text(page)
        assert not menu(page)


def test_a_group_claim_gives_the_department_role(oidc):
    with browser_page() as page:
        log_in(page, oidc, "sun.staff")
        assert "sun.staff · 市局科室" in page.locator('[data-testid="stSidebar"]').inner_text()
        assert all(menu_has(page, DASHBOARD_PAGES)) and not any(menu_has(page, ADMIN_PAGES))


def test_the_data_administrator_gets_the_administration_pages(oidc):
    with browser_page() as page:
        log_in(page, oidc, "zhao.clerk")
        assert all(menu_has(page, ADMIN_PAGES)) and not any(menu_has(page, DASHBOARD_PAGES))
        page.locator(MENU_LINKS).get_by_role("link", name="用户与角色").click()
        page.wait_for_url(f"{oidc['app']}/users**", timeout=WAIT_MS)
        settle(page)
        with oidc["engine"].connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(schema.app_users)
                                 ).scalar()
        assert USERS_TEXT["count"].format(count=count) in main_text(page)


def test_a_login_without_a_role_is_told_in_chinese(oidc):
    with browser_page() as page:
        log_in(page, oidc, "newcomer")
        assert AUTH_TEXT["no_role"].format(user="newcomer") in main_text(page)
        assert not menu(page)
        wait_for_audit_event(oidc["engine"], ("login_failed", "newcomer"))


def test_the_provider_down_gets_the_chinese_page(oidc):
    """The app checks the provider's discovery document (for at most its probe's TTL,
    PROBE_TTL_S here, it may still hold the last answer): reload until it tells, then start
    the provider again."""
    provider = oidc["provider"]
    provider.stop()
    try:
        with browser_page() as page:
            deadline = time.monotonic() + 120
            while True:
                open_and_wait(page, oidc["app"], WAIT_MS)
                if AUTH_TEXT["idp_unreachable"] in main_text(page):
                    break
                assert time.monotonic() < deadline, main_text(page)
                page.wait_for_timeout(2000)
            assert page.get_by_role("button", name=AUTH_TEXT["login_button"]).count() == 0
    finally:
        provider.start()
