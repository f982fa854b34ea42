"""The assistant panel: what the model is asked to do (presets, style, rewrite instruction, alternatives, length),
the draft's notes (its memory, saved with the draft), and a view of the context the model will see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Action, Form, Preset, PromptPreview, StudioError, StyleVariant
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.services.library import quick_rewrite_buttons, quick_rewrite_choice, quick_rewrite_instruction
from studio.ui import builtin_names, i18n, widgets

log = logging.getLogger(__name__)

NOTES_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "AssistantPanel", "Notes the model always sees for this draft: characters, setting, tone, rhyme scheme…"
)


@dataclass(frozen=True)
class AssistantChoices:
    continue_preset_id: int | None
    rewrite_preset_id: int | None
    style_id: int | None
    instruction: str
    alternatives: int
    max_tokens: int | None  # None: the preset's own length

    def preset_for(self, action: Action) -> int | None:
        return self.continue_preset_id if action == Action.CONTINUE else self.rewrite_preset_id


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionLabel")
    return label


class AssistantPanel(QScrollArea):
    notes_edited = Signal()
    style_chosen = Signal(object)  # style id or None
    choices_changed = Signal()
    preview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistant")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setMinimumWidth(240)
        # Tabs: the writing choices first, then the parts that add one (the Ask tab, ui/ask_tab.py).
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setWidget(self.tabs)
        body = QWidget()
        self.tabs.addTab(body, self.tr("Write"))
        lay = QVBoxLayout(body)
        lay.setContentsMargins(10, 6, 10, 10)
        lay.setSpacing(6)
        self._loading = False

        lay.addWidget(_section(self.tr("Assistant")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.continue_preset = QComboBox()
        self.continue_preset.setAccessibleName(self.tr("Continue preset"))
        self.rewrite_preset = QComboBox()
        self.rewrite_preset.setAccessibleName(self.tr("Rewrite preset"))
        self.style_combo = QComboBox()
        self.style_combo.setAccessibleName(self.tr("Style"))
        form.addRow(self.tr("&Continue with"), self.continue_preset)
        form.addRow(self.tr("Re&write with"), self.rewrite_preset)
        form.addRow(self.tr("St&yle"), self.style_combo)
        self.alternatives = QSpinBox()
        self.alternatives.setRange(1, 5)
        self.alternatives.setValue(3)
        self.alternatives.setToolTip(self.tr("How many versions Ctrl+Alt+Return asks for"))
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(0, 4096)
        self.max_tokens.setSingleStep(16)
        self.max_tokens.setSpecialValueText(self.tr("preset"))
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.max_tokens.setToolTip(self.tr("How much to write; \"preset\" uses the preset's length"))
        form.addRow(self.tr("&Alternatives"), self.alternatives)
        form.addRow(self.tr("&Length"), self.max_tokens)
        lay.addLayout(form)

        lay.addWidget(_section(self.tr("Rewrite instruction")))
        quick = QHBoxLayout()
        quick.setSpacing(3)
        self.quick_group = QButtonGroup(self)
        self.quick_group.setExclusive(False)
        self.quick_buttons: list[QToolButton] = []
        # The passage the buttons apply to (and the text before it): what they ask for is in its language (更简洁
        # for a Chinese passage). The last one selected is kept: a retry asks again after the selection has gone.
        self._passage = ("", "")
        for key, text in _quick_buttons(_window_quick_language()):
            b = QToolButton()
            b.setObjectName("quickChoice")
            b.setProperty("quickRewrite", key)
            b.setText(text)
            b.setCheckable(True)
            b.setAutoRaise(False)
            self.quick_group.addButton(b)
            self.quick_buttons.append(b)
        rows = QVBoxLayout()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for b in self.quick_buttons[:3]:
            row1.addWidget(b)
        for b in self.quick_buttons[3:]:
            row2.addWidget(b)
        row1.addStretch(1)
        row2.addStretch(1)
        rows.addLayout(row1)
        rows.addLayout(row2)
        quick.addLayout(rows)
        lay.addLayout(quick)
        self.instruction = QLineEdit()
        self.instruction.setPlaceholderText(self.tr("Or say how: \"in the voice of a sailor\"…"))
        self.instruction.setClearButtonEnabled(True)
        self.instruction.setAccessibleName(self.tr("Rewrite instruction"))
        lay.addWidget(self.instruction)

        lay.addWidget(_section(self.tr("Notes (memory)")))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr(NOTES_PLACEHOLDER))
        self.notes.setAccessibleName(self.tr("Draft notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.notes, 1)

        head = QHBoxLayout()
        head.addWidget(_section(self.tr("What the model sees")))
        head.addStretch(1)
        self.refresh_context = QPushButton(self.tr("Refresh"))
        self.refresh_context.setToolTip(self.tr("Show the prompt for a Continue at the cursor (F5)"))
        head.addWidget(self.refresh_context)
        lay.addLayout(head)
        self.context_summary = QLabel("")
        self.context_summary.setWordWrap(True)
        self.context_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.context_summary)
        self.context = widgets.read_only_text(
            self.tr("Context preview"), self.tr("Press Refresh (F5) to see the prompt the model will read."))
        self.context.setMinimumHeight(120)
        self.context.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lay.addWidget(self.context, 2)

        # A preview needs the model's tokenizer on the engine thread; asking on every keystroke would queue
        # work behind a generation, so it is asked on demand and after typing has paused for a while.
        self._preview_timer = widgets.single_shot_timer(self, 1500, self.preview_requested)

        self.notes.textChanged.connect(self._on_notes_changed)
        self.style_combo.currentIndexChanged.connect(self._on_style_changed)
        self.continue_preset.currentIndexChanged.connect(self._on_choice_changed)
        self.rewrite_preset.currentIndexChanged.connect(self._on_choice_changed)
        self.alternatives.valueChanged.connect(self._on_choice_changed)
        self.max_tokens.valueChanged.connect(self._on_choice_changed)
        self.instruction.textChanged.connect(self._on_choice_changed)
        self.quick_group.buttonToggled.connect(self._on_quick_toggled)
        self.refresh_context.clicked.connect(self.preview_requested)

    # -- filling -------------------------------------------------------------------------------------------
    def set_presets(self, presets: list[Preset], continue_id: int | None, rewrite_id: int | None) -> None:
        self._loading = True
        try:
            for combo, action, chosen in (
                (self.continue_preset, Action.CONTINUE, continue_id),
                (self.rewrite_preset, Action.REWRITE, rewrite_id),
            ):
                combo.clear()
                for p in presets:
                    if p.action == action:
                        combo.addItem(builtin_names.shown_name(p.name, p.builtin_key), p.id)
                        if p.description:
                            combo.setItemData(combo.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)
                idx = combo.findData(chosen) if chosen is not None else -1
                combo.setCurrentIndex(idx if idx >= 0 else (0 if combo.count() else -1))
        finally:
            self._loading = False

    def set_styles(self, styles: list[StyleVariant], form: Form, chosen: int | None) -> None:
        """Only styles for the draft's form: a sonnet style makes no sense for a screenplay."""
        self._loading = True
        try:
            self.style_combo.clear()
            self.style_combo.addItem(self.tr("(none)"), None)
            for s in styles:
                if s.form == form:
                    self.style_combo.addItem(builtin_names.shown_name(s.name, s.builtin_key), s.id)
                    if s.description:
                        last = self.style_combo.count() - 1
                        self.style_combo.setItemData(last, s.description, Qt.ItemDataRole.ToolTipRole)
            idx = self.style_combo.findData(chosen) if chosen is not None else 0
            self.style_combo.setCurrentIndex(max(0, idx))
        finally:
            self._loading = False

    def set_notes(self, notes: str) -> None:
        self._loading = True
        try:
            self.notes.setPlainText(notes)
        finally:
            self._loading = False

    def notes_text(self) -> str:
        return self.notes.toPlainText()

    def choices(self) -> AssistantChoices:
        return AssistantChoices(
            continue_preset_id=_int_or_none(self.continue_preset.currentData()),
            rewrite_preset_id=_int_or_none(self.rewrite_preset.currentData()),
            style_id=_int_or_none(self.style_combo.currentData()),
            instruction=self.instruction_text(),
            alternatives=self.alternatives.value(),
            max_tokens=self.max_tokens.value() or None,
        )

    def instruction_text(self) -> str:
        """The quick rewrites picked and the typed instruction as one instruction, in the selection's language."""
        keys = [str(b.property("quickRewrite")) for b in self.quick_buttons if b.isChecked()]
        selection, before = self._passage
        return quick_rewrite_instruction(keys, selection, self.instruction.text(), before)

    def set_selection(self, selection: str, before: str = "") -> None:
        """The passage a rewrite would replace (and the text before it): the quick buttons read in its language,
        and without a selection in the window's."""
        if selection.strip():
            self._passage = (selection, before)
        for b in self.quick_buttons:
            key = str(b.property("quickRewrite"))
            try:
                text = quick_rewrite_choice(key, selection, before).label if selection.strip() else ""
            except KeyError:
                continue
            b.setText(text or _quick_label(key, _window_quick_language()) or b.text())

    # -- context view --------------------------------------------------------------------------------------
    def schedule_preview(self) -> None:
        if self.isVisible():
            self._preview_timer.start()

    def show_preview(self, result: PromptPreview | None) -> None:
        summary, text = describe_preview(result)
        self.context_summary.setText(summary)
        self.context.setPlainText(text)

    def show_preview_message(self, message: str) -> None:
        self.context_summary.setText(message)

    # -- slots ---------------------------------------------------------------------------------------------
    @Slot()
    def _on_notes_changed(self) -> None:
        if not self._loading:
            self.notes_edited.emit()
            self.schedule_preview()

    @Slot(int)
    def _on_style_changed(self, _index: int) -> None:
        if not self._loading:
            self.style_chosen.emit(_int_or_none(self.style_combo.currentData()))
            self.schedule_preview()

    @Slot()
    def _on_choice_changed(self, *_: object) -> None:
        if not self._loading:
            self.choices_changed.emit()

    @Slot(object, bool)
    def _on_quick_toggled(self, _button: object, _checked: bool) -> None:
        self.choices_changed.emit()


