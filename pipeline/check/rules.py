"""Rules beyond the schema, for one record file: identity, references, check digits, dates, media, content
safety and personal data. Each rule yields diagnostics; none stops at the first problem.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.check import checkdigits, names, patents
from pipeline.diagnostics import Diagnostic, Severity, error
from pipeline.check.markdown_check import MarkdownProblem, check_markdown, check_plain_text
from pipeline.read.sources import MEDIA_SUFFIXES, RecordSource, record_file
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


class Parts:
    """The parts of a record the rules may read: present, of the expected type and free of schema errors at or
    below them, so every rule runs on every well-formed part even when other parts fail the schema."""

    def __init__(self, doc: LoadedDocument, blocked: Iterable[str] = ()):
        self.doc = doc
        # Every formatted path (`units[0].credit_code`) with a schema error at or below it: each error path and
        # all its ancestors, so that asking about one part is one set lookup however many errors there are.
        self.tainted = frozenset(prefix for path in blocked for prefix in _prefixes(path))

    def clean(self, path: Path_) -> bool:
        return not self.tainted or format_path(path) not in self.tainted

    def get(self, path: Path_, kind: type | tuple = str):
        """The value at `path` if it is there, a `kind` and clean; else None."""
        value = self.doc.data
        for part in path:
            if isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            elif isinstance(part, str) and isinstance(value, dict) and part in value:
                value = value[part]
            else:
                return None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)) or not self.clean(path):
            return None
        return value

    def items(self, path: Path_) -> Iterator[tuple[int, dict]]:
        """(index, mapping) for each mapping in the list at `path` (a list with errors inside still counts)."""
        value = self.doc.data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        for i, item in enumerate(value if isinstance(value, list) else ()):
            if isinstance(item, dict):
                yield i, item


def _prefixes(path: str) -> Iterator[str]:
    """`units[0].name` → `units`, `units[0]`, `units[0].name`."""
    for match in re.finditer(r"[.\[]", path):
        if match.start():
            yield path[:match.start()]
    yield path


def _id_matches_file(parts: Parts, source: RecordSource) -> Iterator[Diagnostic]:
    doc, record_id = parts.doc, parts.get(("id",))
    if record_id is None:
        return
    stem, folder, year = source.path.stem, source.path.parent.name, source.path.parent.parent.name
    if source.path.suffix != ".yaml":
        yield at(doc, (), "rule.file-extension", "成果文件的扩展名应为 .yaml。", f"把文件改名为 {stem}.yaml。")
    if record_id != stem or record_id != folder or year != str(record_id)[:4]:
        hidden = FORBIDDEN_CHARS.search(year + folder + stem)
        invisible = f"文件夹名或文件名中含有看不见的{describe_char(hidden.group())}，" if hidden else ""
        yield at(doc, ("id",), "rule.id-filename",
                 f"成果编号“{record_id}”与文件路径 results/{year}/{folder}/{source.path.name} 不一致。{invisible}",
                 f"编号、文件夹名和文件名须相同，年份文件夹是编号的前四位：{record_file(str(record_id))}。"
                 "编号一经生成不要修改。")


def _field_in_highland(parts: Parts, vocab: Vocabularies) -> Iterator[Diagnostic]:
    field, highland = parts.get(("field",)), parts.get(("highland",))
    term = vocab.fields.get(field) if field else None
    if term and highland and term.parent != highland:
        where = "“315”以外的领域" if not term.in_315 else f"“{term.parent}”科创高地"
        yield at(parts.doc, ("field",), "rule.field-highland",
                 f"领域“{term.name}”属于{where}，而不是“{highland}”。",
                 f"把 highland 改为“{term.parent}”，或选择“{highland}”下的领域："
                 + "、".join(t.name for t in vocab.fields_of(highland)) + "。")


def _units(parts: Parts) -> Iterator[Diagnostic]:
    doc, seen = parts.doc, set()
    for i, unit in parts.items(("units",)):
        name = parts.get(("units", i, "name"))
        if name is not None and name in seen:
            yield at(doc, ("units", i, "name"), "rule.duplicate-unit", f"完成单位“{name}”重复列出。", "每个单位只列一次。")
        seen.add(name)
        if "region" in unit:
            yield from _unit_abroad(parts, i, unit)
            continue
        code = parts.get(("units", i, "credit_code"))
        if code is not None:
            yield from _credit_code(doc, ("units", i, "credit_code"), code)


def _credit_code(doc: LoadedDocument, path: Path_, code: str) -> Iterator[Diagnostic]:
    if not checkdigits.credit_code_is_valid(code):
        yield at(doc, path, "rule.credit-code", f"统一社会信用代码“{code}”的第 18 位校验码不正确。",
                 "请对照营业执照或事业单位法人证书逐位核对（常见错误是把字母 O 写成数字 0、把字母 I 写成数字 1）。")
    elif not checkdigits.organisation_code_is_valid(code[8:17]):
        yield at(doc, path, "rule.organisation-code",
                 f"统一社会信用代码“{code}”第 9—17 位的组织机构代码“{code[8:17]}”校验码不正确（GB 11714）。",
                 "第 18 位校验码碰巧吻合，但中间的组织机构代码有误，通常是抄错了其中一位。请对照证照逐位核对。")


def _unit_abroad(parts: Parts, i: int, unit: dict) -> Iterator[Diagnostic]:
    region = parts.get(("units", i, "region")) or "境外"
    for key, what in (("credit_code", "统一社会信用代码"), ("city", "所在地")):
        if key in unit:
            yield at(parts.doc, ("units", i, key), "rule.unit-abroad",
                     f"{region}单位没有{what}，此项不应填写。",
                     f"删除 {key}；单位所在地由 region" + ("和 country" if region == "国外" else "") + " 说明。")


def _people(parts: Parts, vocab: Vocabularies) -> Iterator[Diagnostic]:
    doc = parts.doc
    names = [n for i, _ in parts.items(("units",)) if (n := parts.get(("units", i, "name"))) is not None]
    for i, person in parts.items(("people",)):
        name = parts.get(("people", i, "name")) or ""
        for j, unit in enumerate(person.get("units") if isinstance(person.get("units"), list) else ()):
            if isinstance(unit, str) and parts.clean(("people", i, "units", j)) and unit not in names:
                yield at(doc, ("people", i, "units", j), "rule.person-unit",
                         f"完成人“{name}”的所在单位“{unit}”不在完成单位列表中。",
                         "所在单位须与 units 中某个单位的名称完全一致（包括括号和全称）。可选：" + "、".join(names))
        if name:
            yield from _middle_dots(doc, ("people", i, "name"), name)
        orcid = parts.get(("people", i, "orcid"))
        if orcid and not checkdigits.orcid_is_valid(orcid):
            yield at(doc, ("people", i, "orcid"), "rule.orcid", f"ORCID“{orcid}”的校验位不正确。",
                     "请从 ORCID 个人主页复制完整的 16 位标识。")


def _middle_dots(doc: LoadedDocument, path: Path_, name: str) -> Iterator[Diagnostic]:
    """Refused, not silently changed: the file is the published source, and a name must read the same in the
    file, on the site and in the open data. The message gives the corrected name to copy."""
    found = [ch for ch in dict.fromkeys(name) if ch in names.MIDDLE_DOT_VARIANTS]
    if found:
        shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in found)
        yield at(doc, path, "rule.name-middle-dot", f"姓名“{name}”中的间隔号用了形似的符号 {shown}。",
                 f"姓名中的间隔号统一用“·”（U+00B7），请改为：{names.fold_middle_dots(name)}")


def _patents(parts: Parts) -> Iterator[Diagnostic]:
    for i, patent in parts.items(("ip", "patents")):
        path = ("ip", "patents", i, "number")
        number, status = parts.get(path), parts.get(("ip", "patents", i, "status"))
        if number is None:
            continue
        office = parts.get(("ip", "patents", i, "office"))
        if office and office != "CN":
            continue  # a foreign or PCT number: its layout is the office's own, taken as written
        yield from _cn_patent(parts.doc, path, number, status)


def _cn_patent(doc: LoadedDocument, path: Path_, number: str, status: str | None) -> Iterator[Diagnostic]:
    read = patents.read_cn_patent(number)
    if read is None:
        foreign = patents.looks_foreign(number)
        if foreign:
            yield at(doc, path, "rule.patent-office", f"“{number}”看起来是国外或 PCT 专利（{foreign}）。",
                     f"国外和 PCT 专利请在同一项中加上受理局代码：office: {foreign}，编号照原样填写。")
        else:
            yield at(doc, path, "rule.patent-number", f"“{number}”不是中国专利号或申请号的格式。",
                     "已授权的写 ZL + 申请号，如 ZL202110123456.7 或 ZL98113456.X；尚未授权的写申请号，如 202310123456.2。")
        return
    if not read.check_ok:
        want = patents.expected_check(number)
        yield at(doc, path, "rule.patent-number",
                 f"专利号“{number}”无效：校验位或申请年份、专利类型不正确" + (f"（按前面的数字，校验位应为 {want}）" if want else "") + "。",
                 "请对照专利证书或受理通知书逐位核对。")
    elif status and status not in read.statuses:
        kinds = {patents.GRANTED: "已授权的专利号（ZL 开头）", patents.APPLICATION: "申请号",
                 patents.PUBLICATION: "公布号"}
        yield at(doc, path, "rule.patent-status",
                 f"“{number}”是{kinds[read.kind]}，与法律状态“{status}”不符。",
                 "已授权的专利填 ZL 开头的专利号并把状态写“已授权”；尚未授权的填申请号（不带 ZL），状态写已受理、实审中或已公开。")


def _awards(parts: Parts, vocab: Vocabularies) -> Iterator[Diagnostic]:
    awards = vocab.by_key.get("awards")
    for i, award in parts.items(("awards",)):
        term = awards.get(parts.get(("awards", i, "name")) or "") if awards else None
        if term is None or term.grades is None:
            continue
        grade = parts.get(("awards", i, "grade"))
        if term.grades and "grade" not in award:
            yield at(parts.doc, ("awards", i), "rule.award-grade", f"“{term.name}”须写明获奖等级。",
                     f"填写 grade：{'、'.join(term.grades)}。")
        elif grade and grade not in term.grades:
            allowed = f"可选：{'、'.join(term.grades)}" if term.grades else "该奖项不分等级，请删除 grade"
            yield at(parts.doc, ("awards", i, "grade"), "rule.award-grade", f"“{term.name}”没有“{grade}”这一等级。",
                     allowed + "。")


def _certificates(parts: Parts, vocab: Vocabularies) -> Iterator[Diagnostic]:
    kinds = vocab.by_key.get("certificate_kinds")
    for i, _ in parts.items(("certificates",)):
        term = kinds.get(parts.get(("certificates", i, "kind")) or "") if kinds else None
        number = parts.get(("certificates", i, "number"))
        if term and term.pattern and number and not re.fullmatch(term.pattern, patents.fold(number)):
            yield at(parts.doc, ("certificates", i, "number"), "rule.certificate-number",
                     f"“{number}”不符合{term.name}的格式。", f"请按证书原样核对，格式如 {term.example}。")


def _dated_paths(parts: Parts) -> Iterator[Path_]:
    yield ("entered",)
    yield ("ip_statement", "confirmed_on")
    yield ("withdrawn", "date")
    for name in ("progress", "evaluations", "certificates", "benchmarks"):
        for i, _ in parts.items((name,)):
            yield (name, i, "date")


def _dates(parts: Parts, today: date) -> Iterator[Diagnostic]:
    doc = parts.doc
    for path in _dated_paths(parts):
        text = parts.get(path)
        if text and date.fromisoformat(text) > today:
            yield at(doc, path, "rule.future-date", f"日期 {text} 晚于今天（{today.isoformat()}）。",
                     "这里只能填写已经发生的日期；尚未公开的成果请用 publish_at 设置公开时间。")
    for name, what in (("papers", "论文发表年份"), ("awards", "获奖年度")):
        for i, _ in parts.items((name,)):
            year = parts.get((name, i, "year"), int)
            if year is not None and year > today.year:
                yield at(doc, (name, i, "year"), "rule.future-date", f"{what} {year} 晚于今年。",
                         "只报送已经发表或已经获得的成果。")
    entered, withdrawn = parts.get(("entered",)), parts.get(("withdrawn", "date"))
    if entered and withdrawn and withdrawn < entered:
        yield at(doc, ("withdrawn", "date"), "rule.withdrawn-before-entered", "撤回日期早于入库日期。", "请核对两个日期。")


def _media(parts: Parts, source: RecordSource) -> Iterator[Diagnostic]:
    doc = parts.doc
    listed = {name: i for i, _ in parts.items(("media",)) if (name := parts.get(("media", i, "file")))}
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


def _content(parts: Parts, strings: list[tuple[Path_, str]]) -> Iterator[Diagnostic]:
    doc = parts.doc
    media = frozenset(name for i, _ in parts.items(("media",)) if (name := parts.get(("media", i, "file"))))
    description = parts.get(("description",))
    if description is not None:
        yield from _markdown_problems(doc, ("description",), check_markdown(description, media))
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
NOT_PERSONAL = {"credit_code", "number", "doi", "orcid", "id", "certificate"}


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


def _soft_limits(parts: Parts) -> Iterator[Diagnostic]:
    doc, summary = parts.doc, parts.get(("summary",))
    if summary is None:
        return
    if len(summary) > SUMMARY_SOFT_LIMIT:
        yield at(doc, ("summary",), "rule.summary-length",
                 f"成果简介有 {len(summary)} 个字，建议不超过 {SUMMARY_SOFT_LIMIT} 个字。",
                 "简介会显示在列表和订阅源中，请精简为一段话。", Severity.WARNING)
    if "\n\n" in summary.strip():
        yield at(doc, ("summary",), "rule.summary-paragraphs", "成果简介应为一段话。", "合并为一段，详细内容写在 description 中。",
                 Severity.WARNING)


def check_record(doc: LoadedDocument, source: RecordSource, vocab: Vocabularies, today: date,
                 blocked: Iterable[str] = ()) -> list[Diagnostic]:
    """All single-file rules, each on every part of the record that is well-formed; `blocked` are the paths
    (as in diagnostics) where the schema found errors."""
    parts = Parts(doc, blocked)
    found: list[Diagnostic] = []
    strings = list(iter_strings(doc.data))
    for rule in (
        _id_matches_file(parts, source), _field_in_highland(parts, vocab), _units(parts), _people(parts, vocab),
        _patents(parts), _awards(parts, vocab), _certificates(parts, vocab), _dates(parts, today),
        _media(parts, source), _content(parts, strings), _personal_data(doc, strings), _soft_limits(parts),
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
