"""The public revision log: field-level summaries in Chinese from the first-parent history, the submitter's
note, reformats and schema migrations left out of 最近更新, and never a commit subject or id on a public page."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import yaml

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.model.records import SHANGHAI
from pipeline.read.history import read_histories
from pipeline.read.revisions import FieldChange, compare
from pipeline.render.page_records import render_record
from tests.factories import add_record, dump_yaml, make_repo, new_id, record_data
from tests.gitrepo import GitRepo

BUILT_AT = datetime(2026, 6, 1, 12, 0, tzinfo=SHANGHAI)
RID = new_id(7)
PATH = f"results/{RID[:4]}/{RID}/{RID}.yaml"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    root = make_repo(tmp_path / "lib")
    git_repo = GitRepo.init(root)
    add_record(root, record_data(id=RID, entered=None))
    git_repo.commit("Add record", "2025-03-01T10:00:00+08:00")
    return git_repo


def _rewrite(repo: GitRepo, change) -> None:
    data = yaml.safe_load(repo.read(PATH))
    change(data)
    repo.write(PATH, dump_yaml(data))


def _progress(data):
    data.setdefault("progress", []).append({"date": "2025-05-01", "text": "完成中试线建设并通过验收。"})


def _evaluation(data):
    data.setdefault("evaluations", []).append(dict(data["evaluations"][0], date="2025-05-02",
                                                   conclusion="成果达到预期目标。"))


def _merge_pull_request(repo: GitRepo, change, when: str, body: str = "") -> str:
    repo.branch("contributor")
    _rewrite(repo, change)
    repo.commit("Update record", when)
    repo.checkout("main")
    message = "Merge pull request #123 from contributor/update-record\n\nUpdate progress" + body
    merge = repo.merge("contributor", when, message)
    repo.repo.git.branch("-D", "contributor")
    return merge


def _record_page(root):
    result = load_library(root, today=BUILT_AT.date(), history=read_histories(root), require_dates=True)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    pub = publish(result.library, BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")
    return pub.record(RID), pub


def test_a_merged_pull_request_shows_as_a_chinese_field_summary_without_git_words(repo):
    def change(data):
        _progress(data)
        _evaluation(data)
        data["summary"] = data["summary"] + "新增中试数据。"
    merge = _merge_pull_request(repo, change, "2025-05-10T09:00:00+08:00")

    record, pub = _record_page(repo.root)
    html = render_record(record, pub).html

    log = re.search(r'<ol class="zl-revisions">(.*?)</ol>', html, re.S).group(1)
    assert "2025年5月10日" in log
    assert "更新：成果简介、最新进展（新增 1 条）、跟踪评价（新增 1 条）" in log
    assert "入库" in log
    for git_word in ("Merge pull request", "#123", "contributor", "Update", merge, merge[:7], "Add record"):
        assert git_word not in html
    assert record.updated == datetime(2025, 5, 10, 9, 0, tzinfo=SHANGHAI)


def test_the_submitters_note_from_the_merge_message_is_shown(repo):
    _merge_pull_request(repo, _progress, "2025-05-10T09:00:00+08:00", body="\n\n修订说明: 补充中试进展")

    record, pub = _record_page(repo.root)

    assert "说明：补充中试进展" in render_record(record, pub).html


def test_a_reformat_or_schema_migration_is_not_an_update(repo):
    data = yaml.safe_load(repo.read(PATH))
    repo.write(PATH, "# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-1.0.0.json\n"
               "# 重新排版\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=60))
    repo.commit("Reformat", "2025-04-01T10:00:00+08:00")
    text = repo.read(PATH)
    repo.write(PATH, text.replace("result-1.0.0", "result-2.0.0").replace("title_en:", "title_english:"))
    repo.commit("Migrate to schema 2.0", "2025-04-02T10:00:00+08:00")

    history = read_histories(repo.root)[PATH]

    assert [r.content for r in history.revisions] == [False, False, True]
    assert history.updated == history.added == datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI)
    assert [r.subject for r in history.public_revisions] == ["Add record"]  # kept for open data only


def test_list_changes_are_counted_added_changed_removed():
    old = {"progress": [{"t": 1}, {"t": 2}, {"t": 3}], "summary": "甲", "tags": ["a"]}
    new = {"progress": [{"t": 1}, {"t": 2, "x": 1}, {"t": 4}, {"t": 5}], "summary": "甲"}

    diff = compare(yaml.safe_dump(old).encode(), yaml.safe_dump(new).encode())

    assert diff.content
    assert diff.fields == (FieldChange("progress", added=1, changed=2), FieldChange("tags", removed=1))


def test_demo_record_pages_carry_no_commit_subject_or_hash(demo_site):
    from tests.conftest import REPO
    subjects = {s for s in GitRepo(REPO).repo.git.log("--format=%s", "-50").splitlines() if len(s) > 12}
    hashes = set(GitRepo(REPO).repo.git.log("--format=%h", "-50").split())
    for page in (demo_site / "results").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        article = text[text.index("<article"):text.index("</article>")]
        assert not any(s in article for s in subjects), page
        assert not any(re.search(rf"\b{h}\b", article) for h in hashes), page
