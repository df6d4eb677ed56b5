"""Times generating every printed document of a benchmark corpus, with an empty cache and then a full one.

    .venv/bin/python -m tests.bench.documents_bench /tmp/zlhcg-bench/10000

Prints a Markdown table: documents, files, bytes, seconds (cold and warm cache).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from pipeline.documents.cache import DocumentCache
from pipeline.documents.generate import generate_documents
from pipeline.documents.settings import DocumentSettings
from pipeline.model.library import load_library
from pipeline.model.publication import Publication, publish
from pipeline.read.history import read_histories
from pipeline.read.site_config import read_site_config
from tests.bench.corpus import BUILT_AT


def load_publication(root: Path, built_at: datetime) -> tuple[Publication, DocumentSettings]:
    result = load_library(root, today=built_at.date(), history=read_histories(root), require_dates=True)
    config = read_site_config(root)
    return (publish(result.library, built_at, config.site_url, config.site_name),
            DocumentSettings.from_extra(config.extra))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="计时：生成基准成果库的全部 PDF、Word 和媒体资料包。")
    parser.add_argument("root", help="基准测试成果库目录")
    args = parser.parse_args(argv)
    root = Path(args.root)
    pub, settings = load_publication(root, BUILT_AT)
    read_media = lambda record, name: (root / record.folder / name).read_bytes()  # noqa: E731
    print(f"负载：{os.getloadavg()[0]:.1f}")
    print("| 缓存 | 发布期数 | 文件数 | 总大小 | 墙钟 | CPU |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label in ("空（首次生成）", "已有（再次构建）"):
            started, cpu = time.perf_counter(), time.process_time()
            generated = generate_documents(pub, settings, read_media, DocumentCache(Path(folder)))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            size = sum(map(len, generated.files.values()))
            print(f"| {label} | {len(generated.downloads)} | {len(generated.files)} | {size / 1e6:.1f} MB "
                  f"| {seconds:.1f} 秒 | {cpu:.1f} 秒 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
