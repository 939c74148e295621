"""Proxy mode end to end: Debian's nginx does HTTP basic auth for two users and passes the login
name to the app with the shared secret (docs/security.md); Chromium logs in through nginx as
each user and sees that user's role and units; a wrong password gets nginx's Chinese page; a
request with a forged X-Remote-User straight to the app is refused and audited."""

from __future__ import annotations

import base64
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from data_access import access, catalog, db, schema
from data_access._sql import CITY_CODE
from deploy.cluster import NGINX, NGINX_USER
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FINISHED,
    free_port,
    serve_app,
    wait_for_audit_event,
)
from tests.deploy_tools import install_deploy_tools

SECRET = "proxy-secret-for-the-test-0123456789"
USERS = {"wang": "wang-pass-1", "li": "li-pass-2"}
NGINX_CONFIG = """
worker_processes 1;
{user}
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {run}/body; proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi; uwsgi_temp_path {run}/uwsgi; scgi_temp_path {run}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        auth_basic "长治市应急管理局";
        auth_basic_user_file {run}/htpasswd;
        error_page 401 /_login_failed;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Remote-User $remote_user;
        proxy_set_header X-Remote-Groups "";
        proxy_set_header X-Proxy-Secret "{secret}";
        location = /_login_failed {{
            internal;
            auth_basic off;
            default_type "text/html; charset=utf-8";
            add_header WWW-Authenticate 'Basic realm="changzhi"' always;
            return 401 '<!doctype html><meta charset="utf-8"><h1>用户名或密码错误,请重新登录。</h1>';
        }}
        location / {{ proxy_pass http://127.0.0.1:{app}; }}
        location = /_stcore/stream {{
            proxy_pass http://127.0.0.1:{app};
            # a location's own proxy_set_header drops the server's: the identity again
            proxy_set_header Host $http_host;
            proxy_set_header X-Remote-User $remote_user;
            proxy_set_header X-Remote-Groups "";
            proxy_set_header X-Proxy-Secret "{secret}";
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


def htpasswd_line(user: str, password: str) -> str:
    digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
    return f"{user}:{{SHA}}{digest}"


@pytest.fixture
def proxied(tmp_path, sample_sqlite_path):
    """The app in proxy mode on a copy of the sample (wang 局领导, li 县区), behind nginx."""
    install_deploy_tools()
    copy = tmp_path / "proxied.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = db.create_bureau_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(schema.audit_log.delete())
        county, other = [c for c in catalog.list_units(conn)["code"] if c != CITY_CODE][:2]
        access.set_user(conn, principal="wang", role=access.LEADER, unit=None, name=None, by="t")
        access.set_user(conn, principal="li", role=access.COUNTY, unit=county, name=None, by="t")
    # nginx's workers (www-data) read the password file: a directory of their own under /tmp
    run = Path(tempfile.mkdtemp(prefix="dashboard-proxy-"))
    run.chmod(0o755)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True)
    (run / "htpasswd").write_text("\n".join(htpasswd_line(u, p) for u, p in USERS.items()) + "\n",
                                  encoding="utf-8")
    if os.geteuid() == 0:
        worker = pwd.getpwnam(NGINX_USER)
        for path in [*run.iterdir()]:
            os.chown(path, worker.pw_uid, worker.pw_gid)
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{copy}", "DASHBOARD_AUTH_MODE": "proxy",
           "DASHBOARD_PROXY_SECRET": SECRET, "DASHBOARD_ALLOW_WITHOUT_LOGIN": ""}
    with serve_app(env=env) as base:
        app_port = int(base.rsplit(":", 1)[1])
        config = run / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(
            user=f"user {NGINX_USER};" if os.geteuid() == 0 else "", run=run, port=port,
            secret=SECRET, app=app_port), encoding="utf-8")
        nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(run), "-g",
                                  "daemon off;"], stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # nginx answers: 401 without credentials
                if nginx.poll() is not None:
                    raise RuntimeError(nginx.stderr.read().decode(errors="replace"))
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                except urllib.error.HTTPError as error:
                    if error.code == 401:
                        break
                except OSError:
                    pass
                time.sleep(0.3)
            yield {"proxy": f"http://127.0.0.1:{port}", "app": str(base), "engine": engine,
                   "county": county, "other": other}
        finally:
            nginx.terminate()
            nginx.wait(timeout=20)
            engine.dispose()
            shutil.rmtree(run, ignore_errors=True)


def browse(url: str, *, credentials: dict | None = None, headers: dict | None = None):
    """(the page's text after the script finished, HTTP status of the first response)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                      http_credentials=credentials,
                                      extra_http_headers=headers or {})
        page = context.new_page()
        try:
            response = page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            if response.status != 200:
                return page.inner_text("body"), response.status
            page.wait_for_selector(FINISHED, timeout=60_000)
            page.wait_for_timeout(500)
            page.wait_for_selector(FINISHED, timeout=60_000)
            return page.inner_text("body"), response.status
        finally:
            browser.close()




def test_two_users_log_in_through_nginx_with_their_roles(proxied):
    with proxied["engine"].connect() as conn:
        names = dict(zip(*catalog.list_units(conn)[["code", "name"]].T.values))
    text, status = browse(proxied["proxy"], credentials={"username": "wang",
                                                         "password": USERS["wang"]})
    assert status == 200 and "wang · 局领导" in text
    text, status = browse(f"{proxied['proxy']}/?unit={proxied['other']}",
                          credentials={"username": "li", "password": USERS["li"]})
    assert status == 200 and f"li · 县区({names[proxied['county']]})" in text
    assert "无权查看该单位" in text
    wait_for_audit_event(proxied["engine"], ("login", "wang"))
    wait_for_audit_event(proxied["engine"], ("login", "li"))


def test_a_wrong_password_gets_the_chinese_page(proxied):
    text, status = browse(proxied["proxy"], credentials={"username": "wang",
                                                         "password": "wrong"})
    assert status == 401 and "用户名或密码错误" in text


def test_a_forged_header_straight_to_the_app_is_refused(proxied):
    text, status = browse(proxied["app"], headers={"X-Remote-User": "wang"})
    assert "访问被拒绝" in text and "局领导" not in text
    wait_for_audit_event(proxied["engine"], ("login_failed", "wang"))
    text, _ = browse(proxied["app"], headers={"X-Remote-User": "wang",
                                              "X-Proxy-Secret": "guessed-secret-000000000"})
    assert "访问被拒绝" in text
