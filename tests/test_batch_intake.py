"""Batch submission by issue: the attachment link, the guarded download, the workflow's script run on local
files (no network), the Chinese reply, and the workflow and form themselves."""

from __future__ import annotations

import io
import json

import pytest
import yaml

from pipeline.cli import main
from pipeline.read.site_config import read_site_config
from pipeline.submit.batch_intake import (MARKER, MAX_DOWNLOAD_BYTES, DownloadRefused, attachment_links,
                                          choose_attachment, download)
from tests.factories import REPO
from tests.workbooks import SUBMITTABLE, Editor, demo_data, write_workbook

GOOD = "https://github.com/user-attachments/files/18234567/2025%E5%B9%B4%E6%89%B9%E9%87%8F.xlsx"
OLD_STYLE = "https://github.com/zj-kjt/zlhcg/files/1234567/batch.xlsx"
WORKFLOW = REPO / ".github" / "workflows" / "intake-batch.yml"
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "batch.yml"


def issue_body(link: str) -> str:
    return f"### 报送单位\n\n某大学\n\n### 联系人及电话\n\n张老师 0571-88880000\n\n### 报送表\n\n[批量.xlsx]({link})\n"


@pytest.mark.parametrize("text, expected", [
    (issue_body(GOOD), [GOOD]),
    (issue_body(OLD_STYLE), [OLD_STYLE]),
    (f"{GOOD}\n{GOOD}", [GOOD]),
    ("http://github.com/user-attachments/files/1/a.xlsx", []),  # not https
    ("https://github.com.evil.example/user-attachments/files/1/a.xlsx", []),
    ("https://evil.example/https://github.com/user-attachments/files/1/a.xlsx", []),
    ("https://github.com/user-attachments/files/1/a.xlsm", []),
    ("https://github.com/user-attachments/assets/1b2c/a.xlsx", []),
    ("https://raw.githubusercontent.com/x/y/main/a.xlsx", []),
])
def test_only_github_attachment_links_are_taken(text, expected):
    assert attachment_links(text) == expected


def test_no_attachment_or_several_are_explained():
    with pytest.raises(DownloadRefused, match="没有找到上传的 Excel 报送表"):
        choose_attachment("### 报送表\n\n_No response_")
    with pytest.raises(DownloadRefused, match="有 2 个 Excel 附件"):
        choose_attachment(issue_body(GOOD) + issue_body(OLD_STYLE))


class FakeResponse(io.BytesIO):
    def __init__(self, data: bytes, length: str | None = None):
        super().__init__(data)
        self.headers = {"Content-Length": length} if length else {}


def test_download_is_size_limited(tmp_path):
    with pytest.raises(DownloadRefused, match="超过 10 MB 上限"):
        download(GOOD, tmp_path / "a.xlsx", opener=lambda url, t: FakeResponse(b"", str(MAX_DOWNLOAD_BYTES + 1)))
    with pytest.raises(DownloadRefused, match="超过 1 MB 上限"):
        download(GOOD, tmp_path / "a.xlsx", opener=lambda url, t: FakeResponse(b"x" * (1024 * 1024 + 1)),
                 limit=1024 * 1024)
    assert not (tmp_path / "a.xlsx").exists()
    assert download(GOOD, tmp_path / "a.xlsx", opener=lambda url, t: FakeResponse(b"PK")).read_bytes() == b"PK"


def test_download_refuses_other_hosts_and_redirects_away_from_github(tmp_path):
    from pipeline.submit.batch_intake import _GitHubOnly

    with pytest.raises(DownloadRefused, match="不是 GitHub 的附件存储地址"):
        download("https://evil.example/a.xlsx", tmp_path / "a.xlsx", opener=lambda url, t: FakeResponse(b"PK"))
    with pytest.raises(DownloadRefused):
        _GitHubOnly().redirect_request(None, None, 302, "Found", {}, "https://evil.example/a.xlsx")
    with pytest.raises(DownloadRefused):
        _GitHubOnly().redirect_request(None, None, 302, "Found", {}, "http://objects.githubusercontent.com/a")


def test_network_errors_become_a_retry_message(tmp_path):
    def failing(url, timeout):
        raise ConnectionResetError

    with pytest.raises(DownloadRefused, match="下载附件失败"):
        download(GOOD, tmp_path / "a.xlsx", opener=failing)


