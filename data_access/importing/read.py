"""Reading the bureau's files: Excel workbooks (.xlsx, .xls) and CSV in UTF-8, UTF-8 with a
byte-order mark, or GB18030/GBK (the encoding is detected and reported, never guessed in
silence). A file becomes a list of `RawSheet`s: the header row and the rows under it, each
with its row number as Excel shows it."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from python_calamine import CalamineError, CalamineWorkbook

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")
MAX_FILE_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 5  # a title line or two may stand above the header row


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is Chinese."""


@dataclass
class RawSheet:
    file: str
    sheet: str  # the sheet's name; for a CSV file, the file's name without its suffix
    headers: list[str]
    header_row: int  # 1-based row number of the header row
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number, cells)


@dataclass(frozen=True)
class SourceFile:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ReadFile:
    source: SourceFile
    sheets: list[RawSheet]
    encoding: str | None = None  # CSV only: "UTF-8", "UTF-8(带BOM)" or "GB18030"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: object) -> str:
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(file: str, sheet: str, table: list[list[object]]) -> RawSheet | None:
    """The header row (the first row, among the first few, with at least two filled cells) and
    the non-empty rows below it; None for an empty sheet."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if sum(not _is_blank(v) for v in row) >= 2:
            headers = [_header_text(v) for v in row]
            body = [(number, list(cells)) for number, cells in enumerate(table[index + 1:],
                                                                         start=index + 2)
                    if any(not _is_blank(v) for v in cells)]
            return RawSheet(file, sheet, headers, index + 1, body)
    return None


def read_excel(source: SourceFile) -> list[RawSheet]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(source.data))
        sheets = []
        for name in book.sheet_names:
            table = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            raw = _split(source.name, name, table)
            if raw is not None:
                sheets.append(raw)
        return sheets
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableFile(f"不是有效的 Excel 文件,无法读取({type(exc).__name__})") from None


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 with a byte-order mark,
    plain UTF-8, or else GB18030 (a superset of GBK and GB2312, what Chinese Excel writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8(带BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise UnreadableFile("文件编码无法识别(应为 UTF-8 或 GBK/GB18030)") from None


def read_csv(source: SourceFile) -> tuple[list[RawSheet], str]:
    text, encoding = decode_csv(source.data)
    if "\x00" in text:
        raise UnreadableFile("不是文本格式的 CSV 文件")
    try:
        table = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UnreadableFile(f"不是有效的 CSV 文件:{exc}") from None
    raw = _split(source.name, PurePath(source.name).stem, table)
    return ([raw] if raw else []), encoding


def read_file(source: SourceFile) -> ReadFile:
    """Every sheet of one file. Raises UnreadableFile with a Chinese reason."""
    if len(source.data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB,请拆分后导入")
    if not source.data:
        raise UnreadableFile("文件是空的")
    suffix = PurePath(source.name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return ReadFile(source, read_excel(source))
    if suffix in CSV_SUFFIXES:
        sheets, encoding = read_csv(source)
        return ReadFile(source, sheets, encoding)
    raise UnreadableFile("只能导入 Excel(.xlsx/.xls)或 CSV 文件")


def iter_cells(sheet: RawSheet) -> Iterator[tuple[int, dict[str, object]]]:
    """Each row as {header: cell}, with its row number; cells beyond the headers are dropped
    (a header left empty names no column)."""
    for number, cells in sheet.rows:
        yield number, {h: cells[i] if i < len(cells) else None
                       for i, h in enumerate(sheet.headers) if h}
