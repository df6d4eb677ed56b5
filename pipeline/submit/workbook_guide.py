"""The 填表说明 sheet: how to fill the workbook, the evidence each category needs and where to send it.

Generated from the layout (sheets, required columns) and the category vocabulary, like everything else in the
workbook, so it names the sheets and columns the file actually has.
"""

from __future__ import annotations

from typing import Iterator

from pipeline.submit.workbook_layout import KEY_TITLE, MAIN_SHEET, REQUIRED_MARK, WorkbookLayout

STEPS = (
    f"1. 在“{MAIN_SHEET}”表中每个成果填一行，“{KEY_TITLE}”从 1 开始依次编号；“成果编号”一列新报送的成果不填，由系统分配。",
    f"2. 完成单位、完成人、论文、专利等每项填一行，放在同名的工作表中，“{KEY_TITLE}”填所属成果在“{MAIN_SHEET}”表中的序号。",
    f"3. 列名前有“{REQUIRED_MARK}”并标红的列必须填写；点击单元格可看到填写说明，带下拉箭头的列请从列表中选择。",
    "4. 创新点、产品、关键词等“多条”内容写在同一个单元格中，每条一行（在单元格内换行：Excel 按 Alt+Enter，WPS 按 Alt+Enter 或 Ctrl+Enter）。",
    "5. 统一社会信用代码、专利号、登记号、电话等编号列已设为“文本”格式，请直接输入或粘贴为“只粘贴数值”，不要改成数字格式。",
    "6. 日期写作 2025-03-18（也接受 2025/3/18、2025年3月18日）。",
    "7. 图片不能放进表格：如需配图，请在报送时另行提供图片文件，并在“图片”表中登记文件名和文字说明。",
    "8. 请勿修改列名、工作表名，不要删除“词表”等工作表；可以增加空行，也可以删除不用的空行。",
    "9. 填好后保存为 .xlsx 格式（WPS 请选择“另存为 → Excel 文件(*.xlsx)”），按“报送方式”提交。",
)


def _evidence(layout: WorkbookLayout, descriptions: dict[str, str]) -> Iterator[tuple[str, str]]:
    for category, field in layout.evidence.items():
        sheet = next((s for s in layout.sheets[1:] if s.path[:1] == (field,)), None)
        columns = [c.title for c in layout.main.columns if c.path[:1] == (field,)]
        where = (f"填写“{sheet.name}”表（至少一行）" if sheet else
                 "填写“成果”表中的以下各列：" + "、".join(columns))
        text = descriptions.get(category, "")
        yield category, (text + " " if text else "") + where + "。"


def _contact(contact: dict) -> str:
    parts = [f"{label}：{contact[key]}" for key, label in (("name", "联系人"), ("phone", "电话"), ("email", "电子邮箱"))
             if contact.get(key)]
    return "；".join(parts) + "。" if parts else "请向本地区、本系统的科技成果报送牵头部门咨询。"


VERSION_LABEL = "模板版本"


def version_text(version: str) -> str:
    return f"记录格式 {version}"


def guide_rows(layout: WorkbookLayout, contact: dict, descriptions: dict[str, str] | None = None,
               version: str = "") -> Iterator[tuple[str, str]]:
    yield "浙里好成果", "重大科技成果批量报送表（Excel）"
    if version:
        yield VERSION_LABEL, version_text(version) + "（系统据此识别旧版模板，请勿修改）"
    yield "填写步骤", "\n".join(STEPS)
    yield "各类成果的佐证", "不同类别的成果须提供不同的佐证材料："
    yield from _evidence(layout, descriptions or {})
    required = [s.name for s in layout.sheets[1:] if s.required]
    yield "必须填写的表", f"“{MAIN_SHEET}”表，以及" + "、".join(f"“{name}”" for name in required) + "表（每个成果至少一行）。"
    yield "报送方式", ("① 在“浙里好成果”代码仓库的“议题”中选择“批量报送（Excel）”表单，上传本文件；"
                    "② 或发送给本地区、本系统的报送牵头部门，由其汇总后报送。")
    yield "联系方式", _contact(contact)
    yield "报送承诺", ("报送的成果知识产权权属、完成单位、完成人署名应清晰明确且无争议，不得包含涉密或敏感内容，"
                   "不得填写身份证号码等个人信息。")
