"""Malformed models: write variants of the real default GGUF, load each in a child process through Studio's own
loader, and count crashes (signal deaths), hangs and rejections without a readable ModelLoadError."""

from __future__ import annotations

import json
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.common import PYTHON, REPO, child_env, readable_problems
from faultkit.gguf_mut import Variant, build_variants, ci_subset, parse_layout

CHILD = Path(__file__).with_name("load_child.py")
PER_FILE_TIMEOUT_S = 120.0  # a load of the real model takes ~2 s here; anything near this is a hang
CHUNK = 24  # variants on disk at once (each at most one 6.5 MB header; the rest is sparse)


@dataclass
class ModelReport:
    variants: int = 0
    crashes: int = 0  # the child died by a signal (or exited without a result) while on this file
    hangs: int = 0
    rejected: int = 0  # ModelLoadError
    readable: int = 0  # rejected with a readable message naming the file
    loaded: int = 0  # llama.cpp loaded it and generated two tokens (e.g. noise in the weights)
    other_errors: int = 0  # an exception other than ModelLoadError escaped the loader
    by_stage: dict[str, int] = field(default_factory=dict)  # where rejections happened: inspect / load
    by_family: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    results: dict[str, dict[str, object]] = field(default_factory=dict)
    control: str = ""  # outcome for the untouched model, loaded first: must be "loaded"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Child:
    """A child running ``script`` over a job list, whose stdout lines arrive on ``lines`` (None at the end)."""

    def __init__(self, jobs: list[tuple[str, str]], workdir: Path, state_dir: Path, n: int, *,
                 script: Path = CHILD, extra: dict[str, object] | None = None) -> None:
        spec = workdir / f"jobs-{n}.json"
        spec.write_text(json.dumps({"jobs": jobs, "state_dir": str(state_dir), "smoke": True, **(extra or {})}))
        self.stderr_path = workdir / f"child-{n}.err"
        self._err = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([PYTHON, str(script), str(spec)], stdout=subprocess.PIPE, stderr=self._err,
                                     text=True, cwd=str(REPO),
                                     # ggml attaches gdb to itself before abort(): slow, and noise here.
                                     env=child_env(workdir / "home", GGML_NO_BACKTRACE="1"))
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def results(self, timeout_s: float) -> Iterator[tuple[str, dict[str, object]]]:
        """(job name, result) for each job the child finishes. Afterwards ``current`` names the job it was on
        when it stopped answering (None if it finished cleanly) and ``hung`` says whether it went silent for
        ``timeout_s`` rather than ending."""
        self.current: str | None = None
        self.hung = False
        while True:
            try:
                line = self.lines.get(timeout=timeout_s)
            except queue.Empty:
                self.hung = True
                return
            if line is None or line == "DONE":
                return
            if line.startswith("BEGIN "):
                self.current = line.split(" ", 1)[1]
            elif line.startswith("RESULT "):
                _, name, payload = line.split(" ", 2)
                self.current = None
                yield name, json.loads(payload)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        self._err.close()

    def stderr_tail(self) -> str:
        """The child's last words, without the noise of a debugger ggml may have tried to attach."""
        text = self.stderr_path.read_text(errors="replace")
        keep = [ln for ln in text.splitlines()
                if ln.strip() and not ln.startswith(("warning:", "ptrace:", "No stack", "The program")) and
                "No such file or directory" not in ln]
        return "\n".join(keep)[-1500:]


