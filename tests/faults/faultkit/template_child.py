"""Child process for the hostile chat-template test: load a GGUF whose tokenizer.chat_template is hostile, then
ask for a Rewrite (the one action that renders the model's chat template) and a context preview (which renders
it too). Prints ``BEGIN <id>`` / ``RESULT <id> <json>`` per file, like load_child.py.

Run: python template_child.py JOBS.json
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path

_AS_LIMIT = 6 << 30  # a template that tries to build a huge string fails here instead of eating the machine


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_AS_LIMIT, _AS_LIMIT))
    except (ValueError, OSError):
        pass
    from studio.domain import Action, Finished, GenerationRequest, LoadSettings, ModelLoadError, StudioError
    from studio.engine.llama_engine import LlamaEngine

    for job_id, path in spec["jobs"]:
        print(f"BEGIN {job_id}", flush=True)
        started = time.perf_counter()
        result: dict[str, object] = {"stage": "load"}
        engine = LlamaEngine(state_dir=Path(spec["state_dir"]))
        try:
            info = engine.load(Path(path), LoadSettings(n_ctx=512))
            result["has_chat_template"] = info.has_chat_template
            req = GenerationRequest(action=Action.REWRITE, before="It was late. ", selection="The cat sat on the mat.",
                                    after=" Then rain.", instruction="shorter", max_tokens=3, seed=1)
            result["stage"] = "preview"
            preview = engine.preview(req)
            result["prompt"] = preview.prompt_text[:4000]
            result["preview_message"] = getattr(preview, "message", "")
            result["stage"] = "rewrite"
            for ev in engine.stream(req, threading.Event()):
                if isinstance(ev, Finished):
                    result["generated"] = ev.text
            result["outcome"] = "rendered"
        except ModelLoadError as exc:
            result.update(outcome="refused", message=str(exc))
        except StudioError as exc:
            result.update(outcome="studio-error", message=str(exc), type=type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - a weakness to report
            result.update(outcome="exception", message=f"{type(exc).__name__}: {exc}", type=type(exc).__name__)
        finally:
            engine.close()
        result["seconds"] = round(time.perf_counter() - started, 3)
        print(f"RESULT {job_id} {json.dumps(result)}", flush=True)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
