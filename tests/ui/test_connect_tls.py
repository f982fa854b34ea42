"""The Connect dialog on an https server: TLS is checked by default, and the dialog's box turns the check off for a
writer's own server with a self-signed certificate. A REAL https connection on 127.0.0.1 (a certificate from a CA
the test makes with trustme, in no trust store) in front of the REAL llama-server (tests/engine/tls_proxy.py), the
real window (offscreen) and its real engine thread; no local model is loaded (the server is the engine here).

Test's result also says what the server does not offer (ServerReport), so nothing fails later for want of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from PySide6.QtCore import Qt

from tests.engine.remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401
from tests.engine.tls_proxy import TlsProxy, local_ca, tls_front  # noqa: F401
from tests.keychain import TmpFileKeyring, tmp_file_keyring

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[TmpFileKeyring]:
    with tmp_file_keyring(tmp_path) as backend:
        yield backend


@pytest.fixture(scope="module")
def https_server(llama_server: LlamaServer, local_ca: trustme.CA) -> Iterator[TlsProxy]:  # noqa: F811
    yield from tls_front(llama_server.port, local_ca)


def run_test(qtbot: Any, dlg: Any) -> Any:
    dlg.last_check = None
    qtbot.mouseClick(dlg.test_button, LEFT)
    qtbot.waitUntil(lambda: dlg.last_check is not None and dlg.test_button.isEnabled(), timeout=60_000)
    return dlg.last_check


def test_an_unverifiable_certificate_is_one_line_and_the_box_off_connects(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, https_server: TlsProxy) -> None:
    win = make_window(runner_factory=services.new_window_runner, load_model=False, wait_model=False)
    dlg = win.model.open_connect()
    assert dlg.verify.isChecked(), "checked unless the writer turns it off"
    dlg.url.setText(https_server.url)

    check = run_test(qtbot, dlg)
    shown = dlg.result_line.text()
    assert not check.ok and shown == check.error, shown
    assert "\n" not in shown and https_server.url in shown and "could not be verified" in shown, shown
    assert not any(word in shown for word in ("Traceback", "SSL", "Error", "_ssl.c")), shown

    qtbot.mouseClick(dlg.verify, LEFT)  # the writer's own server: the box off
    assert not dlg.verify.isChecked()
    check = run_test(qtbot, dlg)
    shown = dlg.result_line.text()
    assert check.ok and check.n_ctx > 0 and " ms" in shown, shown
    assert "fill-in-the-middle" in check.unavailable
    assert "Not available on this server: " + "; ".join(check.unavailable) + "." in shown, shown

    qtbot.mouseClick(dlg.connect_button, LEFT)
    qtbot.waitUntil(lambda: win.model.server is not None and win.model.connect_dialog.current is None, timeout=60_000)
    assert win.model.server.url == https_server.url and win.model.server.verify is False
    qtbot.waitUntil(lambda: services.servers.saved() is not None, timeout=10_000)
    assert services.servers.saved().verify is False, "remembered with the check off, for this server only"
    assert dialogs.shown == []
