"""Login and the gate before every page: who is asking, with which role, and what they may see.

Configured in `.streamlit/secrets.toml` (docs/security.md):

    [access]
    mode = "oidc"                  # "none" | "proxy" | "oidc"; env DASHBOARD_AUTH_MODE
    allow_without_login = false    # "none" on a configured database needs this
    session_hours = 8              # a login older than this must log in again
    audit_retention_days = 180
    login_claim = "preferred_username"   # oidc: the claim that is the login name
    groups_claim = "groups"              # oidc: the claim listing groups or roles
    proxy_user_header = "X-Remote-User"  # proxy: the login name the proxy sets
    proxy_groups_header = "X-Remote-Groups"
    proxy_secret_header = "X-Proxy-Secret"
    proxy_secret = "…"                   # proxy: the shared secret the proxy sends (env
                                         # DASHBOARD_PROXY_SECRET) …
    proxy_addresses = ["10.0.0.5"]       # … and/or the addresses the proxy connects from
    proxy_logout_url = "/logout"         # proxy: where 退出登录 leads (the proxy's logout)

`oidc` uses Streamlit's own `st.login()` / `st.user`, configured in the `[auth]` section.

`gate(kiosk)` runs first in every run of `app.py`: it stops the run with a Chinese page unless
the person (or the screen's token) may go on, and hands the data layer the scope their reads are
narrowed to (`ui.data.set_access`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import logging
import os
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from data_access import access, audit, db
from data_access._sql import CITY_CODE
from data_access.access import Grant
from ui import data
from ui.labels import APP_TITLE, AUTH_TEXT, MESSAGES
from ui.navigation import stop_page
from ui.safe import md, plain
from ui.settings import data_admin_enabled, idp_probe_ttl_s

log = logging.getLogger("dashboard")
NONE, PROXY, OIDC = "none", "proxy", "oidc"
MODES = (NONE, PROXY, OIDC)
LOOPBACK = ("127.0.0.1", "::1")
VIEWER_KEY = "auth.viewer"
SINCE_KEY = "auth.since"
LOGGED_OUT_KEY = "auth.logged_out"
LAST_VIEW_KEY = "auth.last_view"
IDP_PROBE_TIMEOUT_S = 3.0
IDP_PROBE_TTL_S = idp_probe_ttl_s()  # 30 s; shorter only in tests


@dataclass(frozen=True)
class AuthSettings:
    mode: str = NONE
    allow_without_login: bool = False
    session_hours: float = 8.0
    audit_retention_days: int = audit.DEFAULT_RETENTION_DAYS
    login_claim: str = "preferred_username"
    groups_claim: str = "groups"
    proxy_user_header: str = "X-Remote-User"
    proxy_groups_header: str = "X-Remote-Groups"
    proxy_secret_header: str = "X-Proxy-Secret"
    proxy_secret: str | None = None
    proxy_addresses: tuple[str, ...] = ()
    proxy_logout_url: str | None = None


class AuthConfigError(ValueError):
    """The [access] section is not usable (the message, in Chinese, names what is wrong)."""


def _number(value: object, default: float, low: float, high: float, name: str) -> float:
    if value is None:
        return default
    try:
        number = float(str(value))
    except ValueError as error:
        raise AuthConfigError(f"{name} 应为数字") from error
    if not low <= number <= high:
        raise AuthConfigError(f"{name} 应在 {low:g} 到 {high:g} 之间")
    return number


def parse_settings(section: Mapping | None, environ: Mapping[str, str]) -> AuthSettings:
    """The login settings from `[access]` and the environment; raises AuthConfigError."""
    section = dict(section or {})
    mode = str(environ.get("DASHBOARD_AUTH_MODE") or section.get("mode") or NONE).strip().lower()
    if mode not in MODES:
        raise AuthConfigError(f"mode 应为 {' / '.join(MODES)} 之一")
    addresses = section.get("proxy_addresses") or ()
    if isinstance(addresses, str):
        addresses = (addresses,)
    for address in addresses:
        try:
            ipaddress.ip_network(str(address), strict=False)
        except ValueError as error:
            raise AuthConfigError(f"proxy_addresses 中的“{address}”不是地址") from error
    secret = environ.get("DASHBOARD_PROXY_SECRET") or section.get("proxy_secret")
    settings = AuthSettings(
        mode=mode,
        allow_without_login=section.get("allow_without_login") is True
        or str(environ.get("DASHBOARD_ALLOW_WITHOUT_LOGIN", "")).lower() in {"1", "true", "yes"},
        session_hours=_number(section.get("session_hours"), 8.0, 0.05, 24 * 30, "session_hours"),
        audit_retention_days=int(_number(section.get("audit_retention_days"),
                                         audit.DEFAULT_RETENTION_DAYS, 1, 3650,
                                         "audit_retention_days")),
        login_claim=str(section.get("login_claim") or "preferred_username"),
        groups_claim=str(section.get("groups_claim") or "groups"),
        proxy_user_header=str(section.get("proxy_user_header") or "X-Remote-User"),
        proxy_groups_header=str(section.get("proxy_groups_header") or "X-Remote-Groups"),
        proxy_secret_header=str(section.get("proxy_secret_header") or "X-Proxy-Secret"),
        proxy_secret=str(secret) if secret else None,
        proxy_addresses=tuple(str(a) for a in addresses),
        proxy_logout_url=str(section["proxy_logout_url"]) if section.get("proxy_logout_url")
        else None,
    )
    if mode == PROXY and not settings.proxy_secret and not settings.proxy_addresses:
        raise AuthConfigError("proxy 模式须设置 proxy_secret 或 proxy_addresses")
    if mode == PROXY and settings.proxy_secret and len(settings.proxy_secret) < 16:
        raise AuthConfigError("proxy_secret 至少 16 个字符")
    return settings


def load_settings() -> AuthSettings:
    return parse_settings(db.read_secrets().get("access"), os.environ)


# ---- identity from a reverse proxy --------------------------------------------------------------

class ProxyRefused(Exception):
    """A request carries an identity the proxy did not vouch for (message for the log)."""


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def address_allowed(client: str | None, allowed: tuple[str, ...]) -> bool:
    address = client or LOOPBACK[0]  # Streamlit reports loopback connections as None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(a, strict=False) for a in allowed)


def proxy_identity(headers: Mapping[str, str], client: str | None, settings: AuthSettings
                   ) -> tuple[str, tuple[str, ...]] | None:
    """(login, groups) from the proxy's headers; None when no login name was sent. Raises
    ProxyRefused when the request did not come through the configured proxy: the shared
    secret (when set) must match and the address (when listed) must be the proxy's."""
    if settings.proxy_secret is not None:
        sent = _header(headers, settings.proxy_secret_header) or ""
        if not hmac.compare_digest(sent.encode(), settings.proxy_secret.encode()):
            raise ProxyRefused("proxy secret missing or wrong")
    if settings.proxy_addresses and not address_allowed(client, settings.proxy_addresses):
        raise ProxyRefused(f"request from {client or 'loopback'}, not from a configured proxy")
    login = (_header(headers, settings.proxy_user_header) or "").strip()
    if not login:
        return None
    groups = _header(headers, settings.proxy_groups_header) or ""
    return login, tuple(g.strip() for g in groups.replace(";", ",").split(",") if g.strip())


