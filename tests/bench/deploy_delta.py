"""Deploy delta benchmark (not a test): what a second `zlhcg deploy` uploads after one record's summary changes.

    .venv/bin/python -m tests.bench.deploy_delta --size 10000      # ~45 s to generate the corpus the first time

Builds the benchmark corpus (tests/bench/corpus.py, cached in /tmp/zlhcg-bench like benchmark.py), deploys it to
a local S3 server (`rclone serve s3` on 127.0.0.1, a temporary folder), edits the summary of one public record,
rebuilds, deploys again and prints a Markdown table: objects and bytes uploaded, kept and deleted by the second
deploy, broken down by top-level folder, beside the files that actually differ between the two builds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from pipeline.deploy.run import deploy
from tests.bench.benchmark import WORKDIR, bench_env, changed_files, ensure_corpus, files_under, say, top_folder
from tests.bench.corpus import DEFAULT_SEED
from tests.s3_server import rclone_s3


def build(root: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "--root", str(root), "build", "--out", str(out)],
                   env=bench_env(), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def edit_one_summary(root: Path, site: Path) -> Path:
    """Appends a sentence to the summary of the first record that has a public page."""
    for record in sorted((root / "results").glob("*/*/*.yaml")):
        if (site / "results" / record.parent.name / "index.html").is_file():
            text = record.read_text(encoding="utf-8")
            line = next(line for line in text.splitlines() if line.startswith("summary: "))
            record.write_text(text.replace(line, line + "（基准测试追加的一句。）", 1), encoding="utf-8")
            return record
    raise RuntimeError("no public record found")


def timed_deploy(site: Path, server, bucket: str):
    started = time.perf_counter()
    plan = deploy(site, f"s3://{bucket}", endpoint=server.endpoint, out=say)
    return plan, time.perf_counter() - started


def report(plan, changed: set[str], total: int, seconds: float) -> None:
    uploads = plan.upload_objects
    by_folder = Counter(top_folder(obj.key) for obj in uploads)
    size_by_folder = Counter()
    for obj in uploads:
        size_by_folder[top_folder(obj.key)] += obj.size
    totals = plan.totals()
    print(f"\n| | 对象 | 字节 |\n| --- | ---: | ---: |")
    for label, name in (("上传", "upload"), ("保留", "keep"), ("删除", "delete")):
        print(f"| {label} | {totals[name][0]} | {totals[name][1]:,} |")
    print(f"\n两次构建之间内容不同或新增的文件：{len(changed)} 个（网站共 {total} 个文件）；"
          f"上传的对象与之{'完全一致' if changed == {o.key for o in uploads} else '不一致'}。第二次部署用时 {seconds:.1f} 秒。\n")
    print("| 顶层文件夹 | 上传对象 | 上传字节 |\n| --- | ---: | ---: |")
    for name, count in by_folder.most_common():
        print(f"| {name} | {count} | {size_by_folder[name]:,} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--fresh", action="store_true", help="regenerate the corpus")
    args = parser.parse_args(argv)
    root = ensure_corpus(args.size, args.seed, args.fresh, WORKDIR)
    work = Path(tempfile.mkdtemp(prefix="zlhcg-deploy-bench-"))
    say(f"第一次构建：{build(root, work / 'before'):.1f} 秒")
    record = edit_one_summary(root, work / "before")
    try:
        say(f"修改 {record.relative_to(root)} 后第二次构建：{build(root, work / 'after'):.1f} 秒")
    finally:
        subprocess.run(["git", "-C", str(root), "checkout", "-q", "--", str(record)], check=True)
    with rclone_s3(work / "s3") as server:
        os.environ.update(server.env())
        bucket = server.make_bucket("bench-site")
        _, first = timed_deploy(work / "before", server, bucket)
        say(f"第一次部署用时 {first:.1f} 秒")
        plan, second = timed_deploy(work / "after", server, bucket)
    removed = set(files_under(work / "before")) - set(files_under(work / "after"))  # a deploy deletes these, not uploads
    report(plan, set(changed_files(work / "before", work / "after")) - removed, len(files_under(work / "after")), second)
    return 0


if __name__ == "__main__":
    sys.exit(main())
