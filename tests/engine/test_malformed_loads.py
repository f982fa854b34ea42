"""Loading malformed model files through LlamaEngine, in a child process: a crash (abort, segfault) would kill
the child, not the test run, and shows up as a failure here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .ggufs import malformed_files, tiny_gguf

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from pathlib import Path
from studio.domain import ModelLoadError
from studio.engine.llama_engine import LlamaEngine
results = {}
for name, path in json.loads(sys.argv[1]).items():
    engine = LlamaEngine(cache_dir=Path(sys.argv[2]))
    try:
        engine.load(Path(path))
        results[name] = {"outcome": "loaded"}
    except ModelLoadError as exc:
        results[name] = {"outcome": "refused", "message": str(exc)}
    except BaseException as exc:
        results[name] = {"outcome": "other", "message": f"{type(exc).__name__}: {exc}"}
    finally:
        engine.close()
print("RESULTS " + json.dumps(results))
"""


def test_malformed_files_fail_to_load_readably_without_crashing(default_model_path: Path, tmp_path: Path,
                                                                  model_cache: Path) -> None:
    cases = malformed_files(tmp_path, default_model_path)
    # Passes every header check but lacks what llama.cpp needs: the message must carry llama.cpp's own reason.
    cases["llama-cpp-refuses"] = (tiny_gguf(tmp_path / "no-hparams.gguf"), "key not found in model")
    jobs = {name: str(path) for name, (path, _) in cases.items()}
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(jobs), str(model_cache)], capture_output=True,
                          text=True, cwd=REPO, timeout=240)
    assert proc.returncode == 0, f"the child died (exit {proc.returncode}): {proc.stderr[-2000:]}"
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULTS "))
    results = json.loads(line[len("RESULTS "):])
    for name, (path, phrase) in cases.items():
        r = results[name]
        assert r["outcome"] == "refused", (name, r)
        assert path.name in r["message"] and phrase in r["message"], (name, r["message"])