def oidc_identity(user: Mapping, settings: AuthSettings) -> tuple[str, tuple[str, ...]]:
    """(login, groups) from the identity provider's claims."""
    login = next(str(user[c]) for c in (settings.login_claim, "preferred_username", "email",
                                        "sub") if user.get(c))
    groups = user.get(settings.groups_claim) or ()
    if isinstance(groups, str):
        groups = (groups,)
    return login, tuple(str(g) for g in groups)


def expired(since: float, now: float, hours: float) -> bool:
    return now - since > hours * 3600


# ---- who is asking ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Viewer:
    """The person (or screen) of this session, with what they may do."""

    login: str | None  # None: no login configured (mode none)
    grant: Grant | None  # None with mode none: everything, as before logins existed
    mode: str
    client: str | None = None
    groups: tuple[str, ...] = field(default=())
    allowed_on_any_data: bool = False  # mode none: also on the bureau's data, not only the sample

    @property
    def scope(self) -> access.Scope:
        if self.grant is None:
            return access.EVERYTHING
        if self.grant.role == access.SCREEN:
            return access.SCREEN_SCOPE
        return self.grant.scope

    @property
    def role(self) -> str | None:
        return self.grant.role if self.grant else None

    @property
    def sees_pages(self) -> bool:
        return self.grant is None or self.grant.sees_pages

    def manages_data(self, enabled_without_login: bool) -> bool:
        if self.grant is None:
            return enabled_without_login
        return self.grant.manages_data


