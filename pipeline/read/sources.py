"""Finding the library's source files in a repository checkout, and reading them strictly.

Layout: `results/<year>/<id>/<id>.yaml` with the record's images beside it, `<year>` being the id's first four
digits; editions under `site/<folder>/` of each registered kind (`pipeline/kinds.yaml`) as Markdown with YAML
front matter.

Records sit in year folders, not in one flat `results/`, because git diffs a commit folder by folder: with one
flat folder every commit's diff reads a tree of the whole library (N records × N commits), with year folders
only the tree of that year. At the province's yearly intake (hundreds) it also keeps each folder within what
GitHub's web pages list (the first 1,000 entries of a folder).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pipeline.diagnostics import Diagnostic, error
from pipeline.kinds import all_kinds
from pipeline.read.strictyaml import (LoadedDocument, YamlRejected, check_forbidden_chars, decode_source, load_bytes,
                         load_mapping, load_text)

EDITION_FOLDER_PAGES = {"index.md"}  # hand-written landing pages that are not editions
YEAR_FOLDER = re.compile(r"(19|20)[0-9]{2}")
LAYOUT_RULE = "成果文件应放在 results/<年份>/<编号>/<编号>.yaml，年份是编号的前四位。"
MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_EDITION_BYTES = 128 * 1024


@dataclass(frozen=True)
class Layout:
    """Where things live in a checkout."""

    root: Path

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def schema(self) -> Path:
        return self.root / "schema"

    @property
    def vocab(self) -> Path:
        return self.root / "schema" / "vocab"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def record_folder(self, record_id: str) -> Path:
        return self.root / record_folder(record_id)


def record_folder(record_id: str) -> str:
    """`2025-3kq8m2va` → `results/2025/2025-3kq8m2va` (repository-relative)."""
    return f"results/{record_id[:4]}/{record_id}"


def record_file(record_id: str) -> str:
    return f"{record_folder(record_id)}/{record_id}.yaml"


def results_entry(path: str) -> str | None:
    """What a changed path under results/ belongs to, relative to results/: the record folder `<year>/<id>`
    of `results/<year>/<id>/…`, or the misplaced entry itself (`results/<name>` or a `results/<name>/…` that
    is not a year folder, `results/<year>/<file>`), for validation to report. None outside results/."""
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != "results" or not parts[1]:
        return None
    if len(parts) == 2 or not YEAR_FOLDER.fullmatch(parts[1]):
        return parts[1]
    return "/".join(parts[1:3])


@dataclass(frozen=True)
class RecordSource:
    path: Path
    file: str  # repository-relative, as shown in diagnostics
    folder_files: tuple[Path, ...]  # everything else in the record's folder


@dataclass(frozen=True)
class EditionSource:
    kind: str
    key: str
    path: Path
    file: str


@dataclass(frozen=True)
class EditionDocument:
    """An edition file: its front matter (strictly loaded) and its Markdown body."""

    kind: str
    key: str
    front: LoadedDocument
    body: str
    body_line: int  # the file line the body starts on


def find_record_sources(layout: Layout, names: Iterable[str] | None = None
                        ) -> tuple[list[RecordSource], list[Diagnostic]]:
    """Every `results/<year>/<folder>/<name>.yaml` (or, with `names`, those entries of results/ that exist, as
    `results_entry` names them: what a pull request touched; a year folder stands for its records); anything out
    of place is reported, never skipped silently."""
    if not layout.results.is_dir():
        return [], [error("results", "layout.missing", "找不到成果目录 results/。", hint="请在仓库根目录运行。")]
    if names is None:
        named = _listing(layout.results)
    else:
        named = sorted((path, path.is_symlink(), path.is_dir()) for path in
                       (layout.results / name for name in set(names) if os.path.lexists(layout.results / name)))
    entries = [inner for entry in named for inner in (_listing(entry[0]) if _is_year(layout, *entry) else [entry])]
    sources, problems = [], []
    for entry, is_symlink, is_dir in entries:
        file = layout.relative(entry)
        in_year = entry.parent != layout.results
        if is_symlink:
            problems.append(error(file, "layout.symlink", "成果目录中不允许出现符号链接。", hint="请提交真实的文件夹和文件。"))
        elif not is_dir:
            if in_year or entry.name not in {".gitkeep"}:
                problems.append(error(file, "layout.stray-file", f"这里不应有文件。{LAYOUT_RULE}",
                                      hint="运行 zlhcg new 生成正确的文件夹和文件，再把内容移入。"))
        elif in_year:
            found, more = _record_folder(layout, entry)
            sources.extend(found)
            problems.extend(more)
        elif not YEAR_FOLDER.fullmatch(entry.name):
            problems.append(_not_a_year(layout, entry))
    return sources, problems


def _listing(folder: Path) -> list[tuple[Path, bool, bool]]:
    """A folder's entries with their kinds (scandir: the kind comes with the listing, not from a stat each)."""
    with os.scandir(folder) as listing:
        return sorted((Path(e.path), e.is_symlink(), e.is_dir(follow_symlinks=False)) for e in listing)


