"""Builders for small throwaway libraries: a valid record to mutate, and a repository folder to put it in."""

from __future__ import annotations

import copy
import shutil
from datetime import datetime
from pathlib import Path

import yaml

from pipeline.model.library import load_library
from pipeline.model.records import SHANGHAI
from pipeline.model.publication import Publication, publish
from pipeline.read.sources import record_folder

REPO = Path(__file__).resolve().parents[1]
EXEMPLAR = REPO / "tests" / "data" / "exemplar" / "2025-3kq8m2va.yaml"
EXEMPLAR_IMAGE = REPO / "tests" / "data" / "exemplar" / "module.png"
BUILT_AT = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


def record_data(**overrides) -> dict:
    """A complete, valid record (the exemplar) as plain data, with top-level fields replaced."""
    data = yaml.safe_load(EXEMPLAR.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def make_repo(root: Path) -> Path:
    """An empty library: schema, vocabularies and mkdocs.yml copied from this repository."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "schema", root / "schema", dirs_exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "results").mkdir(exist_ok=True)
    (root / "site").mkdir(exist_ok=True)
    return root


def add_record(root: Path, data: dict | None = None, *, text: str | None = None, image: bool = True,
               record_id: str | None = None) -> Path:
    """Writes results/<year>/<id>/<id>.yaml (from `data`, or raw `text`) plus the exemplar's image."""
    data = record_data() if data is None and text is None else data
    record_id = record_id or (data or {}).get("id") or "2025-3kq8m2va"
    folder = root / record_folder(str(record_id))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    path.write_text(text if text is not None else dump_yaml(data), encoding="utf-8")
    if image:
        shutil.copy(EXEMPLAR_IMAGE, folder / "module.png")
    return path


def add_edition(root: Path, kind: str, key: str, front: dict, body: str = "本期导语。\n") -> Path:
    folder = root / "site" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.md"
    path.write_text("---\n" + dump_yaml(front) + "---\n" + body, encoding="utf-8")
    return path


def new_id(n: int, year: int = 2025) -> str:
    """Deterministic valid ids for tests: 2025-0000000a, 2025-0000000b, …"""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    chars = ""
    for _ in range(8):
        chars = alphabet[n % 32] + chars
        n //= 32
    return f"{year}-{chars}"


def publication_of(root: Path, built_at: datetime = BUILT_AT) -> Publication:
    result = load_library(root, today=built_at.date(), require_dates=True)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return publish(result.library, built_at, "https://zlhcg.example.org/", "浙里好成果")


def make_site_repo(root: Path) -> Path:
    """A buildable library: schema, mkdocs.yml, theme overrides and the hand-written pages, no records yet."""
    make_repo(root)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "site" / "assets", root / "site" / "assets")
    shutil.copytree(REPO / "site" / "submit", root / "site" / "submit", dirs_exist_ok=True)
    shutil.copy(REPO / "site" / "about.md", root / "site" / "about.md")
    return root
