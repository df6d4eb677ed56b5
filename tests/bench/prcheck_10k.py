"""Times `zlhcg check-pr` for a one-record pull request in a synthetic 10,000-record repository.

Not a test: prints numbers. Usage: .venv/bin/python tests/bench/prcheck_10k.py [WORKDIR] [COUNT]
The repository is generated once in WORKDIR (default /tmp/zlhcg-bench-10k) and reused on later runs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from pipeline.read.sources import record_file, record_folder  # noqa: E402
from tests.factories import EXEMPLAR, EXEMPLAR_IMAGE, make_repo, new_id  # noqa: E402
from tests.gitrepo import GitRepo  # noqa: E402

EXEMPLAR_ID = "2025-3kq8m2va"


def generate(root: Path, count: int) -> GitRepo:
    make_repo(root)
    text = EXEMPLAR.read_text(encoding="utf-8")
    image = EXEMPLAR_IMAGE.read_bytes()
    for n in range(count):
        record_id = new_id(n + 1)
        folder = root / record_folder(record_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record_id}.yaml").write_text(text.replace(EXEMPLAR_ID, record_id), encoding="utf-8")
        (folder / "module.png").write_bytes(image)
    repo = GitRepo.init(root)
    repo.commit(f"收录 {count} 项成果", "2025-06-01T08:00:00+08:00")
    repo.branch("submit")
    record_id = new_id(count + 1)
    repo.write(record_file(record_id), text.replace(EXEMPLAR_ID, record_id))
    repo.write(f"{record_folder(record_id)}/module.png", image)
    repo.commit("新成果", "2025-06-02T08:00:00+08:00")
    repo.branch("edit", "main")
    edited = new_id(count // 2)
    path = record_file(edited)
    repo.write(path, repo.read(path).replace("打破了国外厂商", "打破了境外厂商"))
    repo.commit("修改成果", "2025-06-02T09:00:00+08:00")
    return repo


def main() -> None:
    work = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/zlhcg-bench-10k")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    root = work / f"repo-{count}"
    if not (root / ".git").exists():
        started = time.perf_counter()
        generate(root, count)
        print(f"generated {count} records in {time.perf_counter() - started:.1f} s at {root}")
    command = [str(REPO / ".venv" / "bin" / "zlhcg"), "--root", str(root), "check-pr", "--base", "main"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01, so the exemplar's dates are past
    for branch, what in (("submit", "adds one record"), ("edit", "edits one record")):
        subprocess.run(["git", "-C", str(root), "checkout", "-q", branch], check=True)
        walls, cpus = [], []
        for _ in range(5):
            started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls.append(time.perf_counter() - started)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{what} (branch {branch}): {' '.join(command)}")
        print("  " + (done.stdout.strip() or done.stderr.strip()))
        print(f"  exit {done.returncode}; over 5 runs: wall min {min(walls):.2f} s / max {max(walls):.2f} s, "
              f"CPU (user+sys, git included) min {min(cpus):.2f} s / max {max(cpus):.2f} s")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import jsonschema"], check=True)
    print(f"for comparison, python -c 'import jsonschema' alone: {time.perf_counter() - started:.2f} s wall")


if __name__ == "__main__":
    main()
