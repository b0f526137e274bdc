"""The import template (`tagdesk template FILE.xlsx`): the sheet to fill in, and how to fill it.

The first sheet is what the importer reads (header texts from `spreadsheet_reader.HEADERS`, one
example row it recognises and refuses, so an unedited template never writes anything); the second
explains every column in Chinese and English, including where the external_userid comes from,
because that is the column people get wrong.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.services.spreadsheet_reader import (
    FIELD_ADD,
    FIELD_EXTERNAL_USERID,
    FIELD_OWNER,
    FIELD_REMOVE,
    HEADERS,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

EXAMPLE_EXTERNAL_USERID = "wmEXAMPLE-replace-with-a-real-id"
"""The template's example row; the importer reports it instead of looking it up."""
IMPORT_SHEET = "导入 Import"
INSTRUCTIONS_SHEET = "说明 Instructions"

_HEADER_COLOUR = "DDE7F5"
_WIDTHS = {FIELD_EXTERNAL_USERID: 38, FIELD_OWNER: 26, FIELD_ADD: 34, FIELD_REMOVE: 34}
_EXAMPLE = {FIELD_EXTERNAL_USERID: EXAMPLE_EXTERNAL_USERID, FIELD_OWNER: "zhangsan",
            FIELD_ADD: "高意向、客户等级:VIP", FIELD_REMOVE: "低意向"}

INSTRUCTIONS: tuple[tuple[str, str, str], ...] = (
    ("列 Column", "中文说明", "Description"),
    (HEADERS[FIELD_EXTERNAL_USERID],
     "必填。企业微信的客户ID（以 wm 或 wo 开头），不是手机号或姓名。获取方法：在 TagDesk 中"
     "导出客户（导出文件含此列，可直接修改后再导入），或在客户详情中复制。",
     "Required. The customer's WeCom external_userid (starts with wm or wo), not a phone number"
     " or a name. To get it, export customers from TagDesk (the export has this column and"
     " imports back as it is) or copy it from the customer's detail pane."),
    (HEADERS[FIELD_OWNER],
     "可空。跟进该客户的成员账号（userid）。留空表示该客户的所有跟进成员都修改。",
     "Optional. The userid of the member who follows the customer. Empty means every member"
     " who follows the customer."),
    (HEADERS[FIELD_ADD],
     "要添加的标签名称，与企业微信管理后台显示的一致。多个标签用 、 , ; 或换行分隔。"
     "不同标签组有同名标签时写成「组名:标签名」。",
     "Names of the tags to add, as the WeCom admin console shows them. Separate several with"
     " 、 , ; or line breaks. Where two groups have a tag of the same name, write"
     " group:name."),
    (HEADERS[FIELD_REMOVE],
     "要移除的标签名称，写法同上。同一行里不能既添加又移除同一个标签。",
     "Names of the tags to remove, written the same way. A row cannot add and remove the same"
     " tag."),
    ("", "", ""),
    ("导入前 Before", "导入前会检查每一行，列出行号、列、内容、问题和修改建议；有问题时什么都不会写入，"
     "除非选择「只导入有效行」（命令行 --skip-invalid）。",
     "Every row is checked before anything is written, listing row, column, value, problem and"
     " suggestion. With problems nothing is written unless you choose to import only the valid"
     " rows (--skip-invalid on the command line)."),
    ("试运行 Pilot", "有效行作为一个批量任务执行：先预览，再试运行前若干个客户关系，确认结果后再继续其余部分。",
     "Valid rows become one batch: a preview first, then a pilot run on the first relations,"
     " and the rest only after you have checked the result."),
    ("公式 Formulas", "公式单元格按 Excel 保存的值导入；由脚本写入、没有保存值的公式会被列为问题，"
     "请在 Excel 中打开并保存后再导入。",
     "A formula cell imports as the value Excel saved with it; a formula without a saved value"
     " (written by a script) is listed as a problem: open and save the file in Excel, then"
     " import it."),
    ("示例 Example", "第一张表的示例行只用于说明，请替换或删除。",
     "The example row on the first sheet only illustrates; replace or delete it."),
)


def write_template(path: Path) -> Path:
    """Write the template to `path` (.xlsx); the file appears only when complete. openpyxl
    loads here, not with the importer's constants (it is most of a GUI start's imports)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    header_fill = PatternFill("solid", fgColor=_HEADER_COLOUR)
    book = Workbook()
    sheet = book.active
    sheet.title = IMPORT_SHEET
    fields = (FIELD_EXTERNAL_USERID, FIELD_OWNER, FIELD_ADD, FIELD_REMOVE)
    sheet.append([HEADERS[f] for f in fields])
    sheet.append([_EXAMPLE[f] for f in fields])
    for index, field in enumerate(fields):
        letter = "ABCD"[index]
        sheet.column_dimensions[letter].width = _WIDTHS[field]
        header = sheet[f"{letter}1"]
        header.font = Font(bold=True)
        header.fill = header_fill
        sheet[f"{letter}2"].font = Font(italic=True, color="808080")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    for row in INSTRUCTIONS:
        notes.append(list(row))
    for letter, width in zip("ABC", (30, 60, 80), strict=True):
        notes.column_dimensions[letter].width = width
    for cells in notes.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    _save_atomically(book, path)
    return path


def _save_atomically(book: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        book.save(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
