"""The shared file helpers on real files: the hash the hub and the model cache compare, and the folder sync."""

from __future__ import annotations

import hashlib
from pathlib import Path

from studio.domain.files import BLOCK, feed_file, fsync_dir, sha256_of


def test_sha256_of_a_file_longer_than_one_block(tmp_path: Path) -> None:
    data = ("草稿 draft\n".encode() * (BLOCK // 7))[: 2 * BLOCK + 123]
    path = tmp_path / "模型.gguf"
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert sha256_of(empty) == hashlib.sha256(b"").hexdigest()


def test_feed_file_goes_on_from_what_the_digest_already_holds(tmp_path: Path) -> None:
    part = tmp_path / "half.part"
    part.write_bytes(b"first half|")
    digest = hashlib.sha256()
    feed_file(digest, part)
    digest.update(b"second half")
    assert digest.hexdigest() == hashlib.sha256(b"first half|second half").hexdigest()


def test_fsync_dir_syncs_a_folder_and_lets_a_missing_one_be(tmp_path: Path) -> None:
    fsync_dir(tmp_path)
    fsync_dir(tmp_path / "gone")  # best effort: nothing raised, nothing created
    assert not (tmp_path / "gone").exists()