def _run_chunk(files: list[tuple[Variant, Path]], workdir: Path, state_dir: Path, report: ModelReport,
               counter: list[int], progress: bool = False) -> None:
    pending = list(files)
    while pending:
        counter[0] += 1
        child = Child([(v.name, str(p)) for v, p in pending], workdir, state_dir, counter[0])
        done: set[str] = set()
        for name, result in child.results(PER_FILE_TIMEOUT_S):
            _record(report, next(v for v, _ in pending if v.name == name), result)
            done.add(name)
        child.kill()
        rc = child.proc.returncode
        current = child.current
        if current is not None:
            variant = next(v for v, _ in pending if v.name == current)
            if child.hung:
                outcome, detail = "hang", f"no answer in {PER_FILE_TIMEOUT_S:.0f} s"
            else:
                sig = -rc if rc is not None and rc < 0 else None
                name = signal.Signals(sig).name if sig else f"exit status {rc}"
                outcome, detail = "crash", f"child died with {name}: {child.stderr_tail()[-600:]}"
                if progress:
                    print(f"  crash on {current}: {name}", flush=True)
            _record(report, variant, {"outcome": outcome, "message": detail})
            done.add(current)
        elif rc not in (0, None) and not done and pending:
            report.problems.append(f"child {counter[0]} failed before any file (rc={rc}): {child.stderr_tail()}")
            for v, _ in pending:
                _record(report, v, {"outcome": "crash", "message": f"child failed to start (rc={rc})"})
            return
        pending = [(v, p) for v, p in pending if v.name not in done]


def _record(report: ModelReport, variant: Variant, result: dict[str, object]) -> None:
    outcome = str(result.get("outcome"))
    if variant.family == "control":
        report.control = outcome
        if outcome != "loaded":
            report.problems.append(f"CONTROL: the untouched model did not load: {result}")
        return
    report.variants += 1
    fam = report.by_family.setdefault(variant.family, {})
    fam[outcome] = fam.get(outcome, 0) + 1
    report.results[variant.name] = result
    if outcome == "crash":
        report.crashes += 1
        report.problems.append(f"CRASH {variant.name}: {result.get('message')}")
    elif outcome == "hang":
        report.hangs += 1
        report.problems.append(f"HANG {variant.name}: {result.get('message')}")
    elif outcome == "loaded":
        report.loaded += 1
    elif outcome == "rejected":
        report.rejected += 1
        stage = str(result.get("stage"))
        report.by_stage[stage] = report.by_stage.get(stage, 0) + 1
        issues = readable_problems(str(result.get("message", "")), must_mention=f"{variant.name}.gguf")
        if issues:
            report.problems.append(f"UNREADABLE {variant.name}: {'; '.join(issues)}: {result.get('message')!r}")
        else:
            report.readable += 1
    else:
        report.other_errors += 1
        report.problems.append(f"{outcome.upper()} {variant.name} at {result.get('stage')}: {result.get('message')}")


def run_model_variants(model: Path, workdir: Path, *, full: bool, names: list[str] | None = None,
                       progress: bool = False) -> ModelReport:
    """Write the variants (all ~345 when ``full``, else the CI subset of 41, or exactly ``names``) in chunks,
    load each in a child process, and count what happened."""
    started = time.perf_counter()
    layout = parse_layout(model)
    variants = build_variants(layout)
    if names is not None:
        variants = [v for v in variants if any(n in v.name for n in names)]
    elif not full:
        variants = ci_subset(variants)
    workdir.mkdir(parents=True, exist_ok=True)
    state_dir = workdir / "state"
    state_dir.mkdir(exist_ok=True)
    files_dir = workdir / "variants"
    report = ModelReport()
    counter = [0]
    # The untouched model goes first: it proves the harness loads good files, and it is the file the engine's
    # one-off CPU probe (hardware.extra_buffers_safe) runs on, so no damaged variant decides that verdict.
    control = Variant("control-pristine", "control", b"", layout.file_size)
    for i in range(0, len(variants), CHUNK):
        shutil.rmtree(files_dir, ignore_errors=True)
        files_dir.mkdir()
        chunk = [(v, v.write(files_dir)) for v in variants[i : i + CHUNK]]
        if i == 0:
            chunk.insert(0, (control, model))
        _run_chunk(chunk, workdir, state_dir, report, counter, progress)
        if progress:
            print(f"  models: {report.variants}/{len(variants)} done, {report.crashes} crashes "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    shutil.rmtree(files_dir, ignore_errors=True)
    report.seconds = round(time.perf_counter() - started, 1)
    (workdir / "model-report.json").write_text(json.dumps(report.as_dict(), indent=2))
    return report
