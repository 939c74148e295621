"""Files people download: CSV that Excel opens with Chinese intact, and .xlsx."""

from __future__ import annotations

import io

import pandas as pd

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, so Excel reads the Chinese."""
    return table.to_csv(index=False).encode("utf-8-sig")


def excel_bytes(table: pd.DataFrame, *, sheet: str = "数据") -> bytes:
    """An .xlsx workbook with one sheet (Excel allows 31 characters in a sheet name)."""
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
