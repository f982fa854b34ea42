"""The window's language: Qt's own translation system (QTranslator over compiled ``.qm`` files, QLocale).

Two translations are installed for Chinese: Studio's (``resources/i18n/studio_zh_CN.qm``, compiled by
``scripts/setup`` from ``studio_zh_CN.ts`` with ``pyside6-lrelease``) and Qt's own ``qtbase_zh_CN.qm`` (shipped by
PySide6 in its translations folder), so the standard buttons and dialogs (OK, Cancel, the file dialog) speak
Chinese too. English is the source language: it needs no file.

A compiled file that is missing, does not load (a corrupt file: ``QTranslator.load`` answers False) or is outdated
leaves the window in English, with one line in the log saying why: a half-translated window is worse than an
English one, and the writer's work never depends on it. "Outdated" is judged by a stamp the compile step writes
beside the ``.qm``: the SHA-256 of the ``.ts`` it was built from. Comparing hashes is cheap (the ``.ts`` is small),
and unlike file times it survives a fresh clone, where every file has the same time.

The language follows the system locale unless the writer chose one (View > Language); the choice is the caller's
to store. Numbers and dates shown with the window's language go through :func:`locale` (QLocale), so a Chinese
window shows Chinese dates. ``%n`` plurals are Qt's: ``self.tr("%n drafts", "", n)``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLibraryInfo, QLocale, QTime, QTranslator

from studio.domain.i18n import translated
from studio.paths import resources_dir

log = logging.getLogger(__name__)

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
# Each language named in itself: a writer who cannot read the current language still finds their own.
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}

STUDIO_CATALOGUE = "studio"  # studio_<language>.ts / .qm
QT_CATALOGUE = "qtbase"
STAMP_SUFFIX = ".source-sha256"  # studio_zh_CN.qm.source-sha256: the hash of the .ts the .qm was built from
SETTING = "language"  # the settings key of the writer's choice (View > Language); absent: follow the system

# What install_translations made the window speak is kept on the application object (a dynamic property), not in
# a module global: it belongs to that QApplication, and a test's next application starts from English again.
_LANGUAGE_PROPERTY = "studioWindowLanguage"


def translations_dir() -> Path:
    """Where Studio's ``.ts`` sources and compiled ``.qm`` files live."""
    return resources_dir() / "i18n"


