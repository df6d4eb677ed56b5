"""Cell values ⇄ record values, one column kind at a time.

Reading is forgiving where the intent is certain and strict where it is not: full-width digits and letters in
identifiers are normalised (NFKC), an identifier Excel stored as a number is recovered when every digit is
still there and refused when Excel has already rounded it (it keeps 15 significant digits), dates come as date
cells, serial numbers or text such as 2024/3/5 or 2024年3月5日.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator

from pipeline.submit.list_markers import strip_list_marker
from pipeline.submit.workbook_layout import Column, Sheet, WorkbookLayout

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's phantom 29 Feb 1900 is before any real date)
EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits; a larger number has lost its last ones
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓", "✔", "对"}
FALSE_WORDS = {"否", "false", "no", "n", "0", "×", "✗"}
_SPACES = " \t\r\n\u3000\u00a0\ufeff"
_DATE_TEXT = re.compile(r"(?P<y>(19|20)[0-9]{2})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(?P<y>(19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})")
_LOCAL_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}(:[0-9]{2})?)")


@dataclass(frozen=True)
class CellProblem(Exception):
    message: str
    hint: str


def clean_text(raw: str) -> str:
    """Line breaks unified (Excel may keep `_x000D_` or CR), outer spaces (also full-width) removed."""
    text = raw.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip(_SPACES)


def _number_text(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _identifier(raw: Any) -> str:
    if isinstance(raw, bool):
        raise CellProblem("这里应填写编号或代码，不是“是/否”。", "请重新输入。")
    if isinstance(raw, (int, float)):
        if abs(raw) >= EXACT_DIGITS:
            raise CellProblem(f"编号被 Excel 存成了数字并已四舍五入（现为 {raw:.6g}），末几位已经丢失。",
                              "先把这一列的单元格格式设为“文本”，再重新输入完整的编号（或在编号前加英文单引号 '）。")
        return _number_text(raw)
    return unicodedata.normalize("NFKC", clean_text(str(raw)))


def _date(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, bool):
        raise CellProblem("这里应填写日期。", "格式 YYYY-MM-DD，如 2025-03-18。")
    if isinstance(raw, (int, float)):
        if 1 <= raw < 2958466:
            return (EXCEL_EPOCH + timedelta(days=int(raw))).isoformat()
        raise CellProblem(f"“{raw}”不是日期。", "格式 YYYY-MM-DD，如 2025-03-18。")
    text = unicodedata.normalize("NFKC", clean_text(str(raw)))
    match = _DATE_TEXT.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
        except ValueError:
            raise CellProblem(f"“{text}”不是有效的日期。", "请核对月份和日期。") from None
    return text  # left for the schema to explain against this cell


def _datetime(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"  # cells carry no zone: Beijing time, as the prompt says
    text = unicodedata.normalize("NFKC", clean_text(str(raw)))
    match = _LOCAL_DATETIME.fullmatch(text)
    return f"{match[1]}T{match[2]}+08:00" if match else text


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellProblem("这里应填写整数。", "只填阿拉伯数字。")
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        return int(raw)
    text = unicodedata.normalize("NFKC", clean_text(str(raw)))
    if re.fullmatch(r"[0-9]{1,9}", text):
        return int(text)
    raise CellProblem(f"“{text[:20]}”不是整数。", "只填阿拉伯数字，不要加单位、小数点或文字。")


def _number(raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise CellProblem("这里应填写数字。", "只填阿拉伯数字（可带小数点）。")
    if isinstance(raw, (int, float)):
        return int(raw) if float(raw).is_integer() else float(raw)
    text = unicodedata.normalize("NFKC", clean_text(str(raw))).replace(",", "")
    if re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,10})?", text):
        return _number(float(text))
    raise CellProblem(f"“{text[:20]}”不是数字。", "只填阿拉伯数字（可带小数点），单位写在“单位”一列，不要加逗号。")


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = unicodedata.normalize("NFKC", clean_text(str(raw))).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellProblem(f"“{text[:20]}”不是“是”或“否”。", "请从下拉列表中选择“是”或“否”。")


def _option(raw: Any, column: Column) -> str:
    text = clean_text(_text_of(raw))
    if text in column.options:
        return text
    folded = unicodedata.normalize("NFKC", text).casefold()
    return next((o for o in column.options if unicodedata.normalize("NFKC", o).casefold() == folded), text)


def _text_of(raw: Any) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == time() else raw.isoformat(sep=" ")
    return str(raw)


def _text(raw: Any) -> str:
    """A multi-line text is a block in the record file, which ends with a line break."""
    text = clean_text(_text_of(raw))
    return text + "\n" if "\n" in text else text


def _lines(raw: Any) -> list[str]:
    lines = (strip_list_marker(clean_text(line)) for line in clean_text(_text_of(raw)).split("\n"))
    return [line for line in lines if line]


_READERS = {"identifier": _identifier, "date": _date, "datetime": _datetime, "integer": _integer,
            "number": _number, "boolean": _boolean, "text": _text, "lines": _lines}


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not clean_text(raw))


def read_value(column: Column, raw: Any) -> Any:
    """The record value of a non-empty cell; raises CellProblem when the cell cannot mean anything valid."""
    if column.kind in ("enum", "enum-item"):
        return _option(raw, column)
    return _READERS[column.kind](raw)


# --- export ---------------------------------------------------------------------------------------------------

def _get(data: Any, path: tuple) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def cell_value(column: Column, item: dict) -> Any:
    value = _get(item, column.path)
    if value is None:
        return None
    if column.kind == "enum-item":
        return value[column.item] if isinstance(value, list) and column.item < len(value) else None
    if column.kind == "lines":
        return "\n".join(value) if value else None
    if column.kind == "boolean":
        return "是" if value else "否"
    if isinstance(value, str):
        return value.removesuffix("\n")
    return value


def _row(sheet: Sheet, item: dict) -> list[Any]:
    return [cell_value(column, item) for column in sheet.columns]


def export_cells(layout: WorkbookLayout, record: dict) -> Iterator[tuple[str, list[Any]]]:
    """(sheet name, row values) for every row one record fills: its 成果 row, then one row per list item."""
    yield layout.main.name, _row(layout.main, record)
    for sheet in layout.sheets[1:]:
        for item in _get(record, sheet.path) or ():
            yield sheet.name, _row(sheet, item)
