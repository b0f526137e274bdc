"""Translations: every string of desktop/ui is in the catalogues, translated, placeholders kept."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from desktop.resources import resources_dir
from desktop.ui.i18n import CHINESE, ENGLISH, Translations, choose_language, is_english

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = resources_dir() / "translations"
PLACEHOLDER = re.compile(r"%(?:\d|n)")
TOOLS = Path(sys.executable).parent


def _messages(path: Path) -> list[tuple[str, str, list[str], str]]:
    """(context, source, translations, type) of every live message in a .ts file."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type", "")
            if kind in ("vanished", "obsolete"):
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")] or [
                translation.text or ""]
            found.append((name, message.findtext("source") or "", forms, kind))
    return found


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_every_message_is_translated_and_keeps_its_placeholders(language: str) -> None:
    messages = _messages(TRANSLATIONS / f"tagdesk_{language}.ts")
    assert len(messages) > 150
    for context, source, forms, kind in messages:
        assert kind != "unfinished", f"{context}: {source!r} is not translated"
        for form in forms:
            assert form.strip(), f"{context}: {source!r} has an empty translation"
            assert sorted(set(PLACEHOLDER.findall(form))) == sorted(
                set(PLACEHOLDER.findall(source))), f"{context}: {source!r} → {form!r}"


def test_the_chinese_catalogue_is_really_chinese() -> None:
    texts = [form for _c, source, forms, _k in _messages(TRANSLATIONS / "tagdesk_zh_CN.ts")
             for form in forms if re.search("[A-Za-z]{4}", source)]
    chinese = [text for text in texts if re.search(r"[\u4e00-\u9fff]", text)]
    assert len(chinese) > 0.9 * len(texts)


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_no_message_shows_markdown_code_quotes(language: str) -> None:
    """A window says a command in words (命令 tagdesk expiry set), never in README backticks."""
    for context, source, forms, _kind in _messages(TRANSLATIONS / f"tagdesk_{language}.ts"):
        for text in (source, *forms):
            assert "`" not in text, f"{context}: {text!r}"


def test_english_words_are_not_followed_by_their_chinese() -> None:
    """A term the English window explains in Chinese too ("Replace within group (重标)", units
    "(天 / 小时 / 周)") is a pair shown whole: English says it once, Chinese says it once."""
    paired = [form for _c, _s, forms, _k in _messages(TRANSLATIONS / "tagdesk_en.ts")
              for form in forms if re.search(r"[(（][^)）]*(?:重标|天 / 小时 / 周)", form)]
    assert paired == []


def test_the_catalogues_cover_every_string_in_the_ui(tmp_path: Path) -> None:
    """lupdate over desktop/ui finds nothing new: no user-visible string was left out."""
    copy = tmp_path / "tagdesk_zh_CN.ts"
    shutil.copy(TRANSLATIONS / "tagdesk_zh_CN.ts", copy)
    sources = sorted(str(p) for p in (REPO / "desktop" / "ui").glob("*.py"))
    subprocess.run([str(TOOLS / "pyside6-lupdate"), *sources, "-ts", str(copy)],
                   check=True, capture_output=True, timeout=120)
    missing = [(c, s) for c, s, _f, kind in _messages(copy) if kind == "unfinished"]
    assert missing == [], (
        "untranslated UI strings: run `pyside6-lupdate -no-obsolete -locations none"
        " desktop/ui/*.py -ts"
        " resources/translations/tagdesk_zh_CN.ts resources/translations/tagdesk_en.ts`,"
        " translate them in pyside6-linguist, then `pyside6-lrelease` both files")


