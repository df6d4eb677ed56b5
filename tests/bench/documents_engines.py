"""Engine comparison for printed documents: Typst (chosen) against WeasyPrint, on the same Document objects.

    .venv/bin/pip install weasyprint   # not a dependency of the project: only this comparison uses it
    .venv/bin/python -m tests.bench.documents_engines /tmp/zlhcg-bench/10000 [--limit N]

Builds the publication of a corpus (tests/bench/corpus.py), then times PDF generation for every edition's
documents with each engine, and prints page counts and sizes. Not a test: it prints a Markdown table. The
WeasyPrint layout here is a faithful-effort HTML + CSS paged-media version of the bulletin (A4, GB/T 9704
margins, red masthead, outer-side page numbers in @page margin boxes, demo notice in @top-center).
"""

from __future__ import annotations

import argparse
import sys
import time
from html import escape
from pathlib import Path

from pipeline.documents.content import Document
from pipeline.documents.kinds import DOCUMENT_SHAPES
from pipeline.documents.pdf import PdfEngine
from tests.bench.corpus import BUILT_AT
from tests.bench.documents_bench import load_publication

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @top-center { content: string(demo); color: #e60012; font-size: 10.5pt; font-weight: bold; }
}
@page :left { margin: 37mm 28mm 35mm 26mm; @bottom-left { content: "— " counter(page) " —"; font-size: 14pt; padding-left: 1em; } }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-size: 14pt; padding-right: 1em; } }
html { font-family: "Noto Serif CJK SC"; font-size: 16pt; line-height: 1.55; }
.demo { string-set: demo content(); display: none; }
.masthead { color: #e60012; font-size: 40pt; font-weight: bold; text-align: center; letter-spacing: .08em; margin: 0; }
.lines p { text-align: center; margin: 0; }
.issuer { display: flex; justify-content: space-between; border-bottom: .9mm solid #e60012; margin-top: 4mm; }
h1 { font-size: 22pt; text-align: center; } h2 { font-size: 16pt; margin: 1em 0 .3em; break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; } .facts p { text-indent: 0; font-size: 14pt; }
.colophon { break-inside: avoid; margin-top: 2em; border-top: .35mm solid; border-bottom: .35mm solid; font-size: 14pt; }
.colophon p { text-indent: 0; padding: .3em 1em; border-bottom: .25mm solid; }
"""


def bulletin_html(doc: Document) -> str:
    e = escape
    parts = [f'<div class="demo">{e(doc.demo_notice)}</div><p class="masthead">{e(doc.masthead)}</p>',
             '<div class="lines">' + "".join(f"<p>{e(x)}</p>" for x in doc.lines) + "</div>",
             f'<div class="issuer"><span>{e(doc.publisher)}</span><span>{e(doc.date_text)}</span></div>',
             f"<h1>{e(doc.title)}</h1>", *(f"<p>{e(p)}</p>" for p in doc.intro)]
    for item in doc.items:
        parts.append(f"<h2>{e(item.number + item.title)}</h2><div class='facts'>"
                     + "".join(f"<p>{e(f)}</p>" for f in item.facts) + "</div>")
        parts += [f"<p>{e(p)}</p>" for p in item.summary]
        parts += [f"<p><b>{e(label)}：</b>{e(body)}</p>" for label, body in item.notes]
    parts.append('<div class="colophon">' + "".join(f"<p>{e(r)}</p>" for r in doc.colophon)
                 + f"<p>{e(doc.publisher)}　{e(doc.date_text)}印发</p></div>")
    return f'<html lang="zh-CN"><head><style>{CSS}</style></head><body>{"".join(parts)}</body></html>'


def weasyprint_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported here: not a dependency of the package
    return HTML(string=bulletin_html(doc)).write_pdf()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="比较 Typst 与 WeasyPrint 生成 PDF 的速度。")
    parser.add_argument("root", help="基准测试成果库目录")
    parser.add_argument("--limit", type=int, default=0, help="只比较前 N 个文档（0 为全部）")
    args = parser.parse_args(argv)
    pub, settings = load_publication(Path(args.root), BUILT_AT)
    bulletin = DOCUMENT_SHAPES["monthly-report"].document
    docs = [bulletin(report, pub, settings) for report in pub.of_kind("monthly")]
    docs = docs[: args.limit] if args.limit else docs
    engine = PdfEngine()
    for name, render in (("Typst", engine.render), ("WeasyPrint", weasyprint_pdf)):
        started, cpu, size = time.perf_counter(), time.process_time(), 0
        for doc in docs:
            size += len(render(doc))
        print(f"| {name} | {len(docs)} 个 PDF | 墙钟 {time.perf_counter() - started:.1f} 秒 | "
              f"CPU {time.process_time() - cpu:.1f} 秒 | {size / 1e6:.1f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