def qt_translations_dir() -> Path:
    """Where Qt's own translations (``qtbase_zh_CN.qm``...) are: inside the PySide6 package."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def choose_language(setting: str | None, system: QLocale | None = None) -> str:
    """The window's language: the writer's setting ("en", "zh_CN"), or None to follow the system locale.

    Any Chinese system locale gets Simplified Chinese, Traditional ones (zh_TW, zh_HK) included: Studio has no
    Traditional translation, and a Chinese reader reads Simplified far more easily than English. Anything else,
    the C locale included, is English. An unknown setting (a newer Studio's, a typo in the settings file) is
    treated as no setting.
    """
    if setting in LANGUAGES:
        return setting
    if setting:
        log.info("unknown language setting %r: following the system locale", setting)
    loc = system if system is not None else QLocale.system()
    return CHINESE if loc.language() == QLocale.Language.Chinese else ENGLISH


def source_hash(ts: Path) -> str:
    return hashlib.sha256(ts.read_bytes()).hexdigest()


def stamp_path(qm: Path) -> Path:
    return qm.with_name(qm.name + STAMP_SUFFIX)


def qm_problem(qm: Path, ts: Path | None) -> str:
    """Why ``qm`` cannot be trusted ("" when it can): missing, or built from another version of ``ts``.

    Without its ``.ts`` beside it (a package that ships only compiled files) the ``.qm`` is taken as it is.
    """
    if not qm.is_file():
        return f"{qm.name} is missing"
    if ts is None or not ts.is_file():
        return ""
    stamp = stamp_path(qm)
    try:
        built_from = stamp.read_text("utf-8").strip()
    except OSError:
        return f"{qm.name} has no {stamp.name} saying which {ts.name} it was built from"
    if built_from != source_hash(ts):
        return f"{qm.name} is outdated: it was built from another version of {ts.name}"
    return ""


@dataclass
class Translations:
    """What :func:`install_translations` did: the language the window speaks and the files behind it."""

    language: str  # what the window speaks now ("en" also when the wanted translation could not be used)
    wanted: str  # what the setting or the system asked for
    studio_file: Path | None = None
    qt_file: Path | None = None
    problem: str = ""  # the one line logged when the wanted language could not be used, or Qt's file was missing
    # Installed translators, kept alive here: QCoreApplication does not take ownership of them.
    translators: list[QTranslator] = field(default_factory=list)


def install_translations(
    app: QCoreApplication,
    setting: str | None,
    *,
    directory: Path | None = None,
    qt_directory: Path | None = None,
    system: QLocale | None = None,
) -> Translations:
    """Install the translations for the chosen language on ``app`` (before the window is built: widgets read
    their texts when they are made). Never raises for a bad file: the window then speaks English."""
    wanted = choose_language(setting, system)
    result = Translations(language=ENGLISH, wanted=wanted)
    app.setProperty(_LANGUAGE_PROPERTY, ENGLISH)
    if wanted == ENGLISH:
        _set_locale(ENGLISH, system)
        return result
    folder = directory if directory is not None else translations_dir()
    qm = folder / f"{STUDIO_CATALOGUE}_{wanted}.qm"
    problem = qm_problem(qm, folder / f"{STUDIO_CATALOGUE}_{wanted}.ts")
    studio = QTranslator(app)
    if not problem and not studio.load(str(qm)):
        problem = f"{qm.name} could not be read (damaged or not a compiled translation)"
    if problem:
        result.problem = f"The window stays in English: {problem}. Run scripts/setup to build it again."
        log.warning("%s (%s)", result.problem, qm)
        studio.deleteLater()
        _set_locale(ENGLISH, system)
        return result
    app.installTranslator(studio)
    result.translators.append(studio)
    result.studio_file = qm
    result.language = wanted
    qt_folder = qt_directory if qt_directory is not None else qt_translations_dir()
    qt = QTranslator(app)
    if qt.load(QLocale(wanted), QT_CATALOGUE, "_", str(qt_folder)):
        app.installTranslator(qt)
        result.translators.append(qt)
        result.qt_file = Path(qt.filePath())
    else:
        # Studio's own texts are translated; only Qt's standard buttons stay English. Worth a line, not a fallback.
        result.problem = (
            f"Qt's own {QT_CATALOGUE}_{wanted}.qm was not found in {qt_folder}: standard buttons stay English."
        )
        log.warning("%s", result.problem)
        qt.deleteLater()
    _set_locale(wanted, system)
    app.setProperty(_LANGUAGE_PROPERTY, wanted)
    log.info("window language %s (%s)", wanted, ", ".join(str(t.filePath()) for t in result.translators))
    return result


def remove_translations(app: QCoreApplication, translations: Translations) -> None:
    """Take installed translators off ``app`` again (switching language while running, tests)."""
    app.setProperty(_LANGUAGE_PROPERTY, ENGLISH)
    for t in translations.translators:
        app.removeTranslator(t)
    translations.translators.clear()
    translations.language = ENGLISH
    QLocale.setDefault(QLocale.system())


def _set_locale(language: str, system: QLocale | None) -> None:
    # Dates and numbers follow the window's language when the writer chose one other than the system's (an
    # English window on a Chinese system shows English dates); otherwise the system's own locale (en_GB, de_DE)
    # stays, with its own date order and separators.
    sys_loc = system if system is not None else QLocale.system()
    if choose_language(None, sys_loc) == language:
        QLocale.setDefault(sys_loc)
    else:
        QLocale.setDefault(QLocale(language if language != ENGLISH else "en_US"))


# -- showing things in the window's language -------------------------------------------------------------------


def window_language() -> str:
    """The language the window speaks ("en" or "zh_CN"): what :func:`install_translations` installed on the
    running application."""
    app = QCoreApplication.instance()
    language = app.property(_LANGUAGE_PROPERTY) if app is not None else None
    return language if isinstance(language, str) and language else ENGLISH


def locale() -> QLocale:
    """The locale numbers and dates are shown in (set by :func:`install_translations`)."""
    return QLocale()


def format_number(n: int | float, decimals: int = 0) -> str:
    """``n`` with the window's digit grouping: 12,345 (and 12,345.6 with ``decimals=1``)."""
    loc = QLocale()
    if isinstance(n, int) and not decimals:
        return loc.toString(n)
    return loc.toString(float(n), "f", decimals)


def format_date(value: date | datetime, *, long: bool = False) -> str:
    """A date (or date and time) in the window's language: 2024/5/3 14:02 in Chinese, 5/3/24 2:02 PM in English,
    2024-05-03 14:02 under the C locale."""
    fmt = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    loc = QLocale()
    # The C locale (tests, containers, minimal systems without LANG) has a short format no reader expects
    # ("3 05 2024"): ISO dates instead, which read the same in any language. Its long format is in words already.
    iso = not long and loc.language() == QLocale.Language.C
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # stored times are UTC: the writer reads their own clock
            value = value.astimezone().replace(tzinfo=None)
        qdt = QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second))
        return loc.toString(qdt, "yyyy-MM-dd HH:mm") if iso else loc.toString(qdt, fmt)
    qdate = QDate(value.year, value.month, value.day)
    return loc.toString(qdate, "yyyy-MM-dd") if iso else loc.toString(qdate, fmt)


