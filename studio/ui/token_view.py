"""The token view (issue 15): what the model almost wrote, on the proposal itself.

With View > Token probabilities on, Studio asks the engine for each token's top-k alternatives (k from the
setting ``view/token_k``, 5 unless set, at most 10; only where the loaded engine's capabilities offer them, so off
or unable costs nothing). Hovering a token of the proposal shows it and its alternatives with their
probabilities; clicking it opens the list, and choosing an alternative writes on from there as a new alternative
of the same run: the proposal up to that token, the chosen text, and what the model writes after it
(GenerationController.branch, a Continue with a forced prefix). View > Tint unlikely tokens marks the tokens the
model gave less than 5% with a light background. Both work while a proposal streams and after; each token knows
its place in the text from the engine (TokenAlternatives.start/end), so nothing here guesses at tokenization.
"""

from __future__ import annotations

import bisect
import html
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Slot
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCharFormat
from PySide6.QtWidgets import QMenu, QToolTip

from studio.domain import MAX_LOGPROBS, TokenAlternatives
from studio.ui import widgets

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from studio.ui.actions import WindowActions
    from studio.ui.generation import GenerationController
    from studio.ui.parts import WindowParts
    from studio.ui.worker import EngineHost

log = logging.getLogger(__name__)

KEY_ON = "view/token_probs"
KEY_TINT = "view/token_tint"
KEY_K = "view/token_k"
DEFAULT_K = 5
# Below this probability a token is tinted. The small models Studio runs on spread their odds thin: on the default
# model 67-72% of a Continue's tokens are under 30% and 35-47% under 10% (so a tint there marks most of the text),
# 28-37% under 5% (studio continue --logprobs 1 --json, three seeds).
UNLIKELY = 0.05
# A warm background that keeps the proposal's own text colour readable: pale on the light theme, deep on the dark.
_TINT = {False: "#ffdcae", True: "#5b4120"}
_VISIBLE = str.maketrans({" ": "\u2423", "\n": "\u21b5", "\t": "\u21e5"})


def visible(text: str) -> str:
    """A token's text with its spaces and line breaks shown (a token is often just " the" or "\\n")."""
    return text.translate(_VISIBLE) or "\u2205"


def percent(prob: float) -> str:
    return f"{prob * 100:.1f}%" if prob >= 0.001 else "<0.1%"


def token_at(tokens: list[TokenAlternatives], index: int) -> TokenAlternatives | None:
    """The token whose span holds character ``index`` of the text (tokens in order, spans increasing)."""
    placed = [t for t in tokens if t.start is not None]
    i = bisect.bisect_right(placed, index, key=lambda t: t.start or 0) - 1
    if i >= 0 and index < (placed[i].end or 0):
        return placed[i]
    return None


def tooltip_html(token: TokenAlternatives) -> str:
    """The hover text: the token written and its probability, then its alternatives, likeliest first."""
    rows = "".join(
        f"<tr><td>{'&#9656;' if text == token.text else ''}</td><td><code>{html.escape(visible(text))}</code></td>"
        f"<td align='right'>{percent(prob)}</td></tr>" for text, prob in token.top)
    return (f"<b><code>{html.escape(visible(token.text))}</code></b> {percent(token.prob)}"
            f"<table cellspacing='0' cellpadding='1'>{rows}</table>")


def unlikely_spans(tokens: list[TokenAlternatives], below: float = UNLIKELY) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in tokens if t.start is not None and t.end is not None and t.prob < below]


