"""The selected customer: profile, every follow relation with its tags (and when those set to
expire run out: a team profile's as its team server keeps them), the latest journal rows (a
team profile's from the team journal, read on a worker: who really made each change, the
server's rules, live codes and phones included) and the customer's newest behaviour events.

Everything shown comes from the cache with a few indexed queries, so it is instant.
Personal tags are not part of a sync (WeCom gives them no ids); they are fetched on
request through `externalcontact/get` on a worker, because that is a network call.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLabel, QStyle, QTextBrowser, QVBoxLayout, QWidget

from desktop.domain.events import Event, type_name
from desktop.services.changes import ChangeSet
from desktop.services.journal_reader import OBSERVED_SOURCES, reader_for
from desktop.store import events, tag_expiry
from desktop.store.journal_query import OPERATOR_SQL, JournalFilter, JournalRow
from desktop.store.relations import RelationView, load_relations
from desktop.ui.audit_model import LABELS
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.i18n import date_text, datetime_text, is_english, list_text
from desktop.ui.style import is_dark
from desktop.ui.tag_chips_delegate import group_colour
from desktop.wecom.models import ContactDetail, FollowUserTag

JOURNAL_ROWS = 15
EVENT_ROWS = 10
LOAD_PERSONAL = "tagdesk:personal-tags"
COPY_ID = "tagdesk:copy-id"
WORD_JOINER = "\u2060"     # no line break here: a chip never wraps inside its tag name
LABEL_GAP = 8               # px between a label and its value
TABLE_PADDING = 1
WHOLE_VALUES = ("0000-00-00", "00000000000")   # a date, a mobile number: never broken


@dataclass(frozen=True)
class JournalLine:
    ts: float
    operator: str                # the member's name when the cache knows them, else the userid
    action: str
    source: str
    tag_name: str
    owner: str


class DetailBrowser(QTextBrowser):
    """Copies text without the word joiners that keep chips whole."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def text_width(self) -> int:
        """The width the page gets, a vertical scroll bar or not (so it cannot flip)."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        margin = 2 * (self.frameWidth() + self.document().documentMargin())
        return int(self.width() - bar - margin)

    def createMimeDataFromSelection(self) -> QMimeData:
        data = QMimeData()
        data.setText(self.textCursor().selection().toPlainText().replace(WORD_JOINER, ""))
        return data

    def visible_text(self) -> str:
        """The page as plain text, as a reader sees it."""
        return self.toPlainText().replace(WORD_JOINER, "")


class DetailPane(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._relation_id: int | None = None
        self._external_userid = ""
        self._personal: dict[str, list[FollowUserTag]] | None = None
        self._personal_error = ""
        self._loading = False
        self._team = context.workspace.profile.is_team
        self._team_lines: list[JournalLine] | None = None   # the team journal's, once read
        self._team_error = ""
        self._stacked = False        # labels above their values: the pane is too narrow
        self.title = QLabel(self.tr("No customer selected"))
        self.title.setObjectName("paneTitle")
        self.title.setWordWrap(True)
        self.browser = DetailBrowser()
        self.browser.setObjectName("customerDetail")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.browser.resized.connect(self._fit_rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.browser, 1)
        context.changed.connect(self._on_changed)
        self._render()

    @property
    def relation_id(self) -> int | None:
        return self._relation_id

    def show_relation(self, relation_id: int | None) -> None:
        """Show the customer of this relation (None clears the pane)."""
        if relation_id == self._relation_id:
            return
        self._relation_id = relation_id
        external = self._external_of(relation_id) if relation_id is not None else ""
        if external != self._external_userid:
            self._personal = None
            self._personal_error = ""
            self._team_lines, self._team_error = None, ""
        self._external_userid = external
        self._render()
        self._read_team_journal()

    def load_personal_tags(self) -> None:
        """Ask WeCom for the customer's personal tags (off the GUI thread)."""
        external = self._external_userid
        if not external or self._loading:
            return
        self._loading = True
        workspace = self._context.workspace

        def work(_progress: Any, _cancel: Any) -> ContactDetail:
            return workspace.client().get_external_contact(external)

        def done(detail: ContactDetail) -> None:
            self._loading = False
            if external != self._external_userid:
                return
            self._personal = {
                follower.userid: [t for t in follower.tags if t.type == FollowUserTag.PERSONAL]
                for follower in detail.follow_users
            }
            self._render()

        def failed(exc: BaseException) -> None:
            self._loading = False
            if external == self._external_userid:
                self._personal_error = readable(exc)
                self._render()

        self._context.run_task(work, owner=self, name="personal tags", on_result=done, on_error=failed)
        self._render()

    def _read_team_journal(self) -> None:
        """A team profile's recent changes of the shown customer, from the team journal."""
        external = self._external_userid
        if not self._team or not external:
            return
        workspace = self._context.workspace

        def work(_progress: Any, _cancel: Any) -> list[JournalLine]:
            rows = reader_for(workspace).first_page(JournalFilter(customer=external),
                                                    limit=JOURNAL_ROWS)
            return [_team_line(row) for row in rows if row.external_userid == external]

        def done(lines: list[JournalLine]) -> None:
            if external == self._external_userid:
                self._team_lines, self._team_error = lines, ""
                self._render()

        def failed(exc: BaseException) -> None:
            if external == self._external_userid:
                self._team_error = readable(exc)
                self._render()

        self._context.run_task(work, owner=self, name="customer's team journal",
                               on_result=done, on_error=failed)

    # -- data --------------------------------------------------------------------

    def _external_of(self, relation_id: int) -> str:
        row = self._context.cache.connection().execute(
            "SELECT external_userid FROM relation WHERE id = ?", (relation_id,)).fetchone()
        return str(row[0]) if row else ""

    def _relations(self) -> list[RelationView]:
        ids = [row[0] for row in self._context.cache.connection().execute(
            "SELECT id FROM relation WHERE external_userid = ? ORDER BY createtime",
            (self._external_userid,))]
        return load_relations(self._context.cache, ids)

    def _customer(self) -> tuple[str, str, str, int]:
        row = self._context.cache.connection().execute(
            "SELECT name, corp_full_name, position, type FROM customer WHERE external_userid = ?",
            (self._external_userid,)).fetchone()
        return (str(row[0]), str(row[1]), str(row[2]), int(row[3])) if row else ("", "", "", 1)

    def _journal(self) -> list[JournalLine]:
        rows = self._context.cache.connection().execute(
            f"SELECT j.ts, CASE WHEN {OPERATOR_SQL} = '' THEN ''"
            " ELSE coalesce(nullif(mo.name, ''), j.operator) END,"
            " j.action, j.source, j.tag_name, coalesce(m.name, j.userid)"
            " FROM journal j LEFT JOIN member m ON m.userid = j.userid"
            " LEFT JOIN member mo ON mo.userid = j.operator"
            " WHERE j.external_userid = ? ORDER BY j.id DESC LIMIT ?",
            (self._external_userid, JOURNAL_ROWS))
        return [JournalLine(*row) for row in rows]

    def _cached_personal(self, relation_id: int) -> list[tuple[str, str]]:
        return [(str(g), str(n)) for g, n in self._context.cache.connection().execute(
            "SELECT group_name, tag_name FROM personal_tag WHERE relation_id = ?"
            " ORDER BY group_name, tag_name", (relation_id,))]

    # -- rendering ---------------------------------------------------------------

    def _render(self) -> None:
        if not self._external_userid:
            self.title.setText(self.tr("No customer selected"))
            self.browser.setHtml(
                "<p>" + html.escape(self.tr("Select a row to see the customer here.")) + "</p>")
            return
        self._stacked = self._too_narrow()
        name, full_corp, position, kind = self._customer()
        self.title.setText(name or self._external_userid)
        relations = self._relations()
        parts = [self._id_html(), self._profile_html(relations, full_corp, position, kind)]
        parts.extend(self._relation_html(view) for view in relations)
        parts.append(self._personal_html())
        parts.append(self._journal_html())
        parts.append(self._events_html())
        self.browser.setHtml("".join(parts))

    def _id_html(self) -> str:
        """The external_userid, selectable, with a copy link (import messages point here)."""
        label = html.escape(self.tr("Customer ID"))
        copy = _unbreakable(self.tr("Copy"))
        return (f"<p><span style='color:#8a8f98'>{label}</span> "
                f"<code>{html.escape(self._external_userid)}</code> "
                f"<a href='{COPY_ID}'>{copy}</a></p>")

    def _labels(self) -> list[str]:
        return [self.tr("Type"), self.tr("Company"), self.tr("Position"), self.tr("Followed by"),
                self.tr("Remark"), self.tr("Description"), self.tr("Added"), self.tr("Channel"),
                self.tr("Phone")]

    def _too_narrow(self) -> bool:
        """Whether the widest label and a date or a mobile number beside it overflow the pane
        (160 px in English: "Descripti / on", "2026-12-0 / 2")."""
        metrics = self.browser.fontMetrics()
        label = max(metrics.horizontalAdvance(text) for text in self._labels())
        value = max(metrics.horizontalAdvance(text) for text in WHOLE_VALUES)
        return self.browser.text_width() < label + LABEL_GAP + value + 4 * TABLE_PADDING

    def _fit_rows(self) -> None:
        if self._external_userid and self._too_narrow() != self._stacked:
            self._render()

    def copy_external_userid(self) -> None:
        """Put the shown customer's external_userid on the clipboard."""
        if self._external_userid:
            QGuiApplication.clipboard().setText(self._external_userid)
            self._context.status_message.emit(
                self.tr("Copied %1").replace("%1", self._external_userid))

    def _profile_html(self, relations: list[RelationView], full_corp: str, position: str,
                      kind: int) -> str:
        kind_text = self.tr("WeChat user") if kind == 1 else self.tr("WeCom user")
        corp = full_corp or (relations[0].corp_name if relations else "")
        rows = [(self.tr("Type"), kind_text), (self.tr("Company"), corp),
                (self.tr("Position"), position),
                (self.tr("Followed by"), self.tr("%n member(s)", "", len(relations)))]
        return _table(rows, self._stacked)

    def _relation_html(self, view: RelationView) -> str:
        added = date_text(view.createtime) if view.createtime else ""
        channel = f"{view.channel_name} · {view.state}" if view.channel_name else view.state
        marker = " ◀" if view.id == self._relation_id else ""
        head = f"<h4>{html.escape(view.owner_name)}{marker}</h4>"
        rows = [(self.tr("Remark"), view.remark), (self.tr("Description"), view.description),
                (self.tr("Added"), added), (self.tr("Channel"), channel),
                (self.tr("Phone"), list_text(view.remark_mobiles))]
        chips = _chips([(tag.group_name, tag.name) for tag in view.tags])
        tags = (chips + self._expiring_html(view)) or html.escape(self.tr("no corp tags"))
        personal = self._cached_personal(view.id)
        if self._personal is not None:
            personal = [(t.group_name, t.tag_name) for t in self._personal.get(view.userid, [])]
        extra = ""
        if personal:
            title = html.escape(self.tr("Personal tags"))
            note = html.escape(self.tr("read-only"))
            extra = f"<p><b>{title}</b> <i>({note})</i><br>{_chips(personal)}</p>"
        return f"{head}{_table(rows, self._stacked)}<p>{tags}</p>{extra}"

    def _expiring_html(self, view: RelationView) -> str:
        """⏳ tag → when it expires, for the relation's tags set to expire."""
        table = tag_expiry.TEAM if self._context.workspace.profile.is_team else tag_expiry.LOCAL
        due = tag_expiry.on_relation(self._context.cache, view.external_userid, view.userid,
                                     table)
        if not due:
            return ""
        names = {tag.id: tag.name for tag in view.tags}
        title = html.escape(self.tr("Expires"))
        items = "、".join(f"{html.escape(names.get(tag_id, tag_id))} {datetime_text(at)}"
                         for tag_id, at in sorted(due.items(), key=lambda item: item[1]))
        return f"<br><span style='color:#8a8f98'>⏳ {title}</span> {items}"

    def _personal_html(self) -> str:
        if self._personal_error:
            return f"<p style='color:#d4380d'>{html.escape(self._personal_error)}</p>"
        if self._loading:
            loading = html.escape(self.tr("Loading personal tags from WeCom…"))
            return f"<p><i>{loading}</i></p>"
        if self._personal is None:
            link = html.escape(self.tr("Load personal tags from WeCom"))
            return f"<p><a href='{LOAD_PERSONAL}'>{link}</a></p>"
        return ""

    def _journal_html(self) -> str:
        title = "<h4>" + html.escape(self.tr("Recent changes")) + "</h4>"
        if self._team and self._team_error:
            return f"{title}<p><i>{html.escape(self._team_error)}</i></p>"
        if self._team and self._team_lines is None:
            loading = html.escape(self.tr("Loading…"))
            return f"{title}<p><i>{loading}</i></p>"
        lines = self._team_lines if self._team and self._team_lines is not None else (
            self._journal())
        if not lines:
            empty = html.escape(self.tr("No changes recorded yet."))
            return f"{title}<p><i>{empty}</i></p>"
        # the time on a line of its own, then a sentence that a narrow pane breaks between
        # names only (a table squeezed its name columns to a character a line)
        entries = "".join(self._change_html(line) for line in lines)
        return title + entries

    def _change_html(self, line: JournalLine) -> str:
        when = datetime_text(line.ts)
        action = html.escape(self._action_text(line.action))
        tag, who, owner = _unbreakable(line.tag_name), self._who_html(line), _unbreakable(line.owner)
        return (f"<p style='white-space:pre; color:#8a8f98; margin-top:4px; margin-bottom:0'>"
                f"{when}</p><p style='margin-top:0; margin-bottom:0'>{action} {tag} · {who} →"
                f" {owner}</p>")

    def _events_html(self) -> str:
        """The customer's newest behaviour events (their types and names as stored)."""
        found = events.listed(self._context.cache, customer=self._external_userid,
                              limit=EVENT_ROWS)
        title = "<h4>" + html.escape(self.tr("Behaviour events")) + "</h4>"
        if not found:
            empty = html.escape(self.tr("No behaviour events."))
            return f"{title}<p><i>{empty}</i></p>"
        return title + "".join(self._event_html(event) for event, _source in found)

    def _event_html(self, event: Event) -> str:
        """The time on a line of its own, then type, name, detail and value as a sentence a
        narrow pane breaks between words only (a table squeezed them a character a line)."""
        value = "" if event.value is None else f"{event.value:,.2f}".rstrip("0").rstrip(".")
        parts = (type_name(event.type, is_english()), event.name, event.detail, value)
        said = " · ".join(_unbreakable(part) for part in parts if part)
        return (f"<p style='white-space:pre; color:#8a8f98; margin-top:4px; margin-bottom:0'>"
                f"{datetime_text(event.ts)}</p><p style='margin-top:0; margin-bottom:0'>"
                f"{said}</p>")

    def _who_html(self, line: JournalLine) -> str:
        """Who made it, a name kept whole: nobody known for a change seen at sync (WeCom does
        not say), in a sentence that may wrap."""
        if line.source in OBSERVED_SOURCES and not line.operator:
            return html.escape(LABELS.unknown_operator())
        return _unbreakable(line.operator or line.source)

    def _action_text(self, action: str) -> str:
        texts = {"tag_add": self.tr("Added", "a recent change"),
                 "tag_remove": self.tr("Removed", "a recent change")}
        return texts.get(action) or LABELS.action(action)   # customer_add, … (team journal)

    # -- events ------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.toString() == LOAD_PERSONAL:
            self.load_personal_tags()
        elif url.toString() == COPY_ID:
            self.copy_external_userid()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.full_reload:
            current = self._relation_id
            self._relation_id = None
            self._external_userid = ""
            self.show_relation(current if current is not None and self._external_of(current)
                               else None)
        elif self._relation_id is not None and (
                self._relation_id in changes.relation_ids or changes.tags_changed
                or changes.journal_appended):
            self._render()
            self._read_team_journal()


