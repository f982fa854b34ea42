"""Before the window exists: can Qt's X11 support load on this machine?

Without one of the system libraries Qt's xcb platform plugin needs (libxcb-cursor0 is the usual one: Qt asks for it
since 6.5 and many desktops lack it), Qt prints "Could not load the Qt platform plugin xcb" among its debug lines and
aborts; a writer who started Studio with a double click sees nothing at all. So before any QApplication is made, this
module loads the plugin itself: the dynamic loader's error names the missing file, which is then said on the terminal
and, where a dialog tool exists, in a dialog, with the packages to install. It uses QtCore only (QLibraryInfo): QtGui
and QtWidgets would already be what fails. It runs the same from the Python install and the bundle.

The text is in the system's language: Studio's own translation is read with a QTranslator of its own (no
application exists yet to install one on, and the writer's choice of language is in the database, not yet open).
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTranslator

from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.paths import resources_dir

log = logging.getLogger(__name__)

CONTEXT = "StartupCheck"  # the translation context of the texts below
TITLE = QT_TRANSLATE_NOOP("StartupCheck", "Studio cannot open its window")
_CANNOT_LOAD = QT_TRANSLATE_NOOP("StartupCheck", "Qt's X11 support ({plugin}) cannot be loaded: {error}")
_REPORT = QT_TRANSLATE_NOOP("StartupCheck", "Reinstall Studio; if that does not help, report this message.")
_OWN_MISSING = QT_TRANSLATE_NOOP(
    "StartupCheck", "Studio's own file {file} is missing, so its installation is incomplete ({error}).")
_REINSTALL = QT_TRANSLATE_NOOP("StartupCheck", "Install Studio again.")
_ONE_MISSING = QT_TRANSLATE_NOOP(
    "StartupCheck", "The system library {names} is missing: Qt needs it to open windows on X11.")
_SOME_MISSING = QT_TRANSLATE_NOOP(
    "StartupCheck", "The system libraries {names} are missing: Qt needs them to open windows on X11.")
_INSTALL_IT = QT_TRANSLATE_NOOP("StartupCheck", "Install it, then start Studio again:")
_INSTALL_THEM = QT_TRANSLATE_NOOP("StartupCheck", "Install them, then start Studio again:")
_SEARCH = QT_TRANSLATE_NOOP(
    "StartupCheck", "Your distribution's package search finds the package that holds {names}.")
_NO_DISPLAY = QT_TRANSLATE_NOOP(
    "StartupCheck", "There is no display to open the window on: DISPLAY is not set (started over ssh or outside the "
                    "desktop session?).")
_UNREACHABLE = QT_TRANSLATE_NOOP(
    "StartupCheck", "There is no display to open the window on: the display {display} cannot be reached.")
_CLI_WORKS = QT_TRANSLATE_NOOP(
    "StartupCheck", "Start Studio from your desktop session. The command line needs no display: studio --help.")

Translate = Callable[[str], str]

# glibc: "libxcb-cursor.so.0: cannot open shared object file: No such file or directory". The name comes first.
_LOADER_ERROR = re.compile(r"^(?P<file>[^:\s]+\.so[^:\s]*): (?P<reason>.+)$")
# Qt's and the bindings' own libraries travel with Studio (in the wheel or the bundle): one of them missing means a
# damaged install, not a package the writer should look for.
_OWN = ("libQt6", "libpyside6", "libshiboken6", "libicu")


@dataclass(frozen=True)
class Missing:
    """What stops the plugin from loading: the files the loader could not use, and its first error in full."""

    plugin: Path
    files: tuple[str, ...]
    error: str


def xcb_expected(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt would open the window through X11 (xcb): on Linux with QT_QPA_PLATFORM unset or naming xcb
    first. In a Wayland session Qt tries its Wayland plugin first, so a missing X library need not stop it there."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE", "").lower() == "wayland")


def plugin_candidates() -> list[Path]:
    """Where Qt looks for platforms/libqxcb.so: QT_PLUGIN_PATH's folders, then the install's own plugin folder."""
    from PySide6.QtCore import QLibraryInfo

    folders = [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    return [f / "platforms" / "libqxcb.so" for f in folders]


def find_missing(plugins: Path | None = None) -> Missing | None:
    """Load the xcb plugin (from the folder ``plugins``, else where Qt would find it) and say what is missing;
    None when it loads, or when there is no xcb plugin to try (Qt then says so itself)."""
    candidates = [plugins / "platforms" / "libqxcb.so"] if plugins is not None else plugin_candidates()
    plugin = next((c for c in candidates if c.is_file()), None)
    if plugin is None:
        return None
    error = _load_error(str(plugin))
    if error is None:
        return None
    first = _named_file(error)
    files = [first] if first else []
    if first and not first.startswith(_OWN):
        # The loader stops at the first file it lacks; a writer should install everything in one go, so each of the
        # other libraries Qt's X11 support needs is tried on its own as well.
        for soname in library_packages():
            if soname not in files and (named := _named_file(_load_error(soname) or "")):
                files.append(named)
    return Missing(plugin, tuple(dict.fromkeys(files)), error)


def _load_error(library: str) -> str | None:
    """The dynamic loader's own message when ``library`` cannot be loaded, else None."""
    try:
        ctypes.CDLL(library)
    except OSError as exc:
        # A PyInstaller bundle's ctypes raises its own "Failed to load dynlib/dll ..." from the loader's error.
        chain: list[BaseException] = [exc]
        while chain[-1].__cause__ is not None and len(chain) < 5:
            chain.append(chain[-1].__cause__)
        return next((str(e) for e in chain if _named_file(str(e))), str(exc))
    return None


