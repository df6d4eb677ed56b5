"""The edition-kind registry: a throwaway kind, registered in a test, reaches every output that enumerates kinds.

If a consumer still names kinds by hand (a list of folders, a ladder of types), the throwaway kind is missing
from that output and this test says which.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from pipeline import kinds as registry
from pipeline.dates import SHANGHAI
from pipeline.kinds import KEY_FORMATS, EditionKind, FeedText, KindsError, kind_of, parse_kinds
from pipeline.model.library import load_library
from pipeline.read.history import read_histories, tracked_prefixes
from pipeline.web.build import build_site
from tests.conftest import source_date
from tests.factories import EXEMPLAR, EXEMPLAR_IMAGE, dump_yaml, make_site_repo, record_data
from tests.gitrepo import GitRepo

RECORD = "2025-3kq8m2va"
SHOWCASE = EditionKind(
    name="showcase", folder="showcase", key=KEY_FORMATS["year"], label="成果展示周", noun="成果展示周",
    schema="showcase", shape="list", items="entries", role="listed", role_label="入选成果展示周",
    calendar=False, order=40, description="试验用的发布类型：每年一次的成果展示周。",
    feed=FeedText("feeds/showcase", "成果展示周", "浙里好成果 · 成果展示周", "成果展示周每项成果一条。本订阅源收录：{lists}。"),
    title_format="{year}年成果展示周",
)
BUILT = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def throwaway():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "KINDS", (*registry.KINDS, SHOWCASE))
        yield SHOWCASE


def _showcase_schema() -> str:
    schema = yaml.safe_load((Path(EXEMPLAR).parents[3] / "schema" / "annual.schema.yaml").read_text(encoding="utf-8"))
    schema["$id"] = schema["$id"].replace("annual-", "showcase-")
    schema["title"] = "成果展示周"
    return dump_yaml(schema)


def _front(published: str, citation: str) -> str:
    return "---\n" + dump_yaml({"published": published, "entries": [{"result": RECORD, "citation": citation}]}) \
        + "---\n成果展示周导语。\n"


@pytest.fixture(scope="module")
def site(throwaway, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("kinds")
    root = make_site_repo(base / "repo")
    repo = GitRepo.init(root)
    repo.write(f"results/{RECORD[:4]}/{RECORD}/{RECORD}.yaml", dump_yaml(record_data(entered=None)))
    repo.copy_in(EXEMPLAR_IMAGE, f"results/{RECORD[:4]}/{RECORD}/module.png")
    repo.write("schema/showcase.schema.yaml", _showcase_schema())
    repo.commit("A record and the showcase schema", "2025-03-05T10:00:00+08:00")
    repo.write("site/showcase/2025.md", _front("2025-12-20", "展示周上广受关注的成果。"))
    repo.write("site/showcase/2027.md", _front("2027-01-10", "尚未公开的下一届展示周推荐理由"))
    repo.commit("Showcase editions", "2025-12-20T10:00:00+08:00")
    with source_date(BUILT):
        return build_site(root, base / "site", progress=lambda _: None)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_throwaway_kind_is_loaded_validated_and_dated(throwaway, site):
    root = site.parent / "repo"
    assert "site/showcase/" in tracked_prefixes()
    assert "site/showcase/2025.md" in read_histories(root)
    result = load_library(root, today=BUILT.date(), history=read_histories(root), require_dates=True)
    assert result.ok
    assert [e.key for e in result.library.editions if e.kind == "showcase"] == ["2025", "2027"]
    (root / "site/showcase/20x5.md").write_text("---\n---\n", encoding="utf-8")
    try:
        found = load_library(root, today=BUILT.date()).diagnostics
    finally:
        (root / "site/showcase/20x5.md").unlink()
    assert any(d.rule == "edition.filename" and "2025.md" in d.message and "site/showcase/" in d.hint for d in found)


def test_every_output_carries_the_throwaway_kind(site):
    page = read(site, "showcase/2025/index.html")
    assert "2025年成果展示周" in page and "展示周上广受关注的成果。" in page
    assert "2025年成果展示周" in read(site, "showcase/index.html")
    record = read(site, f"results/{RECORD}/index.html")
    assert "成果展示周</span>" in record and "showcase/2025/" in record  # the record's timeline
    stats = read(site, "stats/index.html")
    assert "入选成果展示周" in stats  # a statistics column
    assert "浙里好成果 · 成果展示周" in read(site, "feeds/showcase.rss.xml")
    assert "<entry>" in read(site, "feeds/showcase.atom.xml")
    assert "feeds/showcase.rss.xml" in read(site, "feeds/feeds.opml")
    editions = json.loads(read(site, "data/editions.json"))
    assert [k["kind"] for k in editions["kinds"]][-1] == "showcase"
    assert (site / "schema/showcase-1.0.0.json").is_file() and "showcase-1.0.0.json" in read(site, "data/index.html")
    assert "/showcase/2025/" in read(site, "sitemap.xml")
    nav = read(site, "index.html")
    assert re.search(r'href="showcase/"[^>]*>\s*成果展示周', nav), "the kind's section is not in the navigation"
    assert "成果展示周" in read(site, "subscribe/index.html")


def test_the_embargoed_edition_of_the_throwaway_kind_is_nowhere(site):
    assert not (site / "showcase/2027").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".ics", ".opml", ".txt", ".csv"}:
            assert "尚未公开的下一届展示周" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_registry_mistakes_are_reported_in_chinese():
    shipped = (Path(registry.__file__).with_name("kinds.yaml")).read_text(encoding="utf-8")
    assert [k.name for k in parse_kinds(shipped)] == ["monthly", "quarterly", "events", "annual"]
    for broken in (shipped.replace("key: month", "key: fortnight"), shipped.replace("shape: list", "shape: table"),
                   shipped.replace("folder: events", "folder: quarterly"), shipped.replace("  noun: 月报\n", "")):
        with pytest.raises(KindsError, match="pipeline/kinds.yaml"):
            parse_kinds(broken)


def test_key_formats_give_the_period_an_edition_honours():
    assert kind_of("monthly").key.period("2025-02") == (datetime(2025, 2, 1).date(), datetime(2025, 2, 28).date())
    assert kind_of("quarterly").key.period("2024-Q4") == (datetime(2024, 10, 1).date(), datetime(2024, 12, 31).date())
    assert kind_of("annual").key.period("2025") == (datetime(2025, 1, 1).date(), datetime(2025, 12, 31).date())
    day = datetime(2026, 5, 18).date()
    assert kind_of("events").key.period("2026-05-18-low-altitude") == (day, day)
    assert kind_of("events").file_pattern.fullmatch("2026-05-18-low-altitude.md")
    assert not kind_of("events").file_pattern.fullmatch("2026-05-18-Low_Altitude.md")
    assert dataclasses.replace(SHOWCASE).url("2025") == "showcase/2025/"
