"""Render the Chinese window's screenshots into docs/screenshots/zh/ (offscreen, no display needed).

    python scripts/screenshots_zh.py                # real default model (llama-cpp-python installed)
    python scripts/screenshots_zh.py --scripted     # canned text instead of the model (fast, repeatable)

Pictures: main-window.png (a 五言绝句 draft in the Chinese window, the context preview filled in),
model-settings.png (Model -> 模型设置…), get-model.png (Model -> 获取模型…, a catalogue row chosen) and
form-check.png (Generate -> 检查格律…, on the same poem).

The translation is Studio's own (resources/i18n/studio_zh_CN.ts, compiled by scripts/build_translations, which
this runs first). Chinese glyphs need a CJK font, or they render as empty boxes; on Debian/Ubuntu:
    apt-get install -y fonts-noto-cjk
The script uses a throwaway data folder; your own drafts are never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screenshots import ScriptedRunner, options, settle, wait_until  # noqa: E402

# 孟浩然《春晓》, a 五言绝句.
POEM = """春晓

春眠不觉晓，
处处闻啼鸟。
夜来风雨声，
花落知多少。
"""
SIZE = (1440, 820)  # wider than the English pictures: the assistant panel's Chinese labels need the room
NOTES = "孟浩然的春晓：春天早晨醒来，听见鸟叫，想起夜里的风雨和落花。语气平淡而惜春。"


def main(argv: list[str] | None = None) -> int:
    args = options(__doc__, REPO / "docs" / "screenshots" / "zh", argv)
    out = args.out
    subprocess.run([str(REPO / "scripts" / "build_translations")], check=True)
    home = Path(tempfile.mkdtemp(prefix="studio-shots-zh-"))
    os.environ["STUDIO_HOME"] = str(home)

    from studio.domain import Form
    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.ui import i18n
    from studio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Studio")
    installed = i18n.install_translations(app, i18n.CHINESE)  # what launch() does for a zh_CN writer
    if installed.language != i18n.CHINESE:
        print(f"no Chinese window: {installed.problem}", file=sys.stderr)
        return 1
    if i18n.cjk_font_family() is None:
        print("warning: no CJK font installed; Chinese will render as boxes (apt-get install fonts-noto-cjk)",
              file=sys.stderr)
    services = Services.open(resolve_paths().ensure())
    factory: Callable[[], Any] | None = ScriptedRunner if args.scripted else None

    def shot(widget: QWidget, name: str) -> None:
        settle(200)
        path = out / name
        if not widget.grab().save(str(path), "PNG"):
            raise SystemExit(f"could not save {path}")
        print(f"wrote {path}")

    win = MainWindow(services, runner_factory=factory)
    win.resize(*SIZE)
    win.show()
    # Chinese labels are wider than the panel's English default width: room for the assistant, less for the list.
    win.splitter.setSizes([220, SIZE[0] - 220 - 560, 560])
    win.set_theme_mode("light")
    wait_until(lambda: win.model_info is not None or win.status.model_state.name == "ERROR", 300)

    # 1. The main window: the poem with its 五言绝句 style, its notes, what the model sees.
    poem = win.create_draft("春晓", Form.POETRY, body=POEM)
    assert poem is not None
    win.assistant.notes.setPlainText(NOTES)  # as the writer types them (saved with the draft)
    win.save_now()
    idx = win.assistant.style_combo.findText("五言绝句")
    if idx >= 0:
        win.assistant.style_combo.setCurrentIndex(idx)
    win.sidebar.refresh()
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.refresh_preview()
    wait_until(lambda: win.status.words > 0 and win.assistant.context.toPlainText() != "", 60)
    shot(win, "main-window.png")

    # 2. Model settings, once discovery and the details answered.
    dlg = win.open_model_settings()
    done: list[bool] = []
    dlg.details_shown.connect(lambda: done.append(True))
    wait_until(lambda: bool(done), 120)
    dlg.resize(760, dlg.sizeHint().height())
    shot(dlg, "model-settings.png")
    dlg.reject()

    # 3. Get a model: the catalogue with this machine's fit, a Chinese-capable model chosen.
    get = win.get_model.open()
    shown: list[bool] = []
    get.catalogue_shown.connect(lambda: shown.append(True))
    wait_until(lambda: bool(shown), 60)
    chinese = [r for r in range(get.catalogue.rowCount()) if "中文" in get.catalogue.item(r, 2).text()]
    get.catalogue.selectRow(chinese[1] if len(chinese) > 1 else 0)
    get.resize(1100, 620)
    shot(get, "get-model.png")
    get.reject()

    # 4. The form check on the same poem.
    checked: list[bool] = []
    win.form_check.checked.connect(lambda _check: checked.append(True))
    win.menu_actions.act_check_form.trigger()
    wait_until(lambda: bool(checked), 30)
    shot(win.form_check, "form-check.png")
    win.form_check.close()

    win.shutdown()
    services.close()
    i18n.remove_translations(app, installed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
