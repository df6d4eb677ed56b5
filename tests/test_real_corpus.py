"""The real-achievement corpus (issue 13, item 11): records written from public reports of real Zhejiang
achievements, kept apart from the fictional demo library in `tests/data/real/`. Every one validates under the
current record format, each names its sources, and the test prints how many needed a field outside "315"."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipeline.model.library import load_library
from tests.factories import REPO, make_repo

REAL = REPO / "tests" / "data" / "real"
FILES = sorted(REAL.glob("*/*.yaml"))


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("real") / "repo")
    for file in FILES:
        shutil.copytree(file.parent, root / "results" / file.parent.name[:4] / file.parent.name)
    return load_library(root, today=date(2026, 11, 30))


def test_there_are_at_least_twenty_real_records_each_with_its_sources():
    assert len(FILES) >= 20
    for file in FILES:
        assert "# 来源：" in file.read_text(encoding="utf-8"), file.name


def test_every_real_record_validates(library):
    errors = [f"{d.file}:{d.line}: {d.message}" for d in library.diagnostics if d.is_error]
    assert errors == []
    assert len(library.library.records) == len(FILES)


def test_how_many_needed_a_field_outside_315(library, capsys):
    vocab = library.library.vocab
    outside = sorted((r.field, r.id, r.title) for r in library.library.records if not vocab.fields[r.field].in_315)
    with capsys.disabled():
        print(f"\n真实成果 {len(FILES)} 条，其中 {len(outside)} 条需要“315”以外的领域：")
        for field, record_id, title in outside:
            print(f"  {field}：{title}（{record_id}）")
    assert all(field in vocab.fields.names for field, _, _ in outside)