def _is_year(layout: Layout, path: Path, is_symlink: bool, is_dir: bool) -> bool:
    return is_dir and not is_symlink and path.parent == layout.results and bool(YEAR_FOLDER.fullmatch(path.name))


def _not_a_year(layout: Layout, folder: Path) -> Diagnostic:
    """A folder right under results/ that is not a year: most likely a record folder of the old flat layout."""
    file = layout.relative(folder)
    if YEAR_FOLDER.fullmatch(folder.name[:4]):
        return error(file, "layout.year-folder", f"成果文件夹应放在年份文件夹中：{record_folder(folder.name)}/。",
                     hint=f"用 git mv {file} results/{folder.name[:4]}/ 移动（年份是编号的前四位），不要改动文件内容。")
    return error(file, "layout.year-folder", f"results/ 下只能有年份文件夹（如 results/2025/）。{LAYOUT_RULE}",
                 hint="把这个文件夹移到正确的位置，或删除它。")


def _record_folder(layout: Layout, folder: Path) -> tuple[list[RecordSource], list[Diagnostic]]:
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    files = [folder / e.name for e in entries]
    yamls = [path for path, e in zip(files, entries)
             if os.path.splitext(e.name)[1] in (".yaml", ".yml") and not e.is_symlink() and e.is_file()]
    problems = []
    if not yamls:
        problems.append(error(layout.relative(folder), "layout.no-record", "文件夹中没有成果 YAML 文件。",
                              hint=f"成果文件应命名为 {folder.name}.yaml。"))
    for extra in yamls[1:]:
        problems.append(error(layout.relative(extra), "layout.extra-record", "一个成果文件夹只能有一个 YAML 文件。",
                              hint="每个成果单独建一个文件夹（运行 zlhcg new）。"))
    sources = []
    if yamls:
        record = yamls[0]
        others = tuple(f for f in files if f != record)
        sources.append(RecordSource(record, layout.relative(record), others))
    return sources, problems


def find_edition_sources(layout: Layout) -> tuple[list[EditionSource], list[Diagnostic]]:
    sources, problems = [], []
    for kind in all_kinds():
        folder = layout.root / kind.source_folder
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name in EDITION_FOLDER_PAGES:
                continue
            file = layout.relative(entry)
            match = kind.file_pattern.fullmatch(entry.name)
            if entry.is_symlink() or not entry.is_file() or not match:
                problems.append(error(file, "edition.filename", f"发布文件名不符合规则，应形如 {kind.key.example}。",
                                      hint=f"{kind.label}的文件请按{kind.key.explained}命名，放在 {kind.source_folder}/ 中。"))
                continue
            sources.append(EditionSource(kind.name, match.group("key"), entry, file))
    return sources, problems


def edition_kind_key(path: str) -> tuple[str, str] | None:
    """`site/<folder>/<file>.md` of a registered kind → (kind name, key), else None."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "site":
        kind = next((k for k in all_kinds() if k.folder == parts[1]), None)
        match = kind.file_pattern.fullmatch(parts[2]) if kind else None
        if match:
            return kind.name, match.group("key")
    return None


def read_record(source: RecordSource) -> LoadedDocument:
    """Raises YamlRejected with one precise diagnostic."""
    return load_mapping(load_bytes(source.path.read_bytes(), source.file))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.DOTALL)


def read_edition(source: EditionSource) -> EditionDocument:
    raw = source.path.read_bytes()
    if len(raw) > MAX_EDITION_BYTES:
        raise YamlRejected(error(source.file, "yaml.file-too-large",
                                 f"文件大小 {len(raw) // 1024} KB，超过上限 {MAX_EDITION_BYTES // 1024} KB。",
                                 hint="请精简正文。"))
    text = decode_source(raw, source.file).replace("\r\n", "\n").replace("\r", "\n")
    check_forbidden_chars(text, source.file)
    match = _FRONT_MATTER.match(text)
    if not match:
        raise YamlRejected(error(source.file, "edition.front-matter",
                                 "文件开头缺少以 --- 包围的头部信息（front matter）。",
                                 hint="第一行写 ---，接着填写期号、发布日期等信息，再用一行 --- 结束，之后是正文。",
                                 line=1, column=1))
    front = load_mapping(load_text(match.group(1) or "", source.file, line_offset=1), "头部信息")
    body = text[match.end():]
    return EditionDocument(source.kind, source.key, front, body, text.count("\n", 0, match.end()) + 1)