def lookup(context: str, source: str) -> str:
    """Qt's translation of ``source`` in ``context``: what :class:`studio.domain.i18n.Msg` looks its text up with."""
    return QCoreApplication.translate(context, source)


def shown(text: str | None) -> str:
    """A message from below the window (a StudioError's text, a service's message) in the window's language."""
    return translated(text, lookup) or ""


def error_text(exc: BaseException) -> str:
    """An error's message (and hint) in the window's language: the ``Msg`` a StudioError was raised with, translated.

    ``str(exc)`` would be plain English: it is rebuilt from the message and the hint as text.
    """
    message = getattr(exc, "message", None)
    if not isinstance(message, str):
        return str(exc)
    hint = getattr(exc, "hint", None)
    text = shown(message)
    return f"{text} {shown(hint)}" if isinstance(hint, str) and hint else text


# -- a font that has Chinese ---------------------------------------------------------------------------------

# In order of preference: the free pan-CJK families first (what Linux distributions ship: fonts-noto-cjk,
# adobe-source-han), then the systems' own (macOS PingFang, Windows Microsoft YaHei). SC/CN: the Simplified
# Chinese cut, whose glyph shapes a mainland reader expects (the JP cut draws some Han characters differently).
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans SC",
    "Noto Serif SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "Source Han Sans CN",
    "Source Han Serif CN",
    "PingFang SC",
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "微软雅黑",
)


def cjk_font_family(families: list[str] | None = None, *, serif: bool = False) -> str | None:
    """The first installed family of :data:`CJK_FONT_FAMILIES`, sans-serif ones first (serif ones with ``serif``),
    or None.

    ``families`` defaults to what QFontDatabase knows (a QGuiApplication must exist). Qt falls back per character
    to some font with the glyph anyway; choosing one keeps a paragraph of Chinese in one face, at one line height,
    instead of whichever font fontconfig happens to pick for each run of characters.
    """
    if families is None:
        from PySide6.QtGui import QFontDatabase

        families = QFontDatabase.families()
    installed = {f.casefold(): f for f in families}
    # The kind asked for first (sorted is stable: within each kind the order above stands).
    order = sorted(CJK_FONT_FAMILIES, key=lambda f: ("Serif" in f) != serif)
    for wanted in order:
        found = installed.get(wanted.casefold())
        if found is not None:
            return found
    return None
