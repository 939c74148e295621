"""Documents generated from code stay in step with it."""

from pathlib import Path

from data_access.describe import describe
from data_access.schema import ACCESS_TABLES, LOG_TABLES, ROLLUP_TABLES, TABLES_IN_LOAD_ORDER

ROOT = Path(__file__).resolve().parent.parent


def test_data_model_doc_matches_schema():
    shipped = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert shipped == describe(), "docs/data-model.md is stale: run `make docs`"


def test_every_table_and_column_has_a_chinese_comment():
    for table in (*TABLES_IN_LOAD_ORDER, *LOG_TABLES, *ROLLUP_TABLES, *ACCESS_TABLES):
        assert table.comment, table.name
        for column in table.columns:
            assert column.comment, f"{table.name}.{column.name}"
