"""A benchmark corpus: N valid, varied records and the editions over their period, in a throwaway git repository
whose history looks like the real one (one merge commit per record, later edits, withdrawals, editions).

    .venv/bin/python -m tests.bench.corpus 10000 /tmp/corpus-10k [--seed 20251120]

Deterministic for a given (N, seed) and the same project files (schema, config, theme and hand-written pages,
copied into the first commit): same repository, same commit ids. About 1,000 records enter per year (over at most
ten years; beyond 10,000 records they enter in daily batches, see `batched`), so
10,000 records span ten years ending on END (2026-06-30); the corpus is meant to be built "as of" BUILT_AT
(2026-07-01 12:00 Asia/Shanghai: `SOURCE_DATE_EPOCH=BUILT_AT_EPOCH`), when a few embargoed records (publish_at
in 2027) are still hidden. Every date in a record is on or before END, so validation also passes on today's clock.

What is generated, per record (corpus_records.py, text from corpus_text.py): units drawn from per-type pools
that grow as records come in (about one distinct completing unit per four records, Zipf-like reuse), people per
unit likewise, valid GB 32100 credit codes, patent numbers and ORCIDs, category evidence, ~25 % with one or two
small PNG images, ~35 % with an evaluation and ~20 % with progress at entry. No record has `entered`: entry
dates come from git. Editions: corpus_editions.py.

History, written by one `git fast-import` stream: the project's own schema, theme and hand-written pages in a
first commit; then, in time order, each record as a commit on a side branch merged into main by a merge commit
("Merge pull request #n …", committer date = entry); ~10 % of records edited later (a progress entry, an
evaluation or a revised summary) and ~1 % withdrawn, each by a later first-parent commit; a monthly report every
month (5 records entered before it), a quarterly release every quarter (6 records of one highland, presented by
one of their completers) and an annual list (20 records of the year) each January, each committed on its
publication date. Records later withdrawn or embargoed are never chosen for an edition.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pipeline.kinds import all_kinds
from pipeline.check.ids import new_id
from pipeline.model.records import SHANGHAI
from tests.bench.corpus_editions import PlannedEdition, plan_editions
from tests.bench.corpus_records import Change, PlannedRecord, Population, build_record, day, record_yaml
from tests.bench.corpus_text import WITHDRAWAL_REASONS, TextMaker

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_SEED = 20251120
END = datetime(2026, 6, 30, 18, 0, tzinfo=SHANGHAI)
BUILT_AT = datetime(2026, 7, 1, 12, 0, tzinfo=SHANGHAI)
BUILT_AT_EPOCH = int(BUILT_AT.timestamp())
LAYOUT = "year-folders"  # part of a cached corpus's identity: one in another layout is generated again
RECORDS_PER_YEAR = 1000
MAX_YEARS = 10
ONE_PER_COMMIT_UP_TO = 10_000
COORDINATOR = "浙里好成果协调办 <coordinator@example.org>"
SIDE_REF = "refs/heads/pull-request"

# Project files copied into the first commit: everything the build needs except the library itself.
COPIED = ("schema", "mkdocs.yml", "overrides", ".gitignore")
EDITION_FOLDERS = tuple(kind.source_folder for kind in all_kinds())  # the demo editions stay out


# --- the period's timeline ---------------------------------------------------------------------------------

def years_for(count: int) -> int:
    """About 1,000 records a year, over at most ten years: a larger library is a larger practice (a national
    registry enters tens of thousands a year), not a longer past."""
    return min(MAX_YEARS, max(1, round(count / RECORDS_PER_YEAR)))


def batched(count: int) -> bool:
    """One pull request per record up to 10,000 records; beyond, units report in batches (批量报送): a day's
    entries go in one pull request and a day's edits in one commit: one commit per record would make a
    100,000-record history ten times as long as a 10,000-record one, and git writes the root, results/ and a
    year's folder for every commit; by day it keeps about the same number of commits."""
    return count > ONE_PER_COMMIT_UP_TO


def period_start(count: int) -> datetime:
    return datetime(END.year - years_for(count), END.month, END.day, tzinfo=SHANGHAI) + timedelta(days=1)


