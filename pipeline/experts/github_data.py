"""Pull-request data exported from GitHub's REST API, read into typed, immutable objects.

The export file (written by `pipeline/experts/github_export.sh`, see docs/experts-and-intake.md) is one JSON object:

    {
      "format": "zlhcg-github-export/1",
      "repository": "owner/name",
      "exported_at": "2025-07-01T00:00:00Z",          # the report's "now": overdue ages count up to here
      "pulls": [                                      # GET /repos/{o}/{r}/pulls?state=all (or open), each
        {                                             #   pull object as returned, plus four added keys:
          "number": 12, "state": "open" | "closed", "draft": false,
          "user": {"login": "…"}, "created_at": "…Z", "closed_at": null | "…Z", "merged_at": null | "…Z",
          "labels": [{"name": "…"}], "requested_reviewers": [{"login": "…"}], "head": {"ref": "…"},
          "files":    [{"filename": "results/…/….yaml", "status": "added" | "modified" | "removed" | …}],
                      #   GET /repos/{o}/{r}/pulls/{n}/files
          "reviews":  [{"user": {"login": "…"}, "state": "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"
                        | "DISMISSED" | "PENDING", "submitted_at": "…Z"}],
                      #   GET /repos/{o}/{r}/pulls/{n}/reviews
          "timeline": [{"event": "review_requested" | "review_request_removed", "created_at": "…Z",
                        "requested_reviewer": {"login": "…"}}],
                      #   GET /repos/{o}/{r}/issues/{n}/timeline, only those two events kept
          "contents": {"results/<year>/<id>/<id>.yaml": {"encoding": "base64", "content": "…"}}
                      #   GET /repos/{o}/{r}/contents/{path}?ref=refs/pull/{n}/head for each changed record
        }
      ]
    }

A bare JSON array of pull objects (what `GET …/pulls` returns) is accepted too, for the open review requests
that routing balances load against. Keys this module does not read are ignored; keys it reads must have the
documented types, or the whole file is refused with the JSON path of the first problem.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.model.records import SHANGHAI
from pipeline.read.strictyaml import MAX_BYTES, YamlRejected, load_bytes, load_mapping
from pipeline.check.vocab import Vocabularies
from pipeline.experts.record_facts import RECORD_FILE, RecordFacts, facts_from_document

EXPORT_FORMAT = "zlhcg-github-export/1"
MAX_EXPORT_BYTES = 512 * 1024 * 1024
REQUEST_EVENTS = {"review_requested": "requested", "review_request_removed": "removed"}
REVIEW_STATES = {"APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"}  # PENDING = a draft, not submitted


class ExportError(ValueError):
    """The export file is not in the documented shape; the message is Chinese."""


@dataclass(frozen=True)
class FileChange:
    filename: str
    status: str


@dataclass(frozen=True)
class Review:
    login: str
    state: str
    submitted_at: datetime


@dataclass(frozen=True)
class RequestEvent:
    kind: str  # "requested" | "removed"
    login: str
    at: datetime


@dataclass(frozen=True)
class RecordSnapshot:
    """A record file as the pull request proposed it; `facts` is None when it could not be read."""

    path: str
    status: str
    facts: RecordFacts | None
    problem: str = ""


@dataclass(frozen=True)
class PullRequest:
    number: int
    author: str
    state: str
    draft: bool
    created_at: datetime
    closed_at: datetime | None
    merged_at: datetime | None
    labels: tuple[str, ...]
    requested: tuple[str, ...]  # logins with a review request outstanding right now
    files: tuple[FileChange, ...] | None  # None: not exported
    reviews: tuple[Review, ...] | None
    events: tuple[RequestEvent, ...] | None
    records: tuple[RecordSnapshot, ...]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def outcome(self) -> str:
        """accepted (merged), declined (closed unmerged) or pending (open)."""
        if self.merged_at is not None:
            return "accepted"
        return "pending" if self.is_open else "declined"

    @property
    def record_files(self) -> tuple[FileChange, ...]:
        return tuple(f for f in self.files or () if RECORD_FILE.fullmatch(f.filename) and f.status != "removed")

    @property
    def new_records(self) -> tuple[RecordSnapshot, ...]:
        """The submissions this pull request makes: record files it adds."""
        return tuple(r for r in self.records if r.status == "added")


@dataclass(frozen=True)
class GithubExport:
    repository: str
    exported_at: datetime | None
    pulls: tuple[PullRequest, ...]

    def require_time(self) -> datetime:
        if self.exported_at is None:
            raise ExportError("导出文件缺少 exported_at（导出时间），无法计算逾期天数。"
                              "请用 github_export.sh 重新导出。")
        return self.exported_at


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（顶层）"


def _need(obj: Any, key: str, kinds: type | tuple, path: tuple, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise ExportError(f"导出文件 {_where(path)} 应为 JSON 对象。")
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kinds) or isinstance(value, bool) and kinds is int:
        raise ExportError(f"导出文件 {_where(path + (key,))} 缺失或类型不对。请用 github_export.sh 重新导出。")
    return value


def _time(obj: Any, key: str, path: tuple, optional: bool = False) -> datetime | None:
    text = _need(obj, key, str, path, optional)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"导出文件 {_where(path + (key,))} 不是有效的时间：{text[:40]}。") from None
    if moment.tzinfo is None:
        raise ExportError(f"导出文件 {_where(path + (key,))} 缺少时区：{text[:40]}。")
    return moment.astimezone(SHANGHAI)


def _login(obj: Any, key: str, path: tuple) -> str:
    return _need(_need(obj, key, dict, path), "login", str, path + (key,))


def _list(obj: Any, key: str, path: tuple) -> list | None:
    return _need(obj, key, list, path, optional=True)


def _files(pull: dict, path: tuple) -> tuple[FileChange, ...] | None:
    items = _list(pull, "files", path)
    if items is None:
        return None
    return tuple(FileChange(_need(f, "filename", str, path + ("files", i)),
                            _need(f, "status", str, path + ("files", i))) for i, f in enumerate(items))


def _reviews(pull: dict, path: tuple) -> tuple[Review, ...] | None:
    items = _list(pull, "reviews", path)
    if items is None:
        return None
    found = []
    for i, item in enumerate(items):
        where = path + ("reviews", i)
        state = _need(item, "state", str, where)
        if state not in REVIEW_STATES or item.get("user") is None:  # drafts; deleted ("ghost") accounts
            continue
        found.append(Review(_login(item, "user", where), state, _time(item, "submitted_at", where)))
    return tuple(sorted(found, key=lambda r: r.submitted_at))


def parse_reviews(data: Any) -> tuple[Review, ...]:
    """A bare `GET /repos/{o}/{r}/pulls/{n}/reviews` response."""
    if not isinstance(data, list):
        raise ExportError("评审数据应为 JSON 数组（GET /repos/{owner}/{repo}/pulls/{number}/reviews 的结果）。")
    return _reviews({"reviews": data}, ())


def _events(pull: dict, path: tuple) -> tuple[RequestEvent, ...] | None:
    items = _list(pull, "timeline", path)
    if items is None:
        return None
    found = []
    for i, item in enumerate(items):
        where = path + ("timeline", i)
        kind = REQUEST_EVENTS.get(_need(item, "event", str, where))
        if kind is None or item.get("requested_reviewer") is None:  # other events; team requests
            continue
        found.append(RequestEvent(kind, _login(item, "requested_reviewer", where), _time(item, "created_at", where)))
    return tuple(sorted(found, key=lambda e: e.at))


def decode_contents(entry: Any, path: str, vocab: Vocabularies) -> tuple[RecordFacts | None, str]:
    """A contents-API response → the record's facts, parsed strictly as data."""
    if not isinstance(entry, dict) or entry.get("encoding") != "base64" or not isinstance(entry.get("content"), str):
        return None, "导出文件中没有该成果文件的内容"
    try:
        raw = base64.b64decode(entry["content"].replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return None, "成果文件内容不是有效的 base64"
    if len(raw) > MAX_BYTES:
        return None, "成果文件过大"
    try:
        doc = load_mapping(load_bytes(raw, path))
    except YamlRejected as rejected:
        return None, f"成果文件无法读取：{rejected.diagnostic.message}"
    return facts_from_document(doc, vocab), ""


def _records(pull: dict, files: tuple[FileChange, ...] | None, path: tuple,
             vocab: Vocabularies) -> tuple[RecordSnapshot, ...]:
    contents = _need(pull, "contents", dict, path, optional=True) or {}
    snapshots = []
    for change in files or ():
        if not RECORD_FILE.fullmatch(change.filename) or change.status == "removed":
            continue
        facts, problem = decode_contents(contents.get(change.filename), change.filename, vocab)
        snapshots.append(RecordSnapshot(change.filename, change.status, facts, problem))
    return tuple(snapshots)


def _pull(pull: Any, path: tuple, vocab: Vocabularies) -> PullRequest:
    files = _files(pull, path)
    labels = tuple(_need(label, "name", str, path + ("labels", i))
                   for i, label in enumerate(_list(pull, "labels", path) or ()))
    requested = tuple(_need(r, "login", str, path + ("requested_reviewers", i))
                      for i, r in enumerate(_list(pull, "requested_reviewers", path) or ()))
    return PullRequest(
        number=_need(pull, "number", int, path), author=_login(pull, "user", path),
        state=_need(pull, "state", str, path), draft=bool(pull.get("draft", False)),
        created_at=_time(pull, "created_at", path), closed_at=_time(pull, "closed_at", path, optional=True),
        merged_at=_time(pull, "merged_at", path, optional=True), labels=labels, requested=requested, files=files,
        reviews=_reviews(pull, path), events=_events(pull, path), records=_records(pull, files, path, vocab),
    )


def parse_export(data: Any, vocab: Vocabularies) -> GithubExport:
    if isinstance(data, list):
        pulls, repository, exported_at = data, "", None
    else:
        fmt = _need(data, "format", str, ())
        if fmt != EXPORT_FORMAT:
            raise ExportError(f"导出文件格式“{fmt[:40]}”不受支持，应为 {EXPORT_FORMAT}。")
        pulls = _need(data, "pulls", list, ())
        repository = _need(data, "repository", str, ())
        exported_at = _time(data, "exported_at", ())
    parsed = tuple(_pull(p, ("pulls", i), vocab) for i, p in enumerate(pulls))
    return GithubExport(repository, exported_at, tuple(sorted(parsed, key=lambda p: p.number)))


def read_json(path: Path, what: str) -> Any:
    """Reads a JSON file at the CLI edge, with Chinese errors instead of tracebacks."""
    if not path.is_file():
        raise ExportError(f"找不到{what}：{path}。导出方法见 docs/experts-and-intake.md“导出 GitHub 数据”一节。")
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise ExportError(f"{what}超过 {MAX_EXPORT_BYTES // 1048576} MB，拒绝读取：{path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{what}不是有效的 UTF-8 JSON：{path}（{exc}）") from None


def load_export(path: Path, vocab: Vocabularies) -> GithubExport:
    return parse_export(read_json(path, "导出文件"), vocab)