def client_address() -> str | None:
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def current_viewer() -> Viewer | None:
    return st.session_state.get(VIEWER_KEY)


@st.cache_resource(show_spinner=False)
def _audit_writer() -> audit.AuditWriter:
    engine = data.get_write_engine()  # the database of this process, written from the thread
    return audit.AuditWriter(lambda: engine, load_settings().audit_retention_days)


def audit_writer() -> audit.AuditWriter:
    return _audit_writer()


def _event(kind: str, viewer: Viewer | None, *, user: str | None = None,
           client: str | None = None, page: str | None = None, detail: dict | None = None,
           rows: int | None = None) -> audit.Event:
    return audit.Event(
        kind, user or (viewer.login if viewer else None), role=viewer.role if viewer else None,
        client=client, page=page, scope=viewer.scope.unit if viewer else None,
        detail=detail or {}, rows=rows)


def record(kind: str, *, page: str | None = None, detail: dict | None = None,
           rows: int | None = None, viewer: Viewer | None = None, user: str | None = None
           ) -> None:
    """One audit event for this session's viewer (queued; written in the background)."""
    audit_writer().record(_event(kind, viewer or current_viewer(), user=user,
                                 client=client_address(), page=page, detail=detail, rows=rows))


def audited(build: Callable[[], bytes], *, what: str, rows: int | None = None,
            kind: str = "download") -> Callable[[], bytes]:
    """A download button's builder that records the download when it runs. Streamlit runs it
    on the click, outside the script (no session state): who, from where and the writer are
    taken now."""
    viewer, client, writer = current_viewer(), client_address(), audit_writer()
    page = st.session_state.get(LAST_VIEW_KEY, (None,))[0]

    def run() -> bytes:
        writer.record(_event(kind, viewer, client=client, page=page, rows=rows,
                             detail={"file": what}))
        return build()
    return run


def _stop(message: str, *, level: str = "error", action=None) -> None:
    def render() -> None:
        st.title(APP_TITLE)
        (st.error if level == "error" else st.info)(message, icon=":material/lock:")
        if action is not None:
            action()
    stop_page(render)


@st.cache_data(ttl=IDP_PROBE_TTL_S, show_spinner=False)
def idp_reachable(metadata_url: str) -> bool:
    """Whether the identity provider answers its discovery document (checked before sending
    anyone to it: Streamlit's own error for an unreachable provider is English)."""
    try:
        with urllib.request.urlopen(metadata_url, timeout=IDP_PROBE_TIMEOUT_S) as response:
            json.loads(response.read())
        return True
    except (OSError, ValueError):
        log.warning("identity provider not reachable at %s", metadata_url, exc_info=True)
        return False


def _oidc_metadata_url() -> str | None:
    """The provider's discovery document, from the `[auth]` section Streamlit itself reads."""
    section = st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None
    return (section or {}).get("server_metadata_url")


def _login_page() -> None:
    metadata = _oidc_metadata_url()
    if metadata and not idp_reachable(metadata):
        _stop(AUTH_TEXT["idp_unreachable"])
    _stop(AUTH_TEXT["not_logged_in"], level="info",
          action=lambda: st.button(AUTH_TEXT["login_button"], type="primary", on_click=st.login,
                                   icon=":material/login:"))


