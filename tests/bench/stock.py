"""The stock comparison: the same corpus as a plain mkdocs-material site built the usual way.

What is generated (from a corpus repository, by rewriting its whole git history with fast-export/fast-import,
so every page has the same dates and the same number of commits behind it as the record it came from):

- `docs/results/<id>/index.md` for each record: front matter (title, description = summary), the title as
  `#` heading, the summary, then one `##` section per remaining YAML field in file order, headed by the field's
  title from schema/result.schema.yaml; text as paragraphs, lists as bullet lists, objects as
  "**字段名**：值" items, images as Markdown images. The description's own headings move down one level. This is
  the naive page a contributor would write by hand from the template; no validation of any kind, and no
  embargo or withdrawal handling (such records get a page like any other).
- the record's images beside it; `docs/monthly|quarterly|annual/<key>.md` for each edition: its title,
  publication date, the cited records as links (with their titles) and notes, and its body;
- in one last commit: `docs/index.md`, an index page per edition kind and `docs/results/index.md` listing
  every record by year, and `mkdocs.yml`. (`variant_config` writes two reduced copies of it, untracked: the
  built-in search only, and the theme only.)

mkdocs.yml: theme material (language zh), plugins `search` (lang zh, separator with U+200B, jieba installed:
Material's documented Chinese setup), `git-revision-date-localized` (type date, creation date on, fallback
to build date) and `rss` (match_path results/, everything else default: dates from git). The navigation lists
the home page and the index pages only; records and editions are `not_in_nav`, as in our mkdocs.yml (thousands
of pages in the navigation would be rendered into every page).

The packages go into their own virtualenv (STOCK_VENV), never into the project's: mkdocs and
mkdocs-material pinned to the versions the project uses, the two plugins and jieba at their latest release.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO, Iterator

import yaml

STOCK_VENV = Path("/tmp/zlhcg-stock-venv")
PLUGINS = ["mkdocs-rss-plugin", "mkdocs-git-revision-date-localized-plugin", "jieba"]
RECORD = re.compile(r"results/[0-9]{4}/([^/]+)/\1\.yaml")
MEDIA = re.compile(r"results/[0-9]{4}/([^/]+)/([^/]+\.(?:png|jpe?g|webp))")
EDITION = re.compile(r"site/(monthly|quarterly|annual)/([^/]+)\.md")
KIND_NAMES = {"monthly": "成果月报", "quarterly": "季度发布", "annual": "年度榜单"}
ITEM_LISTS = {"monthly": "featured", "quarterly": "released", "annual": "entries"}
SKIPPED_FIELDS = ("id", "title", "summary", "demo")

MKDOCS_YML = """\
site_name: 浙里好成果（对照站点）
site_url: https://zlhcg.example.org/
docs_dir: docs
use_directory_urls: true
theme:
  name: material
  language: zh
  features: [navigation.tabs]
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
  - git-revision-date-localized:
      type: date
      locale: zh
      enable_creation_date: true
      fallback_to_build_date: true
  - rss:
      match_path: "results/.*"
nav:
  - 首页: index.md
  - 成果库: results/index.md
  - 成果月报: monthly/index.md
  - 季度发布: quarterly/index.md
  - 年度榜单: annual/index.md
not_in_nav: |
  /results/
  /monthly/
  /quarterly/
  /annual/
