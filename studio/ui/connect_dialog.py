"""Model -> Connect to a server...: the address, an optional API key, the server's model, whether to check TLS, and
a Test that shows how fast the server answers, its context size and what it supports.

Test and the model list run off the UI thread (operations.py) and are answered with one readable line, never a
traceback. Connect does not connect here: it asks (``connect_requested``), the model controller loads the server
engine on the engine thread as it loads a model, and tells the dialog how that went (``connect_failed``, or it
closes the dialog). The key typed here goes to the keychain only once the connection worked.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studio.domain.servers import Keychain, SavedServer, ServerCheck
from studio.services.generation import ServerChoice
from studio.services.servers import ServerService
from studio.ui import widgets
from studio.ui.i18n import format_number, shown
from studio.ui.operations import Operations

log = logging.getLogger(__name__)

LIST_DELAY_MS = 600  # after the last keystroke in the address, the server's models are listed


class ConnectDialog(QDialog):
    connect_requested = Signal(object)  # ServerChoice (with the key typed here)
    forgotten = Signal()  # the saved server and its key were forgotten

    def __init__(self, servers: ServerService, operations: Operations, saved: SavedServer | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to a server"))
        self.resize(560, 0)
        self._servers = servers
        self._ops = operations
        self._saved = saved
        self.last_check: ServerCheck | None = None
        self.keychain: Keychain | None = None
        lay = QVBoxLayout(self)

        self.privacy = QLabel(self.tr(
            "Your drafts and Studio's database stay on this computer. Only the text sent for generation (the part "
            "of the draft, the notes and the style the model reads) goes to the server."))
        self.privacy.setWordWrap(True)
        lay.addWidget(self.privacy)

        form = QFormLayout()
        self.url = QLineEdit(saved.url if saved else "")
        self.url.setPlaceholderText("http://127.0.0.1:8080")
        self.url.setAccessibleName(self.tr("Server address"))
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("none"))
        self.api_key.setAccessibleName(self.tr("API key"))
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setAccessibleName(self.tr("Model"))
        line = self.model.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("the server's model"))
        if saved and saved.model:
            self.model.setEditText(saved.model)
        self.verify = QCheckBox(self.tr("Check the server's TLS &certificate (https)"))
        self.verify.setChecked(saved.verify if saved else True)
        self.verify.setToolTip(self.tr("Turn off only for your own server with a self-signed certificate."))
        form.addRow(self.tr("&Address"), self.url)
        form.addRow(self.tr("API &key"), self.api_key)
        form.addRow(self.tr("&Model"), self.model)
        form.addRow("", self.verify)
        lay.addLayout(form)

        self.keychain_label = QLabel("")
        self.keychain_label.setWordWrap(True)
        lay.addWidget(self.keychain_label)

        self.test_button = widgets.push_button(self.tr("&Test"), self.test)
        self.forget_button = widgets.push_button(self.tr("&Forget this server"), self.forget)
        self.forget_button.setEnabled(saved is not None)
        lay.addLayout(widgets.row(self.test_button, widgets.STRETCH, self.forget_button))
        self.result_line = QLabel("")
        self.result_line.setWordWrap(True)
        self.result_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_line.setAccessibleName(self.tr("Test result"))
        lay.addWidget(self.result_line)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(self.tr("&Connect"))
        self.buttons.accepted.connect(self.request_connect)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self._list_timer = widgets.single_shot_timer(self, LIST_DELAY_MS, self.list_models)
        self.url.textEdited.connect(self._on_url_edited)
        self.finished.connect(self._on_finished)
        self._read_keychain()

    # -- what the writer typed -----------------------------------------------------------------------------
    def choice(self) -> ServerChoice:
        return ServerChoice(url=self.url.text().strip(), api_key=self.api_key.text() or None,
                            model=self.model.currentText().strip() or None, verify=self.verify.isChecked())

    def _choice_with_address(self) -> ServerChoice | None:
        """What the writer typed, or None (and a word on what is missing) where there is no address to try."""
        c = self.choice()
        if c.url:
            return c
        self._say(self.tr("Type the server's address first, for example http://127.0.0.1:8080."), error=True)
        return None

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_line.setText(text)
        self.result_line.setProperty("error", error)
        self.result_line.setStyleSheet("color: #b3261e;" if error else "")

    # -- the keychain (it may take a moment to answer, so off the UI thread) -------------------------------
    def _read_keychain(self) -> None:
        servers, url = self._servers, self._saved.url if self._saved else None

        def read() -> tuple[Keychain, str | None]:
            return servers.keychain(), servers.api_key(url) if url else None

        self._ops.run_in_background(read, self._on_keychain_read, key="connect-keychain",
                                    title=self.tr("The keychain could not be read"))

    def _on_keychain_read(self, result: tuple[Keychain, str | None]) -> None:
        keychain, key = result
        self.keychain = keychain
        if keychain.usable:
            self.keychain_label.setText(self.tr("An API key is kept in the keychain ({name}), never in Studio's "
                                                "files.").format(name=keychain.name))
        else:
            self.keychain_label.setText(self.tr("{why} An API key is kept for this session only: type it again "
                                                "after Studio restarts.").format(why=shown(keychain.why_not)))
        if key and not self.api_key.text():
            self.api_key.setText(key)

    # -- listing and testing -------------------------------------------------------------------------------
    @Slot(str)
    def _on_url_edited(self, _text: str) -> None:
        self._list_timer.start()

    @Slot()
    def list_models(self) -> None:
        """Fill the model list from the server's /v1/models (quietly: a failure shows in the result line)."""
        c = self.choice()
        if not c.url:
            return
        servers = self._servers
        self._ops.run_in_background(lambda: servers.list_models(c.url, api_key=c.api_key, verify=c.verify),
                                    self._on_listed, key="connect-list", title=self.tr("Listing models failed"))

    def _on_listed(self, check: ServerCheck) -> None:
        if check.ok:
            self._fill_models(check.models)
            self._say(widgets.arg(self.tr("The server answered in %1 ms and lists %n model(s). Test shows what it "
                                          "supports.", "", len(check.models)), format_number(round(check.latency_ms))))
        else:
            self._say(shown(check.error), error=True)

    @Slot()
    def test(self) -> None:
        """Connect as generating would, off the UI thread: latency, context size, what the server supports."""
        c = self._choice_with_address()
        if c is None:
            return
        self._ops.drop("connect-list")  # the test lists the models too
        self.test_button.setEnabled(False)
        self._say(self.tr("Testing {url}…").format(url=c.url))
        servers = self._servers
        self._ops.run_in_background(
            lambda: servers.test_connection(c.url, api_key=c.api_key, model=c.model, verify=c.verify),
            self._on_tested, key="connect-test", title=self.tr("The test failed"),
            on_failed=lambda _exc: self.test_button.setEnabled(True))

    def _on_tested(self, check: ServerCheck) -> None:
        self.last_check = check
        self.test_button.setEnabled(True)
        self._fill_models(check.models)
        if check.ok:
            said = widgets.arg(self.tr("%1: answered in %2 ms; %3."), check.model,
                               format_number(round(check.latency_ms)), shown(check.supports))
            if check.unavailable:
                said += " " + self.tr("Not available on this server: {what}.").format(
                    what="; ".join(shown(u) for u in check.unavailable))
            self._say(said)
        else:
            self._say(shown(check.error), error=True)

    def _fill_models(self, models: tuple[str, ...]) -> None:
        typed = self.model.currentText()
        self.model.clear()
        self.model.addItems(list(models))
        if typed or len(models) != 1:
            self.model.setEditText(typed)

    # -- connecting ----------------------------------------------------------------------------------------
    @Slot()
    def request_connect(self) -> None:
        c = self._choice_with_address()
        if c is None:
            return
        self.connect_button.setEnabled(False)
        self._say(self.tr("Connecting to {url}…").format(url=c.url))
        self.connect_requested.emit(c)

    def connect_failed(self, message: str) -> None:
        """The connection did not work: say why; the engine in use stays."""
        self.connect_button.setEnabled(True)
        self._say(message, error=True)

    @Slot()
    def forget(self) -> None:
        servers = self._servers
        self._ops.run_in_background(servers.forget, lambda _r: self._on_forgotten(), key="connect-forget",
                                    title=self.tr("The server could not be forgotten"))

    def _on_forgotten(self) -> None:
        self._saved = None
        self.forget_button.setEnabled(False)
        self.api_key.clear()
        self._say(self.tr("Studio forgot this server and its key."))
        self.forgotten.emit()

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self._list_timer.stop()
        for key in ("connect-keychain", "connect-list", "connect-test", "connect-forget"):
            self._ops.drop(key)  # results still to come have no dialog to land in
