"""A timed walk-through of Excel batch submission, as an office would do it:

    .venv/bin/python -m tests.bench.workbook_walkthrough

1. `zlhcg workbook` writes the template;
2. three achievements are typed into it cell by cell, found by header title (openpyxl standing in for a person
   in Excel or WPS), including the usual slips: a credit code typed with full-width characters, a date typed as
   2024/8/20, numbered innovations;
3. `zlhcg import` checks it (a first attempt with one mistake, then the corrected file) and writes the records;
4. the batch workflow's script (`zlhcg from-batch-issue`, with the file given locally instead of downloaded)
   produces the issue reply and the pull-request list.
Also: 200 achievements through `zlhcg import`.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.submit.workbook_layout import MAIN_SHEET, REQUIRED_MARK
from tests.factories import make_repo
from tests.workbooks import SUBMITTABLE, demo_data, write_workbook

FULL_WIDTH = str.maketrans("0123456789ABCDEFGHJKLMNPQRTUWXY", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ")


def timed(label: str, action):
    start = time.perf_counter()
    out = StringIO()
    with redirect_stdout(out):
        result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return result, out.getvalue()


def _headers(ws) -> dict[str, int]:
    return {str(c.value).removeprefix(REQUIRED_MARK): c.column for c in ws[1] if c.value}


def type_in(template: Path, target: Path, records: list[dict]) -> None:
    """Fills an empty template from exported rows of the same records, cell by cell, by header title."""
    source = write_workbook(template.parent.parent / "repo", target.with_suffix(".source.xlsx"), records)
    filled, typed = load_workbook(template), load_workbook(source)
    for name in typed.sheetnames[1:-1]:
        into, rows = filled[name], typed[name]
        headers, given = _headers(into), _headers(rows)
        for row in rows.iter_rows(min_row=2):
            for title, column in given.items():
                value = row[column - 1].value
                if value is not None:
                    into.cell(row[0].row, headers[title], value)
    units = filled["完成单位"]
    code = _headers(units)["统一社会信用代码"]
    units.cell(2, code).value = str(units.cell(2, code).value).translate(FULL_WIDTH) + " "
    main_ws = filled[MAIN_SHEET]
    main_ws.cell(3, _headers(main_ws)["知识产权声明·确认日期"]).value = "2024/8/20"
    filled.save(target)


def main_walkthrough() -> None:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        repo = make_repo(work / "repo")
        root = ["--root", str(repo)]
        (work / "unit").mkdir()
        template = work / "unit" / "模板.xlsx"
        timed("1 template (zlhcg workbook)", lambda: main([*root, "workbook", "--out", str(template)]))
        records = [demo_data(p) for p in SUBMITTABLE[:3]]
        filled = work / "unit" / "三项成果.xlsx"
        timed("2 fill 3 achievements by header", lambda: type_in(template, filled, records))
        wb = load_workbook(filled)
        people = wb["完成人"]
        wrong = people.cell(3, _headers(people)["所在单位"])
        wrong.value = "不存在的单位"
        mistaken = work / "unit" / "三项成果-有误.xlsx"
        wb.save(mistaken)
        code, report = timed("3a import with one mistake", lambda: main([*root, "import", str(mistaken)]))
        print(f"   exit {code}; report:\n" + "\n".join("   " + line for line in report.splitlines() if "!" in line
                                                       or "修改建议" in line or "检查" in line))
        event = work / "event.json"
        event.write_text(json.dumps({"issue": {"number": 1, "body": "### 报送表\n\n(附件)"}}), encoding="utf-8")
        outputs = work / "outputs.json"
        code, _ = timed("4 workflow script (from-batch-issue, local file)", lambda: main(
            [*root, "from-batch-issue", "--event", str(event), "--workbook", str(filled),
             "--comment-file", str(work / "comment.md"), "--outputs", str(outputs)]))
        print(f"   exit {code}; pull requests to open: "
              + ", ".join(r["record_path"] for r in json.loads(outputs.read_text(encoding="utf-8"))["records"]))
        code, _ = timed("validate the imported records", lambda: main([*root, "validate"]))
        print(f"   exit {code}")
        big = work / "200.xlsx"
        many = [demo_data(SUBMITTABLE[i % len(SUBMITTABLE)]) for i in range(200)]
        timed("export 200 achievements", lambda: write_workbook(repo, big, many))
        fresh = make_repo(work / "repo200")
        code, _ = timed("import 200 achievements", lambda: main(["--root", str(fresh), "import", str(big)]))
        print(f"   exit {code}; records written: {len(list((fresh / 'results').glob('*/*.yaml')))}")


if __name__ == "__main__":
    main_walkthrough()
