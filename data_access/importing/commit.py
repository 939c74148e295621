"""Applying an import plan, and undoing the latest import.

`commit_plan` writes a plan in ONE transaction: the rows it adds, changes and removes, and the
import log (`import_batches`, and in `import_changes` each row's key and, for a changed or
removed row, the whole row as it was). A failure, or a process killed half-way, leaves the
database exactly as it was. `undo_latest` restores the state before the latest import from
that log, also in one transaction. Every import and undo changes `analyse.data_version`, which
the app's caches are keyed on, so every page (on every replica) shows the new data at once;
both keep the ledger's counts (`rollups`) in step in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from data_access import rollups, schema
from data_access.importing.analyse import (
    Pending,
    Plan,
    data_version,
    normal_value,
    row_json,
)
from data_access.importing.spec import TABLE_ORDER

BATCH_ROWS = 2000
IN_BATCH = 500


class ImportRefused(Exception):
    """The import or undo was not carried out; the message is Chinese."""


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    started_at: dt.datetime
    user_name: str | None
    files: list[dict]
    summary: dict[str, dict[str, int]]
    undone_at: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _pk(table: sa.Table) -> sa.Column:
    return table.primary_key.columns.values()[0]


def _resolve(values: dict, ids: dict[tuple[str, str], object]) -> dict:
    return {c: ids[v.table, v.key] if isinstance(v, Pending) else v for c, v in values.items()}


def _ids_of(conn: sa.Connection, table: sa.Table, by: str, keys: list) -> dict[str, object]:
    """Each key's id, by the key as text (a key may be a number, e.g. a plan's year)."""
    pk = _pk(table)
    found = {}
    for start in range(0, len(keys), IN_BATCH):
        found.update((str(key), id_) for key, id_ in conn.execute(
            sa.select(table.c[by], pk).where(table.c[by].in_(keys[start:start + IN_BATCH]))))
    return found


def _log(conn: sa.Connection, batch_id: int, table: str, action: str,
         rows: list[tuple[object, str | None]]) -> None:
    entries = [{"batch_id": batch_id, "table_name": table, "action": action,
                "row_key": str(key), "before": before} for key, before in rows]
    for start in range(0, len(entries), BATCH_ROWS):
        conn.execute(schema.import_changes.insert(), entries[start:start + BATCH_ROWS])


def start_batch(conn: sa.Connection, *, kind: str, files: list[dict], user: str | None,
                client: str | None) -> int:
    result = conn.execute(schema.import_batches.insert().values(
        kind=kind, started_at=_now(), user_name=user, client=client,
        files=json.dumps(files, ensure_ascii=False), summary="{}"))
    return int(result.inserted_primary_key[0])


def finish_batch(conn: sa.Connection, batch_id: int, summary: dict) -> None:
    conn.execute(schema.import_batches.update().where(schema.import_batches.c.id == batch_id)
                 .values(finished_at=_now(), summary=json.dumps(summary, ensure_ascii=False)))


def commit_plan(engine: sa.Engine, plan: Plan, *, user: str | None = None,
                client: str | None = None,
                progress: Callable[[str], None] | None = None) -> int:
    """Apply `plan` in one transaction and log it; returns the import's batch id. Refuses
    (ImportRefused) a plan with problems, one with nothing to change, and one made before
    another import or undo changed the data. `progress` is told each table as it is written
    (inside the transaction)."""
    if not plan.ok:
        raise ImportRefused(f"发现{len(plan.problems)}处问题,未导入任何数据。")
    if not plan.has_changes:
        raise ImportRefused("文件中的数据与数据库完全一致,没有需要导入的变化。")
    with engine.begin() as conn:
        if data_version(conn) != plan.data_version:
            raise ImportRefused("分析之后数据已被其他导入或撤销更改,请重新上传分析。")
        files = [{"name": f.name, "sha256": f.sha256, "bytes": f.size} for f in plan.files]
        counts = rollups.Maintainer(conn)
        batch_id = start_batch(conn, kind="import", files=files, user=user, client=client)
        ids: dict[tuple[str, str], object] = {}
        now = _now()
        for name, changes in plan.tables.items():
            table = changes.spec.sa_table
            pk = _pk(table)
            stamp = dict(zip(changes.spec.stamp, (now, user))) if changes.spec.stamp else {}
            if progress is not None:
                progress(name)
            if changes.new:
                rows = [{**_resolve(values, ids), **stamp} for values in changes.new]
                for start in range(0, len(rows), BATCH_ROWS):
                    conn.execute(table.insert(), rows[start:start + BATCH_ROWS])
                by = changes.spec.key[0] if len(changes.spec.key) == 1 else None
                if by is not None:
                    new_ids = _ids_of(conn, table, by, [r[by] for r in rows])
                    keys = [str(r[by]) for r in rows]
                    ids.update({(name, key): new_ids[key] for key in keys})
                    added = [new_ids[k] for k in keys]
                else:
                    added = _ids_by_key(conn, table, changes.spec.key, rows)
                _log(conn, batch_id, name, "insert", [(i, None) for i in added])
                counts.after(name, added)
            changed_ids = [c.id for c in changes.changed]
            counts.before(name, changed_ids)
            for change in changes.changed:
                conn.execute(table.update().where(pk == change.id)
                             .values(**_resolve(change.after, ids), **stamp))
            counts.after(name, changed_ids)
            _log(conn, batch_id, name, "update",
                 [(c.id, row_json(c.before)) for c in changes.changed])
        for name, changes in reversed(plan.tables.items()):
            if not changes.removed:
                continue
            table = changes.spec.sa_table
            pk = _pk(table)
            removed_ids = [r[pk.name] for r in changes.removed]
            counts.before(name, removed_ids)
            for start in range(0, len(removed_ids), IN_BATCH):
                conn.execute(table.delete().where(pk.in_(removed_ids[start:start + IN_BATCH])))
            _log(conn, batch_id, name, "delete", [(r[pk.name], row_json(r))
                                                  for r in changes.removed])
        finish_batch(conn, batch_id, {k: {kind: n for kind, n in v.items() if kind != "unchanged"}
                                      for k, v in plan.summary().items()})
        counts.finish()
    return batch_id


def _ids_by_key(conn: sa.Connection, table: sa.Table, key: tuple[str, ...],
                rows: list[dict]) -> list[object]:
    """The ids of just-inserted rows whose natural key has several columns."""
    pk = _pk(table)
    wanted = {tuple(normal_value(table.c[c], r.get(c)) for c in key) for r in rows}
    first = sorted({r[key[0]] for r in rows}, key=str)
    found = []
    for start in range(0, len(first), IN_BATCH):
        stmt = sa.select(pk, *(table.c[c] for c in key)).where(
            table.c[key[0]].in_(first[start:start + IN_BATCH]))
        for row in conn.execute(stmt):
            values = tuple(normal_value(table.c[c], v) for c, v in zip(key, row[1:]))
            if values in wanted:
                found.append(row[0])
    return found


def list_batches(conn: sa.Connection, *, limit: int = 50) -> list[BatchInfo]:
    """The latest imports and replacements, newest first."""
    b = schema.import_batches.c
    stmt = (sa.select(b.id, b.kind, b.started_at, b.user_name, b.files, b.summary, b.undone_at)
            .where(b.finished_at.is_not(None)).order_by(b.id.desc()).limit(limit))
    return [BatchInfo(r.id, r.kind, r.started_at, r.user_name, json.loads(r.files),
                      json.loads(r.summary), r.undone_at) for r in conn.execute(stmt)]


def latest_undoable(conn: sa.Connection) -> BatchInfo | None:
    """The latest import, if it can be undone: not undone yet, and no full replacement since."""
    for batch in list_batches(conn, limit=20):
        if batch.kind == "replace":
            return None
        if batch.undone_at is None:
            return batch
    return None


def _decode(table: sa.Table, text: str) -> dict[str, object]:
    raw = json.loads(text)
    return {name: normal_value(table.c[name], value) for name, value in raw.items()}


def _typed_key(table: sa.Table, text: str) -> object:
    return normal_value(_pk(table), text)


def undo_latest(engine: sa.Engine, *, user: str | None = None) -> BatchInfo:
    """Restore the data as it was before the latest import, in one transaction: the rows it
    added are deleted, the rows it changed get their old values back, the rows it removed come
    back with their old keys. Refuses (ImportRefused) when there is nothing to undo."""
    with engine.begin() as conn:
        batch = latest_undoable(conn)
        if batch is None:
            raise ImportRefused("没有可以撤销的导入(最近一次导入已撤销,或之后做过全量替换)。")
        c = schema.import_changes.c
        changes = conn.execute(sa.select(c.table_name, c.action, c.row_key, c.before)
                               .where(c.batch_id == batch.id).order_by(c.id)).all()
        counts = rollups.Maintainer(conn)
        by_table: dict[str, list] = {}
        for change in changes:
            by_table.setdefault(change.table_name, []).append(change)
        for name in sorted(by_table, key=TABLE_ORDER.get, reverse=True):  # children first
            table = schema.metadata.tables[name]
            pk = _pk(table)
            added = [_typed_key(table, ch.row_key) for ch in by_table[name]
                     if ch.action == "insert"]
            counts.before(name, added)
            for start in range(0, len(added), IN_BATCH):
                conn.execute(table.delete().where(pk.in_(added[start:start + IN_BATCH])))
        for name in sorted(by_table, key=TABLE_ORDER.get):  # parents first
            table = schema.metadata.tables[name]
            pk = _pk(table)
            updated = [_decode(table, ch.before) for ch in by_table[name]
                       if ch.action == "update"]
            counts.before(name, [row[pk.name] for row in updated])
            for before in updated:
                conn.execute(table.update().where(pk == before[pk.name]).values(**before))
            restored = [_decode(table, ch.before) for ch in by_table[name]
                        if ch.action == "delete"]
            for start in range(0, len(restored), BATCH_ROWS):
                conn.execute(table.insert(), restored[start:start + BATCH_ROWS])
            counts.after(name, [row[pk.name] for row in (*updated, *restored)])
        conn.execute(schema.import_batches.update()
                     .where(schema.import_batches.c.id == batch.id)
                     .values(undone_at=_now(), undone_by=user))
        counts.finish()
    return batch
