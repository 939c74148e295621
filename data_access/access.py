"""Who may see what: roles, a user's data scope, and every read narrowed to it.

Roles (`app_users.role`):
- `leader` 局领导 and `department` 市局科室: every unit, every page, downloads and the brief;
- `county` 县区: its own unit only (`app_users.unit_code`);
- `data_admin` 数据管理员: the 数据管理 page and the user list;
- the meeting-room screen is no user: it holds a per-screen token (`screen_tokens`).

`call(fn, conn, scope, **kwargs)` is the one gate through which the pages read: for a scope
limited to one unit, a function's `unit` argument is set to that unit (another unit named is
refused with `OutOfScope`), a row named by its id (`site_id`, `mine_id`) must belong to it, a
function with neither is refused unless it reads city-wide matters only (`CITY_LEVEL`), and any
table returned keeps only the rows of that unit (or of no unit). Personal data (responsible
persons' names, telephone numbers) are masked for scopes that do not need them.

Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access._sql import CITY_CODE

LEADER, DEPARTMENT, COUNTY, DATA_ADMIN, SCREEN = (
    "leader", "department", "county", "data_admin", "screen")
ROLES = {LEADER: "局领导", DEPARTMENT: "市局科室", COUNTY: "县区", DATA_ADMIN: "数据管理员"}
# Roles that see the dashboard's pages, and those that see responsible persons and phones.
VIEWER_ROLES = frozenset({LEADER, DEPARTMENT, COUNTY})
PERSONAL_DATA_ROLES = frozenset({LEADER, DEPARTMENT, COUNTY})
# Where several rows of app_users match one person (login name and group claims), the role
# that sees most wins.
ROLE_RANK = (LEADER, DEPARTMENT, DATA_ADMIN, COUNTY)
GROUP_PREFIX = "group:"

# Reads without a unit argument that concern the whole city, not any one unit's rows.
CITY_LEVEL = frozenset({
    "data_access.rectification.list_key_tasks",
    "data_access.weekly.list_task_changes",
    "data_access.targets.list_targets",
    "data_access.resources.list_sites_in_box",
    "data_access.resources.list_site_items",
})
# Arguments naming one row by its id: the table it lives in (its unit_code says whose it is).
ROW_OWNERS = {"site_id": "resource_sites", "mine_id": "coal_mines"}
PERSONAL_NAME_COLUMNS = ("responsible_person",)
PHONE_COLUMNS = ("phone", "contact_phone")
TOKEN_BYTES = 32
COUNTY_NEEDS_UNIT = "县区角色必须指定一个县区单位。"


class AccessError(Exception):
    """A read this user or screen may not make; `kind` names the message the user sees, the
    exception's text is for the log."""

    kind = "access_denied"


class OutOfScope(AccessError):
    """A read asked for rows outside the user's unit."""

    kind = "out_of_scope"


class ScreenRevoked(AccessError):
    """The screen's token was revoked (or replaced) since the screen opened."""

    kind = "screen_revoked"


@dataclass(frozen=True)
class Scope:
    unit: str | None  # None: every unit
    personal_data: bool = True

    @property
    def key(self) -> tuple:
        """What a cached result depends on."""
        return (self.unit, self.personal_data)

    def allows_unit(self, unit: str | None) -> bool:
        return self.unit is None or unit == self.unit


EVERYTHING = Scope(None, True)


@dataclass(frozen=True)
class Grant:
    """What one person may do: their role and, for a county, the unit."""

    role: str
    unit: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.unit if self.role == COUNTY else None,
                     self.role in PERSONAL_DATA_ROLES)

    @property
    def sees_pages(self) -> bool:
        return self.role in VIEWER_ROLES

    @property
    def manages_data(self) -> bool:
        return self.role == DATA_ADMIN


SCREEN_SCOPE = Scope(None, personal_data=False)


# ---- narrowing a read --------------------------------------------------------------------------

def _qualified(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__name__}"


