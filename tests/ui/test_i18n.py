"""The window's translations through Qt's own machinery: real .ts files compiled by pyside6-lrelease (through
scripts/build_translations, as scripts/setup does), real QTranslators on the real QApplication, Qt's own
qtbase_zh_CN.qm, and the bad files a writer's installation can hold (missing, damaged, outdated)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from studio.domain import ModelLoadError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.ui import i18n
from tests.ui.ts_files import REAL_TS, REPO, placeholder_problems, read_ts, write_ts

BUILD = REPO / "scripts" / "build_translations"
Ok = QDialogButtonBox.StandardButton.Ok
Cancel = QDialogButtonBox.StandardButton.Cancel


@pytest.fixture
def installed(qapp: QApplication) -> Iterator[list[i18n.Translations]]:
    """Translations a test installs; taken off the application again after it, so no other test sees them."""
    done: list[i18n.Translations] = []
    yield done
    for t in done:
        i18n.remove_translations(qapp, t)
    QLocale.setDefault(QLocale.system())


def install(
    app: QApplication, done: list[i18n.Translations], setting: str | None, **kwargs: object
) -> i18n.Translations:
    t = i18n.install_translations(app, setting, **kwargs)  # type: ignore[arg-type]
    done.append(t)
    return t


def sample(folder: Path, extra: list[tuple[str, str]] | None = None) -> Path:
    """A tiny Studio translation, compiled by the real build script: a plain text, a plural, a message."""
    folder.mkdir(parents=True, exist_ok=True)
    write_ts(folder / "studio_zh_CN.ts", "zh_CN", {
        "SampleWindow": [("Hello", "你好"), *(extra or [])],
        "messages": [("{name} is not a GGUF model file.", "{name} 不是 GGUF 模型文件。"),
                     ("Choose a .gguf file.", "请选择一个 .gguf 文件。")],
    })
    _add_plural(folder / "studio_zh_CN.ts")
    subprocess.run([str(BUILD), str(folder)], check=True, capture_output=True, text=True, timeout=120)
    assert (folder / "studio_zh_CN.qm").is_file()
    return folder


def _add_plural(ts: Path) -> None:
    text = ts.read_text("utf-8")
    plural = ('<context><name>SampleWindow</name><message numerus="yes"><source>%n drafts</source>'
              '<translation><numerusform>%n 篇草稿</numerusform></translation></message></context>')
    ts.write_text(text.replace("</TS>", plural + "</TS>"), "utf-8")


def buttons() -> list[str]:
    box = QDialogButtonBox(Ok | Cancel)
    try:
        return [box.button(Ok).text(), box.button(Cancel).text()]
    finally:
        box.deleteLater()


# -- choosing the language -----------------------------------------------------------------------------------


def test_the_setting_wins_and_without_one_the_system_locale_decides() -> None:
    assert i18n.choose_language("zh_CN", QLocale("en_US")) == "zh_CN"
    assert i18n.choose_language("en", QLocale("zh_CN")) == "en"
    assert i18n.choose_language(None, QLocale("zh_CN")) == "zh_CN"
    assert i18n.choose_language(None, QLocale("zh_TW")) == "zh_CN"  # no Traditional translation: Simplified
    assert i18n.choose_language(None, QLocale("de_DE")) == "en"
    assert i18n.choose_language(None, QLocale.c()) == "en"
    assert i18n.choose_language("klingon", QLocale("zh_CN")) == "zh_CN"  # an unknown setting is no setting


@pytest.mark.parametrize(("lang", "expected"), [("zh_CN.UTF-8", "zh_CN"), ("C", "en"), ("en_GB.UTF-8", "en")])
def test_the_real_system_locale_comes_from_the_environment(lang: str, expected: str) -> None:
    env = {**os.environ, "LANG": lang, "LC_ALL": lang, "LC_MESSAGES": lang, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", "from studio.ui.i18n import choose_language; print(choose_language(None))"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    )
    assert out.stdout.strip() == expected


# -- loading real compiled files -----------------------------------------------------------------------------


def test_a_compiled_translation_is_installed_and_translates(qapp, installed, tmp_path: Path) -> None:
    folder = sample(tmp_path / "i18n")
    assert QCoreApplication.translate("SampleWindow", "Hello") == "Hello"  # before: English
    t = install(qapp, installed, "zh_CN", directory=folder)
    assert t.language == "zh_CN" and t.problem == ""
    assert t.studio_file == folder / "studio_zh_CN.qm"
    assert QCoreApplication.translate("SampleWindow", "Hello") == "你好"
    assert QCoreApplication.translate("SampleWindow", "%n drafts", "", 3) == "3 篇草稿"
    assert QCoreApplication.translate("SampleWindow", "Not in the file") == "Not in the file"


def test_qt_s_own_translation_makes_the_standard_buttons_chinese(qapp, installed, tmp_path: Path) -> None:
    assert buttons() == ["OK", "Cancel"]
    qt_file = i18n.qt_translations_dir() / "qtbase_zh_CN.qm"
    assert qt_file.is_file(), "PySide6-Essentials ships Qt's own translations"
    # What Qt's own file says for these buttons, read with a translator of its own (not what this test hopes).
    own = QTranslator()
    assert own.load(str(qt_file))
    expected = [own.translate("QPlatformTheme", "OK"), own.translate("QPlatformTheme", "Cancel")]
    assert all(expected) and expected != ["OK", "Cancel"]
    t = install(qapp, installed, "zh_CN", directory=sample(tmp_path / "i18n"))
    assert t.qt_file == qt_file
    assert buttons() == expected == ["确定", "取消"]


def test_english_installs_nothing(qapp, installed, tmp_path: Path) -> None:
    t = install(qapp, installed, "en", directory=sample(tmp_path / "i18n"))
    assert t.language == "en" and t.translators == [] and t.problem == ""
    assert QCoreApplication.translate("SampleWindow", "Hello") == "Hello"
    assert buttons() == ["OK", "Cancel"]


def test_switching_back_takes_the_translators_off(qapp, installed, tmp_path: Path) -> None:
    t = install(qapp, installed, "zh_CN", directory=sample(tmp_path / "i18n"))
    assert QCoreApplication.translate("SampleWindow", "Hello") == "你好"
    i18n.remove_translations(qapp, t)
    assert QCoreApplication.translate("SampleWindow", "Hello") == "Hello"
    assert buttons() == ["OK", "Cancel"]


def test_the_shipped_translation_is_built_current_and_every_text_in_it_is_what_the_window_shows(
    qapp, installed
) -> None:
    qm = REAL_TS.with_suffix(".qm")
    assert qm.is_file(), f"{qm} is built by scripts/setup (scripts/build_translations); run it"
    t = install(qapp, installed, None, system=QLocale("zh_CN"))  # the system's locale, the shipped files
    assert t.problem == "", t.problem
    assert t.language == "zh_CN" and t.studio_file == qm
    finished = [m for m in read_ts(REAL_TS) if not m.unfinished and not m.numerus]
    assert finished, "the shipped .ts holds translated texts"
    for m in finished:
        assert QCoreApplication.translate(m.context, m.source, m.comment or None) == m.translations[0], m.key


# -- bad files: the window speaks English and says so once ------------------------------------------------------


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "studio.ui.i18n" and r.levelno >= logging.WARNING]


def test_a_damaged_qm_leaves_the_window_english_with_one_log_line(qapp, installed, tmp_path, caplog) -> None:
    folder = sample(tmp_path / "i18n")
    (folder / "studio_zh_CN.qm").write_bytes(b"\x3c\xb8\x64\x18garbage, not a compiled translation" * 20)
    caplog.set_level(logging.INFO, logger="studio.ui.i18n")
    t = install(qapp, installed, "zh_CN", directory=folder)
    assert t.language == "en" and t.wanted == "zh_CN" and t.translators == []
    assert "could not be read" in t.problem
    assert _warnings(caplog) == [f"{t.problem} ({folder / 'studio_zh_CN.qm'})"]
    assert QCoreApplication.translate("SampleWindow", "Hello") == "Hello"
    assert buttons() == ["OK", "Cancel"]  # not half Chinese: Qt's file is not installed either
    assert (folder / "studio_zh_CN.ts").read_text("utf-8").count("你好") == 1  # nothing of the source is lost


def test_a_missing_qm_leaves_the_window_english_with_one_log_line(qapp, installed, tmp_path, caplog) -> None:
    folder = sample(tmp_path / "i18n")
    (folder / "studio_zh_CN.qm").unlink()
    t = install(qapp, installed, "zh_CN", directory=folder)
    assert t.language == "en" and "studio_zh_CN.qm is missing" in t.problem
    assert len(_warnings(caplog)) == 1
    assert buttons() == ["OK", "Cancel"]


def test_a_qm_built_from_another_version_of_its_ts_is_not_shown(qapp, installed, tmp_path, caplog) -> None:
    folder = sample(tmp_path / "i18n")
    ts = folder / "studio_zh_CN.ts"
    ts.write_text(ts.read_text("utf-8").replace("你好", "您好"), "utf-8")  # edited since it was compiled
    t = install(qapp, installed, "zh_CN", directory=folder)
    assert t.language == "en" and "outdated" in t.problem
    assert len(_warnings(caplog)) == 1
    assert QCoreApplication.translate("SampleWindow", "Hello") == "Hello"
    # The build step sees the change and compiles again; then it loads.
    subprocess.run([str(BUILD), str(folder)], check=True, timeout=120)
    t2 = install(qapp, installed, "zh_CN", directory=folder)
    assert t2.language == "zh_CN" and QCoreApplication.translate("SampleWindow", "Hello") == "您好"


def test_a_qm_without_its_stamp_is_not_trusted(qapp, installed, tmp_path) -> None:
    folder = sample(tmp_path / "i18n")
    i18n.stamp_path(folder / "studio_zh_CN.qm").unlink()
    t = install(qapp, installed, "zh_CN", directory=folder)
    assert t.language == "en" and "source-sha256" in t.problem


def test_a_qm_shipped_without_its_ts_is_taken_as_it_is(qapp, installed, tmp_path) -> None:
    folder = sample(tmp_path / "i18n")
    only = tmp_path / "installed"
    only.mkdir()
    shutil.copy(folder / "studio_zh_CN.qm", only)
    t = install(qapp, installed, "zh_CN", directory=only)
    assert t.language == "zh_CN" and QCoreApplication.translate("SampleWindow", "Hello") == "你好"


def test_qt_s_file_missing_keeps_studio_s_translation_and_says_so(qapp, installed, tmp_path, caplog) -> None:
    t = install(qapp, installed, "zh_CN", directory=sample(tmp_path / "i18n"), qt_directory=tmp_path / "nothing")
    assert t.language == "zh_CN" and t.qt_file is None
    assert "qtbase_zh_CN.qm" in t.problem and len(_warnings(caplog)) == 1
    assert QCoreApplication.translate("SampleWindow", "Hello") == "你好"
    assert buttons() == ["OK", "Cancel"]


# -- messages from below the window, numbers and dates -----------------------------------------------------------


def test_a_service_s_message_is_shown_translated_with_its_values(qapp, installed, tmp_path) -> None:
    err = ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "{name} is not a GGUF model file."), name="a.bin"),
                         hint=msg(QT_TRANSLATE_NOOP("messages", "Choose a .gguf file.")))
    assert i18n.error_text(err) == str(err) == "a.bin is not a GGUF model file. Choose a .gguf file."
    install(qapp, installed, "zh_CN", directory=sample(tmp_path / "i18n"))
    assert i18n.error_text(err) == "a.bin 不是 GGUF 模型文件。 请选择一个 .gguf 文件。"
    assert i18n.shown("plain text from an old service") == "plain text from an old service"
    assert i18n.error_text(ValueError("not a StudioError")) == "not a StudioError"


def test_numbers_and_dates_follow_the_window_s_language(qapp, installed, tmp_path) -> None:
    install(qapp, installed, "en", system=QLocale("en_US"))
    assert i18n.format_number(12345) == "12,345"
    english = i18n.format_date(date(2024, 5, 3))
    install(qapp, installed, "zh_CN", directory=sample(tmp_path / "i18n"), system=QLocale("en_US"))
    chinese = i18n.format_date(date(2024, 5, 3))
    assert chinese == QLocale("zh_CN").toString(QDate(2024, 5, 3), QLocale.FormatType.ShortFormat)
    assert chinese.startswith("2024") and chinese != english
    assert "2024年5月3日" in i18n.format_date(date(2024, 5, 3), long=True)
    assert i18n.format_date(datetime(2024, 5, 3, 14, 2)).startswith("2024/5/3")
    assert "14:02" in i18n.format_date(datetime(2024, 5, 3, 14, 2))
    assert i18n.format_number(1234.5, 1) == "1,234.5"


# -- the placeholder check ---------------------------------------------------------------------------------------


def test_every_translation_in_the_shipped_ts_keeps_its_placeholders() -> None:
    messages = read_ts(REAL_TS)
    assert messages
    assert placeholder_problems(messages) == []


def test_the_placeholder_check_catches_a_broken_translation(tmp_path) -> None:
    broken = write_ts(tmp_path / "broken.ts", "zh_CN", {"Sample": [
        ("%1 of %2", "%1 的"),  # %2 dropped
        ("{name} is missing", "{名字} 不见了"),  # the name translated: format() would fail
        ("{0:.1f} MB/s", "{0} MB/秒"),  # the format lost
        ("Saved %1 at %2", "%2 保存了 %1"),  # reordered: fine
        ("Testing {url}…", "正在测试 {url}…"),  # fine
        ("50%% done", "完成 50%%"),  # a literal percent sign: fine
    ]})
    plural = write_ts(tmp_path / "plural.ts", "zh_CN", {"Sample": [("%n drafts", "几篇草稿")]}, numerus=True)
    problems = placeholder_problems(read_ts(broken) + read_ts(plural))
    assert [p.split("]", 1)[1].split("->")[0].strip() for p in problems] == [
        "'%1 of %2'", "'{name} is missing'", "'{0:.1f} MB/s'", "'%n drafts'"]


# -- a font that has Chinese ---------------------------------------------------------------------------------------


def test_the_cjk_font_is_the_first_installed_of_the_preferred_ones() -> None:
    # By preference, not by the order the system lists them in.
    assert i18n.cjk_font_family(["DejaVu Sans", "Microsoft YaHei", "Source Han Sans SC"]) == "Source Han Sans SC"
    assert i18n.cjk_font_family(["DejaVu Sans", "microsoft yahei"]) == "microsoft yahei"  # as the system spells it
    assert i18n.cjk_font_family(["Noto Serif CJK SC", "PingFang SC"]) == "PingFang SC"  # sans first...
    assert i18n.cjk_font_family(["Noto Serif CJK SC", "PingFang SC"], serif=True) == "Noto Serif CJK SC"  # ...or serif
    assert i18n.cjk_font_family(["Noto Sans CJK JP", "DejaVu Sans"]) is None  # the Japanese cut is not asked for
    assert i18n.cjk_font_family([]) is None


def test_the_cjk_font_is_found_among_the_real_installed_fonts_and_draws_han(qapp) -> None:
    from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QRawFont

    # fontconfig's own list, read independently of Qt: what this machine has (fonts-noto-cjk on Debian).
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    names = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    expected = next((f for f in sorted(i18n.CJK_FONT_FAMILIES, key=lambda f: "Serif" in f) if f in names), None)
    family = i18n.cjk_font_family()
    assert family == expected
    if family is not None:  # on a machine without any of them Qt falls back per character; the window says so
        font = QFont(family)
        assert QFontInfo(font).family() == family
        assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
        raw = QRawFont.fromFont(font)  # the face itself, without Qt's per-character fallback
        assert all(raw.supportsCharacter(ord(c)) for c in "字草稿续写")
        # The check can fail: a face without Chinese (any installed one) does not draw 字 itself.
        latin = next(f for f in QFontDatabase.families()
                     if QFontDatabase.WritingSystem.SimplifiedChinese not in QFontDatabase.writingSystems(f))
        assert not QRawFont.fromFont(QFont(latin)).supportsCharacter(ord("字")), latin
