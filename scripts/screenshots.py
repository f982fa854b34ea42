"""Render screenshots of the window's main states into docs/screenshots/ (offscreen, no display needed).

    python scripts/screenshots.py                 # real default model (llama-cpp-python installed)
    python scripts/screenshots.py --scripted      # canned text instead of the model (fast, repeatable)

States: empty.png (no drafts), streaming.png (a screenplay with a Continue streaming in), rewrite.png (a rewrite
proposal shown against the passage), dark.png (lyrics with syllable counts and rhyme letters, dark theme),
chinese-poem.png (a Chinese quatrain with per-line character counts).

Chinese glyphs need a CJK font installed, or they render as empty boxes. On Debian/Ubuntu:
    apt-get install -y fonts-noto-cjk
The script uses a throwaway data folder; your own drafts are never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1280, 800)

SCREENPLAY = """Title: The Lighthouse
Author: A. Writer

INT. LIGHTHOUSE - NIGHT

Rain hammers the glass. MARA (40s, oilskin coat) climbs the last steps, lantern shaking.

MARA
(breathless)
Tom? Tom, the light's gone out.

TOM (O.S.)
Leave it. They're not coming tonight.

Mara stops. Below, the sea swallows the rocks.

MARA
"""

PROSE = """The harbour was quiet that morning. Old Tom mended his nets on the slipway while the gulls argued over
the night's scraps, and the tide crept in as if it had all the time in the world.

Nobody in the village spoke of the lighthouse any more. It stood at the end of the breakwater like a question
nobody wanted to answer."""

LYRICS = """[Verse 1]
I walked the line along the shore tonight
The harbour lights were fading into grey
I held your letter up against the light
And read the words you never meant to say

[Chorus]
So sing it low, sing it slow
Let the river take the rest
"""

CHINESE_POEM = """静夜思

床前明月光，
疑是地上霜。
举头望明月，
低头思故乡。
"""


def wait_until(cond: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the event loop until ``cond`` holds (the window keeps working meanwhile)."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for the window")
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class ScriptedRunner:
    """Canned output with the timing of a small model, for repeatable pictures without llama.cpp."""

    def __init__(self) -> None:
        self.info: Any = None

    @property
    def loaded(self) -> bool:
        return self.info is not None

    @property
    def model_file(self) -> str:
        return "scripted.gguf"

    def discover(self, chosen: Any = None) -> list[Any]:
        return []

    def load(self, chosen: Any, settings: Any) -> Any:
        from studio.domain import ModelInfo

        self.info = ModelInfo(path=Path("scripted.gguf"), name="Scripted demo", architecture="demo", size_bytes=0)
        return self.info

    def close(self) -> None:
        self.info = None

    def preview(self, request: Any) -> Any:
        from studio.domain import PromptPreview

        return PromptPreview(prompt_text=request.notes + "\n\n" + request.before,
                             prompt_tokens=len(request.before) // 4, trimmed_chars=0, trimmed_preview="", fits=True,
                             n_ctx=8192, max_tokens=200)

    def stream(self, request: Any, cancel: threading.Event) -> Iterator[Any]:
        from studio.domain import Action, Finished, GenerationStats, TextDelta

        if request.action == Action.REWRITE:
            text = "hushed, the water holding its breath"
        else:
            text = "(steadying herself)\nThen I'll light it myself. Somebody out there is still looking for home.\n"
        for index in range(request.n_alternatives):
            out = ""
            for word in text.split(" "):
                if cancel.is_set():
                    break
                piece = word if not out else " " + word
                out += piece
                yield TextDelta(piece, index)
                time.sleep(0.04)
            yield Finished(out, GenerationStats(generated_tokens=len(out) // 4, tokens_per_s=52.0), index)


def options(doc: str, out: Path, argv: list[str] | None) -> argparse.Namespace:
    """The screenshot scripts' command line: --out (made if missing) and --scripted."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--scripted", action="store_true", help="canned text instead of the real model")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def ready_window(services: Any, scripted: bool, size: tuple[int, int] = SIZE) -> Any:
    """A shown MainWindow in the light theme, its model loaded (or failed), on the real model unless ``scripted``."""
    from studio.ui.main_window import MainWindow

    factory: Callable[[], Any] | None = ScriptedRunner if scripted else None
    win = MainWindow(services, runner_factory=factory)
    win.resize(*size)
    win.show()
    win.set_theme_mode("light")
    wait_until(lambda: win.model_info is not None or win.status.model_state.name == "ERROR", 300)
    settle()
    return win


def main(argv: list[str] | None = None) -> int:
    args = options(__doc__, REPO / "docs" / "screenshots", argv)
    out = args.out
    home = Path(tempfile.mkdtemp(prefix="studio-shots-"))
    os.environ["STUDIO_HOME"] = str(home)

    from studio.domain import Form
    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Studio")
    services = Services.open(resolve_paths().ensure())

    def window() -> MainWindow:
        return ready_window(services, args.scripted)

    def shot(win: MainWindow, name: str) -> None:
        settle(150)
        path = out / name
        win.grab().save(str(path))
        print(f"wrote {path}")

    # 1. Empty: a fresh data folder.
    win = window()
    shot(win, "empty.png")

    # 2. Streaming: a screenplay, Continue at the end, grabbed while tokens arrive.
    draft = win.create_draft("The Lighthouse", Form.SCREENPLAY, body=SCREENPLAY)
    assert draft is not None
    services.drafts.save(draft.id, notes="Mara and Tom keep the last lighthouse on the coast. Storm night.")
    win.open_draft(services.drafts.create("Harbour", Form.PROSE, body=PROSE).id)
    win.open_draft(draft.id)
    win.sidebar.refresh()
    win.assistant.max_tokens.setValue(80)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.continue_at_cursor()
    wait_until(lambda: win.generation.run is not None and len(win.generation.run.text()) > 40)
    shot(win, "streaming.png")
    wait_until(lambda: win.generation.run is not None and not win.generation.run.streaming)
    win.generation.discard()

    # 3. Rewrite proposal: a passage selected, the proposal against it.
    prose = next(s for s in services.drafts.list() if s.title == "Harbour")
    win.open_draft(prose.id)
    text = win.editor.plain_text()
    start = text.index("quiet that morning")
    cursor = win.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("quiet that morning"), QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)
    win.assistant.quick_buttons[0].setChecked(True)
    win.assistant.max_tokens.setValue(24)
    win.rewrite_selection()
    wait_until(lambda: win.generation.run is not None and not win.generation.run.streaming)
    shot(win, "rewrite.png")
    win.generation.discard()
    win.assistant.quick_buttons[0].setChecked(False)

    # 4. Dark theme: lyrics with syllables and rhyme letters in the gutter.
    lyrics = win.create_draft("Harbour Lights", Form.LYRICS, body=LYRICS)
    assert lyrics is not None
    win.set_theme_mode("dark")
    wait_until(lambda: win.editor.gutter._ready.is_set(), 60)
    win.editor.gutter.update()
    shot(win, "dark.png")
    win.set_theme_mode("light")

    # 5. A Chinese poem: per-line character counts, CJK-aware word count.
    poem = win.create_draft("静夜思", Form.POETRY, body=CHINESE_POEM)
    assert poem is not None
    idx = win.assistant.style_combo.findText("五言绝句")
    if idx >= 0:
        win.assistant.style_combo.setCurrentIndex(idx)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.refresh_preview()
    wait_until(lambda: win.status.words > 0 and win.assistant.context.toPlainText() != "", 60)
    shot(win, "chinese-poem.png")

    win.shutdown()
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