def _working_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = (end - start).total_seconds()
    while True:
        moment = start + timedelta(seconds=rng.random() * span)
        if moment.weekday() < 5 or rng.random() < 0.15:
            break
    moment = moment.replace(hour=rng.randint(9, 18), minute=rng.randrange(60), second=rng.randrange(60))
    return min(max(moment, start), end)


def plan_records(count: int, rng: random.Random, progress=lambda message: None) -> list[PlannedRecord]:
    start = period_start(count)
    entries = sorted(_working_moment(rng, start, END) for _ in range(count))
    population = Population(rng)
    ids: set[str] = set()
    records = []
    for entered in entries:
        branched = entered - timedelta(days=rng.randint(1, 20), minutes=rng.randrange(600))
        while (record_id := new_id(branched.date(), rng.getrandbits(40))) in ids:
            pass
        ids.add(record_id)
        data, images = build_record(rng, population, record_id, entered)
        records.append(PlannedRecord(record_id, branched, entered, data, images))
        if len(records) % max(1, count // 10) == 0 or len(records) == count:
            progress(f"已生成 {len(records)}/{count} 条成果…")
    _mark_special(records, rng)
    return records


def _mark_special(records: list[PlannedRecord], rng: random.Random) -> None:
    """Embargoes (~0.3 %), withdrawals (~1 %) and later edits (~10 %), on distinct records; at least one
    embargo and one withdrawal however small the corpus."""
    count = len(records)
    late_enough = [r for r in records if (END - r.entered).days >= 20]
    chosen = rng.sample(late_enough, min(len(late_enough), max(1, round(count * 0.003)) + max(1, round(count * 0.01))
                                         + round(count * 0.10)))
    embargoes = max(1, round(count * 0.003))
    withdrawals = max(1, round(count * 0.01))
    for record in chosen[:embargoes]:
        record.embargoed = True
        month = rng.randint(1, 9)
        record.data["publish_at"] = f"2027-{month:02d}-01T09:00:00+08:00"
    for record in chosen[embargoes:embargoes + withdrawals]:
        record.withdrawn = True
        when = _working_moment(rng, record.entered + timedelta(days=10), END)
        data = dict(record.data)
        data["withdrawn"] = {"date": day(when), "reason": rng.choice(WITHDRAWAL_REASONS)}
        record.changes.append(Change(when, data, f"撤回成果：{record.title}"))
    for record in chosen[embargoes + withdrawals:]:
        _add_edits(record, rng)


def _add_edits(record: PlannedRecord, rng: random.Random) -> None:
    data = record.data
    text = TextMaker(rng, data["field"])
    moment = record.entered
    for _ in range(rng.choices((1, 2), (8, 2))[0]):
        if (END - moment).days < 10:
            break
        moment = _working_moment(rng, moment + timedelta(days=7), END)
        data = {k: (list(v) if isinstance(v, list) else v) for k, v in data.items()}
        kind = rng.choices(("progress", "evaluation", "summary"), (5, 3, 2))[0]
        if kind == "progress":
            data["progress"] = [*data.get("progress", []), {"date": day(moment), "text": text.progress()}]
            subject = f"更新成果进展：{data['title']}"
        elif kind == "evaluation":
            city = data["units"][0]["city"]
            data["evaluations"] = [*data.get("evaluations", []), {
                "date": day(moment), "type": rng.choice(("同行评价", "市场评价", "第三方评价")),
                "evaluator": text.evaluator(city), "conclusion": text.conclusion(data["level"], city)}]
            subject = f"补充跟踪评价：{data['title']}"
        else:
            data["summary"] = data["summary"].replace("已在", "目前已在", 1) if "已在" in data["summary"] else data["summary"] + "（修订）"
            subject = f"修订成果简介：{data['title']}"
        record.changes.append(Change(moment, data, subject))


# --- the git history --------------------------------------------------------------------------------------

class FastImport:
    """Writes a `git fast-import` stream: blobs by mark, commits with explicit parents."""

    def __init__(self, out):
        self.out = out
        self.mark = 0

    def _next(self) -> int:
        self.mark += 1
        return self.mark

    def _data(self, content: bytes) -> None:
        self.out.write(b"data %d\n" % len(content))
        self.out.write(content)
        self.out.write(b"\n")

    def blob(self, content: bytes) -> int:
        mark = self._next()
        self.out.write(b"blob\nmark :%d\n" % mark)
        self._data(content)
        return mark

    def commit(self, ref: str, who: str, when: datetime, message: str, files: dict[str, int],
               parent: int | None = None, merge: int | None = None, author_when: datetime | None = None) -> int:
        mark = self._next()
        stamp = lambda moment: f"{int(moment.timestamp())} +0800"  # noqa: E731
        head = f"commit {ref}\nmark :{mark}\nauthor {who} {stamp(author_when or when)}\ncommitter {who} {stamp(when)}\n"
        self.out.write(head.encode())
        self._data(message.encode())
        if parent is not None:
            self.out.write(b"from :%d\n" % parent)
        if merge is not None:
            self.out.write(b"merge :%d\n" % merge)
        for path, blob in files.items():
            self.out.write(f"M 100644 :{blob} {path}\n".encode())
        self.out.write(b"\n")
        return mark


def project_files() -> dict[str, bytes]:
    """The project's files every corpus starts from: schema, config, theme, hand-written pages and assets."""
    files: dict[str, bytes] = {}
    for name in COPIED:
        source = PROJECT / name
        paths = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in paths:
            files[path.relative_to(PROJECT).as_posix()] = path.read_bytes()
    for path in sorted((PROJECT / "site").rglob("*")):
        relative = path.relative_to(PROJECT).as_posix()
        if path.is_file() and not relative.startswith(tuple(f + "/" for f in EDITION_FOLDERS)):
            files[relative] = path.read_bytes()
    return files


def project_digest() -> str:
    """Identifies the project files a corpus starts from: a cached corpus made from other files is stale."""
    digest = hashlib.sha256()
    for path, content in sorted(project_files().items()):
        digest.update(path.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


def _events(records: list[PlannedRecord], editions: list[PlannedEdition]) -> list[tuple[datetime, int, str, object]]:
    events: list[tuple[datetime, int, str, object]] = []
    for record in records:
        events.append((record.entered, len(events), "record", record))
        for change in record.changes:
            events.append((change.when, len(events), "change", (record, change)))
    for edition in editions:
        events.append((edition.when, len(events), "edition", edition))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def write_history(stream, records: list[PlannedRecord], editions: list[PlannedEdition], start: datetime,
                  by_day: bool = False) -> int:
    """The whole history as one fast-import stream; returns the number of commits. With `by_day`, a day's
    record entries go in one pull request and its edits in one commit (see `batched`)."""
    fi = FastImport(stream)
    files = {path: fi.blob(content) for path, content in project_files().items()}
    main = fi.commit("refs/heads/main", COORDINATOR, start - timedelta(days=30), "建立浙里好成果成果库\n", files)
    commits, pr, previous = 1, 0, start
    for kind, group in _batches(_events(records, editions), by_day):
        pr += 1
        when = previous = max(group[-1][0], previous)  # a day's edits may be timed before its last entry
        if kind == "record":
            blobs = {}
            for _, _, _, record in group:
                blobs[record.path] = fi.blob(record_yaml(record.data).encode())
                blobs.update({f"{record.folder}/{name}": fi.blob(png) for name, png in record.images.items()})
            first: PlannedRecord = group[0][3]
            who = f"{first.data['submitter']['name']}报送员 <submit{pr % 97}@example.org>"
            if len(group) == 1:
                subject, branch = f"成果入库：{first.title}", first.id
            else:
                subject, branch = f"批量入库：{first.title}等 {len(group)} 项成果", f"batch-{first.id}"
            side = fi.commit(SIDE_REF, who, first.branched, subject + "\n", blobs, parent=main)
            message = f"Merge pull request #{pr} from zj-submit/{branch}\n\n{subject}\n"
            main = fi.commit("refs/heads/main", COORDINATOR, when, message, blobs, parent=main, merge=side,
                             author_when=when)
            commits += 2
        elif kind == "change":
            blobs = {record.path: fi.blob(record_yaml(change.data).encode()) for _, _, _, (record, change) in group}
            subject = group[0][3][1].subject + (f"等 {len(group)} 项修订" if len(group) > 1 else "")
            main = fi.commit("refs/heads/main", COORDINATOR, when, f"{subject} (#{pr})\n", blobs, parent=main)
            commits += 1
        else:
            edition: PlannedEdition = group[0][3]
            blob = fi.blob(edition.text.encode())
            main = fi.commit("refs/heads/main", COORDINATOR, when, f"{edition.subject} (#{pr})\n", {edition.path: blob},
                             parent=main)
            commits += 1
    stream.write(b"done\n")
    return commits


def _batches(events, by_day: bool):
    """(kind, events) in the order to commit: each event alone, or (`by_day`) a day's record entries as one
    pull request followed by its edits as one commit (a second edit of a record starts another), each edition
    alone and after the entries and edits before it."""
    if not by_day:
        yield from ((event[2], [event]) for event in events)
        return
    entries: list = []
    edits: list = []
    day = None

    def flush():
        nonlocal entries, edits
        if entries:
            yield "record", entries
        if edits:
            yield "change", edits
        entries, edits = [], []

    for event in events:
        when, _, kind, item = event
        if when.date() != day:
            yield from flush()
            day = when.date()
        if kind == "edition":
            yield from flush()
            yield kind, [event]
        elif kind == "record":
            entries.append(event)
        else:
            if any(other[3][0] is item[0] for other in edits):
                yield from flush()
            edits.append(event)
    yield from flush()


def _git(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, **kwargs)


@dataclass(frozen=True)
class Corpus:
    root: Path
    count: int
    seed: int
    records: int
    editions: int
    commits: int
    embargoed: tuple[str, ...]
    withdrawn: tuple[str, ...]
    edited: tuple[str, ...]


def generate(count: int, root: Path, seed: int = DEFAULT_SEED, progress=lambda message: None) -> Corpus:
    """Writes the corpus repository at `root` (which must not exist or be empty) and checks out main."""
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} 已存在且不为空")
    rng = random.Random(seed)
    records = plan_records(count, rng, progress)
    editions = plan_editions(records, rng, END)
    progress(f"已生成发布 {len(editions)} 期（月报、季度发布、年度榜单），正在写入 git 历史…")
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    for key, value in (("user.name", "基准测试"), ("user.email", "bench@example.org"), ("commit.gpgsign", "false"),
                       ("core.autocrlf", "false"), ("gc.auto", "0")):
        _git(root, "config", key, value)
    importer = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    commits = write_history(importer.stdin, records, editions, period_start(count), batched(count))
    importer.stdin.close()
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    _git(root, "update-ref", "-d", SIDE_REF)
    _git(root, "checkout", "-q", "-f", "main")
    progress(f"已写入 {commits} 个提交，工作区已检出 main：{root}")
    return Corpus(root, count, seed, len(records), len(editions), commits,
                  tuple(r.id for r in records if r.embargoed), tuple(r.id for r in records if r.withdrawn),
                  tuple(r.id for r in records if r.changes and not r.withdrawn))


def standalone_record(seed: int, entered: datetime) -> tuple[str, str, dict[str, bytes]]:
    """A fresh record not in any corpus (for a pull request adding one): id, YAML text, image files."""
    rng = random.Random(seed)
    record_id = new_id(entered.date(), rng.getrandbits(40))
    data, images = build_record(rng, Population(rng), record_id, entered)
    return record_id, record_yaml(data), images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.corpus",
                                     description="生成基准测试用的成果库（含 git 历史），写入一个新的目录。")
    parser.add_argument("count", type=int, help="成果数量，例如 10000")
    parser.add_argument("dir", help="输出目录（不存在或为空）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
    parser.add_argument("--force", action="store_true", help="输出目录已存在时先删除")
    args = parser.parse_args(argv)
    root = Path(args.dir)
    if args.force and root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    try:
        corpus = generate(args.count, root, args.seed, progress=lambda m: print(m, file=sys.stderr))
    except FileExistsError as exc:
        print(f"{exc}。请换一个目录，或加 --force 覆盖。", file=sys.stderr)
        return 2
    print(f"完成：{corpus.records} 条成果（撤回 {len(corpus.withdrawn)}，保密期 {len(corpus.embargoed)}，"
          f"后续修改 {len(corpus.edited)}），发布 {corpus.editions} 期，{corpus.commits} 个提交，"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    print(f"构建：SOURCE_DATE_EPOCH={BUILT_AT_EPOCH} zlhcg --root {root} build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