def _identity(settings: AuthSettings) -> tuple[str, tuple[str, ...], float | None]:
    """(login, groups, when the login happened if known), or a stop page."""
    if settings.mode == PROXY:
        if st.session_state.get(LOGGED_OUT_KEY):
            _stop(AUTH_TEXT["logged_out_proxy"], level="info")
        try:
            found = proxy_identity(st.context.headers, client_address(), settings)
        except ProxyRefused as refused:
            claimed = _header(st.context.headers, settings.proxy_user_header)
            log.warning("proxy identity refused: %s", refused)
            record("login_failed", user=claimed, detail={"reason": str(refused)})
            _stop(AUTH_TEXT["proxy_refused"])
        if found is None:
            _stop(AUTH_TEXT["proxy_not_logged_in"])
        return (*found, None)
    if not st.user.is_logged_in:
        _login_page()
    login, groups = oidc_identity(st.user.to_dict(), settings)
    issued = st.user.get("iat")
    return login, groups, float(issued) if isinstance(issued, (int, float)) else None


def _grant(login: str, groups: tuple[str, ...]) -> Grant | None:
    return data.read(lambda conn: access.grant_for(conn, login, groups))


def _logged_in(settings: AuthSettings) -> Viewer:
    """The logged-in person with their role, read again on every run (one indexed lookup):
    a role changed or removed on 用户与角色 applies at the person's next click."""
    login, groups, issued = _identity(settings)
    grant = _grant(login, groups)
    viewer = Viewer(login, grant, settings.mode, client_address(), groups)
    held = current_viewer()
    if held is None or (held.login, held.grant, held.mode) != (login, grant, settings.mode):
        if grant is None:
            record("login_failed", viewer=viewer, detail={"reason": "no role",
                                                          "groups": list(groups)})
            st.session_state.pop(VIEWER_KEY, None)
            _stop(AUTH_TEXT["no_role"].format(user=md(login, 60)))
        record("login", viewer=viewer, detail={"mode": settings.mode, "groups": list(groups)})
        st.session_state[VIEWER_KEY] = viewer
        if held is None or held.login != login:
            st.session_state[SINCE_KEY] = issued or time.time()
    if expired(st.session_state[SINCE_KEY], time.time(), settings.session_hours):
        _stop(AUTH_TEXT["expired"].format(hours=f"{settings.session_hours:g}"),
              action=lambda: st.button(AUTH_TEXT["relogin_button"], on_click=_logout,
                                       args=(settings, "expired"), type="primary"))
    return viewer


def _logout(settings: AuthSettings, reason: str = "user") -> None:
    viewer = current_viewer()
    if viewer is not None:
        record("logout", viewer=viewer, detail={"reason": reason})
    st.session_state.pop(VIEWER_KEY, None)
    st.session_state.pop(SINCE_KEY, None)
    if settings.mode == OIDC:
        st.logout()
    else:
        st.session_state[LOGGED_OUT_KEY] = True


def _screen(token: str | None, settings: AuthSettings) -> Viewer:
    """The meeting-room screen: its token, checked now and again on every refresh."""
    if not token and settings.mode == NONE:
        viewer = Viewer(None, Grant(access.SCREEN), NONE, client_address())
        st.session_state[VIEWER_KEY] = viewer
        data.set_access(viewer.scope)
        return viewer
    if not token:
        _stop(AUTH_TEXT["screen_needs_token"])
    name = data.read(lambda conn: access.screen_for_token(conn, token))
    if name is None:
        record("denied", user="screen", page="screen", detail={"reason": "token"})
        _stop(AUTH_TEXT["screen_revoked"])
    viewer = Viewer(f"screen:{name}", Grant(access.SCREEN), settings.mode, client_address())
    if current_viewer() != viewer:
        record("login", viewer=viewer, page="screen")
        st.session_state[VIEWER_KEY] = viewer
    data.set_access(viewer.scope, screen_token=token)
    return viewer


def gate(kiosk: bool) -> Viewer:
    """Who this run is for; stops the run with a Chinese page when they may not go on."""
    try:
        settings = load_settings()
    except AuthConfigError as error:
        _stop(AUTH_TEXT["config_invalid"].format(problem=str(error)))
    except db.ConfigError as error:
        log.error("%s", error)
        _stop(MESSAGES["config_invalid"])
    if kiosk:
        return _screen(st.query_params.get("token"), settings)
    if settings.mode == NONE:
        viewer = Viewer(None, None, NONE, client_address(),
                        allowed_on_any_data=settings.allow_without_login)
        st.session_state[VIEWER_KEY] = viewer
    else:
        viewer = _logged_in(settings)
    data.set_access(viewer.scope)
    return viewer