def _named_file(error: str) -> str | None:
    match = _LOADER_ERROR.match(error.strip())
    if match is None:
        return None
    return Path(match["file"]).name


def library_packages() -> dict[str, dict[str, str]]:
    """resources/system_libraries.toml: each library file and the Debian/Ubuntu and Fedora packages holding it."""
    try:
        with (resources_dir() / "system_libraries.toml").open("rb") as fh:
            table = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:  # the message still names the file, only without packages
        log.error("cannot read the system library table: %s", exc)
        return {}
    return {name: dict(p) for name, p in table.get("libraries", {}).items()}


def english(text: str) -> str:
    return text


def system_translation(directory: Path | None = None) -> Translate:
    """Studio's translation of these texts for the system's language, or English."""
    from studio.ui import i18n

    language = i18n.choose_language(None)
    if language == i18n.ENGLISH:
        return english
    folder = directory if directory is not None else i18n.translations_dir()
    qm = folder / f"{i18n.STUDIO_CATALOGUE}_{language}.qm"
    translator = QTranslator()
    if i18n.qm_problem(qm, folder / f"{i18n.STUDIO_CATALOGUE}_{language}.ts") or not translator.load(str(qm)):
        return english

    def translate(text: str) -> str:
        return translator.translate(CONTEXT, text) or text

    return translate


def describe(missing: Missing, packages: Mapping[str, Mapping[str, str]] | None = None,
             tr: Translate = english) -> str:
    """The writer's words: which file, why it matters, and the command that installs it."""
    table = library_packages() if packages is None else packages
    files = list(missing.files)
    if not files:
        return tr(_CANNOT_LOAD).format(plugin=missing.plugin, error=missing.error) + "\n" + tr(_REPORT)
    own = [f for f in files if f.startswith(_OWN)]
    if own:
        return tr(_OWN_MISSING).format(file=own[0], error=missing.error) + "\n" + tr(_REINSTALL)
    names = ", ".join(files)
    lines = [tr(_ONE_MISSING if len(files) == 1 else _SOME_MISSING).format(names=names)]
    debian = list(dict.fromkeys(table[f]["debian"] for f in files if "debian" in table.get(f, {})))
    fedora = list(dict.fromkeys(table[f]["fedora"] for f in files if "fedora" in table.get(f, {})))
    if debian or fedora:
        lines.append(tr(_INSTALL_IT if len(files) == 1 else _INSTALL_THEM))
        if debian:
            lines.append(f"  Debian, Ubuntu:  sudo apt install {' '.join(debian)}")
        if fedora:
            lines.append(f"  Fedora:          sudo dnf install {' '.join(fedora)}")
    unknown = [f for f in files if f not in table]
    if unknown:
        lines.append(tr(_SEARCH).format(names=", ".join(unknown)))
    return "\n".join(lines)


# Each tool with the arguments that show ``title`` and ``text`` as an error; the first that is installed and runs
# is used. zenity (GNOME), kdialog (KDE), notify-send (any desktop with notifications), xmessage (bare X).
_DIALOGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("zenity", ("--error", "--no-markup", "--title={title}", "--text={text}")),
    ("kdialog", ("--title", "{title}", "--error", "{text}")),
    ("notify-send", ("--urgency=critical", "--app-name=Studio", "{title}", "{text}")),
    ("xmessage", ("-center", "{title}\n\n{text}")),
)


def show_without_qt(title: str, text: str) -> str | None:
    """Show ``text`` with the first dialog tool found (Qt cannot); the tool's name, or None when none could."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    for tool, arguments in _DIALOGS:
        path = shutil.which(tool)
        if path is None:
            continue
        try:
            done = subprocess.run([path, *(a.format(title=title, text=text) for a in arguments)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  check=False)
        except OSError:
            continue
        if done.returncode in (0, 1):  # 1: closed without OK; anything else: it could not show itself
            return tool
    return None


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why X11 has no display for the window, as its message (untranslated, "{display}" to fill in; None when one
    answers): Qt alone aborts on it. Asked the way Qt asks, through libxcb (already loaded by the library check),
    in a few milliseconds."""
    env = os.environ if environ is None else environ
    display = env.get("DISPLAY", "")
    if not display:
        return _NO_DISPLAY
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        connection = xcb.xcb_connect(display.encode(), None)
        failed = xcb.xcb_connection_has_error(connection)
        xcb.xcb_disconnect(connection)
    except (OSError, AttributeError):  # no libxcb to ask: Qt's plugin check has said what is missing
        return None
    return _UNREACHABLE if failed else None


def check_window_libraries() -> str | None:
    """Run before the QApplication is made: None when the window can try to open; else the problem (a missing
    system library, or no display), already said on stderr and, where possible, in a dialog."""
    if not xcb_expected():
        return None
    missing = find_missing()
    tr = system_translation()
    if missing is None:
        problem = display_problem()
        if problem is None:
            return None
        display = os.environ.get("DISPLAY", "")
        log.error("%s: %s", TITLE, problem.replace("{display}", display))
        text = tr(problem).replace("{display}", display) + "\n" + tr(_CLI_WORKS)
        _say(tr(TITLE), text)
        return text
    text = describe(missing, tr=tr)
    log.error("%s: %s", TITLE, missing.error)
    _say(tr(TITLE), text)
    return text


def _say(title: str, text: str) -> None:
    """On stderr and, where a tool can show one without Qt, in a dialog."""
    try:
        sys.stderr.write(f"studio: error: {title}.\n{text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # no terminal: the dialog (and the log) still say it
        pass
    show_without_qt(title, text)
