"""Where a built site's bytes are: per top-level folder, HTML pages split into head (up to `</head>`), article (the
outer `<article>` element) and frame (everything else: header, navigation, footer, theme script), other files by
extension. Prints a table in MiB (docs/scale.md, 输出).

    .venv/bin/python -m tests.bench.output_weight build/site
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path

MIB = 1024 * 1024


def html_parts(html: bytes) -> dict[str, int]:
    """Bytes of head, article and frame in one page."""
    head = html.find(b"</head>")
    head = head if head >= 0 else 0
    start, end = html.find(b"<article"), html.rfind(b"</article>")
    article = end + len(b"</article>") - start if 0 <= start < end else 0
    return {"head": head, "article": article, "frame": len(html) - head - article}


def weigh(site: Path) -> dict[str, Counter]:
    """Top-level folder ("" for files at the top) → part ("head", "article", "frame" or ".ext") → bytes, with
    "pages" counting the HTML pages."""
    folders: dict[str, Counter] = {}
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = Path(dirpath, name)
            relative = path.relative_to(site).parts
            parts = folders.setdefault(relative[0] if len(relative) > 1 else "", Counter())
            if name.endswith(".html"):
                parts.update(html_parts(path.read_bytes()))
                parts["pages"] += 1
            else:
                parts[path.suffix or name] += path.stat().st_size
    return folders


def report(folders: dict[str, Counter]) -> str:
    def total(parts: Counter) -> int:
        return sum(v for k, v in parts.items() if k != "pages")

    lines = ["| 文件夹 | MiB | HTML 页面 | 页头 | 正文 | 框架 | 其他文件 |", "|---|---|---|---|---|---|---|"]
    for folder, parts in sorted(folders.items(), key=lambda item: -total(item[1])):
        others = ", ".join(f"{k} {v / MIB:.1f}" for k, v in parts.most_common()
                           if k.startswith(".") and k != ".html" and v >= MIB / 10)
        lines.append(f"| {folder or '（顶层）'} | {total(parts) / MIB:.1f} | {parts['pages']:,} | {parts['head'] / MIB:.1f} | "
                     f"{parts['article'] / MIB:.1f} | {parts['frame'] / MIB:.1f} | {others} |")
    everything = sum(map(total, folders.values()))
    frame = sum(p["head"] + p["frame"] for p in folders.values())
    lines.append(f"\n合计 {everything / MIB:.1f} MiB；其中 HTML 页头与框架 {frame / MIB:.1f} MiB，"
                 f"没有它们时 {(everything - frame) / MIB:.1f} MiB。")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="统计网站输出的字节构成")
    parser.add_argument("site", type=Path)
    print(report(weigh(parser.parse_args().site)))


if __name__ == "__main__":
    main()
