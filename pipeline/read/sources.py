"""Finding the library's source files in a repository checkout, and reading them strictly.

Layout: `results/<id>/<id>.yaml` with the record's images beside it; editions under `site/<folder>/` of each
registered kind (`pipeline/kinds.yaml`) as Markdown with YAML front matter.
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
    """Every `results/<folder>/<name>.yaml` (or, with `names`, those entries of results/ that exist: what a
    pull request touched); anything out of place is reported, never skipped silently."""
    sources, problems = [], []
    if not layout.results.is_dir():
        return [], [error("results", "layout.missing", "找不到成果目录 results/。", hint="请在仓库根目录运行。")]
    if names is None:  # scandir: the kind of each entry comes with the listing, not from a stat per entry
        with os.scandir(layout.results) as listing:
            entries = sorted(((Path(e.path), e.is_symlink(), e.is_dir(follow_symlinks=False)) for e in listing))
    else:
        entries = sorted((path, path.is_symlink(), path.is_dir()) for path in
                         (layout.results / name for name in set(names) if os.path.lexists(layout.results / name)))
    for entry, is_symlink, is_dir in entries:
        file = layout.relative(entry)
        if entry.name.startswith(".") and entry.name in {".gitkeep"}:
            continue
        if is_symlink:
            problems.append(error(file, "layout.symlink", "成果目录中不允许出现符号链接。", hint="请提交真实的文件夹和文件。"))
        elif not is_dir:
            problems.append(error(file, "layout.stray-file", "成果文件应放在以编号命名的文件夹中：results/<编号>/<编号>.yaml。",
                                  hint="运行 zlhcg new 生成正确的文件夹和文件，再把内容移入。"))
        else:
            found, more = _record_folder(layout, entry)
            sources.extend(found)
            problems.extend(more)
    return sources, problems


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
