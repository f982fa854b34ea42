"""Downloads against the loopback stand-in hub, through the service the window and the CLI use: whole, cancelled
and resumed with a Range from the partial's size, damaged bytes, gated and missing repos, a dropped connection,
the hub's file list with the quant to take, and a disk that fills (a real tmpfs, mounted as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.hub.client import HubClient
from studio.hub.download import PARTIAL_DIR
from studio.hub.errors import (
    DiskSpaceError,
    DownloadCancelled,
    HashMismatchError,
    HubAccessError,
    HubError,
    HubNotFoundError,
)
from studio.paths import Paths
from studio.services.models import ModelShop
from tests.hub.conftest import FILE, GATED_REPO, REPO, SPEC
from tests.hub.stand_in_hub import GOOD_TOKEN, StandInHub


def shop_for(paths: Paths) -> ModelShop:
    return ModelShop(paths)


def listed(paths: Paths) -> list[str]:
    return sorted(p.name for p in paths.models.glob("*.gguf"))


def partials(paths: Paths) -> list[Path]:
    return sorted((paths.models / PARTIAL_DIR).glob("*.part"))


def test_a_full_download_appears_among_the_models_only_when_verified(paths: Paths, hub: StandInHub,
                                                                    default_model_path: Path) -> None:
    seen: list[int] = []
    path = shop_for(paths).get(SPEC, on_progress=lambda p: seen.append(p.done))
    assert path == paths.models / FILE and listed(paths) == [FILE]
    assert path.read_bytes() == default_model_path.read_bytes()
    assert not partials(paths)
    assert seen and seen[-1] == default_model_path.stat().st_size and seen == sorted(seen)
    assert [s.range for s in hub.byte_requests()] == [None]
    # A second get of the same file is a no-op: it is there, whole and verified.
    assert shop_for(paths).get(SPEC) == path and len(hub.byte_requests()) == 1


def test_cancel_keeps_the_partial_and_the_next_get_resumes_from_its_size(paths: Paths, hub: StandInHub,
                                                                          default_model_path: Path) -> None:
    hub.bytes_per_s = 40e6
    cancel = threading.Event()

    def progress(p: object) -> None:
        if getattr(p, "done", 0) > 20_000_000:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="resumes"):
        shop_for(paths).get(SPEC, on_progress=progress, cancel=cancel)
    [part] = partials(paths)
    kept = part.stat().st_size
    assert 20_000_000 < kept < default_model_path.stat().st_size and listed(paths) == []
    hub.bytes_per_s = None
    resumed: list[int] = []
    path = shop_for(paths).get(SPEC, on_progress=lambda p: resumed.append(p.resumed_from))
    assert [s.range for s in hub.byte_requests()] == [None, f"bytes={kept}-"]
    assert resumed[0] == kept
    assert path.read_bytes() == default_model_path.read_bytes() and not partials(paths)


def test_damaged_bytes_are_refused_and_nothing_is_left(paths: Paths, hub: StandInHub) -> None:
    hub.corrupt_at = 123_456_789
    with pytest.raises(HashMismatchError, match="does not match the hub's SHA-256") as err:
        shop_for(paths).get(SPEC)
    assert err.value.exit_code == 3
    assert listed(paths) == [] and not partials(paths)


def test_a_dropped_connection_keeps_the_partial_and_says_try_again(paths: Paths, hub: StandInHub,
                                                                    default_model_path: Path) -> None:
    hub.stop_after = 30_000_000
    with pytest.raises(HubError, match="try again"):
        shop_for(paths).get(SPEC)
    [part] = partials(paths)
    assert part.stat().st_size == 30_000_000 and listed(paths) == []
    hub.stop_after = None
    assert shop_for(paths).get(SPEC).read_bytes() == default_model_path.read_bytes()
    assert hub.byte_requests()[-1].range == "bytes=30000000-"


def test_a_gated_repo_without_a_token_is_refused_with_what_to_do(paths: Paths, hub: StandInHub,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(HubAccessError, match=r"refused access .*HTTP 401.*HF_TOKEN") as err:
        shop_for(paths).get(f"{GATED_REPO}:{FILE}")
    assert err.value.exit_code == 1
    monkeypatch.setenv("HF_TOKEN", "hf_wrong")
    with pytest.raises(HubAccessError, match=r"HTTP 403.*token in HF_TOKEN has no access"):
        shop_for(paths).get(f"{GATED_REPO}:{FILE}")
    assert listed(paths) == [] and not hub.byte_requests()
    monkeypatch.setenv("HF_TOKEN", GOOD_TOKEN)
    assert shop_for(paths).get(f"{GATED_REPO}:{FILE}").name == FILE
    assert all(s.authorization == f"Bearer {GOOD_TOKEN}" for s in hub.requests[-3:])


def test_a_missing_repo_or_file_is_a_404_in_words(paths: Paths, hub: StandInHub) -> None:
    with pytest.raises(HubNotFoundError, match="no repo studio-test/nothing-here .HTTP 404"):
        shop_for(paths).get("studio-test/nothing-here:x-Q4_K_M.gguf")
    with pytest.raises(HubNotFoundError, match="no other-Q4_K_M.gguf in"):
        shop_for(paths).get(f"{REPO}:other-Q4_K_M.gguf")
    with pytest.raises(HubNotFoundError, match="not a hub repo name"):
        shop_for(paths).repo_files("not a repo")


def test_a_repo_lists_its_gguf_files_and_recommends_the_quant_that_fits(paths: Paths, hub: StandInHub,
                                                                         default_model_path: Path) -> None:
    hub.host(REPO, "mmproj-f16.gguf", default_model_path)
    listing = shop_for(paths).repo_files(REPO)
    assert [f.file.path for f in listing.files] == [FILE, "mmproj-f16.gguf"]
    assert listing.files[0].quant == "Q4_K_M" and listing.files[0].file.size == default_model_path.stat().st_size
    assert len(listing.files[0].file.sha256) == 64 and not listing.files[1].usable
    assert listing.recommended == FILE and "Q4_K_M" in listing.why


def test_the_hash_comes_from_the_hub_not_from_the_catalogue(hub: StandInHub, default_model_sha: str) -> None:
    info = HubClient().file_info(REPO, FILE)
    assert info.sha256 == default_model_sha and info.size > 200_000_000


# -- a disk that fills: a real tmpfs, which only root may mount --------------------------------------------------
@pytest.fixture
def small_disk(paths: Paths) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root, where this skip is a failure)")
    folder = paths.models
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def mount_tmpfs(folder: Path, size: str) -> None:
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True,
                       text=True)
    assert r.returncode == 0, f"could not mount a tmpfs as root: {r.stderr}"


def test_too_little_free_disk_is_refused_before_any_byte(paths: Paths, hub: StandInHub, small_disk: Path) -> None:
    mount_tmpfs(small_disk, "64m")
    with pytest.raises(DiskSpaceError, match="Not enough free disk .* needs .* MB free") as err:
        shop_for(paths).get(SPEC)
    assert err.value.exit_code == 4
    assert not hub.byte_requests() and listed(paths) == []


def test_a_disk_that_fills_during_the_download_keeps_the_partial(paths: Paths, hub: StandInHub,
                                                                  small_disk: Path, default_model_path: Path) -> None:
    mount_tmpfs(small_disk, "300m")
    filler = small_disk / "someone-elses-file.bin"

    def fill_once(p: object) -> None:
        if getattr(p, "done", 0) > 20_000_000 and not filler.exists():
            free = shutil.disk_usage(small_disk).free
            with filler.open("wb") as fh:
                fh.write(b"\0" * (free - 2_000_000))

    with pytest.raises(DiskSpaceError, match="disk filled up .* resumes") as err:
        shop_for(paths).get(SPEC, on_progress=fill_once)
    assert err.value.exit_code == 4
    [part] = partials(paths)
    kept = part.stat().st_size
    assert kept > 20_000_000 and listed(paths) == []
    filler.unlink()
    path = shop_for(paths).get(SPEC)
    assert hub.byte_requests()[-1].range == f"bytes={kept}-"
    assert path.read_bytes() == default_model_path.read_bytes()
