"""The fill-in template `zlhcg new` writes: every schema field, each with its Chinese title and help.

Generated from the schema, so it can never fall behind it. Required fields are live lines with empty values
(validation then says exactly what is still missing); optional ones are commented out, ready to uncomment.
Only the evidence block of the chosen category is live.
"""

from __future__ import annotations

from pipeline.check.schemas import Schemas

SKIP = {"schema_version", "id", "withdrawn", "entered"}  # set by the system or by coordinators, never by a new submission
HEADER = """\
# yaml-language-server: $schema={schema_url}
# 浙里好成果 · 重大科技成果报送文件（成果编号 {record_id}）
# 填写说明：
#   1. 每行写成“字段名: 值”，冒号后留一个空格；缩进一律用空格，不要用 Tab。
#   2. 标【必填】的字段必须填写；标【选填】的字段以 # 开头，需要时删去字段行首的“# ”即可。
#   3. 多行文字，以及含有“: ”“ #”或以 * [ {{ " 等符号开头的文字：在字段名后写“|”，下一行起缩进书写。
#      编号、代码、日期等直接填写，不需要加引号。
#   4. 图片放在本文件所在的文件夹中，在 media 中登记文件名和文字说明。
#   5. 填好后运行 zlhcg validate 检查，按提示逐条修改。
"""


def _example(node: dict) -> str:
    if isinstance(node.get("const"), str):
        return f'"{node["const"]}"'
    if "enum" in node:
        return '""  # 可选值：' + "、".join(map(str, node["enum"]))
    if "const" in node:
        return "true" if node["const"] is True else str(node["const"])
    if node.get("type") in ("integer", "number"):
        return ""
    return '""'


def _help(node: dict, required: bool) -> str:
    tag = "必填" if required else "选填"
    title, description = node.get("title", ""), node.get("description", "")
    return f"# 【{tag}】{title}：{description}" if title else f"# 【{tag}】{description}"


def _comment_out(lines: list[str]) -> list[str]:
    """Comments out field lines, leaving help lines and lines that are already comments alone."""
    out = []
    for line in lines:
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        out.append(line if body.startswith("#") else f"{indent}# {body}")
    return out


def _with_lead(lines: list[str], indent: int) -> list[str]:
    """Marks the first field line of a block as a list item: `  - name: …`."""
    for i, line in enumerate(lines):
        if not line.lstrip(" ").startswith("#"):
            lines[i] = " " * (indent - 2) + "- " + line[indent:]
            break
    return lines


def _required_by_default(node: dict) -> set[str]:
    """Fields required unless an optional field is given (`if: {not: {required: [region]}}`): the common case,
    so the template shows them live."""
    return {name for rule in node.get("allOf", []) if "not" in rule.get("if", {})
            for name in rule.get("then", {}).get("required", [])}


class _Writer:
    def __init__(self, schemas: Schemas):
        self.schemas = schemas

    def field(self, name: str, node: dict, required: bool, indent: int) -> list[str]:
        node = self.schemas.resolve(node)
        pad = " " * indent
        lines = [pad + _help(node, required)]
        kind = node.get("type")
        if kind == "object":
            lines.append(f"{pad}{name}:")
            lines += self.properties(node, indent + 2)
        elif kind == "array":
            lines.append(f"{pad}{name}:")
            lines += self.item(self.schemas.resolve(node.get("items", {})), indent + 2)
        else:
            lines.append(f"{pad}{name}: {_example(node)}".rstrip())
        return lines if required else _comment_out(lines)

    def properties(self, node: dict, indent: int) -> list[str]:
        required = set(node.get("required", [])) | _required_by_default(node)
        lines: list[str] = []
        for name, child in node.get("properties", {}).items():
            lines += self.field(name, child, name in required, indent)
        return lines

    def item(self, node: dict, indent: int) -> list[str]:
        if node.get("type") == "object":
            return _with_lead(self.properties(node, indent + 2), indent + 2)
        return [f"{' ' * indent}- {_example(node)}"]


def evidence_by_category(schemas: Schemas) -> dict[str, str]:
    """From the schema's if/then blocks: category name -> the field carrying its evidence."""
    return {c["if"]["properties"]["category"]["const"]: c["then"]["required"][0]
            for c in schemas.documents["result"].get("allOf", []) if "category" in c["if"]["properties"]}


def render_template(schemas: Schemas, record_id: str, schema_url: str, category: str | None = None) -> str:
    schema = schemas.documents["result"]
    writer = _Writer(schemas)
    live_evidence = evidence_by_category(schemas).get(category or "")
    version = schema["properties"]["schema_version"]
    lines = [HEADER.format(schema_url=schema_url, record_id=record_id).rstrip("\n"), "",
             _help(version, True), f"schema_version: {_example(version)}", "",
             _help(schema["properties"]["id"], True), f"id: {record_id}"]
    for name, node in schema["properties"].items():
        if name in SKIP:
            continue
        lines.append("")
        if name == "category" and category:
            lines += [_help(node, True), f"category: {category}"]
            continue
        lines += writer.field(name, node, name in schema["required"] or name == live_evidence, 0)
    return "\n".join(lines) + "\n"
