"""The house sheet: its columns, reading it from .xlsx/.csv, and writing it back out."""
import csv
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from app.web.refusals import Refusal
from app.web.spreadsheets import csv_bytes, read_csv_cell, xlsx

# (key, Chinese header, required); a header row may use either name.
COLUMNS = [
    ("grid", "网格编号", True),
    ("grid_name", "网格名称", False),
    ("unit", "楼栋编号", True),
    ("unit_name", "楼栋名称", False),
    ("door", "门牌号", True),
    ("address", "地址", True),
    ("head_name", "户主姓名", False),
    ("head_phone", "户主电话", False),
]
LABELS = {key: f"{label} ({key})" for key, label, _ in COLUMNS}
MAX_ROWS = 50_000
# A row whose address starts with this is an example: the template's own row, which an import skips.
EXAMPLE_MARK = "【示例】"


@dataclass
class RawRow:
    number: int          # the row number a person sees in Excel (header is row 1)
    values: dict


def read_sheet(filename: str, data: bytes) -> list[RawRow]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise Refusal("upload an .xlsx or .csv file.", "file", zh="请上传 .xlsx 或 .csv 文件。")
    try:
        header = next(rows)
    except StopIteration:
        raise Refusal("the sheet is empty.", "file", zh="表格是空的。") from None
    keys = _header_keys(header)
    result: list[RawRow] = []
    for number, cells in enumerate(rows, start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if len(result) >= MAX_ROWS:
            raise Refusal(f"more than {MAX_ROWS} rows; split the sheet by grid.", "file",
                          zh=f"超过 {MAX_ROWS} 行，请按网格分成几张表。")
        values = {key: cells[i] if i < len(cells) else None for i, key in keys.items()}
        result.append(RawRow(number, values))
    return result


def _header_keys(header) -> dict[int, str]:
    by_name = {}
    for key, label, _ in COLUMNS:
        by_name[key] = key
        by_name[label] = key
    keys = {i: by_name[str(h).strip()] for i, h in enumerate(header) if h and str(h).strip() in by_name}
    missing = [LABELS[k] for k, _, required in COLUMNS if required and k not in keys.values()]
    if missing:
        raise Refusal(f"row 1 lacks the column(s) {', '.join(missing)}.", "file",
                      zh=f"第 1 行缺少列：{'、'.join(missing)}。")
    return keys


def _xlsx_rows(data: bytes):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise Refusal(f"not a readable .xlsx file ({type(exc).__name__}).", "file",
                      zh="无法读取该 .xlsx 文件，可能已损坏。") from None
    for row in book.worksheets[0].iter_rows(values_only=True):
        yield list(row)


def _csv_rows(data: bytes):
    # Excel in China saves CSV as GB18030 unless told otherwise; UTF-8 (with BOM) is tried first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refusal("the CSV is neither UTF-8 nor GB18030 text.", "file",
                      zh="CSV 文件的编码既不是 UTF-8 也不是 GB18030。")
    for row in csv.reader(io.StringIO(text)):
        yield [read_csv_cell(cell) for cell in row]


def example_row(community_name: str) -> dict:
    """The template's example row: marked as an example, so the template uploaded unedited changes nothing."""
    return {"grid": 1, "grid_name": "第一网格", "unit": 3, "unit_name": "3号楼", "door": "402",
            "address": f"{EXAMPLE_MARK}{community_name}3号楼402室（本行是示例，导入时跳过）",
            "head_name": "张三", "head_phone": "13800138000"}


def write_sheet(rows: list[dict], fmt: str) -> bytes:
    """The sheet with a Chinese header row; rows are dicts keyed by column key."""
    header = [label for _, label, _ in COLUMNS]
    lines = [[row.get(key) for key, _, _ in COLUMNS] for row in rows]
    if fmt == "csv":
        return csv_bytes([header, *lines])
    return xlsx({"houses": [header, *lines]})
