"""Files people download: CSV that Excel opens with Chinese intact, and .xlsx — every one of
them written here.

Text from the database is untrusted: a cell that a spreadsheet would read as a formula (it
begins with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP's CSV
injection guidance says, in CSV and Excel alike, and Excel cells are written as values (text as
text, numbers as numbers, dates as dates), never as formulas. Excel columns are as wide as
their content (up to a limit, long text wrapping), the header row is bold and stays in view.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ui.format import EXCEL_COUNT_FORMAT, EXCEL_MONEY_FORMAT, is_money

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60  # characters; longer text wraps
DATE_FORMAT, DATETIME_FORMAT, PERCENT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="E7ECF2")


def neutralise(value: object) -> object:
    """A text a spreadsheet would read as a formula, made plain text; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain_frame(table: pd.DataFrame) -> pd.DataFrame:
    return table.map(neutralise) if len(table) else table


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, so Excel reads the Chinese; formulas neutralised."""
    return _plain_frame(table).to_csv(index=False).encode("utf-8-sig")


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return neutralise(value) if isinstance(value, str) else value


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_sheet(book: Workbook, name: str, table: pd.DataFrame,
                 percent_columns: tuple[str, ...]) -> None:
    sheet = book.create_sheet(name[:31])
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    widths = [display_width(str(c)) for c in table.columns]
    for row in table.itertuples(index=False):
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            if value is not None:
                widths[i] = max(widths[i], display_width(str(value)))
    for i, (column, width) in enumerate(zip(table.columns, widths), start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), MAX_COLUMN_WIDTH)
        for cell in sheet[letter][1:]:
            if column in percent_columns:
                cell.number_format = PERCENT_FORMAT
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = (EXCEL_MONEY_FORMAT if is_money(column)
                                      else EXCEL_COUNT_FORMAT if isinstance(cell.value, int)
                                      else cell.number_format)
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif width + 2 > MAX_COLUMN_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even where it looks like a number or formula
    sheet.freeze_panes = "A2"


def excel_book(sheets: dict[str, pd.DataFrame], *,
               percent_columns: tuple[str, ...] = ()) -> bytes:
    """An .xlsx workbook with one sheet per table, in order (sheet names at most 31
    characters, as Excel allows); `percent_columns` hold fractions shown as 12.3%."""
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        _write_sheet(book, name, table, percent_columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def excel_bytes(table: pd.DataFrame, *, sheet: str = "数据") -> bytes:
    """An .xlsx workbook with one sheet."""
    return excel_book({sheet: table})
