"""Help → Filter syntax: examples of the filter language with what each one shows, in the
interface language (the language's full reference is the README's "The filter language")."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.retranslate import retranslate_in_place


class FilterSyntaxDialog(QDialog):
    """A window beside the table, so an example can be typed while it stays open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(720, 600)
        retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Filter syntax"))
        self.browser.setHtml(self.page())

    def examples(self) -> list[tuple[str, str]]:
        """(filter, what it shows): the filters are the language itself, never translated."""
        return [
            ("高意向", self.tr("Relations tagged 高意向")),
            ("高意向 VIP", self.tr("Both tags (a space means AND)")),
            ("高意向 -已流失", self.tr("高意向 but not 已流失")),
            ("客户等级:VIP", self.tr("The tag VIP of the group 客户等级")),
            ("group:客户等级", self.tr("Any tag of the group 客户等级 (also written 分组:客户等级)")),
            ("教育/*", self.tr("教育 and every tag below it, such as 教育/K12")),
            ("(高意向 | 中意向) owner:zhangsan",
             self.tr("Either tag, on customers of the member zhangsan (userid or name)")),
            ("部门:销售一部 且 添加时间>=2025-01-01",
             self.tr("Owners in 销售一部 or its sub-departments, added on or after 1 January 2025")),
            ("非 (渠道:展会 或 渠道:官网)", self.tr("Not added through either channel")),
            ("text:北京", self.tr("北京 in the customer's name, company, remark, description or"
                                  " phone")),
            ("tags>=3 before:2025-06-30",
             self.tr("Three or more corp tags, added before 30 June 2025")),
        ]

    def notes(self) -> list[str]:
        return [
            self.tr("Operators: AND (also 且, & or just a space), OR (或, |), NOT (非, - or !)."
                    " NOT comes first, then AND, then OR; group with parentheses."),
            self.tr("Put a name with spaces or operators in quotes: \"高 意向\" or 「高 意向」."),
            self.tr("Fields: owner: (负责人:), dept: (部门:), state: (渠道:), text: (搜索:),"
                    " added (添加时间), before: and after:, tags (标签数)."),
            self.tr("A date is a day, a month or a year: 2025-01-31, 2025-01 or 2025; compare"
                    " with = != < <= > >=."),
            self.tr("A mistake is pointed out under the filter bar, at the character where it is;"
                    " Ctrl+F jumps to the filter bar."),
        ]

    def page(self) -> str:
        rows = "".join(
            f"<tr><td style='padding:3px 12px 3px 0'><code>{html.escape(text)}</code></td>"
            f"<td style='padding:3px 0'>{html.escape(meaning)}</td></tr>"
            for text, meaning in self.examples())
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes())
        title = self.tr("How to write a filter")
        return (f"<h3>{html.escape(title)}</h3>"
                f"<table>{rows}</table><ul>{notes}</ul>")
