"""Render Studio's icon (resources/icons/studio.svg) into a freedesktop hicolor tree, with Qt's own SVG renderer.

    python packaging/linux/render_icons.py OUT    ->  OUT/hicolor/<n>x<n>/apps/studio.png, OUT/hicolor/scalable/...

Used by scripts/package_deb and scripts/package_appimage at build time, so no PNG is kept in the repository: the
SVG is the one source. The sizes are those desktops ask for in menus, docks and task switchers.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
REPO = Path(__file__).resolve().parents[2]
SVG = REPO / "resources" / "icons" / "studio.svg"


def render(out: Path, svg: Path = SVG) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine has no display
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - painting needs one
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not an SVG Qt can draw")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "studio.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"render_icons: could not write {target}")
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / "studio.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    return [*written, scalable]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: render_icons.py OUT_FOLDER")
    for path in render(Path(sys.argv[1])):
        print(path)
