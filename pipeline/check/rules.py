"""Rules beyond the schema, for one record file: identity, references, check digits, dates, media, content
safety and personal data. Each rule yields diagnostics; none stops at the first problem.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Iterator

from pipeline.check import checkdigits
from pipeline.diagnostics import Diagnostic, Severity, error
from pipeline.check.markdown_check import MarkdownProblem, check_markdown, check_plain_text
from pipeline.read.sources import MEDIA_SUFFIXES, RecordSource
from pipeline.read.strictyaml import FORBIDDEN_CHARS, LoadedDocument, describe_char, format_path
from pipeline.check.vocab import Vocabularies

MAX_MEDIA_BYTES = 2 * 1024 * 1024
SUMMARY_SOFT_LIMIT = 300
MAGIC = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}

Path_ = tuple


def at(doc: LoadedDocument, path: Path_, rule: str, message: str, hint: str = "",
       severity: Severity = Severity.ERROR) -> Diagnostic:
    """A diagnostic at the value `path` of `doc`."""
    pos = doc.position_of(path)
    return Diagnostic(doc.file, pos.line if pos else None, pos.column if pos else None, rule, message, hint,
                      format_path(path), severity)


def inside(doc: LoadedDocument, path: Path_, offset: int, rule: str, message: str, hint: str = "") -> Diagnostic:
    """A diagnostic at character `offset` of the text value at `path`: its own line in a literal block (the
    column is then not known exactly, so it is left out), otherwise where the value starts."""
    text = _get(doc.data, path)
    if tuple(path) not in doc.literal_blocks:
        return at(doc, path, rule, message, hint)
    return Diagnostic(doc.file, doc.line_within(path, text, offset), None, rule, message, hint, format_path(path))


def _id_matches_file(doc: LoadedDocument, source: RecordSource) -> Iterator[Diagnostic]:
    record_id = doc.data["id"]
    stem, folder = source.path.stem, source.path.parent.name
    if source.path.suffix != ".yaml":
        yield at(doc, (), "rule.file-extension", "成果文件的扩展名应为 .yaml。", f"把文件改名为 {stem}.yaml。")
    if record_id != stem or record_id != folder:
        hidden = FORBIDDEN_CHARS.search(folder + stem)
        invisible = f"文件夹名或文件名中含有看不见的{describe_char(hidden.group())}，" if hidden else ""
        yield at(doc, ("id",), "rule.id-filename",
                 f"成果编号“{record_id}”与文件路径 results/{folder}/{source.path.name} 不一致。{invisible}",
                 f"编号、文件夹名和文件名须相同：results/{record_id}/{record_id}.yaml。编号一经生成不要修改。")


def _field_in_highland(doc: LoadedDocument, vocab: Vocabularies) -> Iterator[Diagnostic]:
    term = vocab.fields.get(doc.data["field"])
    if term and term.parent != doc.data["highland"]:
        yield at(doc, ("field",), "rule.field-highland",
                 f"战略领域“{term.name}”属于“{term.parent}”科创高地，而不是“{doc.data['highland']}”。",
                 f"把 highland 改为“{term.parent}”，或选择“{doc.data['highland']}”下的领域："
                 + "、".join(t.name for t in vocab.fields_of(doc.data["highland"])) + "。")


def _units_and_people(doc: LoadedDocument) -> Iterator[Diagnostic]:
    names = [u["name"] for u in doc.data["units"]]
    seen = set()
    for i, unit in enumerate(doc.data["units"]):
        if unit["name"] in seen:
            yield at(doc, ("units", i, "name"), "rule.duplicate-unit", f"完成单位“{unit['name']}”重复列出。", "每个单位只列一次。")
        seen.add(unit["name"])
        if not checkdigits.credit_code_is_valid(unit["credit_code"]):
            yield at(doc, ("units", i, "credit_code"), "rule.credit-code",
                     f"统一社会信用代码“{unit['credit_code']}”的校验码不正确。",
                     "请对照营业执照或事业单位法人证书逐位核对（第 18 位为校验码，常见错误是把字母 O 写成数字 0）。")
    for i, person in enumerate(doc.data["people"]):
        if person["unit"] not in names:
            yield at(doc, ("people", i, "unit"), "rule.person-unit",
                     f"完成人“{person['name']}”的所在单位“{person['unit']}”不在完成单位列表中。",
                     "所在单位须与 units 中某个单位的名称完全一致（包括括号和全称）。可选：" + "、".join(names))
        orcid = person.get("orcid")
        if orcid and not checkdigits.orcid_is_valid(orcid):
            yield at(doc, ("people", i, "orcid"), "rule.orcid", f"ORCID“{orcid}”的校验位不正确。",
                     "请从 ORCID 个人主页复制完整的 16 位标识。")


def _patents(doc: LoadedDocument) -> Iterator[Diagnostic]:
    for i, patent in enumerate((doc.data.get("ip") or {}).get("patents") or ()):
        if not checkdigits.patent_number_is_valid(patent["number"]):
            yield at(doc, ("ip", "patents", i, "number"), "rule.patent-number",
                     f"专利号“{patent['number']}”无效（校验位或申请年份/类型不正确）。",
                     "请对照专利证书核对，格式为 ZL + 12 位数字 + . + 校验位，例如 ZL202110123456.7。")


def _dated_paths(data: dict) -> Iterator[tuple[Path_, str]]:
    if data.get("entered"):
        yield ("entered",), data["entered"]
    yield ("ip_statement", "confirmed_on"), data["ip_statement"]["confirmed_on"]
    if data.get("withdrawn"):
        yield ("withdrawn", "date"), data["withdrawn"]["date"]
    for name in ("progress", "evaluations"):
        for i, item in enumerate(data.get(name) or ()):
            yield (name, i, "date"), item["date"]


def _dates(doc: LoadedDocument, today: date) -> Iterator[Diagnostic]:
    for path, text in _dated_paths(doc.data):
        if date.fromisoformat(text) > today:
            yield at(doc, path, "rule.future-date", f"日期 {text} 晚于今天（{today.isoformat()}）。",
                     "这里只能填写已经发生的日期；尚未公开的成果请用 publish_at 设置公开时间。")
    for i, paper in enumerate(doc.data.get("papers") or ()):
        if paper["year"] > today.year:
            yield at(doc, ("papers", i, "year"), "rule.future-date", f"论文发表年份 {paper['year']} 晚于今年。",
                     "只报送已正式发表的论文。")
    entered, withdrawn = doc.data.get("entered"), doc.data.get("withdrawn")
    if entered and withdrawn and withdrawn["date"] < entered:
        yield at(doc, ("withdrawn", "date"), "rule.withdrawn-before-entered", "撤回日期早于入库日期。", "请核对两个日期。")


def _media(doc: LoadedDocument, source: RecordSource) -> Iterator[Diagnostic]:
    listed = {m["file"]: i for i, m in enumerate(doc.data.get("media") or ())}
    present = {f.name: f for f in source.folder_files}
    for name, i in listed.items():
        path = ("media", i, "file")
        file = present.get(name)
        if file is None:
            yield at(doc, path, "rule.media-missing", f"图片“{name}”不在成果文件夹中。",
                     f"把图片文件放到 {source.path.parent.name}/ 文件夹里，文件名与此处完全一致（区分大小写）。")
        elif file.is_symlink() or not file.is_file():
            yield at(doc, path, "rule.media-symlink", f"图片“{name}”是符号链接或文件夹，不是普通文件。", "请提交真实的图片文件。")
        else:
            yield from _media_file(doc, path, file)
    for name, file in sorted(present.items()):
        if name not in listed:
            yield _stray(doc, source, file)


def _media_file(doc: LoadedDocument, path: Path_, file: Path) -> Iterator[Diagnostic]:
    size = file.stat().st_size
    if size > MAX_MEDIA_BYTES:
        yield at(doc, path, "rule.media-too-large", f"图片“{file.name}”有 {size / 1048576:.1f} MB，超过 2 MB 上限。",
                 "请压缩图片（长边 1600 像素、JPEG 质量 85 通常足够）后重新提交。")
        return
    with file.open("rb") as handle:
        head = handle.read(16)
    suffix = file.suffix.lower()
    ok = head.startswith(MAGIC[suffix]) if suffix in MAGIC else (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    if not ok:
        yield at(doc, path, "rule.media-type", f"图片“{file.name}”的内容与扩展名 {suffix} 不符，不是有效的图片。",
                 "只接受真正的 JPEG、PNG、WebP 图片；不要把其他文件改扩展名后提交。")


def _stray(doc: LoadedDocument, source: RecordSource, file: Path) -> Diagnostic:
    relative = f"{Path(source.file).parent.as_posix()}/{file.name}"
    if file.is_symlink():
        return Diagnostic(relative, None, None, "layout.symlink", "成果文件夹中不允许出现符号链接。", "请提交真实的文件。")
    if file.is_dir():
        return Diagnostic(relative, None, None, "layout.subfolder", "成果文件夹中不允许再建子文件夹。", "图片直接放在成果文件夹中。")
    if file.suffix.lower() not in MEDIA_SUFFIXES:
        return Diagnostic(relative, None, None, "layout.file-type",
                          f"成果文件夹中不接受 {file.suffix or '无扩展名'} 文件（SVG、HTML 等可能携带脚本）。",
                          "只能放 jpg、png、webp 图片，并在 media 中登记。")
    return Diagnostic(relative, None, None, "layout.unlisted-media", f"图片“{file.name}”没有在 media 中登记。",
                      "在 media 中登记该图片并写明替代文字，或删除它。")


PLAIN_TEXT_FIELDS = ("title", "title_en", "summary")


def _content(doc: LoadedDocument, strings: list[tuple[Path_, str]]) -> Iterator[Diagnostic]:
    media = frozenset(m["file"] for m in doc.data.get("media") or ())
    yield from _markdown_problems(doc, ("description",), check_markdown(doc.data["description"], media))
    if "<" not in "".join(text for path, text in strings if path != ("description",)):
        return  # no markup anywhere in the plain-text fields: nothing to look at field by field
    for path, text in strings:
        if path != ("description",):
            yield from _markdown_problems(doc, path, check_plain_text(text))


def _markdown_problems(doc: LoadedDocument, path: Path_, problems: list[MarkdownProblem]) -> Iterator[Diagnostic]:
    for problem in problems:
        yield inside(doc, path, problem.offset, problem.rule, problem.message, problem.hint)


def _get(data, path: Path_):
    for part in path:
        data = data[part]
    return data


def iter_strings(data, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from iter_strings(value, path + (i,))


PHONE_ALLOWED = {("transfer", "contact", "phone")}
NOT_PERSONAL = {"credit_code", "number", "doi", "orcid", "id"}


_LONG_DIGITS = re.compile(r"[0-9]{3}[- ]?[0-9]{4}[- ]?[0-9]{4}")


def _personal_data(doc: LoadedDocument, strings: list[tuple[Path_, str]]) -> Iterator[Diagnostic]:
    for path, text in strings:
        if path and path[-1] in NOT_PERSONAL or not _LONG_DIGITS.search(text):
            continue
        for offset, number in checkdigits.find_resident_ids(text):
            yield inside(doc, path, offset, "rule.personal-id", f"内容中含有居民身份证号码“{number[:6]}…”。",
                         "成果材料不得公开个人身份证号码，请删除。")
        if path not in PHONE_ALLOWED:
            for offset, number in checkdigits.find_mobile_numbers(text):
                yield inside(doc, path, offset, "rule.personal-phone", f"内容中含有手机号码“{number[:3]}…”。",
                             "个人手机号只能填写在成果转化联系方式（transfer.contact.phone）中，其他地方请删除。")


def _soft_limits(doc: LoadedDocument) -> Iterator[Diagnostic]:
    summary = doc.data["summary"]
    if len(summary) > SUMMARY_SOFT_LIMIT:
        yield at(doc, ("summary",), "rule.summary-length",
                 f"成果简介有 {len(summary)} 个字，建议不超过 {SUMMARY_SOFT_LIMIT} 个字。",
                 "简介会显示在列表和订阅源中，请精简为一段话。", Severity.WARNING)
    if "\n\n" in summary.strip():
        yield at(doc, ("summary",), "rule.summary-paragraphs", "成果简介应为一段话。", "合并为一段，详细内容写在 description 中。",
                 Severity.WARNING)


def check_record(doc: LoadedDocument, source: RecordSource, vocab: Vocabularies, today: date) -> list[Diagnostic]:
    """All single-file rules for a schema-valid record."""
    found: list[Diagnostic] = []
    strings = list(iter_strings(doc.data))
    for rule in (
        _id_matches_file(doc, source), _field_in_highland(doc, vocab), _units_and_people(doc), _patents(doc),
        _dates(doc, today), _media(doc, source), _content(doc, strings), _personal_data(doc, strings),
        _soft_limits(doc),
    ):
        found.extend(rule)
    return found


def duplicate_ids(records: list[tuple[str, LoadedDocument]]) -> list[Diagnostic]:
    """Ids must be unique across the library; every file sharing one is reported."""
    by_id: dict[str, list[LoadedDocument]] = {}
    for record_id, doc in records:
        by_id.setdefault(record_id, []).append(doc)
    found = []
    for record_id, docs in sorted(by_id.items()):
        if len(docs) > 1:
            files = "、".join(d.file for d in docs)
            for doc in docs:
                found.append(at(doc, ("id",), "rule.duplicate-id", f"成果编号“{record_id}”重复：{files}。",
                                "每个成果的编号必须唯一。新成果请用 zlhcg new 生成编号。"))
    return found


__all__ = ["check_record", "duplicate_ids", "iter_strings", "error"]
