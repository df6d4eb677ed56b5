"""Open data cannot silently drop a field (issue 12, section 5): for every demo record, its entry in
`data/results.json` equals the source file as the schema describes it (values typed by the schema), plus the
derived fields `exports.py` lists, nothing else."""

from __future__ import annotations

import json

import pytest

from pipeline.check.typing import typed_document
from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.read.sources import Layout, find_record_sources, read_record
from pipeline.render.exports import DERIVED_FIELDS, DERIVED_ITEM_FIELDS, DISPLAY_FIELDS, export_files, file_chunks
from tests.factories import BUILT_AT, REPO


@pytest.fixture(scope="module")
def exported():
    result = load_library(REPO, today=BUILT_AT.date())
    assert result.ok
    pub = publish(result.library, BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")
    data = json.loads(b"".join(file_chunks(export_files(pub)["data/results.json"])))
    return pub, {entry["id"]: entry for entry in data["results"]}


def _without_derived(entry: dict) -> dict:
    out = {k: v for k, v in entry.items() if k not in DERIVED_FIELDS}
    for *parents, name in DERIVED_ITEM_FIELDS:
        items = out
        for part in parents:
            items = items.get(part, {}) if isinstance(items, dict) else {}
        for item in items if isinstance(items, list) else []:
            item.pop(name)
    return out


def test_every_public_record_round_trips(exported):
    pub, entries = exported
    layout = Layout(REPO)
    sources, _ = find_record_sources(layout)
    public = {r.id for r in pub.records}
    checked = 0
    for source in sources:
        doc, _ = typed_document(pub.schemas, "result", read_record(source))
        if doc.data["id"] not in public:
            continue
        entry = _without_derived(json.loads(json.dumps(entries[doc.data["id"]])))
        expected = dict(doc.data)
        for name in DISPLAY_FIELDS:
            entry.pop(name)
            expected.pop(name)
        expected.pop("entered", None)  # derived: the export states the resolved entry time (file, else git)
        assert entry == expected, doc.file
        checked += 1
    assert checked == len(public) > 30


def test_every_entry_carries_the_format_version_and_the_derived_fields(exported):
    pub, entries = exported
    for entry in entries.values():
        assert entry["schema_version"] == "2.0" and entry["url"].startswith("https://zlhcg.example.org/results/")
        assert isinstance(entry["in_315"], bool)


def test_a_field_the_model_was_not_taught_fails_loudly():
    from pipeline.model.records import Achievement

    with pytest.raises(ValueError, match="does not know"):
        Achievement.from_data({"brand_new_field": 1}, "x.yaml")


def test_the_field_reference_has_the_change_log_of_format_versions(exported):
    from pipeline.render.page_site import render_field_reference

    pub, _ = exported
    page = render_field_reference(pub).html
    assert 'id="changelog"' in page and "2.0 版" in page and "1.0 版" in page and "zlhcg migrate" in page
    assert page.index("2.0 版") < page.index("1.0 版")  # newest first
