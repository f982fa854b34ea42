"""Child process for the malformed-model test: loads model files through Studio's own path, one after another.

For each job it prints ``BEGIN <id>`` before touching the file and ``RESULT <id> <json>`` after, flushing both,
so the parent can tell which file killed it (a crash) and start a new child after it.
The path is the app's: ``discovery.inspect_gguf``, then, when the file passes, ``LlamaEngine.load`` (which
inspects again and hands it to llama.cpp) and a two-token Continue so a file that loads but breaks the first
decode is caught too.

Run: python load_child.py JOBS.json     (JOBS: {"jobs": [[id, path], ...], "state_dir": ..., "smoke": true})
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path

# A safety net for the shared machine: a file that makes llama.cpp allocate absurd amounts fails here (and is
# reported) instead of pushing the machine into swap.
_AS_LIMIT = 8 << 30


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_AS_LIMIT, _AS_LIMIT))
    except (ValueError, OSError):
        pass
    from studio.domain import Action, Finished, GenerationRequest, LoadSettings, ModelLoadError, StudioError
    from studio.engine.discovery import inspect_gguf
    from studio.engine.llama_engine import LlamaEngine

    state_dir = Path(spec["state_dir"])
    smoke = bool(spec.get("smoke", True))
    for job_id, path in spec["jobs"]:
        print(f"BEGIN {job_id}", flush=True)
        started = time.perf_counter()
        result: dict[str, object] = {"stage": "inspect"}
        try:
            inspect_gguf(Path(path))
            result["stage"] = "load"
            engine = LlamaEngine(state_dir=state_dir)
            try:
                engine.load(Path(path), LoadSettings())
                result["stage"] = "generate"
                if smoke:
                    req = GenerationRequest(action=Action.CONTINUE, before="Once upon a time", max_tokens=2, seed=1)
                    for ev in engine.stream(req, threading.Event()):
                        if isinstance(ev, Finished):
                            result["generated"] = ev.text
            finally:
                engine.close()
            result["outcome"] = "loaded"
        except ModelLoadError as exc:
            result.update(outcome="rejected", message=str(exc))
        except StudioError as exc:
            result.update(outcome="studio-error", message=str(exc), type=type(exc).__name__)
        except MemoryError as exc:
            result.update(outcome="memory", message=str(exc), type=type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - anything else is a weakness to report
            result.update(outcome="exception", message=f"{type(exc).__name__}: {exc}", type=type(exc).__name__)
        result["seconds"] = round(time.perf_counter() - started, 3)
        print(f"RESULT {job_id} {json.dumps(result)}", flush=True)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