class TokenView(QObject):
    """Wires the two View toggles, the logprobs a run asks for, the hover text, the click list and the tint."""

    def __init__(self, generation: GenerationController, host: EngineHost, parts: WindowParts,
                 actions: WindowActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gen = generation
        self._host = host
        self._editor = parts.editor
        self._settings = parts.settings
        self._themes = parts.themes
        self.act_on: QAction = actions.act_token_probs
        self.act_tint: QAction = actions.act_token_tint
        self.act_on.setChecked(bool(self._settings.get(KEY_ON, False)))
        self.act_tint.setChecked(bool(self._settings.get(KEY_TINT, False)))
        self.act_on.toggled.connect(lambda on: self._toggled(KEY_ON, on))
        self.act_tint.toggled.connect(lambda on: self._toggled(KEY_TINT, on))
        generation.logprobs = self.wanted_k
        generation.run_updated.connect(self.refresh_tint)
        self._editor.viewport().installEventFilter(self)
        self.menu: QMenu | None = None  # the open list of alternatives (tests read it)

    # -- what a run asks for -------------------------------------------------------------------------------
    def wanted_k(self) -> int:
        """How many alternatives per token the next run asks for: 0 with both toggles off or an engine that
        cannot say."""
        if not (self.act_on.isChecked() or self.act_tint.isChecked()):
            return 0
        caps = getattr(self._host.worker.runner, "capabilities", None)
        if caps is None or not caps.logprobs:
            return 0
        try:
            k = int(self._settings.get(KEY_K, DEFAULT_K) or DEFAULT_K)
        except (TypeError, ValueError):
            k = DEFAULT_K
        return max(1, min(k, MAX_LOGPROBS))

    # -- the shown alternative's tokens ----------------------------------------------------------------------
    def _tokens(self) -> list[TokenAlternatives]:
        run = self._gen.run
        if run is None or not 0 <= run.current < len(run.tokens):
            return []
        return run.tokens[run.current]

    def token_at_point(self, point: QPoint) -> TokenAlternatives | None:
        """The token of the shown proposal under ``point`` (viewport coordinates)."""
        if not self.act_on.isChecked():
            return None
        index = self._editor.pending.index_at(point)
        return None if index is None else token_at(self._tokens(), index)

    def tooltip_at(self, point: QPoint) -> str:
        token = self.token_at_point(point)
        return tooltip_html(token) if token is not None and token.top else ""

    @Slot()
    def refresh_tint(self) -> None:
        marks: list[tuple[int, int, QTextCharFormat]] = []
        if self.act_tint.isChecked():
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(_TINT[self._themes.theme.dark]))
            marks = [(s, e, fmt) for s, e in unlikely_spans(self._tokens())]
        self._editor.pending.set_marks(marks)

    # -- choosing an alternative ---------------------------------------------------------------------------
    def open_list(self, token: TokenAlternatives, at: QPoint) -> QMenu:
        """The token's alternatives as a menu at ``at`` (global coordinates); choosing one writes on from it."""
        menu = QMenu(self._editor)
        menu.setToolTipsVisible(True)
        for text, prob in token.top:
            act = menu.addAction(f"{visible(text)}\t{percent(prob)}")
            act.setCheckable(True)
            act.setChecked(text == token.text)
            act.setEnabled("\ufffd" not in text)  # part of a character: nothing a writer could continue from
            act.triggered.connect(lambda _c=False, text=text: self.choose(token, text))
        if all(text != token.text for text, _ in token.top):  # what was written, when it is not among the k
            menu.addSeparator()
            written = menu.addAction(widgets.arg(self.tr("%1\t%2 (written)"), visible(token.text),
                                                 percent(token.prob)))
            written.setCheckable(True)
            written.setChecked(True)
            written.setEnabled(False)
        self.menu = menu
        menu.popup(at)
        return menu

    def choose(self, token: TokenAlternatives, text: str) -> bool:
        """A new alternative: the shown proposal before ``token``, then ``text``, then the model's continuation."""
        run = self._gen.run
        if run is None or token.start is None:
            return False
        shown = run.text()
        if token.start == 0 and shown[:token.end] != token.text:
            text = text.lstrip(" \t")  # the editor's own space stands before the proposal, as for the token
        return self._gen.branch(shown[:token.start] + text)

    # -- events --------------------------------------------------------------------------------------------
    def _toggled(self, key: str, on: bool) -> None:
        self._settings.set(key, on)
        self.refresh_tint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self._editor.viewport())
                return True
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            token = self.token_at_point(event.position().toPoint())
            if token is not None and token.top:
                self.open_list(token, event.globalPosition().toPoint())
                return True  # the caret stays where it was
        return super().eventFilter(watched, event)