def run_batch(repo, tmp_path, workbook, link=GOOD):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 31, "body": issue_body(link)}}), encoding="utf-8")
    code = main(["--root", str(repo), "from-batch-issue", "--event", str(event), "--workbook", str(workbook),
                 "--comment-file", str(tmp_path / "comment.md"), "--outputs", str(tmp_path / "out.json")])
    return code, (tmp_path / "comment.md").read_text(encoding="utf-8"), json.loads(
        (tmp_path / "out.json").read_text(encoding="utf-8"))


def test_workflow_script_turns_a_good_workbook_into_records(repo, tmp_path, capsys):
    workbook = write_workbook(repo, tmp_path / "batch.xlsx", [demo_data(p) for p in SUBMITTABLE[:3]])
    code, comment, out = run_batch(repo, tmp_path, workbook)
    assert code == 0 and out["ok"] and out["issue"] == 31
    assert comment.startswith(MARKER) and "✅ 报送表检查通过：3 个成果" in comment
    assert len(out["records"]) == 3
    for record in out["records"]:
        text = (repo / record["record_path"]).read_text(encoding="utf-8")
        assert "由议题 #31 的 Excel 批量报送表导入" in text
        assert record["pr_title"].startswith("成果报送：") and record["record_id"] in record["pr_title"]
    assert main(["--root", str(repo), "validate"]) == 0


def test_workflow_script_replies_with_cells_and_writes_nothing(repo, tmp_path, capsys):
    workbook = write_workbook(repo, tmp_path / "batch.xlsx", [demo_data(p) for p in SUBMITTABLE[:2]])
    edit = Editor(workbook)
    ref = edit.set("完成人", "姓名", "<script>alert(1)</script>", key=2)
    edit.save()
    code, comment, out = run_batch(repo, tmp_path, workbook)
    assert code == 1 and not out["ok"] and out["records"] == []
    assert not list((repo / "results").rglob("*"))
    assert f"完成人!{ref}（姓名）" in comment and "❌ 报送表中有" in comment
    fence = comment.split("```text\n", 1)
    assert len(fence) == 2 and "<script>" in fence[1].split("\n```", 1)[0]  # echoed only inside the code block


def test_workflow_script_explains_a_refused_file(repo, tmp_path, capsys):
    old = tmp_path / "batch.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    code, comment, out = run_batch(repo, tmp_path, old)
    assert code == 1 and "无法读取报送表" in comment and "另存为" in comment


def test_batch_workflow_follows_the_repository_rules():
    text = WORKFLOW.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.BaseLoader)
    assert set(data["on"]) == {"issues"} and data["permissions"] == {}
    assert "issue.body" not in text and "issue.title" not in text
    [job] = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert "批量报送" in job["if"]
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] == "false"
    assert 'zlhcg from-batch-issue --event "$GITHUB_EVENT_PATH"' in text


def test_batch_form_links_to_the_published_template():
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    assert form["name"] == "批量报送（Excel）" and form["labels"] == ["批量报送"]
    url = read_site_config(REPO).site_url + "submit/zlhcg-template.xlsx"
    assert url in form["body"][0]["attributes"]["value"]
    assert any(item.get("id") == "workbook" and item["type"] == "textarea" for item in form["body"])


def test_a_batch_from_an_issue_cannot_change_published_records(tmp_path, capsys):
    import shutil

    from tests.factories import make_repo
    from tests.workbooks import DEMO_RECORDS

    repo = make_repo(tmp_path / "repo")
    shutil.copytree(DEMO_RECORDS[0].parent, repo / "results" / DEMO_RECORDS[0].parent.name[:4] / DEMO_RECORDS[0].parent.name)
    workbook = tmp_path / "back.xlsx"
    assert main(["--root", str(repo), "workbook", "--all", "--out", str(workbook)]) == 0
    before = DEMO_RECORDS[0].read_bytes()
    code, comment, out = run_batch(repo, tmp_path, workbook)
    assert code == 1 and out["records"] == []
    assert f"成果编号“{DEMO_RECORDS[0].stem}”已在成果库中，批量报送只能报送新成果" in comment
    assert (repo / "results" / DEMO_RECORDS[0].parent.name[:4] / DEMO_RECORDS[0].parent.name / DEMO_RECORDS[0].name).read_bytes() == before
