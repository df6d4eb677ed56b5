"""`zlhcg documents`: the printed documents of chosen editions written to a folder, without building the site
(for editors who adjust the Word file before a 月报 is sent). Same files and cache as the build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cmd_documents(args) -> int:
    from pipeline.documents.cache import DocumentCache
    from pipeline.documents.generate import generate_documents
    from pipeline.documents.pdf import DocumentEngineError
    from pipeline.documents.settings import DocumentSettings
    from pipeline.diagnostics import FORMATTERS
    from pipeline.errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, root_from_args
    from pipeline.model.library import load_library
    from pipeline.model.publication import publish
    from pipeline.read.clock import build_time
    from pipeline.read.history import HistoryError, read_histories
    from pipeline.read.site_config import read_site_config

    root = root_from_args(args)
    built_at = build_time(os.environ)
    try:
        history = read_histories(root)
    except HistoryError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INVALID
    result = load_library(root, today=built_at.date(), history=history, require_dates=True)
    if not result.ok:
        print(FORMATTERS["text"](result.diagnostics), file=sys.stderr)
        return EXIT_INVALID
    config = read_site_config(root)
    pub = publish(result.library, built_at, config.site_url, config.site_name)
    keys = {e.key: e for e in pub.editions}
    unknown = [key for key in args.keys if key not in keys]
    if unknown:
        print(f"错误：没有已公开的发布 {'、'.join(unknown)}。可选：{'、'.join(sorted(keys))}", file=sys.stderr)
        return EXIT_USAGE
    try:
        generated = generate_documents(pub, DocumentSettings.from_extra(config.extra),
                                       lambda record, name: (root / record.folder / name).read_bytes(),
                                       DocumentCache(root / ".cache" / "documents"),
                                       only=frozenset(args.keys) if args.keys else None)
    except DocumentEngineError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INVALID
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for _, found in sorted(generated.downloads.items()):
        for download in (*found.documents, *([found.press_kit] if found.press_kit else [])):
            (out / download.filename).write_bytes(generated.files[download.path])
            print(f"已写入 {out / download.filename}")
    return EXIT_OK


def register(sub) -> None:
    parser = sub.add_parser("documents", help="生成月报、榜单和新闻通稿的 PDF、Word 文件和媒体资料包")
    parser.add_argument("keys", nargs="*", help="发布的编号，如 2026-10、2026-Q3、2025（默认：全部已公开的发布）")
    parser.add_argument("--out", default="build/documents", help="输出目录（默认：build/documents）")
    parser.set_defaults(func=cmd_documents)