def _window_quick_language() -> str:
    """The quick buttons' language without a selection: the window's ("zh" for a Chinese window)."""
    return "zh" if i18n.window_language() == i18n.CHINESE else "en"


def _quick_label(key: str, language: str) -> str:
    return next((text for k, text in _quick_buttons(language) if k == key), "")


def _quick_buttons(language: str = "en") -> list[tuple[str, str]]:
    """The quick rewrites to offer as buttons: the engine's own list (resources/quick_rewrites.toml)."""
    try:
        return quick_rewrite_buttons(language)
    except StudioError as exc:
        # A broken data file is a packaging bug; the panel still works with typed instructions, and a rewrite
        # reports the same error to the writer when it needs the file.
        log.error("no quick rewrite buttons: %s", exc)
        return []


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def describe_preview(result: PromptPreview | None) -> tuple[str, str]:
    """A one-line summary and the prompt text of what the model would read."""
    if result is None:
        return "", ""
    num = i18n.format_number
    # The counts are plain names: pyside6-lupdate skips a QCoreApplication.translate whose count is an attribute
    # (result.max_tokens), so its text would never reach the .ts and stay English.
    prompt_tokens, max_tokens, trimmed = result.prompt_tokens, result.max_tokens, result.trimmed_chars
    if result.n_ctx:
        tokens = QCoreApplication.translate("AssistantPanel", "%1 prompt tokens of %2")
        tokens = tokens.replace("%1", num(prompt_tokens)).replace("%2", num(result.n_ctx))
    else:
        tokens = QCoreApplication.translate("AssistantPanel", "%Ln prompt tokens", "", prompt_tokens)
    facts: list[str] = [tokens]
    if max_tokens:
        facts.append(QCoreApplication.translate("AssistantPanel", "room to write %Ln", "", max_tokens))
    if trimmed:
        facts.append(QCoreApplication.translate(
            "AssistantPanel", "%Ln characters from the start are left out", "", trimmed))
    else:
        facts.append(QCoreApplication.translate("AssistantPanel", "nothing is left out"))
    if result.mode and result.mode != "completion":
        # The engine's name for the kind of prompt (chat).
        facts.append(QCoreApplication.translate("AssistantPanel", "%1 prompt").replace("%1", result.mode))
    if not result.fits:
        facts.insert(0, i18n.shown(result.message)
                     or QCoreApplication.translate("AssistantPanel", "It does not fit in the model's context."))
    text = result.prompt_text
    if result.trimmed_preview:
        left_out = QCoreApplication.translate("AssistantPanel", "[left out: …%1]")
        text = left_out.replace("%1", result.trimmed_preview) + f"\n\n{text}"
    return " · ".join(facts), text
