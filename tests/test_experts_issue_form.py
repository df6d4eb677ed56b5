"""The issue form ↔ schema correspondence: every required field (and every category's evidence) can be filled
in the form, the help texts are the schema's descriptions, and the committed form is what the schema makes."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
import yaml

from pipeline.cli import main
from pipeline.submit.form_spec import FormLayoutError, load_form_spec
from pipeline.submit.issue_form import describe, render_issue_form
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.submit.record_template import evidence_by_category
from tests.factories import REPO

FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "submit.yml"


@pytest.fixture(scope="module")
def schemas():
    return load_rules(Layout(REPO), date(2025, 7, 1)).schemas


@pytest.fixture(scope="module")
def spec(schemas):
    return load_form_spec(schemas)


@pytest.fixture(scope="module")
def form():
    return yaml.safe_load(FORM.read_text(encoding="utf-8"))


def _required_leaves(schemas, node, path=()):
    """Every path the schema requires, read from the schema itself: objects are opened up, arrays of objects
    are one form item whose columns must include the item's required fields."""
    node = schemas.resolve(node)
    if node.get("type") == "object":
        for name in node.get("required", []):
            yield from _required_leaves(schemas, node["properties"][name], path + (name,))
    else:
        yield path, node


def _must_fill(schemas):
    root = schemas.documents["result"]
    wanted = list(root["required"]) + list(evidence_by_category(schemas).values())
    for name in wanted:
        yield from _required_leaves(schemas, root["properties"][name], (name,))


def test_the_committed_form_is_generated_from_the_schema(spec):
    assert FORM.read_text(encoding="utf-8") == render_issue_form(spec), "运行 zlhcg issue-form 重新生成表单"


def test_every_required_field_and_all_category_evidence_has_a_form_field(schemas, form):
    by_id = {item["id"]: item for item in form["body"] if "id" in item}
    spec = load_form_spec(schemas)
    paths = {s.path: s for s in spec.sections}
    missing = []
    for path, node in _must_fill(schemas):
        if path in (("id",), ("schema_version",)):
            continue  # the system assigns ids and writes the current format version
        section = paths.get(path)
        if section is None or section.id not in by_id:
            missing.append(".".join(path))
            continue
        if node.get("type") == "array" and node.get("items", {}).get("type") == "object":
            required = set(node["items"].get("required", []))
            assert required <= {c.name for c in section.columns}, path
    assert missing == []


def test_evidence_fields_are_in_the_form_for_each_category(schemas, spec):
    evidence = evidence_by_category(schemas)
    assert set(evidence.values()) == {"papers", "breakthrough", "application"}
    for category, field in evidence.items():
        sections = [s for s in spec.sections if s.path[0] == field]
        assert sections and all(s.evidence_of == category for s in sections)
        assert all(f"成果类别为“{category}”时必填" in describe(s) for s in sections)


def test_every_schema_field_is_in_the_form_or_explicitly_left_out(schemas, spec):
    top = set(schemas.documents["result"]["properties"])
    in_form = {s.path[0] for s in spec.sections}
    assert top == in_form | set(spec.not_in_form)
    assert not in_form & set(spec.not_in_form)


def test_help_texts_are_the_schema_descriptions(schemas, form, spec):
    by_id = {item["id"]: item for item in form["body"] if "id" in item}
    for section in spec.sections:
        node = schemas.subschema_at("result", section.path)
        item = by_id[section.id]
        assert item["attributes"]["description"].startswith(node["description"]), section.id
        if section.widget == "table":
            for column in section.columns:
                assert column.title in item["attributes"]["description"]
                assert column.description in item["attributes"]["description"]


def test_labels_come_from_schema_titles_and_are_unique(schemas, form, spec):
    labels = [item["attributes"]["label"] for item in form["body"] if "id" in item]
    assert len(labels) == len(set(labels))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", item["id"]) for item in form["body"] if "id" in item)
    for section in spec.sections:
        title = schemas.subschema_at("result", section.path)["title"]
        assert section.label.endswith(title)
    assert "报送主体 · 所在地" in labels  # nested fields carry their parent's title


def test_dropdowns_offer_the_vocabulary(form):
    rules = load_rules(Layout(REPO), date(2025, 7, 1))
    items = {item["id"]: item for item in form["body"] if item["type"] == "dropdown"}
    assert items["field"]["attributes"]["options"] == rules.vocab.fields.names
    assert items["submitter-city"]["attributes"]["options"] == rules.vocab["cities"].names
    assert items["significance"]["attributes"]["multiple"] is True
    assert items["category"]["validations"]["required"] is True


def test_form_shape_is_a_github_issue_form(form):
    assert set(form) == {"name", "description", "title", "labels", "body"}
    assert form["labels"] == ["成果报送"]
    assert form["body"][0]["type"] == "markdown"
    kinds = {item["type"] for item in form["body"]}
    assert kinds <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    confirm = next(item for item in form["body"] if item["type"] == "checkboxes")
    assert confirm["attributes"]["options"] == [{"label": "已确认权属清晰、无争议", "required": True}]
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert {"title", "summary", "units", "people", "submitter-name", "ip-statement-confirmed-on"} <= required
    assert "papers" not in required  # conditional on the category: the parser and validator enforce it


def test_issue_form_check_fails_when_the_form_is_stale(tmp_path, capsys):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert main(["--root", str(root), "issue-form", "--check"]) == 1
    assert main(["--root", str(root), "issue-form"]) == 0
    assert main(["--root", str(root), "issue-form", "--check"]) == 0
    generated = root / ".github" / "ISSUE_TEMPLATE" / "submit.yml"
    generated.write_text(generated.read_text(encoding="utf-8").replace("成果名称", "名称"), encoding="utf-8")
    assert main(["--root", str(root), "issue-form", "--check"]) == 1
    assert "zlhcg issue-form" in capsys.readouterr().out


def test_layout_that_does_not_fit_the_schema_is_refused(schemas, tmp_path):
    layout = tmp_path / "form.yaml"
    layout.write_text("template: {file: x, name: x, description: x, title: x, label: x}\nintro: x\n"
                      "sections:\n  - {path: units, widget: dropdown}\n", encoding="utf-8")
    with pytest.raises(FormLayoutError):
        load_form_spec(schemas, layout)
    layout.write_text("template: {file: x, name: x, description: x, title: x, label: x}\nintro: x\n"
                      "sections:\n  - {path: units, widget: table, columns: [name, type]}\n", encoding="utf-8")
    with pytest.raises(FormLayoutError):
        load_form_spec(schemas, layout)
