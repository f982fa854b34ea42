"""Fixtures for driving the real window: services on the test's own data folder, a window factory (fake or real
runner), and a recorder that stands in for modal message boxes and file dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from studio.ui.qtcompat import protect_singletons  # noqa: E402
from tests.ui.fakes import FakeRunner  # noqa: E402

# The whole UI session makes millions of calls into the bindings; see studio/ui/qtcompat.py.
protect_singletons()


@dataclass
class Dialogs:
    """What the window tried to show modally. Answers can be queued per kind ("question": Yes/No)."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answers: dict[str, list[Any]] = field(default_factory=dict)

    def titles(self) -> list[str]:
        return [t for _, t, _ in self.shown]

    def texts(self) -> list[str]:
        return [x for _, _, x in self.shown]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    rec = Dialogs()

    def make(kind: str, default: Any) -> Callable[..., Any]:
        def show(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            rec.shown.append((kind, title, text))
            queue = rec.answers.get(kind)
            return queue.pop(0) if queue else default

        return show

    ok = QMessageBox.StandardButton.Ok
    monkeypatch.setattr(QMessageBox, "warning", make("warning", ok))
    monkeypatch.setattr(QMessageBox, "critical", make("critical", ok))
    monkeypatch.setattr(QMessageBox, "information", make("information", ok))
    monkeypatch.setattr(QMessageBox, "question", make("question", QMessageBox.StandardButton.Yes))
    return rec


@pytest.fixture
def make_window(qtbot, services, dialogs) -> Iterator[Callable[..., Any]]:
    """Build MainWindow over ``services``; fake runner unless ``runner_factory`` is given. Closed at teardown."""
    from studio.ui.main_window import MainWindow

    made: list[Any] = []

    def build(*, runner: Any = None, runner_factory: Any = None, svc: Any = None, wait_model: bool = True,
              **kwargs: Any) -> Any:
        if runner_factory is None:
            fake = runner if runner is not None else FakeRunner()
            runner_factory = lambda: fake  # noqa: E731
        win = MainWindow(svc or services, runner_factory=runner_factory, **kwargs)
        made.append(win)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        if wait_model:
            qtbot.waitUntil(lambda: win.model_info is not None, timeout=60_000)
        return win

    yield build
    for win in made:
        win.shutdown()
