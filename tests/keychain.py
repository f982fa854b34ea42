"""A keyring backend for the tests: keyrings.alt's real file backend, pointed at a file under the test's tmp_path.

CI has no OS keychain (no Secret Service on a headless Linux), so the keychain tests need a real backend that keeps
what it is given. It is a subclass on purpose: Studio refuses keyrings.alt's own PlaintextKeyring (installed with
the test extra, it becomes keyring's default where no OS keychain exists, and a key in a plain file is not what a
writer was promised), and accepts a backend someone chose deliberately, as these tests do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from keyrings.alt.file import PlaintextKeyring


class TmpFileKeyring(PlaintextKeyring):
    """keyrings.alt's file backend, chosen deliberately by a test."""


@contextmanager
def tmp_file_keyring(folder: Path) -> Iterator[TmpFileKeyring]:
    before = keyring.get_keyring()
    backend = TmpFileKeyring()
    backend.file_path = str(folder / "keychain" / "keys.cfg")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
