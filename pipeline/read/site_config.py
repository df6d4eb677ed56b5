"""The settings the pipeline reads from `mkdocs.yml`: the one place that file is read outside MkDocs itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_TARGETS = {"major": 100, "flagship": 20}  # 工作方案：每年约 100 项重大成果、约 20 项标志性成果


@dataclass(frozen=True)
class SiteConfig:
    site_url: str  # always ends with "/"
    site_name: str
    site_description: str
    site_dir: str
    docs_dir: str
    targets: dict[str, int] = field(default_factory=dict)  # extra.targets: yearly major / flagship goals
    extra: dict = field(default_factory=dict)  # the whole `extra` mapping (contacts, footer, …)


def read_site_config(root: Path) -> SiteConfig:
    data = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    extra = data.get("extra") or {}
    url = str(data.get("site_url") or "https://zlhcg.example.org/")
    return SiteConfig(
        site_url=url if url.endswith("/") else url + "/",
        site_name=str(data.get("site_name", "浙里好成果")),
        site_description=str(data.get("site_description", "")),
        site_dir=str(data.get("site_dir", "site")),
        docs_dir=str(data.get("docs_dir", "docs")),
        targets={**DEFAULT_TARGETS, **{k: int(v) for k, v in (extra.get("targets") or {}).items()}},
        extra=extra,
    )
