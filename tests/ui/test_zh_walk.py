"""The whole window in Chinese (issue 14): under a zh_CN locale with Studio's translation installed, the real main
window and every dialog and panel it opens are walked, widget by widget, and any visible text still holding English
words fails the test, each offender printed with its widget path.

What is read: window titles, labels, buttons, actions and their menus (submenus and the drafts panel's context
menu too), tooltips, status tips, accessible names, placeholders, group box titles, tab texts, combo box items,
spin box prefixes/suffixes, item views' headers and cells, progress bar formats, the status bar's message, and the
titles and texts of the message boxes and input/file dialogs the window asks (replaced by recorders: they block).

What may stay Latin: names (Studio, GGUF, Fountain, Markdown, llama.cpp...), key names after a shortcut, units
(MB, GB), sampler names (top-p...), and data: the writer's titles and text, model, style and preset names, file
names, paths and addresses. Everything else in Latin letters is English the translation missed.

The translation is the shipped source (resources/i18n/studio_zh_CN.ts) compiled into a test folder, with
STUDIO_EXTRA_TS (paths joined by ":") for part files not merged into it yet; it is taken off after each test.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QStatusBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from studio.domain import Form, PromptPreview, RevisionReason
from studio.ui import i18n, sidebar
from studio.ui.dialogs import NewDraftDialog
from tests.ui.fakes import FakeRunner
from tests.ui.ts_files import LRELEASE, REAL_TS

# -- what may stay in Latin letters -----------------------------------------------------------------------------

# Names and standard terms a Chinese writer reads as they are (docs/translation.md: keep names as they are).
ALLOWED_WORDS = frozenset({
    "Studio", "GGUF", "gguf", "Fountain", "Markdown", "URL", "API", "TLS", "HTTP", "HTTPS", "https", "http",
    "CPU", "GPU", "CUDA", "Vulkan", "Metal", "JSON", "TOML",
    # units
    "MB", "GB", "KB", "GiB", "MiB", "ms",
    # key names (shortcuts shown beside a text)
    "Tab", "Ctrl", "Shift", "Alt", "Meta", "Esc", "Escape", "Enter", "Return", "Del", "Delete", "Backspace",
    "Left", "Right", "Up", "Down", "Home", "End", "PgUp", "PgDown", "Space", "Ins",
})
# Terms of more than one word or with signs in them, cut out before the words are looked at.
ALLOWED_PHRASES = ("top-p", "top-k", "min-p", "llama-cpp-python", "llama.cpp", "llama-server", "SHA-256", "UTF-8")
_DATA_PATTERNS = (
    re.compile(r"https?://\S+"),  # addresses
    re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:/[^\s/，。：；）)]+)+/?"),  # paths
    re.compile(r"\S+\.(?:gguf|md|txt|fountain|html|ts|qm|toml|json|log)\b"),  # file names
    re.compile(r"\bQ\d_K(?:_[SML])?\b|\bQ\d_\d\b|\bF16\b|\bBF16\b|\bIQ\d_\w+"),  # quants
    re.compile(r"[\w.-]+/[\w.-]+-GGUF\b"),  # hub repos (an example in a placeholder)
    re.compile(r"\*\.\w+"),  # file patterns in a file dialog's filter
    re.compile(r"(?<![A-Za-z0-9_.])\.[A-Za-z]\w{0,8}\b"),  # file name extensions: .md, .png (导入.png too)
    re.compile(r"\{\w+\}"),  # a template's placeholders ({notes}, {before})
    re.compile(r"\{\"[^}]*\}|\[\"[^\]]*\]"),  # JSON examples: {"temperature": 1.0}, ["\n\n", "THE END"]
)
_ACCELERATOR = re.compile(r"\(&\w\)|&(?=\w)")
_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str, data: Iterable[str] = (), *, listing: bool = False) -> list[str]:
    """The runs of Latin letters in ``text`` that are neither allowed names nor ``data`` (titles, model names...).

    A one-word piece of data ("Continue", a built-in preset's name) counts only as the whole text, except in a
    ``listing`` (a list's or a combo box's item, which shows a name with its decorations): inside a label or a menu
    it would hide the very word a menu forgot to translate.
    """
    data = [d for d in data if d]
    if text.strip() in data:
        return []
    if "<" in text and ">" in text:
        text = html.unescape(_TAGS.sub(" ", text))
    text = _ACCELERATOR.sub("", text)
    if "\t" in text:  # a menu item's shortcut after a tab: key names
        text = text.split("\t", 1)[0]
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    for pattern in _DATA_PATTERNS:
        text = pattern.sub(" ", text)
    # Longest first, so "Continue (bold)" goes whole before "Continue" alone is looked for.
    for d in sorted(data, key=len, reverse=True):
        if not _WORD.fullmatch(d):
            text = text.replace(d, " ")
        elif listing:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(d)}(?![A-Za-z])", " ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED_WORDS]


def test_the_checker_tells_english_from_chinese_with_names_and_data() -> None:
    assert english_words("Save draft") == ["Save", "draft"]
    assert english_words("保存(&S)\tCtrl+S") == []
    assert english_words("<b>已保存</b> · 12 MB · top-p") == []
    assert english_words("连接到 http://127.0.0.1:8080 的 llama.cpp 服务器") == []
    assert english_words("模型 fake-7b.Q4_K_M.gguf（Q4_K_M）") == []
    assert english_words("风格：Free verse", data=["Free verse"]) == []
    assert english_words("风格：Free verse") == ["Free", "verse"]
    assert english_words("Continue", data=["Continue"]) == []
    assert english_words("&Continue with", data=["Continue"]) == ["Continue", "with"]
    assert english_words("Continue  (续写)  ·  内置", data=["Continue"], listing=True) == []
    assert english_words("Continued  (续写)", data=["Continue"], listing=True) == ["Continued"]
    assert english_words("停止序列，JSON 格式：[\"\\n\\n\", \"THE END\"]") == []
    assert english_words("不能导入 .png 文件（*.md *.txt）") == []
    assert english_words("不能导入.png 文件") == []
    assert english_words("提示词（{notes}、{before}）") == []
    assert english_words("Continue (bold)  (续写)", data=["Continue", "Continue (bold)"], listing=True) == []
    assert english_words("a/google_gemma-3-4b-it-GGUF:google_gemma-3-4b-it-Q4_K_M.gguf", data=["gemma"],
                         listing=True) == []
    assert english_words("/tmp/studio-home/models 里没有模型") == []


# -- walking the widgets ------------------------------------------------------------------------------------


@dataclass
class Walk:
    data: set[str] = field(default_factory=set)  # texts that are the writer's or the models': not UI
    offenders: list[str] = field(default_factory=list)
    seen: int = 0  # texts read (a walk that read nothing proves nothing)
    _done: set[tuple[str, str]] = field(default_factory=set)

    def check(self, where: str, kind: str, text: str | None, *, listing: bool = False) -> None:
        if not text or not text.strip():
            return
        self.seen += 1
        words = english_words(text, self.data, listing=listing)
        if words and (where, text) not in self._done:
            self._done.add((where, text))
            self.offenders.append(f"{where} [{kind}]: {text!r} ({', '.join(dict.fromkeys(words))})")

    # -- widgets
    def widget(self, root: QWidget, where: str = "") -> None:
        path = where or _name(root)
        self._one(root, path)
        for child in root.findChildren(QWidget):
            if isinstance(child, QMenu) and child.parent() is not root:
                continue  # a menu is walked through its action
            self._one(child, f"{path} > {_path(child, root)}")

    def _one(self, w: QWidget, where: str) -> None:
        if w.isWindow():
            self.check(where, "window title", w.windowTitle())
        for kind, text in (("tooltip", w.toolTip()), ("status tip", w.statusTip()), ("what's this", w.whatsThis()),
                           ("accessible name", w.accessibleName()),
                           ("accessible description", w.accessibleDescription())):
            self.check(where, kind, text)
        if isinstance(w, QLabel):
            self.check(where, "label", w.text())
        if isinstance(w, QAbstractButton):
            self.check(where, "button", w.text())
        if isinstance(w, QLineEdit):
            self.check(where, "placeholder", w.placeholderText())
        if isinstance(w, (QPlainTextEdit, QTextEdit)):
            self.check(where, "placeholder", w.placeholderText())
        if isinstance(w, QGroupBox):
            self.check(where, "group title", w.title())
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                self.check(where, f"tab {i}", w.tabText(i))
                self.check(where, f"tab {i} tooltip", w.tabToolTip(i))
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                self.check(where, f"tab {i}", w.tabText(i))
                self.check(where, f"tab {i} tooltip", w.tabToolTip(i))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                self.check(where, f"item {i}", w.itemText(i), listing=True)
                self.check(where, f"item {i} tooltip", _str(w.itemData(i, Qt.ItemDataRole.ToolTipRole)))
        if isinstance(w, QAbstractSpinBox):
            self.check(where, "special value", w.specialValueText())
            if isinstance(w, QSpinBox):
                self.check(where, "prefix", w.prefix())
                self.check(where, "suffix", w.suffix())
        if isinstance(w, QProgressBar):
            self.check(where, "progress", w.text())
        if isinstance(w, QStatusBar):
            self.check(where, "status message", w.currentMessage())
        if isinstance(w, QHeaderView) and w.model() is not None:
            for section in range(w.count()):
                self.check(where, f"header {section}", _str(w.model().headerData(section, w.orientation())))
        elif isinstance(w, QAbstractItemView) and w.model() is not None and not _in_combo(w):
            self.model(w.model(), where)
        for act in w.actions():
            self.action(act, f"{where} > action")

    def model(self, model: QAbstractItemModel, where: str) -> None:
        for section in range(_columns(model, QModelIndex())):
            self.check(where, f"header {section}", _str(model.headerData(section, Qt.Orientation.Horizontal)))
        for index in _indexes(model):
            for role, kind in ((Qt.ItemDataRole.DisplayRole, "cell"), (Qt.ItemDataRole.ToolTipRole, "cell tooltip")):
                self.check(where, f"{kind} {index.row()},{index.column()}", _str(model.data(index, role)),
                           listing=True)

    def action(self, act: QAction, where: str) -> None:
        if act.isSeparator():
            return
        text = act.text()
        here = f"{where} '{text}'" if text else where
        self.check(where, "action", text)
        if act.toolTip() != _ACCELERATOR.sub("", text).split("\t")[0].replace("…", "...").strip():
            self.check(here, "action tooltip", act.toolTip())
        self.check(here, "action status tip", act.statusTip())
        menu = act.menu()
        if isinstance(menu, QMenu):
            self.check(here, "menu title", menu.title())
            for sub in menu.actions():
                self.action(sub, f"{here} >")

    def menus(self, win: Any) -> None:
        for act in win.menuBar().actions():
            self.action(act, "menu bar")

    def report(self) -> str:
        return f"{len(self.offenders)} English texts (of {self.seen} read):\n" + "\n".join(self.offenders)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _indexes(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    parent = parent or QModelIndex()
    for row in range(min(model.rowCount(parent), 200)):
        for col in range(_columns(model, parent)):
            index = model.index(row, col, parent)
            yield index
            if col == 0 and _has_children(model, index):
                yield from _indexes(model, index)


def _in_combo(view: QWidget) -> bool:
    """A combo box's popup list: its items are read through the combo box."""
    node = view.parentWidget()
    while node is not None:
        if isinstance(node, QComboBox):
            return True
        node = node.parentWidget()
    return False


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # QAbstractListModel keeps it private: one column
        return 1


def _has_children(model: QAbstractItemModel, index: QModelIndex) -> bool:
    try:
        return model.hasChildren(index)
    except TypeError:  # private in list and table models: flat
        return False


def _name(w: QWidget) -> str:
    return w.objectName() or type(w).__name__


def _path(w: QWidget, root: QWidget) -> str:
    """The chain from ``root`` down to ``w``, each step named by the Python attribute a parent holds it in, else its
    object name, else its class."""
    chain = []
    node: Any = w
    while node is not None and node is not root:
        chain.append(_step(node))
        node = node.parentWidget()
    return " > ".join(reversed(chain))


def _step(w: QWidget) -> str:
    node = w.parentWidget()
    while node is not None:
        for attr, value in vars(node).items() if hasattr(node, "__dict__") else ():
            if value is w:
                return f"{attr}"
        node = node.parentWidget()
    return _name(w)


# -- the Chinese window ----------------------------------------------------------------------------------------


def _sources() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("STUDIO_EXTRA_TS", "").split(":") if p]
    return [REAL_TS, *extra]


