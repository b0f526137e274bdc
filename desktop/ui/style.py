"""TagDesk's look: Fusion, a light or dark palette that follows the system, CJK fonts, icons.

The palette is chosen from the system colour scheme (and re-chosen when it changes),
so the small style sheet in `resources/style/tagdesk.qss` only refers to palette
roles. Icons are stroke SVGs drawn with `currentColor`; they are tinted with the
palette's text colour so they stay readable in both schemes.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

from desktop.resources import resource_path

CJK_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei UI", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "Noto Sans SC",
)
ACCENT = QColor("#1f7ae0")
ACCENT_DARK = QColor("#4c9bf0")
ICON_SIZES = (16, 20, 24, 32, 48)


def is_dark() -> bool:
    """True when the system (or the palette in use) is dark."""
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def accent() -> QColor:
    return ACCENT_DARK if is_dark() else ACCENT


class TagDeskStyle(QProxyStyle):
    """Fusion, with every column header's sort arrow pointing the way its rows run:
    ▲ ascending (oldest, smallest, A first), ▼ descending (newest first).

    Qt hands an ascending sort to the style as `SortDown`, and Fusion on Linux draws that
    as ▼ (elsewhere as ▲): the audit log, newest first, showed ▲ over its time column.
    """

    NAME = "tagdesk"

    def __init__(self, base: QStyle) -> None:
        super().__init__(base)      # the base lives on inside this style
        self.setObjectName(self.NAME)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow \
                and isinstance(option, QStyleOptionHeader):
            sort = option.sortIndicator
            if sort == QStyleOptionHeader.SortIndicator.None_:
                return
            ascending = sort == QStyleOptionHeader.SortIndicator.SortDown
            arrow = (QStyle.PrimitiveElement.PE_IndicatorArrowUp if ascending
                     else QStyle.PrimitiveElement.PE_IndicatorArrowDown)
            self.baseStyle().drawPrimitive(arrow, option, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def apply_style(app: QApplication) -> None:
    """Fusion (as `TagDeskStyle`), the scheme-following palette, fonts and the style sheet;
    follows scheme changes. The style is set once: the Fusion style already in use (Qt's
    default on Linux) becomes its base, so the style the widgets were polished with lives on."""
    if app.findChild(QStyle, TagDeskStyle.NAME) is None:
        current = app.style()
        base = current if current.name().lower() == "fusion" else QStyleFactory.create("Fusion")
        app.setStyle(TagDeskStyle(base))
    app.setFont(ui_font(app.font()))
    _apply_palette(app)
    hints = app.styleHints()
    if hints is not None:
        hints.colorSchemeChanged.connect(lambda _scheme: _apply_palette(app))


def ui_font(base: QFont) -> QFont:
    """`base` with the first installed Chinese font first, so CJK text never falls back to boxes."""
    installed = set(QFontDatabase.families())
    families = [name for name in CJK_FONTS if name in installed]
    font = QFont(base)
    font.setFamilies([*families, *base.families()])
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    return font


def _apply_palette(app: QApplication) -> None:
    app.setPalette(dark_palette() if is_dark() else light_palette())
    app.setStyleSheet(resource_path("style/tagdesk.qss").read_text(encoding="utf-8"))
    _tinted_svg.cache_clear()


def light_palette() -> QPalette:
    return _palette(window="#f5f6f8", base="#ffffff", alt="#f2f5f9", text="#1d2129",
                    button="#eef0f3", mid="#c9cdd4", disabled="#a0a5ad", accent=ACCENT)


def dark_palette() -> QPalette:
    return _palette(window="#1e2025", base="#17181c", alt="#202228", text="#e6e8eb",
                    button="#2a2d33", mid="#3c4048", disabled="#6b7079", accent=ACCENT_DARK)


def _palette(*, window: str, base: str, alt: str, text: str, button: str, mid: str,
             disabled: str, accent: QColor) -> QPalette:
    role = QPalette.ColorRole
    palette = QPalette()
    colours = {
        role.Window: window, role.WindowText: text, role.Base: base, role.AlternateBase: alt,
        role.Text: text, role.Button: button, role.ButtonText: text, role.Mid: mid,
        role.Midlight: mid, role.ToolTipBase: base, role.ToolTipText: text,
        role.PlaceholderText: disabled, role.BrightText: "#ffffff",
        role.HighlightedText: "#ffffff", role.Link: accent.name(),
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    palette.setColor(role.Highlight, accent)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, QColor(disabled))
    return palette


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """An icon from `resources/icons/<name>.svg`, tinted with `colour` or the text colour."""
    tint = colour or QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(_tinted_svg(name, tint.name(), size))
    return result


@lru_cache(maxsize=512)
def _tinted_svg(name: str, colour: str, size: int) -> QPixmap:
    svg = resource_path(f"icons/{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode("utf-8")))
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap
