"""Render the pictures of a writer's depth features into docs/screenshots/ (offscreen, no display needed).

    python scripts/screenshots_depth.py              # real default model (llama-cpp-python installed)
    python scripts/screenshots_depth.py --scripted   # canned text instead of the model (fast, repeatable)

Pictures: lorebook.png (Generate -> Lorebook… on a story whose text names Mara: her entry is in, with the key
that matched, and the context preview says so), ask.png (the assistant's Ask tab with an answer streamed from the
model, never into the draft), history.png (Generate -> History… after a few runs) and tokens.png (View -> Token
probabilities and Tint unlikely tokens on: a Continue with its unlikely tokens tinted, and a clicked token's list of
what the model almost wrote, with probabilities; choosing one writes on from there as a new alternative).

Chinese glyphs need a CJK font installed, or they render as empty boxes (Debian/Ubuntu: fonts-noto-cjk).
The script uses a throwaway data folder; your own drafts are never touched.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from PySide6.QtGui import QPainter, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screenshots import PROSE, options, ready_window, settle, wait_until  # noqa: E402

TYPED = "\n\nThat evening Mara climbed the iron stairs with the oil can, talking to the lamp as she went."
ENTRIES = (
    ("Mara,玛拉", "Mara keeps the lighthouse on Gull Rock: sixty years old, afraid of nothing, she talks to the lamp."),
    ("Tom", "Old Tom is Mara's brother. He mends nets and will not set foot on the breakwater since the wreck."),
    ("Jonas,约纳斯", "Jonas, the harbourmaster's son, rows out to the rock with the mail on Thursdays."),
    ("Gull Rock,breakwater", "Gull Rock stands at the end of the breakwater; at high tide it is an island."),
)


def main(argv: list[str] | None = None) -> int:
    args = options(__doc__, REPO / "docs" / "screenshots", argv)
    out = args.out
    os.environ["STUDIO_HOME"] = tempfile.mkdtemp(prefix="studio-shots-depth-")

    from studio.domain import Form
    from studio.paths import resolve_paths
    from studio.services import Services

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Studio")
    services = Services.open(resolve_paths().ensure())
    win = ready_window(services, args.scripted)

    def shot(widget: QWidget, name: str) -> None:
        settle(200)
        path = out / name
        widget.grab().save(str(path))
        print(f"wrote {path}")

    body = re.sub(r"(?<!\n)\n(?!\n)", " ", PROSE) + TYPED  # the source's hard line breaks out
    draft = win.create_draft("Gull Rock", Form.PROSE, body=body)
    assert draft is not None
    for keys, text in ENTRIES:
        services.lore.add(draft.id, keys, text)
    win.open_draft(draft.id)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.refresh_preview()
    wait_until(lambda: "Mara" in win.assistant.context.toPlainText(), 60)

    # 1. The lorebook: Mara's entry in (her name is near the cursor), Tom's out, the reason shown.
    dialog = win.lorebook.open()
    assert dialog is not None
    dialog.resize(900, 560)
    dialog.refresh_in_now()
    shot(dialog, "lorebook.png")
    dialog.close()

    # 2. Ask: five titles for the story, streamed into the tab.
    tabs = win.assistant.tabs
    tabs.setCurrentWidget(win.ask.tab)
    win.assistant.max_tokens.setValue(80)
    answers: list[str] = []
    win.ask.answered.connect(answers.append)
    assert win.ask.ask("Five titles for this story")
    wait_until(lambda: bool(answers), 300)
    shot(win, "ask.png")
    tabs.setCurrentIndex(0)

    # 3. History: two Continues and a Rewrite, then the panel.
    win.assistant.max_tokens.setValue(30)
    for _ in range(2):
        win.editor.moveCursor(QTextCursor.MoveOperation.End)
        win.continue_at_cursor()
        wait_until(lambda: win.generation.run is not None and not win.generation.run.streaming, 300)
        win.generation.discard()
    panel = win.history.open_panel()
    assert panel is not None
    panel.resize(1000, 560)
    shot(panel, "history.png")
    panel.close()

    # 4. The token view: the tint on a fresh Continue, and the list of one token's alternatives.
    if not args.scripted:  # the scripted runner has no probabilities
        view = win.token_view
        view.act_on.setChecked(True)
        view.act_tint.setChecked(True)
        win.assistant.max_tokens.setValue(40)
        win.editor.moveCursor(QTextCursor.MoveOperation.End)
        win.continue_at_cursor()
        run = win.generation.run
        wait_until(lambda: run is not None and not run.streaming, 300)
        assert run is not None
        text, tokens = run.text(), run.tokens[0]
        low = [t for t in tokens if t.start is not None and t.end is not None and text[t.start:t.end].strip()
               and t.prob < 0.3 and t.start > 0]
        token = low[0] if low else next(t for t in tokens if t.start and text[t.start:t.end].strip())
        assert token.start is not None and token.end is not None
        from tests.ui.token_view_helpers import point_of

        lead = len(text[token.start:token.end]) - len(text[token.start:token.end].lstrip())
        point = point_of(win.editor, token.start + lead)
        menu = view.open_list(token, win.editor.viewport().mapToGlobal(point))
        settle(300)
        picture = win.grab()
        # The list is a popup of its own, outside the window's picture: drawn in where it opens.
        painter = QPainter(picture)
        painter.drawPixmap(win.mapFromGlobal(menu.pos()), menu.grab())
        painter.end()
        path = out / "tokens.png"
        picture.save(str(path))
        print(f"wrote {path}")
        menu.close()
        win.generation.discard()

    win.shutdown()
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
