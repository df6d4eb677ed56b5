"""The submission form as one object, built from `submission_form.yaml` (which schema field each form item
fills, with which widget) and the record schema (every label, help text and option).

Both the issue-form generator and the parser of submitted forms use this, so what the form asks and what the
parser expects cannot drift apart, and neither can drift from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.check.schemas import Schemas
from pipeline.read.strictyaml import load_bytes, load_mapping
from pipeline.submit.record_template import evidence_by_category

LAYOUT = Path(__file__).with_name("submission_form.yaml")
WIDGETS = {"input", "textarea", "lines", "table", "dropdown", "multi", "confirm"}
LABEL_JOINER = " · "


class FormLayoutError(ValueError):
    """submission_form.yaml does not fit the schema: a maintainer's mistake, caught by the tests."""


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    description: str
    required: bool
    node: dict


@dataclass(frozen=True)
class FormSection:
    id: str
    path: tuple[str, ...]
    widget: str
    label: str
    description: str
    required: bool
    node: dict  # the schema node of the field (for tables and lists: the array)
    options: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    example: str = ""
    evidence_of: str = ""  # the category whose evidence this carries

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class FormSpec:
    file: str
    name: str
    about: str
    title: str
    label: str
    intro: str
    sections: tuple[FormSection, ...]
    not_in_form: dict

    def section_at(self, path: tuple) -> FormSection | None:
        """The section filling `path` (names only) or, failing that, the first one inside it."""
        names = tuple(p for p in path if isinstance(p, str))
        for length in range(len(names), 0, -1):
            found = next((s for s in self.sections if s.path == names[:length]), None)
            if found:
                return found
        return next((s for s in self.sections if s.path[: len(names)] == names), None) if names else None


def _required_chain(schemas: Schemas, path: tuple[str, ...]) -> bool:
    node = schemas.documents["result"]
    for name in path:
        if name not in node.get("required", []):
            return False
        node = schemas.resolve(node["properties"][name])
    return True


def _options(node: dict) -> tuple[str, ...]:
    target = node.get("items", {}) if node.get("type") == "array" else node
    return tuple(target.get("enum", ()))


def _columns(schemas: Schemas, node: dict, names: list) -> tuple[Column, ...]:
    item = schemas.resolve(node.get("items", {}))
    props, required = item.get("properties", {}), set(item.get("required", []))
    missing = [n for n in names if n not in props]
    unlisted = [n for n in props if n not in names]
    if missing or unlisted:
        raise FormLayoutError(f"表格列与 schema 不一致：多出 {missing}，缺少 {unlisted}")
    return tuple(Column(n, props[n].get("title", n), props[n].get("description", ""), n in required,
                        schemas.resolve(props[n])) for n in names)


def _check_widget(widget: str, node: dict, dotted: str) -> None:
    kind, items = node.get("type"), node.get("items", {})
    fits = {
        "input": kind == "string", "textarea": kind == "string",
        "dropdown": kind == "string" and "enum" in node,
        "lines": kind == "array" and items.get("type") == "string" and "enum" not in items,
        "multi": kind == "array" and "enum" in items,
        "table": kind == "array" and items.get("type") == "object",
        "confirm": node.get("const") is True,
    }
    if not fits.get(widget):
        raise FormLayoutError(f"{dotted}：控件 {widget} 与 schema 类型不符")


def _section(schemas: Schemas, entry: dict, evidence: dict[str, str]) -> FormSection:
    path = tuple(str(entry["path"]).split("."))
    dotted, widget = ".".join(path), str(entry["widget"])
    node = schemas.subschema_at("result", path)
    if node is None or widget not in WIDGETS:
        raise FormLayoutError(f"表单项 {dotted}：schema 中没有该字段，或控件 {widget} 不存在")
    _check_widget(widget, node, dotted)
    title = node.get("title", path[-1])
    label = title if len(path) == 1 else schemas.subschema_at("result", path[:1])["title"] + LABEL_JOINER + title
    columns = _columns(schemas, node, list(entry.get("columns", []))) if widget == "table" else ()
    return FormSection(id=dotted.replace(".", "-").replace("_", "-"), path=path, widget=widget, label=label,
                       description=node.get("description", ""), required=_required_chain(schemas, path), node=node,
                       options=_options(node), columns=columns, example=str(entry.get("example", "")),
                       evidence_of=evidence.get(path[0], ""))


def load_form_spec(schemas: Schemas, layout: Path = LAYOUT) -> FormSpec:
    data = load_mapping(load_bytes(layout.read_bytes(), layout.name), "表单结构文件").data
    evidence = {field: category for category, field in evidence_by_category(schemas).items()}
    sections = tuple(_section(schemas, entry, evidence) for entry in data["sections"])
    labels = [s.label for s in sections]
    if len(set(labels)) != len(labels) or len({s.id for s in sections}) != len(sections):
        raise FormLayoutError("表单项的标签或编号重复")
    template = data["template"]
    return FormSpec(file=template["file"], name=template["name"], about=template["description"],
                    title=template["title"], label=template["label"], intro=data["intro"], sections=sections,
                    not_in_form=dict(data.get("not_in_form") or {}))