"""


def variant_config(site: Path, plugins: str) -> Path:
    """A copy of the stock mkdocs.yml with fewer plugins ("search": the built-in search only; "none": the theme
    only), written beside it, to show where the stock build spends its time."""
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("plugins:\n"), text.index("nav:\n")
    kept = text[start:text.index("  - git-revision-date-localized:")] if plugins == "search" else "plugins: []\n"
    target = site / f"mkdocs-{plugins}.yml"
    target.write_text(text[:start] + kept + text[end:], encoding="utf-8")
    return target


# --- the virtualenv ----------------------------------------------------------------------------------------

def stock_versions(venv: Path = STOCK_VENV) -> dict[str, str]:
    names = ["mkdocs", "mkdocs-material", *PLUGINS]
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))")
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code, *names], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def ensure_venv(venv: Path = STOCK_VENV, progress=print) -> Path:
    """Creates the stock virtualenv once (pip from PyPI); returns its `mkdocs` executable."""
    mkdocs = venv / "bin" / "mkdocs"
    marker = venv / ".zlhcg-stock-ok"
    if marker.exists():
        return mkdocs
    progress(f"正在创建对照环境 {venv}（pip 安装 mkdocs-material 及插件）…")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pins = [f"mkdocs=={importlib.metadata.version('mkdocs')}",
            f"mkdocs-material=={importlib.metadata.version('mkdocs-material')}"]
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *pins, *PLUGINS], check=True)
    marker.write_text("ok\n")
    return mkdocs


# --- record and edition pages ------------------------------------------------------------------------------

class Titles:
    """Field titles from the JSON Schema, so headings read like the submission form."""

    def __init__(self, schema_file: Path):
        self.schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))

    def of(self, path: tuple[str, ...]) -> str:
        node = self.schema
        for key in path:
            node = (node.get("items") or node).get("properties", {}).get(key)
            if node is None:
                return path[-1]
        return node.get("title", path[-1])


def _value(value, titles: Titles, path: tuple[str, ...], indent: str = "") -> list[str]:
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            label = titles.of(path + (key,))
            if isinstance(item, (dict, list)):
                lines.append(f"{indent}- **{label}**：")
                lines.extend(_value(item, titles, path + (key,), indent + "    "))
            else:
                lines.append(f"{indent}- **{label}**：{item}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                parts = "；".join(f"{titles.of(path + (k,))}：{v}" for k, v in item.items())
                lines.append(f"{indent}- {parts}")
            else:
                lines.append(f"{indent}- {item}")
        return lines
    return [f"{indent}{value}"]


def record_page(text: str, titles: Titles) -> tuple[str, str]:
    """(title, Markdown) of a record page."""
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    lines = ["---", f"title: {json_string(data['title'])}", f"description: {json_string(data['summary'])}", "---", "",
             f"# {data['title']}", "", data["summary"], ""]
    for key, value in data.items():
        if key in SKIPPED_FIELDS:
            continue
        lines += [f"## {titles.of((key,))}", ""]
        if key == "description":
            lines.append(re.sub(r"^(#+) ", r"#\1 ", value, flags=re.MULTILINE))
        elif key == "media":
            for item in value:
                lines += [f"![{item['alt']}]({item['file']})", "", item.get("caption", ""), ""]
        else:
            lines += _value(value, titles, (key,))
        lines.append("")
    return data["title"], "\n".join(lines)


def json_string(text: str) -> str:
    """A YAML-safe scalar for front matter (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def edition_page(kind: str, key: str, text: str, record_titles: dict[str, str]) -> str:
    _, front_text, body = text.split("---\n", 2)
    front = yaml.load(front_text, Loader=yaml.CSafeLoader)
    title = front.get("title") or f"{KIND_NAMES[kind]} {key}"
    lines = ["---", f"title: {json_string(title)}", "---", "", f"# {title}", "", f"发布日期：{front['published']}", ""]
    for item in front[ITEM_LISTS[kind]]:
        result = item["result"]
        lines.append(f"- [{record_titles.get(result, result)}](../results/{result}/index.md)")
        note = item.get("note") or item.get("citation") or (f"发布人：{item['presenter']}" if "presenter" in item else "")
        if note:
            lines.append(f"    {note}")
    lines += ["", body]
    return "\n".join(lines)


# --- rewriting the history ---------------------------------------------------------------------------------

def _commands(stream: BinaryIO) -> Iterator[tuple[str, list[bytes], bytes | None]]:
    """The commands of a fast-export stream: (kind, its lines without the data, the data of a blob or the
    message of a commit). A command ends at a blank line, at the next command, or (a blob) after its data."""
    line = stream.readline()
    while line:
        if line == b"\n":
            line = stream.readline()
            continue
        kind = line.split()[0].decode()
        lines, data = [line], None
        line = stream.readline()
        while line and line != b"\n" and not line.startswith((b"blob", b"commit ", b"reset ", b"done", b"feature ")):
            if line.startswith(b"data "):
                data = stream.read(int(line.split()[1]))
                line = stream.readline()
                if kind == "blob":
                    break
                continue
            lines.append(line)
            line = stream.readline()
        yield kind, lines, data


class Rewriter:
    """Maps the corpus history to the stock site's: record YAML → Markdown page, images and editions moved
    under docs/, everything else dropped."""

    def __init__(self, titles: Titles, out: BinaryIO):
        self.titles, self.out = titles, out
        self.blobs: dict[bytes, bytes] = {}  # corpus mark → content (records and editions only need it)
        self.record_titles: dict[str, str] = {}
        self.written: dict[tuple[bytes, str], bytes] = {}  # (corpus mark, target path) → mark in the output
        self.next_mark = 10_000_000

    def _blob(self, content: bytes) -> bytes:
        self.next_mark += 1
        mark = b":%d" % self.next_mark
        self.out.write(b"blob\nmark " + mark + b"\ndata %d\n" % len(content) + content + b"\n")
        return mark

    def _file_line(self, line: bytes) -> bytes | None:
        parts = line.rstrip(b"\n").split(b" ", 3)
        if parts[0] == b"D":
            target = self._target(parts[1].decode())
            return f"D {target}\n".encode() if target else None
        mode, mark, path = parts[1], parts[2], parts[3].decode()
        target = self._target(path)
        if target is None:
            return None
        key = (mark, target)
        if key not in self.written:  # a side commit and its merge name the same blob: convert it once
            self.written[key] = self._blob(self._convert(path, self.blobs[mark]))
        return b"M " + mode + b" " + self.written[key] + b" " + target.encode() + b"\n"

    def _convert(self, path: str, content: bytes) -> bytes:
        if match := RECORD.fullmatch(path):
            title, page = record_page(content.decode("utf-8"), self.titles)
            self.record_titles[match.group(1)] = title
            return page.encode()
        if match := EDITION.fullmatch(path):
            return edition_page(match.group(1), match.group(2), content.decode("utf-8"), self.record_titles).encode()
        return content  # an image

    @staticmethod
    def _target(path: str) -> str | None:
        if match := RECORD.fullmatch(path):
            return f"docs/results/{match.group(1)}/index.md"
        if match := EDITION.fullmatch(path):
            return f"docs/{match.group(1)}/{match.group(2)}.md"
        if match := MEDIA.fullmatch(path):
            return f"docs/results/{match.group(1)}/{match.group(2)}"
        return None

    def run(self, stream: BinaryIO) -> None:
        for kind, header, data in _commands(stream):
            if kind == "blob":
                mark = next(line.split()[1] for line in header if line.startswith(b"mark"))
                self.blobs[mark] = data
            elif kind == "commit":
                self._commit(header, data)
            elif kind == "reset":
                self.out.write(b"".join(header) + b"\n")
            elif kind in ("feature", "done", "progress"):
                continue
        self.out.write(b"done\n")

    def _commit(self, header: list[bytes], message: bytes) -> None:
        head, files = [], []
        for line in header:
            if line.startswith((b"M ", b"D ")):
                mapped = self._file_line(line)
                if mapped:
                    files.append(mapped)
            else:
                head.append(line)
        # head: commit, mark, author, committer (before the message); from/merge after it
        before = [h for h in head if not h.startswith((b"from ", b"merge "))]
        after = [h for h in head if h.startswith((b"from ", b"merge "))]
        self.out.write(b"".join(before) + b"data %d\n" % len(message) + message + b"\n" + b"".join(after)
                       + b"".join(files) + b"\n")


def _git(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, **kwargs)


def make_stock_site(corpus: Path, target: Path, progress=print) -> Path:
    """Writes the stock project (a git repository) at `target` from the corpus repository."""
    target.mkdir(parents=True)
    _git(target, "init", "-q", "-b", "main")
    _git(target, "config", "gc.auto", "0")
    titles = Titles(corpus / "schema" / "result.schema.yaml")
    export = subprocess.Popen(["git", "-C", str(corpus), "fast-export", "--reencode=yes", "main"],
                              stdout=subprocess.PIPE)
    importer = subprocess.Popen(["git", "-C", str(target), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    rewriter = Rewriter(titles, importer.stdin)
    rewriter.run(io.BufferedReader(export.stdout, 1 << 20))
    importer.stdin.close()
    if export.wait() != 0 or importer.wait() != 0:
        raise RuntimeError("git fast-export/fast-import failed")
    _git(target, "checkout", "-q", "-f", "main")
    _index_pages(target, rewriter.record_titles)
    last = _git(target, "log", "-1", "--format=%ct").stdout.decode().strip()
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{int(last) + 60} +0800", "GIT_COMMITTER_DATE": f"{int(last) + 60} +0800",
           "GIT_AUTHOR_NAME": "stock", "GIT_AUTHOR_EMAIL": "stock@example.org",
           "GIT_COMMITTER_NAME": "stock", "GIT_COMMITTER_EMAIL": "stock@example.org"}
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "Index pages and mkdocs.yml", env=env)
    progress(f"对照站点已生成：{target}（{len(rewriter.record_titles)} 个成果页面）")
    return target


def _index_pages(root: Path, record_titles: dict[str, str]) -> None:
    docs = root / "docs"
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# 浙里好成果（对照站点）\n\n全省重大科技成果库的对照站点，由基准测试生成。\n",
                                   encoding="utf-8")
    by_year: dict[str, list[str]] = defaultdict(list)
    for record_id in sorted((docs / "results").iterdir()):
        name = record_id.name
        by_year[name[:4]].append(f"- [{record_titles.get(name, name)}]({name}/index.md)")
    lines = ["# 成果库", ""]
    for year in sorted(by_year, reverse=True):
        lines += [f"## {year}", "", *by_year[year], ""]
    (docs / "results" / "index.md").write_text("\n".join(lines), encoding="utf-8")
    for kind, name in KIND_NAMES.items():
        folder = docs / kind
        folder.mkdir(exist_ok=True)
        pages = sorted((p.stem for p in folder.glob("*.md") if p.name != "index.md"), reverse=True)
        (folder / "index.md").write_text(f"# {name}\n\n" + "\n".join(f"- [{p}]({p}.md)" for p in pages) + "\n",
                                         encoding="utf-8")
