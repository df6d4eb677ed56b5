"""Which editions get which documents: one table keyed by the registry's `shape` (pipeline/kinds.yaml).

Every kind of a shape gets that shape's documents: the events kind (专题发布与路演) is a `release` like the
quarterly release, so it gets a 新闻通稿 and a press kit with no entry of its own. A new shape needs one line.
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


DOCUMENT_SHAPES: dict[str, DocumentKind] = {
    "monthly-report": DocumentKind(bulletin_document),
    "release": DocumentKind(release_document, release_document),
    "list": DocumentKind(list_document, annual_press_release),
}


def document_kind(edition: Edition) -> DocumentKind | None:
    """What the edition's kind gets, through its shape; None for a shape without documents."""
    return DOCUMENT_SHAPES.get(edition.kind_info.shape)

