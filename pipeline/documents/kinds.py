"""Which edition kind gets which documents: the one table (kind name → content builders and outputs).

When edition kinds become a registry (`pipeline/model/kinds.py`), each entry moves there; until then a new
kind is one line here. The events kind (专题发布/路演) shares the quarterly release's event fields, so it
takes `release_document` and a press kit: `"events": DocumentKind(release_document, release_document)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pipeline.documents.annual_list import annual_press_release, list_document
from pipeline.documents.bulletin import bulletin_document
from pipeline.documents.content import Document
from pipeline.documents.release import release_document
from pipeline.documents.settings import DocumentSettings
from pipeline.model.editions import Edition
from pipeline.model.publication import Publication

Builder = Callable[[Edition, Publication, DocumentSettings], Document]


@dataclass(frozen=True)
class DocumentKind:
    document: Builder  # the printed document (PDF and Word) linked from the edition page
    press_release: Builder | None = None  # the 新闻通稿 of the press kit; None: no press kit


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "monthly": DocumentKind(bulletin_document),
    "quarterly": DocumentKind(release_document, release_document),
    "annual": DocumentKind(list_document, annual_press_release),
}

