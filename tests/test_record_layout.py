"""Records live in year folders, `results/<year>/<id>/<id>.yaml`: what the loader and check-pr say about
anything else under results/, and how a changed path maps to the record folder it belongs to."""

from __future__ import annotations

import pytest

from pipeline.model.library import load_library
from pipeline.read.sources import record_file, record_folder, results_entry
from pipeline.review.prcheck import check_pull_request, is_record_file
from tests.factories import EXEMPLAR_IMAGE, add_record, dump_yaml, make_repo, new_id, record_data
from tests.gitrepo import GitRepo
from tests.test_prcheck import TODAY

RID = "2025-3kq8m2va"


def found(root) -> list[tuple[str, str]]:
    return sorted((d.file, d.rule) for d in load_library(root, today=TODAY).diagnostics if d.is_error)


def test_the_path_of_a_record_is_derived_from_its_id():
    assert record_folder(RID) == "results/2025/2025-3kq8m2va"
    assert record_file(RID) == "results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml"


@pytest.mark.parametrize("path, entry", [
    ("results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml", "2025/2025-3kq8m2va"),
    ("results/2025/2025-3kq8m2va/module.png", "2025/2025-3kq8m2va"),
    ("results/2025/2025-3kq8m2va", "2025/2025-3kq8m2va"),  # a file where the folder should be
    ("results/2025/notes.txt", "2025/notes.txt"),
    ("results/2025-3kq8m2va/2025-3kq8m2va.yaml", "2025-3kq8m2va"),  # the old flat layout
    ("results/misc/a/b.yaml", "misc"),
    ("results/readme.txt", "readme.txt"),
    ("results", None),
    ("site/monthly/2025-03.md", None),
])
def test_a_changed_path_belongs_to_its_record_folder_or_to_the_misplaced_entry(path, entry):
    assert results_entry(path) == entry


def test_only_a_yaml_file_in_a_record_folder_is_a_record_file():
    assert is_record_file("results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml")
    assert not is_record_file("results/2025-3kq8m2va/2025-3kq8m2va.yaml")
    assert not is_record_file("results/2025/2025-3kq8m2va/module.png")


def test_a_record_in_the_old_flat_layout_is_reported_with_the_command_that_moves_it(tmp_path):
    root = make_repo(tmp_path / "repo")
    add_record(root, record_data(id=new_id(1)))
    flat = root / "results" / RID
    flat.mkdir()
    (flat / f"{RID}.yaml").write_text(dump_yaml(record_data(id=RID)), encoding="utf-8")

    diagnostics = [d for d in load_library(root, today=TODAY).diagnostics if d.is_error]

    assert [(d.file, d.rule) for d in diagnostics] == [(f"results/{RID}", "layout.year-folder")]
    assert diagnostics[0].message == f"成果文件夹应放在年份文件夹中：results/2025/{RID}/。"
    assert f"git mv results/{RID} results/2025/" in diagnostics[0].hint


def test_files_and_foreign_folders_under_results_or_a_year_are_reported(tmp_path):
    root = make_repo(tmp_path / "repo")
    add_record(root, record_data(id=RID))
    (root / "results" / "readme.txt").write_text("说明\n", encoding="utf-8")
    (root / "results" / "2025" / "notes.txt").write_text("备注\n", encoding="utf-8")
    (root / "results" / "misc").mkdir()
    (root / "results" / ".gitkeep").write_text("", encoding="utf-8")  # an empty library's placeholder is fine

    assert found(root) == [("results/2025/notes.txt", "layout.stray-file"),
                           ("results/misc", "layout.year-folder"),
                           ("results/readme.txt", "layout.stray-file")]
    messages = {d.file: d.message for d in load_library(root, today=TODAY).diagnostics}
    assert "results/<年份>/<编号>/<编号>.yaml" in messages["results/2025/notes.txt"]
    assert messages["results/misc"].startswith("results/ 下只能有年份文件夹")


def test_a_record_in_another_years_folder_is_an_id_error_naming_the_right_path(tmp_path):
    root = make_repo(tmp_path / "repo")
    folder = root / "results" / "2024" / RID
    folder.mkdir(parents=True)
    (folder / f"{RID}.yaml").write_text(dump_yaml(record_data(id=RID)), encoding="utf-8")
    (folder / "module.png").write_bytes(EXEMPLAR_IMAGE.read_bytes())

    [problem] = [d for d in load_library(root, today=TODAY).diagnostics if d.is_error]

    assert (problem.file, problem.rule) == (f"results/2024/{RID}/{RID}.yaml", "rule.id-filename")
    assert f"results/2025/{RID}/{RID}.yaml" in problem.hint


def test_check_pr_refuses_a_new_record_in_the_old_flat_layout(tmp_path):
    root = make_repo(tmp_path / "lib")
    add_record(root, record_data(id=new_id(1)))
    repo = GitRepo.init(root)
    repo.commit("成果库", "2025-05-01T10:00:00+08:00")
    repo.branch("pr")
    repo.write(f"results/{RID}/{RID}.yaml", dump_yaml(record_data(id=RID)))
    repo.commit("新增成果", "2025-12-01T10:00:00+08:00")

    _, diagnostics = check_pull_request(repo.root, "main", today=TODAY)

    assert [(d.file, d.rule) for d in diagnostics if d.is_error] == [(f"results/{RID}", "layout.year-folder")]
