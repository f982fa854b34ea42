"""Studio's icon in every form a platform asks for, drawn from the one source, resources/icons/studio.svg, by Qt's
own SVG renderer (QSvgRenderer): no PNG, .icns or .ico is kept in the repository.

    python packaging/icons.py hicolor OUT   OUT/hicolor/<n>x<n>/apps/studio.png and scalable/apps/studio.svg (Linux)
    python packaging/icons.py icns FILE     a macOS .icns (PNG entries, as iconutil writes them)
    python packaging/icons.py ico FILE      a Windows .ico (PNG entries, read by Windows Vista and later)

The .icns and .ico are written here rather than with iconutil or Pillow so that they are made, and checked
(tests/package/test_recipes.py), on Linux too, where the macOS and Windows builds cannot run.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SVG = REPO / "resources" / "icons" / "studio.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Apple's PNG-backed icon types and their pixel sizes (the @2x types are the doubled ones).
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
              (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512))
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png(size: int, svg: Path = SVG) -> bytes:
    """The icon drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine has no display
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        png.app = QGuiApplication(sys.argv[:1])  # type: ignore[attr-defined]  # painting needs one, kept alive
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icons: {svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"icons: could not encode the {size} px icon")
    return bytes(data.data())


def hicolor(out: Path) -> list[Path]:
    written = []
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "studio.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png(size))
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / "studio.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    return [*written, scalable]


def icns(target: Path) -> Path:
    """Apple's format: b"icns", the file's length, then (type, length including its 8-byte header, PNG) entries."""
    drawn = {size: png(size) for size in {s for _t, s in ICNS_TYPES}}
    body = b"".join(kind + struct.pack(">I", len(drawn[size]) + 8) + drawn[size] for kind, size in ICNS_TYPES)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)
    return target


def ico(target: Path) -> Path:
    """ICONDIR (reserved 0, type 1, count), one 16-byte ICONDIRENTRY per size (0 stands for 256), then the PNGs."""
    drawn = [png(size) for size in ICO_SIZES]
    offset = 6 + 16 * len(drawn)
    entries = b""
    for size, data in zip(ICO_SIZES, drawn, strict=True):
        side = size if size < 256 else 0
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(struct.pack("<HHH", 0, 1, len(drawn)) + entries + b"".join(drawn))
    return target


if __name__ == "__main__":
    kinds = {"hicolor": hicolor, "icns": icns, "ico": ico}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        raise SystemExit("usage: icons.py hicolor OUT_FOLDER | icns FILE | ico FILE")
    result = kinds[sys.argv[1]](Path(sys.argv[2]))
    for path in result if isinstance(result, list) else [result]:
        print(path)
