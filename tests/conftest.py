from __future__ import annotations

import pytest

from tests.factories import make_repo


@pytest.fixture
def repo(tmp_path):
    """An empty library in a temporary folder, with this repository's schema and vocabularies."""
    return make_repo(tmp_path / "repo")


import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pipeline.web.build import build_site
from pipeline.model.records import SHANGHAI

REPO = Path(__file__).resolve().parents[1]
# The demo site is built "as of" this moment: after the demo library's last entry, before its embargo lifts.
DEMO_BUILT_AT = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


@contextmanager
def source_date(moment: datetime):
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def build_demo(out: Path, moment: datetime = DEMO_BUILT_AT) -> Path:
    with source_date(moment):
        return build_site(REPO, out, progress=lambda _: None)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The repository's demo library built once for the whole test session."""
    return build_demo(tmp_path_factory.mktemp("demo") / "site")
