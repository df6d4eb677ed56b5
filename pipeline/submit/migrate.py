"""`zlhcg migrate`: record files from format 1.0 to 2.0, mechanically and losslessly.

The file is edited as text, line by line, at the positions the strict loader reports, so comments, quoting,
block scalars and key order survive: only the changed keys change. What 1.0 → 2.0 changes:

- `schema_version: "2.0"` is added before the first field, and the `$schema` comment points to 2.0;
- a person's `unit: X` becomes `units:` with the one item `- X` (a person may now have several units);
- a benefit's `value:` is renamed `amount:`;
- look-alike middle dots in person names become U+00B7 (2.0 refuses the look-alikes), each one reported;
- a pending patent (已受理, 实审中, 已公开) loses the `ZL` that 1.0 forced on every number: what remains is
  its application number, which 2.0 requires for those statuses (reported too).

Before anything is written the new text is loaded again and compared with the old data transformed in
memory (`upgrade_data`); any difference refuses the file, so a migration can never lose or alter a value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.names import MIDDLE_DOT_VARIANTS, fold_middle_dots
from pipeline.errors import EXIT_INVALID, EXIT_OK, UserError, root_from_args
from pipeline.read.sources import Layout, find_record_sources, results_entry
from pipeline.read.strictyaml import LoadedDocument, YamlRejected, load_mapping, load_text

TARGET = "2.0"
PENDING = ("已受理", "实审中", "已公开")
_LINE_KEY = re.compile(r"(?P<key>[A-Za-z_]+):[ ]*(?P<rest>.*)")


@dataclass(frozen=True)
class Migrated:
    text: str
    notes: tuple[str, ...]  # what changed beyond the renames (folded middle dots), for the user


class MigrationRefused(Exception):
    """The file cannot be migrated mechanically; the message (Chinese) says why."""


def upgrade_data(data: dict) -> dict:
    """The 2.0 form of a 1.0 record's data: what the migrated file must load as."""
    out = {"schema_version": TARGET, **data}
    if isinstance(data.get("people"), list):
        out["people"] = [_person(p) for p in data["people"]]
    patents = (data.get("ip") or {}).get("patents") if isinstance(data.get("ip"), dict) else None
    if isinstance(patents, list):
        out["ip"] = {**data["ip"], "patents": [_patent(p) for p in patents]}
    if isinstance(data.get("benefits"), list):
        out["benefits"] = [{("amount" if k == "value" else k): v for k, v in b.items()} if isinstance(b, dict) else b
                           for b in data["benefits"]]
    return out


def _pending_with_zl(patent) -> bool:
    return (isinstance(patent, dict) and patent.get("status") in PENDING and isinstance(patent.get("number"), str)
            and patent["number"].startswith("ZL"))


def _patent(patent):
    return {**patent, "number": patent["number"].removeprefix("ZL")} if _pending_with_zl(patent) else patent


def _person(person):
    if not isinstance(person, dict):
        return person
    out = {("units" if k == "unit" else k): ([v] if k == "unit" else v) for k, v in person.items()}
    if isinstance(out.get("name"), str):
        out["name"] = fold_middle_dots(out["name"])
    return out


def new_path(path: tuple) -> tuple:
    """Where the value at a 1.0 `path` lives in 2.0 (for checking that nothing was lost)."""
    if len(path) >= 3 and path[0] == "people" and path[2] == "unit":
        return ("people", path[1], "units", 0)
    if len(path) >= 3 and path[0] == "benefits" and path[2] == "value":
        return ("benefits", path[1], "amount")
    return path


def migrate_text(text: str, file: str) -> Migrated | None:
    """The 2.0 text of a 1.0 record, or None when it is already 2.0."""
    doc = load_mapping(load_text(text, file))
    if "schema_version" in doc.data:
        if str(doc.data["schema_version"]) == TARGET:
            return None
        raise MigrationRefused(f"不认识的格式版本“{doc.data['schema_version']}”，只能从 1.0（没有 schema_version）升级。")
    lines = text.replace("\r\n", "\n").split("\n")
    notes = []
    people = [(i, p) for i, p in enumerate(doc.data.get("people") or ()) if isinstance(p, dict)]
    for i, person in people:  # edits within a line first: the positions stay right
        notes += _fold_name(lines, doc, i, person)
    for i, benefit in enumerate(doc.data.get("benefits") or ()):
        if isinstance(benefit, dict) and "value" in benefit:
            _rename_key(lines, doc, ("benefits", i, "value"), "amount")
    patents = (doc.data.get("ip") or {}).get("patents") if isinstance(doc.data.get("ip"), dict) else None
    for i, patent in enumerate(patents if isinstance(patents, list) else ()):
        if _pending_with_zl(patent):
            notes.append(_drop_zl(lines, doc, i, patent))
    for i, person in reversed(people):  # then the ones adding lines, from the bottom up
        if "unit" in person:
            _unit_to_units(lines, doc, i)
    _add_version(lines, doc)
    new_text = "\n".join(lines)
    if load_text(new_text, file).as_written() != upgrade_data(doc.as_written()):
        raise MigrationRefused("自动升级后的内容与原内容不一致（可能是不常见的写法），文件未改动。请按字段说明手工修改。")
    return Migrated(new_text, tuple(notes))


