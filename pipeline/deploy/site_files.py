"""The built site as the objects a deploy wants in the bucket: key, size, MD5 and the headers to store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.deploy.errors import DeployError
from pipeline.deploy.object_kinds import KindRules


@dataclass(frozen=True)
class LocalObject:
    key: str  # relative to the site root, "/"-separated
    path: Path
    size: int
    md5: str  # hex; S3 servers report a single-part upload's MD5 as its ETag
    content_type: str
    cache_control: str
    phase: str

    @property
    def headers(self) -> tuple[str, str]:
        return (self.content_type, self.cache_control)


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_site(site: Path, rules: KindRules) -> list[LocalObject]:
    """Every file under `site`, sorted by key. Refuses a folder that is not a built site."""
    if not site.is_dir():
        raise DeployError(f"找不到已构建的网站文件夹 {site}。请先运行 zlhcg build，或用 --site 指定网站文件夹。")
    if not (site / "index.html").is_file():
        raise DeployError(f"{site} 中没有 index.html，不像是构建好的网站；为免清空线上网站，已停止部署。")
    objects = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        key = path.relative_to(site).as_posix()
        kind = rules.classify(key)
        objects.append(LocalObject(key, path, path.stat().st_size, file_md5(path), kind.content_type,
                                   kind.cache_control, kind.phase))
    return objects
