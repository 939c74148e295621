"""Import the bureau's Excel or CSV files, or undo the latest import, from the command line.

    python -m data_access.importing FILE [FILE …] [--dry-run] [--yes] [--complete 表=范围 …]
    python -m data_access.importing --undo [--yes]

Checks every row of every file first and prints every problem (nothing is written), or the
preview of what would change; then asks for confirmation (`--yes` skips the question,
`--dry-run` stops after the preview). `--complete 隐患台账=襄垣县` declares that the files hold
that table completely for a unit (or `全市`): rows the database has and the files lack are
listed and, on confirmation, removed. The database is DATABASE_URL (or `--url`), else the
app's own. Exit status: 0 done (or previewed), 1 refused or problems found, 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import sqlalchemy as sa

from data_access import schema
from data_access.db import open_target
from data_access.importing.analyse import (
    SHEET_INDEX,
    WHOLE_TABLE,
    analyse,
    normal_name,
    unit_lookup,
)
from data_access.importing.commit import ImportRefused, commit_plan, latest_undoable, undo_latest
from data_access.importing.read import SourceFile
from data_access.importing.report import batch_counts, plan_text


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        print("未确认:非交互运行时请加 --yes(make 中为 YES=1)。", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes", "是"}


def _complete_scopes(conn: sa.Connection, pairs: list[str]) -> dict[str, str]:
    units = unit_lookup(conn)
    scopes = {}
    for pair in pairs:
        sheet, _, scope = pair.partition("=")
        spec = SHEET_INDEX.get(normal_name(sheet))
        if spec is None:
            raise SystemExit(f"--complete:“{sheet}”不是可导入的表。")
        if normal_name(scope) in {normal_name("全市"), ""}:
            scopes[spec.table] = WHOLE_TABLE
        elif spec.scope_column and normal_name(scope) in units:
            scopes[spec.table] = units[normal_name(scope)]
        else:
            raise SystemExit(f"--complete:“{scope}”不是单位,或“{spec.sheet}”不能按单位声明。")
    return scopes


def _unit_names(conn: sa.Connection) -> dict[str, str]:
    return dict(conn.execute(sa.select(schema.units.c.code, schema.units.c.name)).all())


def _progress(table: str) -> None:
    print(f"正在写入 {table}", file=sys.stderr, flush=True)


def run_import(engine: sa.Engine, paths: list[Path], *, dry_run: bool, assume_yes: bool,
               complete: list[str], progress: bool = False) -> int:
    files = []
    for path in paths:
        try:
            files.append(SourceFile(path.name, path.read_bytes()))
        except OSError as exc:
            print(f"无法读取文件 {path}:{exc.strerror}", file=sys.stderr)
            return 1
    with engine.connect() as conn:
        plan = analyse(conn, files, complete=_complete_scopes(conn, complete))
        lines = plan_text(plan, conn, _unit_names(conn))
    print("\n".join(lines))
    if not plan.ok:
        return 1
    if dry_run or not plan.has_changes:
        return 0
    if not _confirm("确认导入以上变化?", assume_yes):
        print("未导入。")
        return 1
    try:
        batch = commit_plan(engine, plan, user=getpass.getuser(), client="命令行",
                            progress=_progress if progress else None)
    except ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已导入(导入记录 {batch})。如需撤销:make undo-import")
    return 0


def run_undo(engine: sa.Engine, *, assume_yes: bool) -> int:
    with engine.connect() as conn:
        batch = latest_undoable(conn)
    if batch is None:
        print("没有可以撤销的导入。", file=sys.stderr)
        return 1
    files = "、".join(f["name"] for f in batch.files)
    print(f"最近一次导入:{batch.started_at:%Y-%m-%d %H:%M},{batch.user_name or '未知'},"
          f"文件 {files}。{batch_counts(batch.summary)}")
    if not _confirm("撤销这次导入,恢复到导入前的数据?", assume_yes):
        print("未撤销。")
        return 1
    try:
        undo_latest(engine, user=getpass.getuser())
    except ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("已撤销,数据已恢复到这次导入之前。")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description="导入 Excel/CSV 数据,或撤销最近一次导入。")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--url", help="数据库地址(默认 DATABASE_URL 或应用的配置)")
    parser.add_argument("--dry-run", action="store_true", help="只检查和预览,不写入")
    parser.add_argument("--yes", action="store_true", help="不再询问,直接写入")
    parser.add_argument("--complete", action="append", default=[], metavar="表=范围",
                        help="声明文件完整包含该表(全市或某单位)的数据")
    parser.add_argument("--undo", action="store_true", help="撤销最近一次导入")
    parser.add_argument("--progress", action="store_true", help="写入时逐表报告进度")
    args = parser.parse_args()
    if args.undo == bool(args.files):
        parser.error("请给出要导入的文件,或使用 --undo")
    engine = open_target(args.url)
    try:
        code = (run_undo(engine, assume_yes=args.yes) if args.undo else
                run_import(engine, args.files, dry_run=args.dry_run, assume_yes=args.yes,
                           complete=args.complete, progress=args.progress))
    except sa.exc.SQLAlchemyError as exc:
        print(f"数据库访问失败:{type(exc).__name__}。请检查数据库地址和服务状态。", file=sys.stderr)
        code = 1
    finally:
        engine.dispose()
    sys.exit(code)


if __name__ == "__main__":
    main()
