"""Batch submission by issue: the “批量报送（Excel）” form's attachment → the workbook import → records, a Chinese
reply and, in the workflow, one pull request per achievement.

The issue body is untrusted. Only one thing is taken from it: a link to a file GitHub itself stored when the
unit attached the workbook (https, GitHub's attachment host and path shapes, an .xlsx name). The download
follows redirects only to GitHub's own storage hosts, over https, and stops at MAX_DOWNLOAD_BYTES. The file
then goes through the same guarded import as `zlhcg import`; nothing from the body reaches a shell.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable
from urllib.parse import urlsplit

from pipeline.submit.intake_comment import fenced
from pipeline.submit.workbook_guard import WorkbookRefused
from pipeline.submit.workbook_import import ImportResult

MARKER = "<!-- zlhcg:batch-intake -->"
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
ATTACHMENT = re.compile(
    r"(?<![\w/.:%-])https://github\.com/(?:user-attachments/files/[0-9]{1,12}/|[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}/files/"
    r"[0-9]{1,12}/)[^\s()<>\[\]\"'`]{1,200}?\.xlsx(?=[\s)\]>\"'`]|$)", re.IGNORECASE)
# Where GitHub redirects an attachment download (its signed storage URLs).
STORAGE_HOSTS = ("objects.githubusercontent.com", "github-production-user-asset-6210df.s3.amazonaws.com",
                 "github-production-repository-file-5c1aeb.s3.amazonaws.com")
ALLOWED_HOSTS = ("github.com", *STORAGE_HOSTS)


class DownloadRefused(Exception):
    """The attachment cannot be fetched safely; the message is Chinese."""


def attachment_links(body: str) -> list[str]:
    """Every distinct workbook attachment link in the issue body, in order."""
    return list(dict.fromkeys(m.group(0) for m in ATTACHMENT.finditer(body or "")))


def choose_attachment(body: str) -> str:
    links = attachment_links(body)
    if not links:
        raise DownloadRefused("议题中没有找到上传的 Excel 报送表（.xlsx 附件）。请编辑议题，把填好的 .xlsx 文件拖进“报送表”一栏上传。")
    if len(links) > 1:
        raise DownloadRefused(f"议题中有 {len(links)} 个 Excel 附件，一次只能报送一个文件。请编辑议题，只保留一个附件。")
    return links[0]


class _GitHubOnly(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS or parts.port not in (None, 443):
        raise DownloadRefused("附件地址不是 GitHub 的附件存储地址，拒绝下载。请直接在议题中上传文件。")


def _default_open(url: str, timeout: float) -> BinaryIO:
    opener = urllib.request.build_opener(_GitHubOnly())
    return opener.open(urllib.request.Request(url, headers={"User-Agent": "zlhcg-batch-intake"}), timeout=timeout)


def download(url: str, target: Path, *, opener: Callable[[str, float], BinaryIO] = _default_open,
             limit: int = MAX_DOWNLOAD_BYTES) -> Path:
    """Fetches the attachment to `target`, refusing anything but GitHub's hosts and anything over `limit`."""
    check_host(url)
    try:
        with opener(url, 30.0) as response:
            declared = (getattr(response, "headers", None) or {}).get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise DownloadRefused(f"附件有 {int(declared) / 1048576:.1f} MB，超过 {limit // 1048576} MB 上限。")
            data = response.read(limit + 1)
    except DownloadRefused:
        raise
    except OSError as exc:
        raise DownloadRefused(f"下载附件失败（{type(exc).__name__}）。请稍后编辑议题（不改内容直接保存）重试。") from None
    if len(data) > limit:
        raise DownloadRefused(f"附件超过 {limit // 1048576} MB 上限。请删除表中的图片和多余的工作表后重新上传。")
    target.write_bytes(data)
    return target


@dataclass(frozen=True)
class BatchOutcome:
    ok: bool
    comment: str
    records: list[dict]  # for the workflow: record_id, record_path, pr_title (values produced here, validated)


def _listing(report: str) -> str:
    return fenced(report[:55_000])


def refused_comment(reason: str, hint: str = "") -> str:
    lines = [MARKER, "### 批量报送检查结果", "", "❌ 无法读取报送表：", "", _listing(reason + (f"\n修改建议：{hint}" if hint else ""))]
    return "\n".join(lines + ["", "请编辑本议题，上传修改后的 .xlsx 文件并保存，系统会自动重新检查。"]) + "\n"


def outcome_of(result: ImportResult, report: str) -> BatchOutcome:
    good = [a for a in result.achievements if a.ok]
    if result.ok:
        head = (f"✅ 报送表检查通过：{len(good)} 个成果已生成成果记录，每个成果一个拉取请求，"
                "将提交协调办公室评审，评审进展会显示在各拉取请求中。")
        records = [{"record_id": a.record_id, "record_path": a.file, "pr_title": f"成果报送：{a.title()}（{a.record_id}）",
                    "key": a.key} for a in good]
    else:
        errors = sum(p.is_error for p in result.all_problems)
        head = f"❌ 报送表中有 {errors} 处需要修改，暂未生成成果记录。每处问题都注明了工作表、单元格和列名。"
        records = []
    comment = "\n".join([MARKER, "### 批量报送检查结果", "", head, "", _listing(report), "",
                         "如需修改，请改好 Excel 文件后编辑本议题（右上角“…”→“Edit”），上传新文件替换原附件并保存，系统会自动重新检查。"])
    return BatchOutcome(result.ok, comment + "\n", records)


def refusal_outcome(refused: WorkbookRefused | DownloadRefused) -> BatchOutcome:
    hint = getattr(refused, "hint", "")
    return BatchOutcome(False, refused_comment(str(getattr(refused, "message", refused)), hint), [])
