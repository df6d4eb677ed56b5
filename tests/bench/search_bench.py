"""Search index benchmark on generated libraries: build time, index size and what each query downloads.

    .venv/bin/python -m tests.bench.search_bench                      # 1,000 and 10,000 records
    .venv/bin/python -m tests.bench.search_bench 2000 5000            # other sizes
    .venv/bin/python -m tests.bench.search_bench --browser 10000      # also time search.js in Chromium

"Bytes per query" = every file a browser with an empty cache fetches for the query and its first page of 20
results (manifest, index files, metadata chunks, snippet fields), as the reference reader records them; raw
and gzip -9. (tests/browser/test_search_browser.py checks that search.js fetches exactly these URLs.)
Recall and precision are checked against a substring search over the same records.
"""

from __future__ import annotations

import functools
import json
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from pipeline.search.index import build_search_index, gzip_size, indexed_text, query_words
from pipeline.search.query import SearchIndex, files_for_first_page
from pipeline.search.page import render_search_page
from tests.corpus import generated_publication
from tests.factories import REPO

FIXED_QUERIES = ["芯片", "石墨烯", "智能电网", "技术", "国际先进水平", "的", "芯片 石墨烯", "研究开发", "土壤修复"]


def _queries(pub) -> list[str]:
    person = next(p.name for r in pub.records for p in r.people if len(p.name) == 3)
    unit = Counter(u.name for r in pub.records for u in r.units).most_common(1)[0][0]
    return [*FIXED_QUERIES, person, unit]


def _kib(n: int) -> str:
    return f"{n / 1024:,.1f} KiB"


def run(count: int):
    started = time.perf_counter()
    pub = generated_publication(count)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    files = build_search_index(pub)
    built = time.perf_counter() - started
    manifest = json.loads(files["search/manifest.json"])
    raw = sum(len(c) for c in files.values())
    packed = sum(gzip_size(c) for c in files.values())
    shards = [len(c) for p, c in files.items() if p.startswith(("search/b/", "search/u/"))]
    text = sum(len(indexed_text(r).encode()) for r in pub.records)
    print(f"\n== {count:,} records (generated in {generated:.1f} s; indexed text {text / 2**20:.1f} MiB UTF-8)")
    print(f"build time          {built:.1f} s")
    print(f"index size          {raw / 2**20:.1f} MiB raw, {packed / 2**20:.1f} MiB gzip -9, {len(files):,} files")
    print(f"shards              {manifest['bigramShards']} bigram + {manifest['charShards']} character, "
          f"{len(manifest['big'])} keys in own files; shard size max {_kib(max(shards))}, "
          f"mean {_kib(sum(shards) // len(shards))}; manifest {_kib(len(files['search/manifest.json']))}")
    print(f"{'query':<28}{'results':>8}{'exact':>7}{'files':>7}{'raw':>13}{'gzip':>13}")
    texts = [indexed_text(r) for r in pub.records]
    for query in _queries(pub):
        found = SearchIndex(files).search(query)
        words = query_words(query)
        truth = {r.id for r, t in zip(pub.records, texts) if all(w in t for w in words)}
        fetched = files_for_first_page(files, query)
        fetched_raw = sum(len(files[p]) for p in fetched)
        fetched_gzip = sum(gzip_size(files[p]) for p in fetched)
        exact = "yes" if set(found) == truth else "NO"
        print(f"{query:<28}{len(found):>8}{exact:>7}{len(fetched):>7}{_kib(fetched_raw):>13}{_kib(fetched_gzip):>13}")
    _pasted(pub, files)
    print(f"peak memory         {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB (whole process)")
    return pub, files


def _pasted(pub, files) -> None:
    """What visitors also do: paste a whole title or a sentence."""
    rng = random.Random(1)
    samples = {"whole titles": [r.title for r in rng.sample(pub.records, 200)],
               "20-char passages": [r.summary[5:25] for r in rng.sample(pub.records, 200)]}
    for label, queries in samples.items():
        sizes = sorted(sum(len(files[p]) for p in files_for_first_page(files, q)) for q in queries)
        gzipped = sorted(sum(gzip_size(files[p]) for p in files_for_first_page(files, q)) for q in queries)
        print(f"{label + ' (200)':<28}median {_kib(sizes[100])} raw / {_kib(gzipped[100])} gzip, "
              f"max {_kib(sizes[-1])} raw / {_kib(gzipped[-1])} gzip")


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>搜索</title></head><body>{fragment}<script src="../search.js"></script></body></html>"""


def browser_timings(pub, files) -> None:
    """Time from opening search/?q=… (empty cache) to the result list, and the page's JavaScript heap."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path, content in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(content)
        (root / "search.js").write_bytes((REPO / "site/assets/zlhcg/search.js").read_bytes())
        (root / "search" / "index.html").write_text(PAGE.format(fragment=render_search_page(pub)), encoding="utf-8")
        handler = functools.partial(type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                    directory=folder)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/search/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=[*LAUNCH_ARGS, "--enable-precise-memory-info"])
            print(f"{'query (Chromium, empty cache)':<28}{'ms to results':>14}{'JS heap':>12}")
            for query in _queries(pub):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                started = time.perf_counter()
                page.goto(url + "?q=" + quote(query))
                page.wait_for_function("() => /^(找到|没有)/.test(document.getElementById('zl-search-status')"
                                       ".textContent)", timeout=60000)
                elapsed = (time.perf_counter() - started) * 1000
                heap = page.evaluate("performance.memory.usedJSHeapSize")
                print(f"{query:<28}{elapsed:>14,.0f}{heap / 2**20:>10.1f} MiB")
                context.close()
            browser.close()
        server.shutdown()


def main(argv: list[str]) -> None:
    with_browser = "--browser" in argv
    for count in [int(a) for a in argv if a != "--browser"] or [1000, 10000]:
        pub, files = run(count)
        if with_browser:
            browser_timings(pub, files)


if __name__ == "__main__":
    main(sys.argv[1:])