def sidebar(viewer: Viewer, ctx: data.DataContext) -> None:
    """Who is logged in and 退出登录; or the 未启用登录 notice."""
    if viewer.login is None:
        st.sidebar.caption(f":material/lock_open: {AUTH_TEXT['no_login']}",
                           help=AUTH_TEXT["no_login_help"])
        return
    role = access.ROLES.get(viewer.role or "", viewer.role or "")
    if viewer.scope.unit:
        line = AUTH_TEXT["user_line_unit"].format(user=md(viewer.login, 40), role=role,
                                                  unit=md(ctx.unit_name(viewer.scope.unit)))
    else:
        line = AUTH_TEXT["user_line"].format(user=md(viewer.login, 40), role=role)
    st.sidebar.caption(f":material/person: {line}")
    settings = load_settings()
    if settings.mode == PROXY and settings.proxy_logout_url:
        st.sidebar.link_button(AUTH_TEXT["logout_button"], settings.proxy_logout_url,
                               icon=":material/logout:")
    else:
        st.sidebar.button(AUTH_TEXT["logout_button"], on_click=_logout, args=(settings,),
                          icon=":material/logout:", key="auth.logout")


# ---- what the scope changes before the pages -------------------------------------------------

def admit(ctx: data.DataContext, viewer: Viewer) -> data.DataContext:
    """The data context as this viewer may see it: without a login only the fictitious sample
    (unless allowed explicitly); for a county user, the unit list holds their unit only."""
    if viewer.mode == NONE and not ctx.is_sample and not viewer.allowed_on_any_data:
        _stop(AUTH_TEXT["none_refused"])
    unit = viewer.scope.unit
    if unit is None:
        return ctx
    units = ctx.units
    return replace(ctx, units=units[units["code"] == unit].reset_index(drop=True),
                   denied_units=frozenset(units["code"]) - {unit, CITY_CODE})


def record_view(viewer: Viewer, page: str, filters) -> None:
    """A page view with its filters, once per change of page or filters in this session."""
    detail = {"as_of": str(filters.as_of), "unit": filters.unit,
              **{k: v for k, v in st.query_params.to_dict().items()
                 if k not in ("as_of", "unit", "token")}}
    key = (page, json.dumps(detail, sort_keys=True, ensure_ascii=False))
    if st.session_state.get(LAST_VIEW_KEY) == key:
        return
    st.session_state[LAST_VIEW_KEY] = key
    record("view", viewer=viewer, page=plain(page, 40), detail=detail)


def events_frame(since: dt.datetime, until: dt.datetime, kinds: tuple[str, ...],
                 user: str | None) -> pd.DataFrame:
    return data.read(lambda conn: audit.list_events(conn, since=since, until=until, kinds=kinds,
                                                    user=user))


def access_pages() -> list:
    """The user list and the audit log (made in the run: st.Page needs the script's context)."""
    return [
        st.Page("pages/users.py", title="用户与角色", icon=":material/manage_accounts:",
                url_path="users"),
        st.Page("pages/audit.py", title="审计日志", icon=":material/history:", url_path="audit"),
    ]


def pages_for(viewer: Viewer, pages: dict, admin_pages: dict, data_admin_enabled: bool) -> dict:
    """The navigation this viewer gets: the dashboard's pages for the roles that see them, the
    数据管理 page, the user list and the audit log for the data administrator."""
    shown = dict(pages) if viewer.sees_pages else {}
    if viewer.manages_data(data_admin_enabled):
        for group, group_pages in admin_pages.items():
            shown[group] = [*group_pages, *access_pages()]
    return shown


def require_data_admin() -> Viewer:
    """At the top of an administration page: stops anyone else (a typed URL included)."""
    viewer = current_viewer()
    if viewer is None or not viewer.manages_data(data_admin_enabled()):
        _stop(AUTH_TEXT["access_denied"])
    return viewer
