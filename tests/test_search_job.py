"""The search index is built in the build's worker process for large libraries: the records must cross to it
intact, and the index must be the same."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.search import job
from pipeline.search.index import build_search_index
from pipeline.worker import Worker
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


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def worker():
    started = Worker(tasks=1)
    yield started
    started.close()


def test_the_worker_process_writes_the_same_index_as_the_build_process(pub, worker, tmp_path):
    expected = build_search_index(pub)
    inline = job.SearchJob.start(pub)
    assert inline._staged is None  # made here, when the site is written
    assert inline.write_into(tmp_path / "inline") == list(expected)
    assert _tree(tmp_path / "inline") == expected
    in_worker = job.SearchJob.start(pub, worker)
    staging = in_worker._staged.folder
    assert in_worker.write_into(tmp_path / "worker") == list(expected)
    assert _tree(tmp_path / "worker") == expected
    assert not staging.exists()  # the worker's folder is gone once its files are in the site


def test_the_index_joins_the_search_page_already_in_the_site(pub, worker, tmp_path):
    """The site has search/index.html (the search page) before the index arrives: both end up there."""
    page = tmp_path / "site" / "search" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<h1>搜索</h1>", encoding="utf-8")
    job.SearchJob.start(pub, worker).write_into(tmp_path / "site")
    assert _tree(tmp_path / "site") == {"search/index.html": "<h1>搜索</h1>".encode(), **build_search_index(pub)}


def test_a_failed_build_leaves_no_worker_folder_behind(pub, worker):
    in_worker = job.SearchJob.start(pub, worker)
    staging = in_worker._staged.folder
    in_worker.discard()
    assert not staging.exists()


def test_index_files_are_handed_over_one_by_one_as_they_are_made(pub):
    """The worker never holds the whole index: each file goes to the writer once, as soon as it is made (the
    snippets first, while the records are read; the manifest, which needs every version, last)."""
    from pipeline.search.index import category_slugs, write_index_records
    from pipeline.search.text import search_source

    handed: list[str] = []
    write_index_records([search_source(r) for r in pub.records], category_slugs(pub),
                        lambda path, content: handed.append(path))
    assert sorted(handed) == list(build_search_index(pub)) and len(set(handed)) == len(handed)
    assert handed[0] == "search/t/0.json" and handed[-1] == "search/manifest.json"
