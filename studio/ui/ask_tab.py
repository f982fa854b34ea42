"""The assistant's Ask tab: the writer asks about the draft ("five titles", "what could happen next", "rhymes for
'light'") and the answer streams into the tab, never into the draft; Insert puts the answer, or the line of it the
caret is on, at the editor's cursor as one undo step.

Rhymes and syllable counts are answered from Studio's tables at once (services/ask.py); other questions go to the
model through the window's one engine thread (EngineHost), as Continue does, and only this part's job is read from
the worker's signals. Every answer is kept with the draft's history; the earlier ones are offered again per draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Draft, Finished, StudioError, TextDelta
from studio.services.ask import table_answer, table_ask
from studio.ui import i18n, widgets
from studio.ui.i18n import error_text
from studio.ui.textpos import to_index
from studio.ui.worker import EngineHost, Failure

if TYPE_CHECKING:
    from studio.services import Services
    from studio.ui.draft_session import DraftSession
    from studio.ui.generation import GenerationController
    from studio.ui.parts import WindowParts

log = logging.getLogger(__name__)


class AskTab(QWidget):
    """The tab's widgets; AskPart below drives them."""

    ask_requested = Signal(str)  # the question
    quick_requested = Signal(str)  # a quick ask's key
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 10)  # as the Write tab
        lay.setSpacing(6)
        # One quick ask per row: they are whole questions, and side by side they pushed the tab wider than the panel.
        self.quick_row = QVBoxLayout()
        self.quick_row.setSpacing(2)
        self.quick_buttons: list[QToolButton] = []
        lay.addLayout(self.quick_row)
        row = QHBoxLayout()
        self.question = QLineEdit()
        self.question.setPlaceholderText(self.tr("Ask about the draft: \"names for a lighthouse keeper\"…"))
        self.question.setClearButtonEnabled(True)
        self.question.setAccessibleName(self.tr("Question"))
        self.ask_button = QPushButton(self.tr("Ask"))
        row.addWidget(self.question, 1)
        row.addWidget(self.ask_button)
        lay.addLayout(row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.answer = widgets.read_only_text(
            self.tr("Answer"), self.tr("The answer appears here; the draft is not changed until you insert."))
        self.answer.setMinimumHeight(160)
        lay.addWidget(self.answer, 1)
        inserts = QHBoxLayout()
        self.insert_answer = QPushButton(self.tr("Insert answer"))
        self.insert_answer.setToolTip(self.tr("Put the whole answer at the cursor in the draft"))
        self.insert_line = QPushButton(self.tr("Insert line"))
        self.insert_line.setToolTip(self.tr("Put the answer's line under the caret at the cursor in the draft"))
        inserts.addWidget(self.insert_answer)
        inserts.addWidget(self.insert_line)
        inserts.addStretch(1)
        lay.addLayout(inserts)
        lay.addWidget(QLabel(self.tr("Earlier answers")))
        self.earlier = QComboBox()
        self.earlier.setAccessibleName(self.tr("Earlier answers"))
        lay.addWidget(self.earlier)
        self._streaming = False
        self.question.returnPressed.connect(self._on_ask_clicked)
        self.ask_button.clicked.connect(self._on_ask_clicked)

    def set_quick_asks(self, asks: list[tuple[str, str]]) -> None:
        """(key, label) per button; the labels are the questions in the draft's language."""
        for b in self.quick_buttons:
            self.quick_row.removeWidget(b)
            b.deleteLater()
        self.quick_buttons = []
        for key, label in asks:
            b = QToolButton()
            b.setObjectName("quickAsk")
            b.setProperty("quickAsk", key)
            b.setText(label)
            b.setToolTip(label)
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never wider than the panel
            b.clicked.connect(lambda _=False, k=key: self.quick_requested.emit(k))
            self.quick_row.addWidget(b)
            self.quick_buttons.append(b)

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.ask_button.setText(self.tr("Stop") if streaming else self.tr("Ask"))

    def line_at_caret(self) -> str:
        return self.answer.textCursor().block().text()

    @Slot()
    def _on_ask_clicked(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self.ask_requested.emit(self.question.text())


class AskPart(QObject):
    """The Ask tab's controller: asks, streams the answer into the tab, inserts at the editor's cursor."""

    answered = Signal(str)  # the finished answer (tests and the status bar)
    message = Signal(str)

    def __init__(self, host: EngineHost, parts: WindowParts, session: DraftSession, services: Services,
                 generation: GenerationController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._editor, self._panel = host, parts.editor, parts.assistant
        self._session, self._services, self._generation = session, services, generation
        self.tab = AskTab()
        parts.assistant.tabs.addTab(self.tab, self.tr("Ask"))
        self._job: int | None = None
        self._asked: tuple[int | None, object] | None = None  # (draft id, request) of the job
        self._earlier: list[str] = []
        w = host.worker
        w.tokens_received.connect(self._on_tokens_received)
        w.alternative_finished.connect(self._on_alternative_finished)
        w.generation_finished.connect(self._on_generation_finished)
        w.generation_failed.connect(self._on_generation_failed)
        t = self.tab
        t.ask_requested.connect(self.ask)
        t.quick_requested.connect(self.quick_ask)
        t.stop_requested.connect(self.stop)
        t.insert_answer.clicked.connect(lambda: self.insert(self.tab.answer.toPlainText()))
        t.insert_line.clicked.connect(lambda: self.insert(self.tab.line_at_caret()))
        t.earlier.activated.connect(self._on_earlier_chosen)
        session.draft_changed.connect(self._on_draft_changed)
        self._on_draft_changed(session.draft)

    @property
    def streaming(self) -> bool:
        return self._job is not None

    # -- asking --------------------------------------------------------------------------------------------
    @Slot(str)
    def ask(self, question: str) -> bool:
        """Answer ``question`` in the tab (False, and why in the tab, when it cannot be asked now)."""
        draft = self._session.draft
        if self._job is not None:
            return self._say(self.tr("An answer is still coming: press Stop first."))
        if not question.strip():
            return self._say(self.tr("Type a question first."))
        self.tab.question.setText(question)
        table = table_ask(question)
        if table is not None:  # the tables know exactly; the model is not asked
            answer = table_answer(table)
            self.tab.answer.setPlainText(answer)
            self.tab.status.setText(self.tr("From Studio's rhyme and pronunciation tables."))
            self._keep(lambda: self._services.ask.record_table_answer(draft.id if draft else None, question, answer))
            self.answered.emit(answer)
            return True
        if draft is None:
            return self._say(self.tr("Open or create a draft first (Ctrl+N)."))
        body = self._editor.plain_text()
        try:
            request = self._services.ask.build_request(
                draft, question, cursor=to_index(body, self._editor.textCursor().position()), body=body,
                notes=self._panel.notes_text(), style_id=self._panel.choices().style_id)
        except StudioError as exc:
            return self._say(error_text(exc))
        self.tab.answer.clear()
        self.tab.status.setText(self.tr("Asking the model…"))
        self._asked = (draft.id, request)
        self._job = self._host.generate(request)
        self.tab.set_streaming(True)
        return True

    @Slot(str)
    def quick_ask(self, key: str) -> bool:
        before = self._editor.plain_text()[: to_index(self._editor.plain_text(), self._editor.textCursor().position())]
        question = self._services.ask.quick_question(key, self._language(), before)
        if not question:
            return self._say(self.tr("Put the cursor after a word first: its rhymes are looked up."))
        return self.ask(question)

    @Slot()
    def stop(self) -> None:
        if self._job is not None:
            self._host.cancel(self._job)

    def insert(self, text: str) -> bool:
        """Put ``text`` at the editor's cursor (replacing a selection) as one undo step."""
        if self._session.draft is None or not text.strip():
            return self._say(self.tr("Nothing to insert yet."))
        ed = self._editor
        cursor = ed.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        inserted = ed.insert_as_one_step(start, text, replace_to=end if end != start else None)
        caret = QTextCursor(ed.document())
        caret.setPosition(inserted.selectionEnd())
        ed.setTextCursor(caret)
        return True

    # -- the engine's answers ------------------------------------------------------------------------------
    @Slot(int, object)
    def _on_tokens_received(self, job: int, deltas: list[TextDelta]) -> None:
        if job != self._job:
            return
        view = self.tab.answer
        end = QTextCursor(view.document())
        end.movePosition(QTextCursor.MoveOperation.End)
        end.insertText("".join(d.text for d in deltas if d.index == 0))

    @Slot(int, object)
    def _on_alternative_finished(self, job: int, fin: Finished) -> None:
        if job != self._job or self._asked is None or fin.index != 0:
            return
        self.tab.answer.setPlainText(fin.text)  # the engine's own account wins over the sum of deltas
        draft_id, request = self._asked
        self._keep(lambda: self._services.ask.record_model_answer(draft_id, request, fin,  # type: ignore[arg-type]
                                                                  self._generation.model_file))

    @Slot(int, object)
    def _on_generation_finished(self, job: int, _finished: list[Finished]) -> None:
        if job != self._job:
            return
        self._done()
        text = self.tab.answer.toPlainText()
        self.tab.status.setText("" if text.strip() else self.tr("The model wrote no answer this time; ask again."))
        self.answered.emit(text)

    @Slot(int, object, object)
    def _on_generation_failed(self, job: int, failure: Failure, _finished: list[Finished]) -> None:
        if job != self._job:
            return
        self._done()
        self.tab.status.setText(failure.message)
        self.message.emit(failure.message)

    # -- helpers -------------------------------------------------------------------------------------------
    def _done(self) -> None:
        self._job = None
        self.tab.set_streaming(False)
        if self._session.draft is not None:
            self._load_earlier(self._session.draft.id)

    def _say(self, text: str) -> bool:
        self.tab.status.setText(text)
        return False

    def _keep(self, record: Callable[[], object]) -> None:
        try:
            record()
        except StudioError as exc:  # the answer is still shown; only the history lacks it
            log.warning("could not keep an answer: %s", exc)
        if self._session.draft is not None:
            self._load_earlier(self._session.draft.id)

    def _language(self) -> str:
        window = "zh" if i18n.window_language() == i18n.CHINESE else "en"
        return self._services.ask.quick_language(self._editor.plain_text(), window)

    @Slot(object)
    def _on_draft_changed(self, draft: Draft | None) -> None:
        lang = self._language()
        self.tab.set_quick_asks([(k, q.replace("{word}", "…")) for k, q in self._services.ask.quick_asks(lang)])
        self._load_earlier(draft.id if draft is not None else None)

    def _load_earlier(self, draft_id: int | None) -> None:
        try:
            answers = self._services.ask.answers(draft_id) if draft_id is not None else []
        except StudioError as exc:
            log.warning("could not read the earlier answers: %s", exc)
            answers = []
        self._earlier = [a.output for a in answers]
        self.tab.earlier.clear()
        for a in answers:
            self.tab.earlier.addItem(a.instruction, a.id)

    @Slot(int)
    def _on_earlier_chosen(self, index: int) -> None:
        if 0 <= index < len(self._earlier) and self._job is None:
            self.tab.answer.setPlainText(self._earlier[index])
            self.tab.question.setText(self.tab.earlier.itemText(index))
