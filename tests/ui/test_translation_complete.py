"""The Chinese translation is complete for today's code: pyside6-lupdate over studio/ (what
scripts/update_translations runs) finds no text that resources/i18n/studio_zh_CN.ts lacks, and leaves nothing in it
unfinished. A new or changed tr() text fails here until it is translated (docs/translation.md says how)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.ts_files import REAL_TS, REPO, lupdate, read_ts


def test_lupdate_over_the_code_leaves_no_missing_or_unfinished_message(tmp_path: Path) -> None:
    # The copy sits at the same depth below a folder as the real one, so lupdate writes the same relative paths.
    copy = tmp_path / "resources" / "i18n" / REAL_TS.name
    copy.parent.mkdir(parents=True)
    shutil.copy(REAL_TS, copy)
    lupdate(REPO / "studio", copy)
    before = {m.key for m in read_ts(REAL_TS)}
    after = read_ts(copy)
    missing = sorted(m.key for m in after if m.key not in before)
    unfinished = sorted(m.key for m in after if m.unfinished or not all(m.translations))
    dropped = sorted(before - {m.key for m in after})
    assert missing == [], f"texts in the code that the .ts lacks (run scripts/update_translations): {missing}"
    assert unfinished == [], f"texts not yet translated (docs/translation.md): {unfinished}"
    assert dropped == [], f"texts the code no longer has (run scripts/update_translations): {dropped}"
