"""Markdown and CSV tables for the coordinating office's reports (ledger, collection).

Cells may hold text that came from pull requests, so both writers neutralise what could act on the reader:
Markdown table syntax and inline HTML in the Markdown, spreadsheet formulas in the CSV.
"""

from __future__ import annotations

import csv
import io
from typing import Sequence

Cell = str | int | float | None
EMPTY = "—"


def cell_text(value: Cell) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _markdown_cell(value: Cell) -> str:
    text = cell_text(value).replace("\n", " ").replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _csv_cell(value: Cell) -> str:
    text = "" if value is None else cell_text(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text  # spreadsheet formula injection
    return text


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """UTF-8 CSV with a byte-order mark, which Excel needs to read Chinese; CRLF line ends as RFC 4180 says."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()
