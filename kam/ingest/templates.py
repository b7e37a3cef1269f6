"""Import templates: one .xlsx per model table, a Chinese sheet and an English sheet, headers the importer knows.

In: the table declarations (kam.ingest.schema) and synonyms. Out: workbook bytes per table, and
`python -m kam.ingest.templates [FOLDER]` writing them to data/templates/. Each header is the first synonym of its
column in that language, so a filled-in template maps back at 100% confidence.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from kam.ingest.schema import TABLES
from kam.ingest.synonyms import COLUMN_SYNONYMS

FOLDER = Path(__file__).resolve().parents[2] / "data" / "templates"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def headers(table: str, lang: str) -> list[str]:
    """The template's header row for `table` in 'zh' or 'en' (columns without a word in that language: the name)."""
    out = []
    for column in TABLES[table].names:
        words = COLUMN_SYNONYMS[table].get(column, ())
        chosen = [w for w in words if bool(_CJK.search(w)) == (lang == "zh")]
        out.append(chosen[0] if chosen else column)
    return out


def workbook(table: str) -> bytes:
    book = openpyxl.Workbook()
    for index, lang in enumerate(("zh", "en")):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = "中文" if lang == "zh" else "English"
        sheet.append(headers(table, lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = max(12, 2 * len(str(cell.value)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table}.xlsx"
        path.write_bytes(workbook(table))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(written_path)
