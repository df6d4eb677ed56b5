"""The build's second process (pipeline/worker.py): its work runs in order in one other process, writes into
folders of its own, and a document that fails there fails the build with its Chinese message."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from pipeline.documents.generate import plan_documents
from pipeline.documents.pdf import DocumentEngineError
from pipeline.documents.settings import DocumentSettings
from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.web.mkdocs_plugin import _documents_failure
from pipeline.web.site_documents import SiteDocuments, write_documents
from pipeline.worker import Worker
from tests.conftest import DEMO_BUILT_AT, REPO


def _process_and_file(folder: str, name: str) -> int:
    Path(folder, name).write_text(name, encoding="utf-8")
    return os.getpid()


@pytest.fixture
def worker():
    started = Worker(tasks=2)
    yield started
    started.close()


def test_work_runs_in_one_other_process_each_piece_in_a_folder_of_its_own(worker, tmp_path):
    first, second = worker.run(_process_and_file, "a.txt"), worker.run(_process_and_file, "b.txt")
    assert first.folder != second.folder
    assert first.result() == second.result() != os.getpid()
    site = tmp_path / "site"
    site.mkdir()
    first.move_into(site)
    second.move_into(site)
    assert sorted(p.name for p in site.iterdir()) == ["a.txt", "b.txt"]
    assert not first.folder.exists() and not second.folder.exists()


def test_only_a_large_library_gets_a_worker():
    assert Worker.for_library(10, tasks=2) is None
    large = Worker.for_library(2000, tasks=2)
    assert large is not None
    large.close()


@pytest.fixture(scope="module")
def pub():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    assert result.ok
    return publish(result.library, DEMO_BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


def test_a_document_that_fails_in_the_worker_fails_the_build_with_its_message(pub, worker, tmp_path):
    plans = plan_documents(pub, DocumentSettings(), lambda record, name: (REPO / record.folder / name).read_bytes())
    # A template that cannot lay the data out (here: no list of entries) stands for any Typst failure.
    broken = dataclasses.replace(plans[0], main=dataclasses.replace(plans[0].main, items=None))
    staged = worker.run(write_documents, [broken], str(tmp_path / "cache"))
    documents = SiteDocuments(DocumentSettings(), frozenset({broken.url}), {}, staged=staged)
    assert documents.download_block("browse/") == ""  # other pages never wait
    with pytest.raises(DocumentEngineError, match="排版.*cannot loop over none"):
        documents.download_block(broken.url)
    with pytest.raises(PluginError, match="生成月报、榜单等文件失败：排版"):
        with _documents_failure():
            documents.download_block(broken.url)
    documents.discard()
    assert not staged.folder.exists()
