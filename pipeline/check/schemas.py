"""The JSON Schemas: read from `schema/*.schema.yaml`, vocabularies filled in, validators compiled once.

A schema node marked `x-vocabulary: cities` gets `enum: [...]` from `schema/vocab/cities.yaml`, so the
published schema (and editors that read it) always lists the current allowed values.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from pipeline.check.formats import FORMATS
from pipeline.kinds import all_kinds

from pipeline.read.strictyaml import load_bytes, load_mapping
from pipeline.check.vocab import Vocabularies



def validated_kinds() -> tuple[str, ...]:
    """Schemas that documents are validated against: the record, then each registered edition kind's."""
    return ("result", *dict.fromkeys(kind.schema for kind in all_kinds()))


@dataclass(frozen=True)
class Schemas:
    """Compiled schemas by kind ("result", "monthly", …) plus the shared definitions."""

    documents: dict[str, dict]  # kind -> compiled schema (JSON-ready)
    validators: dict[str, Draft202012Validator]  # explains errors, in detail
    registry: Registry
    fast: dict[str, object]  # jsonschema-rs validators: a quick yes/no for the common, valid case

    def version(self, kind: str) -> str:
        """`1.0.0` from an `$id` ending in `result-1.0.0.json`."""
        return self.documents[kind]["$id"].rsplit("-", 1)[1].removesuffix(".json")

    def file_name(self, kind: str) -> str:
        return self.documents[kind]["$id"].rsplit("/", 1)[1]

    def resolve(self, node: dict) -> dict:
        ref = node.get("$ref")
        if not ref:
            return node
        # Every schema lives in the same folder, so relative references resolve against any schema's $id.
        base = self.documents["result"]["$id"]
        resolved = self.registry.resolver(base_uri=base).lookup(ref).contents
        return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}

    def subschema_at(self, kind: str, path) -> dict | None:
        """The schema node describing the instance at `path`, following properties and items."""
        node = self.resolve(self.documents[kind])
        for part in path:
            if isinstance(part, int):
                node = node.get("items")
            else:
                node = (node.get("properties") or {}).get(part)
            if not isinstance(node, dict):
                return None
            node = self.resolve(node)
        return node


def _fill_vocabularies(node: Any, vocabularies: Vocabularies) -> Any:
    if isinstance(node, dict):
        filled = {k: _fill_vocabularies(v, vocabularies) for k, v in node.items()}
        key = node.get("x-vocabulary")
        if key:
            filled["enum"] = vocabularies[key].names
        return filled
    if isinstance(node, list):
        return [_fill_vocabularies(v, vocabularies) for v in node]
    return node


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str) or check(value))
    return checker


def _end_anchored(node: Any) -> Any:
    """Python's `$` also matches before a final line break, ECMA's (and jsonschema-rs's) does not: the
    explaining validator gets patterns ending in `\\Z`, so a value with a trailing newline fails in both."""
    if isinstance(node, dict):
        out = {k: _end_anchored(v) for k, v in node.items()}
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
            out["pattern"] = pattern[:-1] + "\\Z"
        return out
    if isinstance(node, list):
        return [_end_anchored(v) for v in node]
    return node


def load_schemas(schema_dir: Path, vocabularies: Vocabularies) -> Schemas:
    raw = {}
    for path in sorted(schema_dir.glob("*.schema.yaml")):
        kind = path.name.removesuffix(".schema.yaml")
        raw[kind] = load_mapping(load_bytes(path.read_bytes(), path.as_posix()), "Schema 文件").data
    documents = {kind: _fill_vocabularies(copy.deepcopy(doc), vocabularies) for kind, doc in raw.items()}
    registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in documents.values()
    )
    explaining = {kind: _end_anchored(doc) for kind, doc in documents.items()}
    explaining_registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in explaining.values())
    checker = _format_checker()
    validators = {kind: Draft202012Validator(explaining[kind], registry=explaining_registry, format_checker=checker)
                  for kind in validated_kinds()}
    fast_registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in documents.values()])
    fast = {kind: jsonschema_rs.Draft202012Validator(documents[kind], validate_formats=True, registry=fast_registry,
                                                     offline=True, formats=FORMATS)
            for kind in validated_kinds()}
    return Schemas(documents, validators, registry, fast)


def iter_schema_fields(schema: Schemas, kind: str) -> Iterator[tuple[str, dict, bool]]:
    """Every field of a schema as (dotted path, node, required), depth first, for the field reference."""

    def walk(node: dict, prefix: str) -> Iterator[tuple[str, dict, bool]]:
        node = schema.resolve(node)
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            yield from walk(node["items"], prefix + "[]")
            return
        required = set(node.get("required", []))
        for name, child in (node.get("properties") or {}).items():
            path = f"{prefix}.{name}" if prefix else name
            yield path, schema.resolve(child), name in required
            yield from walk(child, path)

    yield from walk(schema.documents[kind], "")