@pytest.fixture
def zh(qapp: QApplication, tmp_path: Path) -> Iterator[i18n.Translations]:
    folder = tmp_path / "i18n"
    folder.mkdir()
    subprocess.run([str(LRELEASE), "-silent", *map(str, _sources()), "-qm", str(folder / "studio_zh_CN.qm")],
                   check=True, capture_output=True, timeout=120)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed = i18n.install_translations(qapp, i18n.CHINESE, directory=folder,
                                          system=QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    assert installed.language == i18n.CHINESE, installed.problem
    assert installed.qt_file is not None, installed.problem  # Qt's own buttons (OK, Cancel) are Chinese too
    yield installed
    i18n.remove_translations(qapp, installed)
    i18n.install_translations(qapp, i18n.ENGLISH)


@dataclass
class Recorded:
    """What the window asked through blocking dialogs (QInputDialog, QFileDialog, QMenu.exec) in the test."""

    asked: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    menus: list[QMenu] = field(default_factory=list)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    rec = Recorded()

    def text(parent: Any, title: str, label: str, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        rec.asked += [("input title", title), ("input label", label)]
        return "", False

    def file(answer: Any) -> Callable[..., Any]:
        def ask(parent: Any, caption: str = "", directory: str = "", filter: str = "",  # noqa: A002
                *args: Any, **kwargs: Any) -> Any:
            rec.asked += [("file dialog title", caption), ("file filter", filter)]
            return answer

        return ask

    class RecordingMenu(QMenu):
        def exec(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
            rec.menus.append(self)  # a binding's own method cannot be patched on QMenu: the sidebar gets this one

    monkeypatch.setattr(QInputDialog, "getText", text)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", file(("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", file(([], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", file(("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", file(""))
    monkeypatch.setattr(sidebar, "QMenu", RecordingMenu)
    return rec


# A 五言绝句 (孟浩然《春晓》): the window's poetry paths (form check, per-line counts) have something to read.
POEM = "春晓\n\n春眠不觉晓，\n处处闻啼鸟。\n夜来风雨声，\n花落知多少。\n"
SONG = "[主歌]\n月光洒在窗台上\n风吹过了旧时光\n\n[副歌]\n唱吧唱吧\n"


class PreviewingRunner(FakeRunner):
    """The fake model with a full preview: the room left to write and the start left out are said too."""

    def preview(self, request: Any) -> PromptPreview:
        shown = super().preview(request)
        return replace(shown, n_ctx=0, max_tokens=200, trimmed_chars=1200, trimmed_preview="春眠")


def _walk_for(services: Any, *more: str) -> Walk:
    walk = Walk()
    # The library's names and descriptions are its content (resources/presets, resources/styles), not the window's
    # texts: the built-in ones keep their own (中文散文, Free verse), as docs/translation.md says.
    for item in [*services.library.styles(), *services.library.presets()]:
        walk.data |= {item.name, item.description}
    walk.data |= {d.title for d in [*services.drafts.list(), *services.drafts.list(trashed=True)]}
    walk.data |= {"Fake model", "Fake 7B"}  # the fake runner's model names (tests/ui/fakes.py)
    walk.data |= set(i18n.LANGUAGE_NAMES.values())  # View > Language: each language named in itself
    walk.data |= set(more)
    return walk


def _dialogs_open(win: Any) -> list[QWidget]:
    """The window's own dialogs that are showing (the form-check panel, the model settings...)."""
    return [w for w in QApplication.topLevelWidgets() if w is not win and w.isVisible() and w.isWindow()
            and not isinstance(w, QMenu)]


def _walk_open_dialogs(walk: Walk, win: Any) -> None:
    for dlg in _dialogs_open(win):
        walk.widget(dlg, f"{type(dlg).__name__}")


def _assert_chinese(walk: Walk, minimum: int) -> None:
    print(walk.report())
    assert walk.seen >= minimum, f"the walk read only {walk.seen} texts: it no longer reaches the widgets"
    assert not walk.offenders, walk.report()


def _menu_at_first_row(win: Any, recorded: Recorded) -> QMenu:
    view = win.sidebar.view
    win.sidebar._on_context_menu(view.visualRect(view.model().index(0, 0)).center())
    return recorded.menus[-1]


def test_the_main_window_its_panels_and_menus_read_chinese(zh, make_window, services, dialogs, recorded,
                                                           qtbot) -> None:
    draft = services.drafts.create("春晓", Form.POETRY, body=POEM)
    services.drafts.create("夜歌", Form.LYRICS, body=SONG)
    gone = services.drafts.create("旧稿", Form.PROSE, body="一段旧文字。")
    services.drafts.trash(gone.id)
    win = make_window(runner=PreviewingRunner(delay=0.01))
    win.open_draft(draft.id)
    walk = _walk_for(services)

    walk.menus(win)
    for menu in (_menu_at_first_row(win, recorded),):
        for act in menu.actions():
            walk.action(act, "drafts panel's context menu")
    walk.widget(win, "MainWindow")

    # The find bar with a count, then with nothing found.
    win.find_bar.open_bar(replace=True)
    win.find_bar.find_field.setText("春")
    walk.widget(win.find_bar, "find bar (found)")
    win.find_bar.find_field.setText("秋")
    walk.widget(win.find_bar, "find bar (nothing found)")
    win.find_bar.close_bar()

    # What the model sees.
    with qtbot.waitSignal(win.preview_shown, timeout=10_000):
        win.refresh_preview()
    walk.widget(win.assistant, "assistant (context shown)")
    walk.widget(win.status, "status bar (context shown)")

    # Generate -> Check the form, on the poem.
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    assert win.menu_actions.act_check_form.isEnabled()
    with qtbot.waitSignal(win.form_check.checked, timeout=10_000):
        win.menu_actions.act_check_form.trigger()
    walk.widget(win.form_check, "form-check panel")
    win.form_check.close()

    # The trash view, with its own context menu.
    win.sidebar.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: win.sidebar.showing_trash and win.sidebar.view.model().rowCount() == 1, timeout=5000)
    walk.widget(win.sidebar, "drafts panel (trash)")
    for act in _menu_at_first_row(win, recorded).actions():
        walk.action(act, "trash's context menu")
    win.sidebar.tabs.setCurrentIndex(0)

    # Things said in the status bar: a revision kept, a rewrite asked for with nothing selected.
    win.keep_revision()
    walk.widget(win.status, "status bar (revision kept)")
    win.rewrite_selection()
    walk.widget(win.status, "status bar (rewrite without a selection)")
    _walk_open_dialogs(walk, win)
    _assert_chinese(walk, 400)


def test_the_empty_window_reads_chinese(zh, make_window, services, dialogs, recorded, qtbot) -> None:
    win = make_window(runner=FakeRunner())
    assert win.stack.currentWidget() is win.empty_page
    walk = _walk_for(services)
    walk.widget(win.empty_page, "empty page")
    walk.widget(win.status, "status bar")
    walk.widget(win.sidebar, "drafts panel (no drafts)")
    walk.menus(win)
    _assert_chinese(walk, 100)


def test_the_proposal_bar_reads_chinese_through_runs(zh, make_window, services, dialogs, recorded,
                                                     qtbot) -> None:
    services.drafts.create("夜歌", Form.LYRICS, body=SONG)
    hold = threading.Event()
    runner = FakeRunner(delay=0.005, block=hold)
    win = make_window(runner=runner)
    walk = _walk_for(services)
    bar, gen = win.proposal, win.generation

    def walk_bar(state: str) -> None:
        walk.widget(bar, f"proposal bar ({state})")
        walk.widget(win.status, f"status bar ({state})")
        walk.menus(win)  # which actions are enabled changes; their texts must not

    # Continue: streaming (held after the first piece), then finished.
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    assert win.continue_at_cursor()
    qtbot.waitUntil(lambda: gen.run is not None and gen.run.text() != "", timeout=10_000)
    walk_bar("continue streaming")
    assert not win.continue_at_cursor()  # a second run asked for meanwhile: the status bar says why not
    walk.widget(win.status, "status bar (one run at a time)")
    hold.set()
    qtbot.waitUntil(lambda: gen.run is not None and not gen.run.streaming, timeout=10_000)
    walk_bar("continue finished")
    gen.discard()

    # Alternatives: the counter and its arrows.
    runner.block = None
    assert win.ask_alternatives()
    qtbot.waitUntil(lambda: gen.run is not None and not gen.run.streaming, timeout=10_000)
    gen.cycle(1)
    walk_bar("alternatives")
    gen.discard()

    # A rewrite of a selection: the diff against the passage.
    cursor = win.editor.textCursor()
    cursor.setPosition(5)
    cursor.setPosition(12, QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)
    assert win.rewrite_selection()
    qtbot.waitUntil(lambda: gen.run is not None and not gen.run.streaming, timeout=10_000)
    walk_bar("rewrite")
    gen.discard()

    # The fake model writes English words: the proposal's text is the model's, not the window's.
    assert runner.requests, "no run reached the model"
    _assert_chinese(walk, 200)


def test_every_dialog_reads_chinese(zh, make_window, services, dialogs, recorded, qtbot,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    draft = services.drafts.create("春晓", Form.POETRY, body=POEM)
    services.drafts.snapshot(draft.id, RevisionReason.MANUAL, body=POEM.replace("多少", "多天"))
    win = make_window(runner=FakeRunner())
    walk = _walk_for(services)

    # Model -> Model settings…, once its list and details are in.
    dlg = win.open_model_settings()
    with qtbot.waitSignal(dlg.details_shown, timeout=60_000):
        pass
    walk.widget(dlg, "model settings")
    dlg.reject()

    # Model -> Connect to a server…, and a test against an address where nothing listens.
    connect = win.model.open_connect()
    walk.widget(connect, "connect to a server")
    connect.url.setText("")
    connect.test()
    walk.widget(connect, "connect to a server (no address)")
    connect.reject()

    # Model -> Get a model…, with a catalogue row chosen.
    get = win.get_model.open()
    with qtbot.waitSignal(get.catalogue_shown, timeout=30_000):
        pass
    get.catalogue.selectRow(0)
    # The catalogue's own words (resources/catalogue.toml): model titles, licences and its one line on what each
    # writes well, which the catalogue has in English only (like the built-in presets' descriptions).
    for row in range(get.catalogue.rowCount()):
        walk.data |= {get.catalogue.item(row, col).text() for col in (0, 3, 5)}
    walk.widget(get, "get a model")
    get.reject()

    # Library -> Presets… and Styles…, a built-in one chosen, then a new one.
    for editor in (win.edit_presets(), win.edit_styles()):
        editor.list.setCurrentRow(0)
        walk.widget(editor, f"{type(editor).__name__} (built-in)")
        editor.new_button.click()
        walk.widget(editor, f"{type(editor).__name__} (new)")
        editor.reject()

    # File -> Revisions…, the diff summary in.
    revisions = win.show_revisions()
    assert revisions is not None
    revisions.list.setCurrentRow(revisions.list.count() - 1)
    qtbot.waitUntil(lambda: revisions.summary.text() != "", timeout=10_000)
    walk.widget(revisions, "revisions")
    revisions.reject()

    # File -> New draft… (exec() blocks: the dialog is built as get() builds it and walked).
    made: list[NewDraftDialog] = []

    def get_new(parent: Any, form: Form = Form.PROSE) -> None:
        made.append(NewDraftDialog(parent, form))
        walk.widget(made[-1], "new draft")

    monkeypatch.setattr(NewDraftDialog, "get", staticmethod(get_new))
    win.menu_actions.act_new.trigger()
    assert made

    # What the window asks through Qt's blocking dialogs: rename, export, export all, import, a model file.
    win.commands.rename_draft(draft.id)
    win.menu_actions.act_export.trigger()
    win.menu_actions.act_export_all.trigger()
    win.menu_actions.act_import.trigger()
    model_dialog = win.open_model_settings()
    model_dialog.browse.click()
    model_dialog.reject()
    kinds = {kind for kind, _ in recorded.asked}
    assert {"input title", "input label", "file dialog title", "file filter"} <= kinds, recorded.asked
    for kind, text in recorded.asked:
        walk.check("asked", kind, text)
    _walk_open_dialogs(walk, win)
    _assert_chinese(walk, 300)


def test_confirmations_and_errors_read_chinese(zh, make_window, services, dialogs, recorded, qtbot, tmp_path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    draft = services.drafts.create("春晓", Form.POETRY, body=POEM)
    gone = services.drafts.create("旧稿", Form.PROSE, body="一段旧文字。")
    services.drafts.trash(gone.id)
    win = make_window(runner=FakeRunner())
    walk = _walk_for(services)

    # Delete forever asks first (answered No, so the draft stays).
    dialogs.answers["question"] = [QMessageBox.StandardButton.No]
    win.commands.purge_draft(gone.id)
    # A file that is not text, imported: the reason said per file.
    picture = tmp_path / "封面.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(picture)], "")))
    op = win.import_files()
    assert op is not None
    qtbot.waitUntil(lambda: len(dialogs.shown) >= 2, timeout=10_000)
    # A rename the drafts service refuses (its own error for an empty title, reached through a stand-in: the
    # window does not send an empty one).
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("新题", True)))
    real_rename = services.drafts.rename

    def refuse(draft_id: int, title: str) -> Any:
        return real_rename(draft_id, "")

    monkeypatch.setattr(services.drafts, "rename", refuse)
    win.commands.rename_draft(draft.id)
    assert len(dialogs.shown) >= 3, dialogs.shown
    # The draft changed in another window meanwhile: the window asks which text to keep.
    win.open_draft(draft.id)
    stored = services.drafts.get(draft.id)
    services.drafts.save(draft.id, body=POEM + "另一个窗口\n", expected_version=stored.version)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.editor.insertPlainText("我的")  # typed: QTest.keyClicks sends Latin keys only
    assert win.save_now()
    assert len(dialogs.shown) >= 4, dialogs.shown
    walk.data |= {d.title for d in services.drafts.list()}  # the copy's title is made of the draft's
    walk.data.add(picture.name)
    for kind, title, text in dialogs.shown:
        walk.check(f"{kind} box", "title", title)
        walk.check(f"{kind} box", "text", text)
    _assert_chinese(walk, 6)


def test_the_form_checker_s_findings_read_chinese(zh, make_window, services, dialogs, recorded, qtbot) -> None:
    """What the checker (studio/forms, services/forms) finds is shown as it words it: the panel's issues and the
    proposal bar's verdict on a held verse."""
    # 春晓 with its last line's rhyme broken (多天): the panel lists what does not fit, line by line.
    broken = POEM.replace("多少", "多天")
    draft = services.drafts.create("春晓", Form.POETRY, body=broken)
    win = make_window(runner=FakeRunner())
    win.open_draft(draft.id)
    walk = _walk_for(services)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(win.form_check.checked, timeout=10_000) as checked:
        win.menu_actions.act_check_form.trigger()
    check = checked.args[0]
    assert check is not None and check.result.deviations, "the broken rhyme was not found"
    walk.widget(win.form_check, "form-check panel (a line that does not fit)")
    win.form_check.close()

    # A verse to the meter of a song's verse: the per-line counts beside the original's, and the verdict on the
    # fake model's (English, ill-fitting) verse in the counter's tooltip.
    song = services.drafts.create("夜歌", Form.LYRICS, body=SONG)
    win.open_draft(song.id)
    cursor = win.editor.textCursor()
    cursor.setPosition(8)
    win.editor.setTextCursor(cursor)
    assert win.menu_actions.act_match_verse.isEnabled()
    win.menu_actions.act_match_verse.trigger()
    gen = win.generation
    qtbot.waitUntil(lambda: gen.run is not None and not gen.run.streaming, timeout=10_000)
    walk.widget(win.proposal, "proposal bar (verse to this meter)")
    gen.discard()
    _assert_chinese(walk, 30)