def _team_line(row: JournalRow) -> JournalLine:
    """A team journal row as a line of the pane: a change WeCom reported (a phone, a sync)
    names nobody."""
    who = "" if row.observed else (row.operator_name or row.operator)
    return JournalLine(row.ts, who, row.action, row.source, row.tag_name,
                       row.owner_name or row.userid)


def _table(rows: list[tuple[str, str]], stacked: bool) -> str:
    """Labels beside their values, or above them in a pane too narrow for both on a line;
    a label never breaks."""
    if stacked:
        return "".join(
            f"<p style='margin-top:2px; margin-bottom:0'><span style='color:#8a8f98;"
            f" white-space:nowrap'>{html.escape(label)}</span><br>{html.escape(value)}</p>"
            for label, value in rows if value)
    cells = "".join(
        f"<tr><td style='color:#8a8f98; padding-right:{LABEL_GAP}px; white-space:nowrap'>"
        f"{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
        for label, value in rows if value
    )
    return f"<table cellspacing='0' cellpadding='{TABLE_PADDING}'>{cells}</table>"


def _chips(tags: list[tuple[str, str]]) -> str:
    dark = is_dark()
    chips = []
    for group, name in tags:
        background, foreground = group_colour(group, dark)
        chips.append(
            f"<span style='background:{background.name()}; color:{foreground.name()}'"
            f" title='{html.escape(group)}'>&nbsp;{_unbreakable(name)}&nbsp;</span>"
        )
    return " ".join(chips)


def _unbreakable(name: str) -> str:
    """The tag name, escaped, with no break opportunity inside it (CJK breaks anywhere)."""
    return WORD_JOINER.join(html.escape(char) for char in name.replace(" ", "\u00a0"))
