"""Open data for editions: every public edition of every registered kind, as `data/editions.json`.

Written from the typed model generically (every dataclass field, dates as ISO strings), so a field added to an
edition's model reaches the open data without touching this module.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

from pipeline.kinds import all_kinds
from pipeline.model.editions import Edition
from pipeline.model.publication import Publication

_LEFT_OUT = {"body", "source"}  # the Markdown body is on the page; the source path is internal


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def edition_json(edition: Edition, pub: Publication) -> dict:
    kind = edition.kind_info
    data = {f.name: _plain(getattr(edition, f.name)) for f in dataclasses.fields(edition) if f.name not in _LEFT_OUT}
    start, end = edition.period
    data.update(url=pub.absolute(edition.url), display_title=edition.display_title, label=kind.label,
                role=kind.role, period={"start": start.isoformat(), "end": end.isoformat()},
                result_urls=[pub.absolute(f"results/{i}/") for i in edition.result_ids])
    data[kind.items] = data.pop("items")
    return data


def editions_json(pub: Publication) -> bytes:
    kinds = [{"kind": k.name, "label": k.label, "role": k.role, "items": k.items,
              "editions": [edition_json(e, pub) for e in sorted(pub.of_kind(k.name), key=lambda e: e.key)]}
             for k in all_kinds()]
    lines = ",\n".join(json.dumps(k, ensure_ascii=False, sort_keys=True) for k in kinds)
    return ('{"kinds": [\n' + lines + "\n]}\n").encode("utf-8")
