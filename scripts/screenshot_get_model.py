"""Save a picture of Model -> Get a model... with this machine's fit labels to docs/images/get-model.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_get_model.py [OUT.png]

Runs on a throwaway data folder (nothing of the writer's is read or written) and asks the hub for nothing: the
catalogue and the fit advice are local.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from studio.paths import Paths
    from studio.services.models import ModelShop
    from studio.ui.get_model_dialog import GetModelDialog
    from studio.ui.operations import Operations

    repo = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else repo / "docs/images/get-model.png"
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as home:
        ops = Operations()
        dlg = GetModelDialog(ModelShop(Paths(Path(home)).ensure()), ops)
        loop = QEventLoop()
        dlg.catalogue_shown.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        dlg.show()
        loop.exec()
        dlg.catalogue.selectRow(6)
        dlg.repo_edit.setText("lmstudio-community/Qwen2.5-7B-Instruct-GGUF")
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = dlg.grab().save(str(out), "PNG")
        dlg.close()
    print(out if ok else "could not save the picture", file=sys.stderr if not ok else sys.stdout)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