def _owner_unit(conn: sa.Connection, table_name: str, row_id: int) -> str | None:
    table = schema.metadata.tables[table_name]
    return conn.execute(sa.select(table.c.unit_code).where(table.c.id == row_id)).scalar()


def narrow_arguments(conn: sa.Connection, fn: Callable, scope: Scope,
                     kwargs: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` for `fn` limited to `scope`; raises OutOfScope when they ask for more."""
    if scope.unit is None:
        return kwargs
    narrowed = dict(kwargs)
    parameters = inspect.signature(fn).parameters
    if "unit" in parameters:
        asked = narrowed.get("unit")
        if asked not in (None, CITY_CODE, scope.unit):
            raise OutOfScope(f"{_qualified(fn)} asked for unit {asked!r}")
        narrowed["unit"] = scope.unit
    elif _qualified(fn) not in CITY_LEVEL:
        raise OutOfScope(f"{_qualified(fn)} reads across units")
    for name, table_name in ROW_OWNERS.items():
        row_id = narrowed.get(name)
        if row_id is not None and _owner_unit(conn, table_name, row_id) != scope.unit:
            raise OutOfScope(f"{_qualified(fn)}: {name}={row_id} is not of unit {scope.unit}")
    return narrowed


def mask_name(name: object) -> object:
    """张三丰 → 张某某; a name of one character stays as its first character and 某."""
    if not isinstance(name, str) or not name.strip():
        return name
    text = name.strip()
    return text[0] + "某" * max(1, min(len(text) - 1, 2))


def mask_phone(phone: object) -> object:
    """13812341234 → 138****1234; shorter numbers keep their last four digits only."""
    if not isinstance(phone, str) or not phone.strip():
        return phone
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def narrow_result(result: Any, scope: Scope) -> Any:
    """A table keeps only the scope's unit's rows (and rows of no unit or the whole city);
    personal columns are masked when the scope does not see them. Other values pass."""
    if not isinstance(result, pd.DataFrame):
        return result
    out = result
    if scope.unit is not None and "unit_code" in out.columns:
        keep = out["unit_code"].isna() | out["unit_code"].isin([scope.unit, CITY_CODE])
        out = out[keep]
    if not scope.personal_data:
        masked = [c for c in (*PERSONAL_NAME_COLUMNS, *PHONE_COLUMNS) if c in out.columns]
        if masked:
            out = out.copy()
            for column in masked:
                mask = mask_name if column in PERSONAL_NAME_COLUMNS else mask_phone
                out[column] = out[column].map(mask)
    return out


def call(fn: Callable[..., Any], conn: sa.Connection, scope: Scope, /, **kwargs: Any) -> Any:
    """`fn(conn, **kwargs)` as `scope` may see it."""
    return narrow_result(fn(conn, **narrow_arguments(conn, fn, scope, kwargs)), scope)


# ---- users and roles ---------------------------------------------------------------------------

def grant_for(conn: sa.Connection, login: str, groups: Iterable[str] = ()) -> Grant | None:
    """The role of `login` (its own row, else the first of its groups' rows by ROLE_RANK), or
    None when it has none."""
    users = schema.app_users
    names = [login, *(GROUP_PREFIX + g for g in groups if g)]
    rows = conn.execute(sa.select(users.c.principal, users.c.role, users.c.unit_code)
                        .where(users.c.principal.in_(names))).all()
    own = [r for r in rows if r.principal == login]
    candidates = own or sorted(
        (r for r in rows if r.role in ROLE_RANK), key=lambda r: ROLE_RANK.index(r.role))
    for row in candidates:
        if row.role in ROLES and (row.role != COUNTY or row.unit_code):
            return Grant(row.role, row.unit_code if row.role == COUNTY else None)
    return None


def list_users(conn: sa.Connection) -> pd.DataFrame:
    users = schema.app_users
    stmt = sa.select(users.c.principal, users.c.role, users.c.unit_code, users.c.name,
                     users.c.updated_at, users.c.updated_by).order_by(users.c.principal)
    return pd.DataFrame(conn.execute(stmt).mappings().all(),
                        columns=["principal", "role", "unit_code", "name", "updated_at",
                                 "updated_by"])


def user_problem(conn: sa.Connection, principal: str, role: str, unit: str | None) -> str | None:
    """Why a user row cannot be stored (Chinese), or None."""
    if not principal.strip() or len(principal) > 120:
        return "登录名不能为空,且不超过 120 个字符。"
    if role not in ROLES:
        return f"角色必须是:{'、'.join(ROLES.values())}。"
    if role == COUNTY:
        units = schema.units
        if not unit or conn.execute(sa.select(units.c.code).where(units.c.code == unit)
                                    ).scalar() is None:
            return COUNTY_NEEDS_UNIT
    return role_unit_problem(role, unit if role == COUNTY else None)  # the form always has one


def role_unit_problem(role: str, unit: str | None) -> str | None:
    """Why a role and a unit do not go together (Chinese), or None: a county user has one
    unit, not the whole city; the other roles have none (the user page and the import)."""
    if role == COUNTY and (not unit or unit == CITY_CODE):
        return COUNTY_NEEDS_UNIT
    if role != COUNTY and unit:
        return "只有县区角色填写县区,其他角色留空。"
    return None


def set_user(conn: sa.Connection, *, principal: str, role: str, unit: str | None,
             name: str | None, by: str | None, now: dt.datetime | None = None) -> None:
    """Add or change one user's role (call `user_problem` first)."""
    users = schema.app_users
    values = {"role": role, "unit_code": unit if role == COUNTY else None, "name": name,
              "updated_at": now or dt.datetime.now(), "updated_by": by}
    changed = conn.execute(users.update().where(users.c.principal == principal).values(values))
    if changed.rowcount == 0:
        conn.execute(users.insert().values(principal=principal, **values))


def remove_user(conn: sa.Connection, principal: str) -> bool:
    users = schema.app_users
    return conn.execute(users.delete().where(users.c.principal == principal)).rowcount > 0


# ---- screen tokens ------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_screen_token(conn: sa.Connection, name: str, *, by: str | None,
                     now: dt.datetime | None = None) -> str:
    """A new random token for screen `name` (replacing any earlier one of that name); only its
    digest is stored, so the token is shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    tokens = schema.screen_tokens
    conn.execute(tokens.delete().where(tokens.c.name == name))
    conn.execute(tokens.insert().values(name=name, token_sha256=token_digest(token),
                                        created_at=now or dt.datetime.now(), created_by=by))
    return token


def revoke_screen_token(conn: sa.Connection, name: str, now: dt.datetime | None = None) -> bool:
    tokens = schema.screen_tokens
    return conn.execute(tokens.update().where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
                        .values(revoked_at=now or dt.datetime.now())).rowcount > 0


def screen_for_token(conn: sa.Connection, token: str | None) -> str | None:
    """The name of the screen that holds this (unrevoked) token, or None."""
    if not token:
        return None
    tokens = schema.screen_tokens
    return conn.execute(sa.select(tokens.c.name).where(
        tokens.c.token_sha256 == token_digest(token), tokens.c.revoked_at.is_(None))).scalar()


def screen_token_valid(conn: sa.Connection, digest: str) -> bool:
    tokens = schema.screen_tokens
    return conn.execute(sa.select(tokens.c.id).where(
        tokens.c.token_sha256 == digest, tokens.c.revoked_at.is_(None))).first() is not None


def list_screen_tokens(conn: sa.Connection) -> pd.DataFrame:
    tokens = schema.screen_tokens
    stmt = sa.select(tokens.c.name, tokens.c.created_at, tokens.c.created_by,
                     tokens.c.revoked_at).order_by(tokens.c.name)
    return pd.DataFrame(conn.execute(stmt).mappings().all(),
                        columns=["name", "created_at", "created_by", "revoked_at"])
