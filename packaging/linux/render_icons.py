"""Studio's icon as a freedesktop hicolor tree (PNG sizes and the scalable SVG), for the bundle, the .deb and the
AppImage; the drawing is packaging/icons.py's.

    python packaging/linux/render_icons.py OUT    ->  OUT/hicolor/<n>x<n>/apps/studio.png, OUT/hicolor/scalable/...
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # packaging/, which is no package

from icons import hicolor  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: render_icons.py OUT_FOLDER")
    for path in hicolor(Path(sys.argv[1])):
        print(path)
