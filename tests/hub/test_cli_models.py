"""`studio models get|catalog|files` and `studio models` in real processes against the stand-in hub, including a
download killed with SIGKILL part way and resumed (the second request starts from the partial's size)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studio.hub.download import PARTIAL_DIR
from tests.hub.conftest import FILE, GATED_REPO, REPO, SPEC, studio_env
from tests.hub.stand_in_hub import StandInHub


def studio(args: list[str], home: Path, hub: StandInHub, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", *args], env=studio_env(home, hub), capture_output=True,
                          text=True, timeout=timeout)


def one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("studio: error:")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_get_downloads_shows_progress_and_the_model_is_listed_with_quant_and_licence(
        studio_home: Path, hub: StandInHub, default_model_path: Path) -> None:
    p = studio(["models", "get", SPEC], studio_home, hub)
    assert p.returncode == 0, p.stderr
    path = Path(p.stdout.strip())
    assert path == studio_home / "models" / FILE and path.stat().st_size == default_model_path.stat().st_size
    assert "Downloading studio-test/gemma-3-270m-GGUF" in p.stderr and "100.0%" in p.stderr
    listing = json.loads(studio(["models", "--json"], studio_home, hub).stdout)
    mine = [m for m in listing if m["source"] == "data"]
    assert [Path(m["path"]).name for m in mine] == [FILE]
    assert mine[0]["quantization"] == "Q4_K_M" and mine[0]["licence"] == "gemma"  # from the GGUF's metadata
    table = studio(["models"], studio_home, hub).stdout
    assert "LICENCE" in table.splitlines()[0] and "gemma" in table.splitlines()[1]


def test_a_download_killed_with_sigkill_resumes_from_the_partial_size(studio_home: Path, hub: StandInHub,
                                                                       default_model_path: Path) -> None:
    hub.bytes_per_s = 25e6
    proc = subprocess.Popen([sys.executable, "-m", "studio", "models", "get", SPEC], env=studio_env(studio_home, hub),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    partial_dir = studio_home / "models" / PARTIAL_DIR
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            parts = list(partial_dir.glob("*.part"))
            if parts and parts[0].stat().st_size > 40_000_000:
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        else:
            raise AssertionError("the download never got 40 MB in")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    [part] = partial_dir.glob("*.part")
    kept = part.stat().st_size
    assert 40_000_000 < kept < default_model_path.stat().st_size
    assert not list((studio_home / "models").glob("*.gguf")), "nothing half-written among the models"
    hub.bytes_per_s = None
    p = studio(["models", "get", SPEC], studio_home, hub)
    assert p.returncode == 0, p.stderr
    ranges = [s.range for s in hub.byte_requests()]
    assert ranges == [None, f"bytes={kept}-"], ranges
    assert "resumed at" in p.stderr
    assert Path(p.stdout.strip()).read_bytes() == default_model_path.read_bytes()
    assert not list(partial_dir.glob("*.part"))


def test_damaged_bytes_exit_3_and_nothing_is_listed(studio_home: Path, hub: StandInHub) -> None:
    hub.corrupt_at = 1000
    p = studio(["models", "get", SPEC], studio_home, hub)
    assert p.returncode == 3, p.stderr
    assert "does not match the hub's SHA-256" in one_error_line(p.stderr)
    listing = json.loads(studio(["models", "--json"], studio_home, hub).stdout)
    assert [m["source"] for m in listing] == ["embedded"]
    assert not list((studio_home / "models" / PARTIAL_DIR).glob("*.part"))


def test_refused_access_and_missing_files_exit_1_with_one_line(studio_home: Path, hub: StandInHub) -> None:
    p = studio(["models", "get", f"{GATED_REPO}:{FILE}"], studio_home, hub)
    assert p.returncode == 1 and "HTTP 401" in one_error_line(p.stderr) and "HF_TOKEN" in p.stderr
    p = studio(["models", "get", f"{REPO}:missing-Q4_K_M.gguf"], studio_home, hub)
    assert p.returncode == 1 and "HTTP 404" in one_error_line(p.stderr)
    p = studio(["models", "get", "no-such-model"], studio_home, hub)
    assert p.returncode == 2 and "qwen2.5-7b" in one_error_line(p.stderr)


def test_a_network_failure_exits_1_and_keeps_the_partial(studio_home: Path, hub: StandInHub) -> None:
    hub.stop_after = 10_000_000
    p = studio(["models", "get", SPEC], studio_home, hub)
    assert p.returncode == 1 and "try again" in one_error_line(p.stderr)
    [part] = (studio_home / "models" / PARTIAL_DIR).glob("*.part")
    assert part.stat().st_size == 10_000_000


def test_catalog_json_has_repo_file_size_and_a_fit_verdict(studio_home: Path, hub: StandInHub) -> None:
    p = studio(["models", "catalog", "--json"], studio_home, hub)
    assert p.returncode == 0, p.stderr
    entries = json.loads(p.stdout)
    assert len(entries) >= 8
    for e in entries:
        assert e["repo"] and e["file"].endswith(".gguf") and e["size_bytes"] > 0 and e["licence"]
        assert e["fit"]["verdict"] in ("runs well", "slow", "too big") and e["fit"]["reason"]
    text = studio(["models", "catalog"], studio_home, hub)
    assert "FIT" in text.stdout and "This machine:" in text.stderr and "GPU" in text.stderr


def test_files_lists_a_repo_and_recommends_a_quant(studio_home: Path, hub: StandInHub) -> None:
    p = studio(["models", "files", REPO, "--json"], studio_home, hub)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["recommended"] == FILE and data["files"][0]["quant"] == "Q4_K_M"
