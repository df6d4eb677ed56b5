"""Regenerates the LibreOffice-saved fixtures (run from the repository root; needs Debian's libreoffice-calc-nogui):

    .venv/bin/python tests/data/xlsx/make_fixtures.py

Each fixture starts as the generated template filled through openpyxl, then LibreOffice Calc opens it headless and
saves it again as .xlsx — its own XML, styles, shared strings and (for the formula) a calculated, cached value,
standing in for a file that went through a real office suite.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.factories import REPO  # noqa: E402
from tests.workbooks import SUBMITTABLE, Editor, demo_data, write_workbook  # noqa: E402


def convert(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                        "--outdir", out, str(source)], check=True, capture_output=True, timeout=180)
        target.write_bytes((Path(out) / source.name).read_bytes())


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        three = write_workbook(REPO, work / "libreoffice-3.xlsx", [demo_data(p) for p in SUBMITTABLE[:3]])
        convert(three, HERE / "libreoffice-3.xlsx")
        formula = write_workbook(REPO, work / "libreoffice-formula.xlsx", [demo_data(SUBMITTABLE[0])])
        edit = Editor(formula)
        edit.set("经济社会效益", "数值", "=2+2", key=1)
        edit.save()
        convert(formula, HERE / "libreoffice-formula.xlsx")


if __name__ == "__main__":
    main()
