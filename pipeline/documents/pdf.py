"""PDF through Typst (PyPI `typst`: the compiler is in the wheel, no system libraries).

Chosen over WeasyPrint by measurement (see docs/documents.md): about 20× faster on the bulletin, outer-side
page numbers and the 版记 pinned to the last page's foot are one line each, and the output is
byte-identical for the same inputs. The templates in `templates/` read the document as JSON from
`sys.inputs`, so no text is ever spliced into Typst markup (nothing in a record can inject layout code).

Fonts: only Noto Serif CJK SC (Debian `fonts-noto-cjk`), system fonts ignored, so every machine with the
package prints the same bytes; Typst embeds and subsets them.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, time
from functools import cached_property
from importlib import resources
from pathlib import Path

import typst

from pipeline.dates import SHANGHAI
from pipeline.documents.content import Document

FONT_DIRS = ("/usr/share/fonts/opentype/noto",)  # Debian fonts-noto-cjk
FONT_FAMILY = "Noto Serif CJK SC"


class DocumentEngineError(RuntimeError):
    """A document could not be typeset (missing fonts, a template error): said in Chinese."""


def document_json(doc: Document) -> str:
    data = dataclasses.asdict(doc)
    data["date"] = doc.date.isoformat()
    data["date_parts"] = [doc.date.year, doc.date.month, doc.date.day]
    data["date_text"] = doc.date_text
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _timestamp(doc: Document) -> int:
    """The PDF creation date: the edition's publication day (never the clock), 00:00 Beijing time."""
    return int(datetime.combine(doc.date, time(), SHANGHAI).timestamp())


class PdfEngine:
    """One Typst compiler for a whole run: fonts are indexed once, not per document."""

    def __init__(self, font_dirs: tuple[str, ...] = FONT_DIRS):
        self.font_dirs = tuple(d for d in font_dirs if Path(d).is_dir())

    @cached_property
    def _templates(self) -> Path:
        return Path(str(resources.files("pipeline.documents").joinpath("templates")))

    @cached_property
    def _compiler(self) -> typst.Compiler:
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=list(self.font_dirs))
        if FONT_FAMILY not in fonts.families():
            raise DocumentEngineError(f"找不到字体 {FONT_FAMILY}：请安装 Debian 软件包 fonts-noto-cjk"
                                      f"（查找目录：{'、'.join(FONT_DIRS)}）。")
        return typst.Compiler(root=str(self._templates), font_paths=fonts)

    def render(self, doc: Document) -> bytes:
        try:
            return self._compiler.compile(input=str(self._templates / f"{doc.layout}.typ"), format="pdf",
                                          sys_inputs={"data": document_json(doc)}, timestamp=_timestamp(doc))
        except typst.TypstError as exc:
            raise DocumentEngineError(f"排版 {doc.stem}.pdf 失败：{exc.message}") from exc
