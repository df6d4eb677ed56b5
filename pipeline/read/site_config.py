"""The few settings the pipeline reads from `mkdocs.yml` (the site's address and name)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class SiteConfig:
    site_url: str  # always ends with "/"
    site_name: str
    site_description: str
    site_dir: str
    docs_dir: str


def read_site_config(root: Path) -> SiteConfig:
    data = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    url = str(data.get("site_url") or "https://zlhcg.example.org/")
    return SiteConfig(
        site_url=url if url.endswith("/") else url + "/",
        site_name=str(data.get("site_name", "浙里好成果")),
        site_description=str(data.get("site_description", "")),
        site_dir=str(data.get("site_dir", "site")),
        docs_dir=str(data.get("docs_dir", "docs")),
    )
