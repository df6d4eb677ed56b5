from __future__ import annotations

import pytest

from tests.factories import make_repo


@pytest.fixture
def repo(tmp_path):
    """An empty library in a temporary folder, with this repository's schema and vocabularies."""
    return make_repo(tmp_path / "repo")
