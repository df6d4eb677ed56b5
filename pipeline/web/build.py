"""`zlhcg build`: validate and build the public site atomically.

MkDocs writes into a fresh temporary folder beside the target; only a build that succeeds replaces the
previous site, so a failed build (an invalid record, a broken link) leaves what was published intact.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.read.site_config import read_site_config



class BuildFailed(Exception):
    """The message is Chinese and complete (it carries the diagnostics)."""


def _replace(target: Path, fresh: Path) -> None:
    """Swaps `fresh` into place; the old site is removed only after the new one is there."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(root: Path, out: Path | None = None, progress=print) -> Path:
    config = read_site_config(root)
    target = (out or (root / config.site_dir)).resolve()
    docs = (root / config.docs_dir).resolve()
    if target == docs or docs in target.parents or target in docs.parents:
        raise BuildFailed(f"输出目录 {target} 与源目录 {docs} 重叠，已停止构建以免覆盖源文件。")
    from pipeline.web.mkdocs_plugin import GeneratorFailed, run_mkdocs  # MkDocs loads only when building

    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    progress("正在构建网站…")
    fresh = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        try:
            warnings, pages = run_mkdocs(root / "mkdocs.yml", fresh)
        except GeneratorFailed as exc:
            raise BuildFailed(str(exc)) from None
        if warnings:
            raise BuildFailed("构建过程中出现以下问题（严格模式下视为错误）：\n" + "\n".join(warnings))
        _replace(target, fresh)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    progress(f"网站已生成：{target}（{pages} 个页面，用时 {time.perf_counter() - started:.1f} 秒）")
    progress(f"本地预览：python3 -m http.server -d {os.path.relpath(target)} 8000，然后在浏览器中打开 http://localhost:8000/")
    return target


def cmd_build(args) -> int:
    from pipeline.errors import EXIT_INVALID, EXIT_OK, root_from_args as _root

    root = _root(args)
    try:
        build_site(root, Path(args.out) if args.out else None)
    except BuildFailed as exc:
        print(f"构建失败，已发布的网站保持不变。\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def register(sub) -> None:
    parser = sub.add_parser("build", help="校验成果库并生成网站（失败时保留原有网站）")
    parser.add_argument("--out", help="输出目录（默认：mkdocs.yml 中的 site_dir，即 build/site）")
    parser.set_defaults(func=cmd_build)