def _fold_name(lines: list[str], doc: LoadedDocument, i: int, person: dict) -> list[str]:
    name = person.get("name")
    if not isinstance(name, str) or not MIDDLE_DOT_VARIANTS & set(name):
        return []
    line = doc.position_of(("people", i, "name")).line - 1
    lines[line] = fold_middle_dots(lines[line])
    return [f"第 {line + 1} 行：姓名“{name}”中的间隔号已改为“·”（U+00B7）：{fold_middle_dots(name)}"]


def _drop_zl(lines: list[str], doc: LoadedDocument, i: int, patent: dict) -> str:
    position = doc.position_of(("ip", "patents", i, "number"))
    line, column = position.line - 1, position.column - 1
    quote = lines[line][column] if lines[line][column] in "\"'" else ""
    start = column + len(quote)
    if lines[line][start:start + 2] != "ZL":
        raise MigrationRefused(f"第 {position.line} 行找不到专利号开头的 ZL，文件未改动。")
    lines[line] = lines[line][:start] + lines[line][start + 2:]
    return (f"第 {position.line} 行：专利“{patent['title']}”的状态是“{patent['status']}”，尚未授权，"
            f"编号去掉 ZL 改为申请号 {patent['number'][2:]}")


def _rename_key(lines: list[str], doc: LoadedDocument, path: tuple, new: str) -> None:
    position = doc.key_positions[path]
    line, column = position.line - 1, position.column - 1
    old = str(path[-1])
    if lines[line][column:column + len(old)] != old:
        raise MigrationRefused(f"第 {position.line} 行找不到字段 {old}，文件未改动。")
    lines[line] = lines[line][:column] + new + lines[line][column + len(old):]


def _unit_to_units(lines: list[str], doc: LoadedDocument, i: int) -> None:
    """`unit: X` → `units:` + `- X` on the next line, X exactly as written when it fits on its line."""
    key = doc.key_positions[("people", i, "unit")]
    value = doc.position_of(("people", i, "unit"))
    line, column = key.line - 1, key.column - 1
    match = _LINE_KEY.fullmatch(lines[line][column:])
    single_line = match and value.line == key.line and match["rest"][:1] not in ("|", ">", "") and (
        key.line == len(lines) or _indent(lines[key.line]) <= column or not lines[key.line].strip())
    written = match["rest"] if single_line else json.dumps(doc.data["people"][i]["unit"], ensure_ascii=False)
    lines[line] = lines[line][:column] + "units:"
    lines.insert(line + 1, " " * (column + 2) + "- " + written)
    if not single_line:  # drop the continuation lines of a multi-line value
        while line + 2 < len(lines) and lines[line + 2].strip() and _indent(lines[line + 2]) > column:
            del lines[line + 2]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _add_version(lines: list[str], doc: LoadedDocument) -> None:
    first = min(doc.key_positions[(key,)].line for key in doc.data) - 1
    lines.insert(first, f'schema_version: "{TARGET}"')
    for n in range(first):
        if lines[n].startswith("#"):
            lines[n] = lines[n].replace("result-1.0.0.json", "result-2.0.0.json")


def cmd_migrate(args) -> int:
    root = root_from_args(args)
    layout = Layout(root)
    sources, problems = find_record_sources(layout, _names(layout, args.paths) if args.paths else None)
    if problems:
        raise UserError("成果目录中有放错位置的文件，请先运行 zlhcg validate 按提示整理。")
    changed, current, failed = [], 0, 0
    for source in sources:
        try:
            result = migrate_text(source.path.read_bytes().decode("utf-8-sig"), source.file)
        except (YamlRejected, MigrationRefused) as exc:
            failed += 1
            reason = exc.diagnostic.message if isinstance(exc, YamlRejected) else str(exc)
            print(f"{source.file}：无法升级：{reason}")
            continue
        if result is None:
            current += 1
            continue
        changed.append(source.file)
        if not args.check:
            source.path.write_text(result.text, encoding="utf-8")
        for note in result.notes:
            print(f"{source.file}：{note}")
    verb = "需要升级" if args.check else "已升级到 2.0"
    print(f"{verb} {len(changed)} 个文件，{current} 个文件已是 2.0" + (f"，{failed} 个文件无法升级" if failed else "") + "。")
    for file in changed:
        print(f"  {file}")
    return EXIT_INVALID if failed or (args.check and changed) else EXIT_OK


def _names(layout: Layout, paths: list[str]) -> set[str] | None:
    """results/ entries named by the arguments (record folders, files inside them, or year folders); None for
    results/ itself (everything)."""
    names = set()
    for path in paths:
        full = Path(path).resolve()
        try:
            relative = full.relative_to(layout.results.resolve())
        except ValueError:
            raise UserError(f"{path} 不在成果目录 results/ 中。") from None
        if not relative.parts:
            return None
        names.add(results_entry(f"results/{relative.as_posix()}"))
    return names


def register(sub) -> None:
    parser = sub.add_parser("migrate", help="把旧格式（1.0）的成果记录升级到现行格式 2.0，不丢失任何内容")
    parser.add_argument("paths", nargs="*", help="只升级这些成果文件夹或年份文件夹（默认：results/ 下全部）")
    parser.add_argument("--check", action="store_true", help="只检查，不改文件：有需要升级的文件时退出码为 1")
    parser.set_defaults(func=cmd_migrate)
