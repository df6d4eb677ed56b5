"""The search index is built in a worker process for large libraries: the records must cross to it intact."""

from __future__ import annotations

import pickle

import pytest

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.search import job
from tests.conftest import DEMO_BUILT_AT, REPO


@pytest.fixture(scope="module")
def pub():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    assert result.ok
    return publish(result.library, DEMO_BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


def test_records_pickle_with_their_data_read_only(pub):
    record = pub.records[0]
    again = pickle.loads(pickle.dumps(record))
    assert again == record and dict(again.data) == dict(record.data)
    with pytest.raises(TypeError):
        again.data["title"] = "改过的名称"


def test_the_worker_process_builds_the_same_index_as_the_build_process(pub, monkeypatch):
    in_process = job.SearchJob.start(pub).result()
    monkeypatch.setattr(job, "IN_BACKGROUND_FROM", 1)
    in_worker = job.SearchJob.start(pub)
    assert in_worker._pool is not None  # really a second process
    assert in_worker.result() == in_process
