"""The open data is made as it is written (issue 18): results.json and results.csv come a record at a time, and
once they are written a build drops each record as read (`Achievement.forget_data`) — which the pages never
read."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.render.exports import export_files, file_chunks, results_csv_chunks, results_json_chunks
from pipeline.render.page_browse import unit_page_keys
from pipeline.model.views import browse_facets
from pipeline.render.page_records import render_record, render_tombstone
from tests.factories import BUILT_AT, REPO


def _publication():
    result = load_library(REPO, today=BUILT_AT.date())
    assert result.ok
    return publish(result.library, BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


@pytest.fixture(scope="module")
def pub():
    return _publication()


def test_results_json_comes_one_record_a_chunk_and_reads_as_one_document(pub):
    chunks = list(results_json_chunks(pub))
    assert len(chunks) == len(pub.records) + 2  # the head, a record each, the close
    whole = json.loads(b"".join(chunks))
    assert whole["count"] == len(pub.records) == len(whole["results"])
    assert [json.loads(c.lstrip(b",\n"))["id"] for c in chunks[1:-1]] == sorted(r.id for r in pub.records)
    assert b"".join(chunks).count(b"\n") == len(pub.records) + 2  # still one record a line


def test_results_csv_comes_one_record_a_chunk_with_its_header_first(pub):
    chunks = list(results_csv_chunks(pub))
    assert len(chunks) == len(pub.records) + 1 and chunks[0].startswith("\ufeff成果编号,".encode("utf-8"))
    rows = [next(csv.reader(io.StringIO(chunk.decode("utf-8-sig")))) for chunk in chunks]  # one whole row each
    assert rows[0][0] == "成果编号" and [row[0] for row in rows[1:]] == sorted(r.id for r in pub.records)


def test_an_empty_library_still_gives_valid_files(pub):
    empty = dataclasses.replace(pub, records=())
    files = export_files(empty)
    assert json.loads(b"".join(file_chunks(files["data/results.json"])))["results"] == []
    assert b"".join(file_chunks(files["data/results.csv"])).decode("utf-8-sig").count("\r\n") == 1  # the header alone


def test_pages_do_not_read_the_record_as_read():
    """What a build does once the open data is written: every record page is the same without it."""
    pub = _publication()
    unit_pages = unit_page_keys(browse_facets(pub)["unit"])
    pages = lambda: ({r.id: render_record(r, pub, unit_pages).html for r in pub.records}
                     | {r.id: render_tombstone(r).html for r in pub.tombstones})
    before = pages()
    assert pub.tombstones and all(r.data for r in (*pub.records, *pub.tombstones))
    for record in (*pub.records, *pub.tombstones):
        record.forget_data()
    assert not any(r.data for r in (*pub.records, *pub.tombstones))
    assert pages() == before
