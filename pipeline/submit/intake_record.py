"""From parsed form data to a record file: id, key order, YAML text, validation by the project's own
validator (schema + rules, the same calls as `library.validate_record`), and the messages mapped back onto the
form items, so the submitter reads "【完成单位 第 2 行（统一社会信用代码）】…" and not a YAML path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.diagnostics import Diagnostic, has_errors
from pipeline.model.library import Rules
from pipeline.check.record_check import check_record_document
from pipeline.check.schemas import Schemas
from pipeline.read.sources import RecordSource, record_file as record_file_of
from pipeline.read.strictyaml import YamlRejected, load_bytes, load_mapping, resolve_plain
from pipeline.submit.form_spec import FormSpec
from pipeline.submit.intake import Location, Parsed, parse_form, where
from pipeline.submit.plain_words import PlainWords

_PATH_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


@dataclass(frozen=True)
class Submission:
    record_id: str
    file: str  # results/<year>/<id>/<id>.yaml
    text: str | None  # the record file, when the form could be read
    problems: tuple[Diagnostic, ...]
    form_ok: bool  # the form itself was read without problems (the record may still fail validation)

    @property
    def ok(self) -> bool:
        """Form and record are both fine: the only case in which a record file may be written."""
        return self.form_ok and self.text is not None and not has_errors(self.problems)


def order_like_schema(value: Any, node: dict, schemas: Schemas) -> Any:
    """Keys in the schema's order, so every written record reads the same way."""
    node = schemas.resolve(node)
    if isinstance(value, dict):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return {k: order_like_schema(value[k], props.get(k, {}), schemas) for k in keys}
    if isinstance(value, list):
        return [order_like_schema(v, node.get("items", {}), schemas) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    """Multi-line text as a literal block; anything our strict loader would read as another type (PyYAML
    follows YAML 1.1, the loader 1.2, so e.g. "1e5" differs) double-quoted, so it stays the text typed."""
    if "\n" in value:
        style = "|"
    elif resolve_plain(value) != value or not isinstance(resolve_plain(value), str):
        style = '"'
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ordered = order_like_schema  # the name the form intake uses

_Dumper.add_representer(str, _represent_str)


def record_yaml(data: dict, header: list[str]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return "".join(f"# {line}\n" for line in header) + body


def check_record_text(text: str, file: str, rules: Rules, folder_files: tuple[Path, ...] = ()) -> list[Diagnostic]:
    """What `zlhcg validate` would say about this file at `file` (beside `folder_files`), without writing it."""
    source = RecordSource(Path(file), file, folder_files)
    try:
        doc = load_mapping(load_bytes(text.encode("utf-8"), file))
    except YamlRejected as rejected:
        return [rejected.diagnostic]
    return check_record_document(doc, source, rules.schemas, rules.vocab, rules.today)[1]


def parse_path(text: str) -> tuple:
    """`units[0].credit_code` -> ("units", 0, "credit_code")."""
    return tuple(int(i) if i else name for name, i in _PATH_PART.findall(text))


def _location(path: tuple, parsed: Parsed, spec: FormSpec) -> tuple[Location | None, str]:
    for length in range(len(path), 0, -1):
        found = parsed.locations.get(path[:length])
        if found:
            rest = [p for p in path[length:] if isinstance(p, str)]
            column = next((c.title for c in found.section.columns if rest and c.name == rest[0]), "")
            return found, column
    section = spec.section_at(path)
    return (Location(section, 0) if section else None), ""


def on_form(diagnostic: Diagnostic, parsed: Parsed, spec: FormSpec, file: str, words: PlainWords) -> Diagnostic:
    """The validator's diagnostic at its form item (and row and column), in the form's own words."""
    location, column = _location(parse_path(diagnostic.field), parsed, spec)
    prefix = where(location, column) if location else ""
    message = words.text(diagnostic.message)
    if diagnostic.rule == "schema.required" and location is not None and (column or location.section.path ==
                                                                            parse_path(diagnostic.field)):
        message = "尚未填写。" + message.partition("。")[2]  # the prefix names the item; the reason stays
    return Diagnostic(file, location.line or None if location else None, None, diagnostic.rule,
                      prefix + message, words.text(diagnostic.hint), diagnostic.field, diagnostic.severity)


def submission_from_form(body: str, spec: FormSpec, rules: Rules, record_id: str, file: str,
                         header: list[str]) -> Submission:
    parsed = parse_form(body, spec, file)
    record_file = record_file_of(record_id)
    if parsed.fatal:
        return Submission(record_id, record_file, None, tuple(parsed.problems), False)
    schema = rules.schemas.documents["result"]
    version = schema["properties"]["schema_version"]["const"]
    data = _ordered({"schema_version": version, "id": record_id, **parsed.data}, schema, rules.schemas)
    text = record_yaml(data, header)
    broken = {d.field for d in parsed.problems}  # the form's own messages already cover these items
    words = PlainWords.of(rules.schemas)
    checked = [on_form(d, parsed, spec, file, words) for d in check_record_text(text, record_file, rules)
               if not any(d.field == b or d.field.startswith(b + ".") or d.field.startswith(b + "[")
                          for b in broken)]
    problems = sorted([*parsed.problems, *checked], key=lambda d: d.line or 0)
    return Submission(record_id, record_file, text, tuple(problems), not has_errors(parsed.problems))
