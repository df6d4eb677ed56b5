"""The collection statistics page appears when the GitHub export is present, with counts only."""

from __future__ import annotations

import base64
import json
import shutil

import yaml

from pipeline.web.build import build_site
from tests.conftest import DEMO_BUILT_AT, REPO, source_date
from tests.factories import add_record, make_site_repo, record_data

EXPORT = REPO / "tests" / "data" / "github" / "export.json"


def pending_titles() -> list[str]:
    titles = []
    for pull in json.loads(EXPORT.read_text(encoding="utf-8"))["pulls"]:
        if pull["state"] == "open":
            for entry in (pull.get("contents") or {}).values():
                data = yaml.safe_load(base64.b64decode(entry["content"]).decode("utf-8"))
                if isinstance(data, dict) and data.get("title"):
                    titles.append(data["title"])
    return titles


def test_collection_page_only_with_an_export(tmp_path):
    repo = make_site_repo(tmp_path / "repo")
    add_record(repo, record_data())
    with source_date(DEMO_BUILT_AT):
        without = build_site(repo, tmp_path / "without", progress=lambda _: None)
        assert not (without / "stats" / "collection").exists()
        (repo / ".github" / "data").mkdir(parents=True)
        shutil.copy(EXPORT, repo / ".github" / "data" / "github-export.json")
        site = build_site(repo, tmp_path / "with", progress=lambda _: None)
    page = (site / "stats" / "collection" / "index.html").read_text(encoding="utf-8")
    assert "统计截至" in page and "<table" in page
    titles = pending_titles()
    assert titles, "the fixture has pending submissions with titles"
    assert not [t for t in titles if t in page]
    assert 'href="collection/"' in (site / "stats" / "index.html").read_text(encoding="utf-8") or \
        "stats/collection/" in (site / "stats" / "index.html").read_text(encoding="utf-8")