def test_no_translated_text_hides_inside_an_f_string() -> None:
    """lupdate does not look inside f-strings: a tr() there is never in the catalogues, and the
    next lupdate drops its translation, so the Chinese window shows it in English."""
    hidden = [f"{path.name}:{number}" for path in sorted((REPO / "desktop" / "ui").glob("*.py"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\{\s*(?:self\.)?tr\(", line)]
    assert hidden == []


def _counted_places() -> set[tuple[str, str]]:
    """(source, placeholder) of every tr() sentence with a place filled by a COUNTS phrase
    ("3 位客户"): `self.tr("...").replace("%1", COUNTS.customers(n))`."""
    found = set()
    for path in (REPO / "desktop" / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "replace" and len(node.args) == 2
                    and isinstance(node.args[0], ast.Constant)
                    and "COUNTS." in ast.unparse(node.args[1])):
                continue
            sentence = node.func.value
            while (isinstance(sentence, ast.Call) and isinstance(sentence.func, ast.Attribute)
                   and sentence.func.attr == "replace"):
                sentence = sentence.func.value
            if (isinstance(sentence, ast.Call) and isinstance(sentence.func, ast.Attribute)
                    and sentence.func.attr == "tr" and sentence.args
                    and isinstance(sentence.args[0], ast.Constant)):
                found.add((str(sentence.args[0].value), str(node.args[0].value)))
    return found


def test_a_counted_phrase_is_not_followed_by_a_space_before_chinese() -> None:
    """"已记下 3 位客户作为反例", not "3 位客户 作为反例": the phrase ends in its Chinese noun, so
    the sentence goes on without a space, as after any Chinese word."""
    counted = _counted_places()
    assert len(counted) > 40
    spaced = [(source, form) for _c, source, forms, _k in _messages(
                  TRANSLATIONS / "tagdesk_zh_CN.ts")
              for form in forms for text, place in counted if text == source
              if re.search(re.escape(place) + r"(?:</\w+>)* [\u4e00-\u9fff]", form)]
    assert spaced == []


def test_the_catalogues_carry_no_line_numbers() -> None:
    """Made with `-locations none`, so a change to a UI file does not touch every catalogue."""
    for path in TRANSLATIONS.glob("*.ts"):
        assert "<location" not in path.read_text(encoding="utf-8"), path.name


def test_the_compiled_files_match_the_sources(tmp_path: Path) -> None:
    for name in (f"tagdesk_{CHINESE}", f"tagdesk_{ENGLISH}", f"qt_extra_{CHINESE}"):
        compiled = tmp_path / f"{name}.qm"
        subprocess.run([str(TOOLS / "pyside6-lrelease"), str(TRANSLATIONS / f"{name}.ts"),
                        "-qm", str(compiled)], check=True, capture_output=True, timeout=120)
        assert compiled.read_bytes() == (TRANSLATIONS / f"{name}.qm").read_bytes()


def test_installing_a_language_translates_at_once(qapp: Any) -> None:
    translations = Translations()
    try:
        assert translations.install(CHINESE)
        assert not is_english()
        assert QCoreApplication.translate("MainWindow", "Sync now") == "立即同步"
        assert QCoreApplication.translate("DetailPane", "%n member(s)", None, 3) == "3 位成员"
        assert translations.install(ENGLISH)
        assert is_english()
        assert QCoreApplication.translate("MainWindow", "Sync now") == "Sync now"
        assert QCoreApplication.translate("DetailPane", "%n member(s)", None, 1) == "1 member"
    finally:
        translations.uninstall()


def test_a_catalogue_rewritten_in_place_while_the_app_runs_leaves_it_translated(
        qapp: Any, tmp_path: Path) -> None:
    """An update that rewrites the installed .qm files under a running app (a package
    upgraded in place) must not pull the Chinese out of its windows."""
    shutil.copytree(TRANSLATIONS, tmp_path / "translations")
    translations = Translations(tmp_path / "translations")
    try:
        assert translations.install(CHINESE)
        catalogue = tmp_path / "translations" / f"tagdesk_{CHINESE}.qm"
        with catalogue.open("r+b") as rewritten:
            rewritten.write(b"\0" * catalogue.stat().st_size)
        assert QCoreApplication.translate("MainWindow", "Sync now") == "立即同步"
        assert QCoreApplication.translate("DetailPane", "%n member(s)", None, 3) == "3 位成员"
    finally:
        translations.uninstall()


def test_chinese_is_the_default_and_english_follows_the_locale() -> None:
    assert choose_language("", QLocale(QLocale.Language.Chinese)) == CHINESE
    assert choose_language("", QLocale(QLocale.Language.German)) == CHINESE
    assert choose_language("", QLocale(QLocale.Language.English)) == ENGLISH
    assert choose_language(CHINESE, QLocale(QLocale.Language.English)) == CHINESE
    assert choose_language("fr", QLocale(QLocale.Language.Chinese)) == CHINESE


COUNTED = re.compile(r"%\d (?:(?!with )[a-z-]+ )?(?:relations|customers|tags|rules|live codes|changes"
                     r"|batches|rows|calls|messages|events|errors|requests|lines|suggestions"
                     r"|problems|members|groups|pre-tags)\b(?!/)")  # not a rate: calls/min


def test_no_count_sentence_is_plural_only() -> None:
    """A number before a noun is a plural form (numerus) or a counted phrase: never "1 changes"."""
    plural_only = [(context, source) for context, source, forms, _k
                   in _messages(TRANSLATIONS / f"tagdesk_{ENGLISH}.ts")
                   if len(forms) == 1 and COUNTED.search(forms[0])]
    assert plural_only == []


def test_counts_agree_with_their_number(qapp: Any) -> None:
    from desktop.ui.counts import COUNTS

    translations = Translations()
    try:
        assert translations.install(ENGLISH)
        assert COUNTS.live_codes(1) == "1 live code"
        assert COUNTS.relations(12345) == "12,345 relations"
        assert COUNTS.calls(0) == "0 API calls"
        assert COUNTS.selected(1194) == "1,194 selected"
        assert QCoreApplication.translate("AuditViewer", "%1 changes · %2 ms", None,
                                          1) == "%1 change · %2 ms"
        assert translations.install(CHINESE)
        assert COUNTS.live_codes(1) == "1 个活码"
        assert COUNTS.relations(12345) == "12,345 个客户关系"
        assert COUNTS.selected(1194) == "已选 1,194 个"
    finally:
        translations.uninstall()


def test_a_rule_runs_description_reads_in_the_ui_language(qapp: Any) -> None:
    from desktop.domain.rule_reverts import rule_reason
    from desktop.ui.i18n import in_ui_language

    description = rule_reason(["北京归华北", "付款即成交"])      # as the batch stores it
    translations = Translations()
    try:
        assert translations.install(CHINESE)
        assert in_ui_language(description) == "规则：北京归华北、付款即成交"
        assert translations.install(ENGLISH)
        assert in_ui_language(description) == "Rules: 北京归华北, 付款即成交"
        assert in_ui_language("导入 / import") == "Import"   # a description shown on its own
    finally:
        translations.uninstall()
