"""The GitHub issue form (`.github/ISSUE_TEMPLATE/submit.yml`), generated from the form spec and the schema.

`zlhcg issue-form` writes it; a test fails when the committed file differs from what this module generates,
so labels, help texts and options always match the schema and its vocabularies.
"""

from __future__ import annotations

import yaml

from pipeline.submit.form_spec import FormSection, FormSpec

HEADER = ("# 本文件由 zlhcg issue-form 根据 schema/result.schema.yaml 和 pipeline/submit/submission_form.yaml 生成，\n"
          "# 请勿手工修改；修改 schema 或表单结构后重新运行 zlhcg issue-form。\n")
SEPARATOR_NOTE = "各列以“|”分隔"


def describe(section: FormSection) -> str:
    """The help text under a form item: the schema's description, plus how to write lists and tables."""
    text = section.description
    if section.evidence_of:
        text += f"（成果类别为“{section.evidence_of}”时必填。）"
    if section.widget == "lines":
        text += "\n\n每行填写一项。"
    if section.widget == "multi":
        text += "\n\n可多选。"
    if section.widget == "table":
        order = " | ".join(c.title for c in section.columns)
        text += f"\n\n每行填写一项，{SEPARATOR_NOTE}，依次为：{order}"
        for column in section.columns:
            optional = "" if column.required else "（选填）"
            options = column.node.get("enum")
            extra = "可选：" + "、".join(options) + "。" if options else ""
            text += f"\n- {column.title}{optional}：{column.description}{extra}"
    return text


def _placeholder(section: FormSection) -> str:
    if section.example:
        return section.example
    if section.widget == "table":
        return " | ".join(c.title for c in section.columns)
    return ""


def _element(section: FormSection) -> dict:
    attributes: dict = {"label": section.label, "description": describe(section)}
    if section.widget == "confirm":
        title = section.node.get("title", section.label)
        return {"type": "checkboxes", "id": section.id,
                "attributes": {**attributes, "options": [{"label": title, "required": section.required}]}}
    if section.widget in ("dropdown", "multi"):
        attributes["multiple"] = section.widget == "multi"
        attributes["options"] = list(section.options)
        kind = "dropdown"
    else:
        kind = "input" if section.widget == "input" else "textarea"
        placeholder = _placeholder(section)
        if placeholder:
            attributes["placeholder"] = placeholder
    return {"type": kind, "id": section.id, "attributes": attributes,
            "validations": {"required": section.required}}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def form_document(spec: FormSpec) -> dict:
    body = [{"type": "markdown", "attributes": {"value": spec.intro}}]
    body += [_element(s) for s in spec.sections]
    return {"name": spec.name, "description": spec.about, "title": spec.title, "labels": [spec.label], "body": body}


def render_issue_form(spec: FormSpec) -> str:
    text = yaml.dump(form_document(spec), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return HEADER + text
