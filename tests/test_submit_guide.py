"""The 报送指南's generated parts: the published Excel template and the blocks filled from `mkdocs.yml` extra."""

from __future__ import annotations

from pipeline.cli import main
from pipeline.render.submit_page import fill_submit_page
from tests.factories import REPO

PAGE = (REPO / "site" / "submit" / "index.md").read_text(encoding="utf-8")


def test_contact_is_shown_only_when_set():
    assert "zlhcg:" not in fill_submit_page(PAGE, {}) and 'id="contact"' not in fill_submit_page(PAGE, {})
    filled = fill_submit_page(PAGE, {"submit_contact": {"name": "王某某", "phone": "0571-87000000",
                                                        "email": "cg@example.org", "office": "成果转化中心"}})
    assert '<h2 id="contact">报送咨询</h2>' in filled and "联系人：王某某" in filled
    assert '<a href="tel:0571-87000000">0571-87000000</a>' in filled and 'href="mailto:cg@example.org"' in filled
    assert "<script>" not in fill_submit_page(PAGE, {"submit_contact": {"name": "<script>x</script>"}})


def test_form_buttons_need_an_https_repository():
    filled = fill_submit_page(PAGE, {"submit_repository": "https://github.com/org/repo/"})
    assert 'href="https://github.com/org/repo/issues/new?template=batch.yml">上传填好的报送表</a>' in filled
    assert 'href="https://github.com/org/repo/issues/new?template=submit.yml">打开网页报送表单</a>' in filled
    assert "issues/new" not in fill_submit_page(PAGE, {"submit_repository": "javascript:alert(1)"})


def test_yaml_and_commands_live_on_the_technical_page():
    for word in ("zlhcg ", "YAML", "results/", "papers", "拉取请求"):
        assert word not in PAGE, word
    technical = (REPO / "site" / "submit" / "git.md").read_text(encoding="utf-8")
    assert "zlhcg new" in technical and "zlhcg validate" in technical and "zlhcg import" in technical


def test_published_template_is_the_generated_one(demo_site, tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["--root", str(REPO), "workbook", "--out", str(out)]) == 0
    assert (demo_site / "submit" / "zlhcg-template.xlsx").read_bytes() == out.read_bytes()
