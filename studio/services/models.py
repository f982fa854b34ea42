"""Getting a better model: the curated catalogue with advice on what fits this machine, any hub repo's GGUF files
with the quant to take, the download itself (studio/hub), and the licences of the models already here.

Fit advice, in the writer's terms:

* "too big": the file would not fit in this machine's memory (discovery refuses files over 90% of RAM), or not on
  its disk;
* "slow": it fits, but at an estimated speed under a reading pace, or only by pushing other programs out of memory;
* "runs well": the rest.

Speed is memory-bound on a CPU: every generated token reads all the weights once, so tokens/s scales with
1 / file size. With a measured run on this machine (the generations Studio recorded, newest first, on a model file
found here) the estimate is that speed scaled by the size ratio; without one it is an assumed memory speed per core
divided by the size, and the advice says it is a guess.
"""

from __future__ import annotations

import logging
import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from studio.domain import ModelInfo, StudioError, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.discovery import DEFAULT_MODEL_PACKAGE
from studio.engine.gguf_header import read_header
from studio.engine.machine import GpuMemory, MachineFacts, gpu_offload_supported, layers_that_fit, machine_facts
from studio.hub.catalogue import CatalogueEntry, load_catalogue
from studio.hub.client import HubClient, HubFile, check_file, check_repo
from studio.hub.download import PARTIAL_DIR, Progress, download, partial_path
from studio.hub.errors import DiskSpaceError, DownloadCancelled, HashMismatchError, HubAccessError, HubError
from studio.hub.quants import is_projector, is_split_part, quant_of, recommended_order
from studio.paths import Paths, checkout_models_dir, resources_dir
from studio.storage import Store

log = logging.getLogger(__name__)

# Below this the text comes slower than a writer reads it (~200 words a minute is ~5 tokens/s).
SLOW_TOKENS_PER_S = 5.0
# A model needs its weights plus the KV cache and compute buffers at Studio's default 8k context.
_RUN_OVERHEAD = 1.15
_RUN_EXTRA_BYTES = 400 << 20
_MAX_RAM_SHARE = 0.9  # as discovery: bigger than this is refused at load
# Without a measured run: an assumed effective memory speed per physical core (laptop DDR4/DDR5 and 2-8 cores
# land at 8-40 GB/s for llama.cpp's generation), capped for many-core machines whose memory is the limit.
_GUESS_BYTES_PER_S_PER_CORE = 6e9
_GUESS_BYTES_PER_S_MAX = 40e9
_MIN_MEASURED_TOKENS = 8


class Verdict(StrEnum):
    RUNS_WELL = "runs well"
    SLOW = "slow"
    TOO_BIG = "too big"


@dataclass(frozen=True)
class Measured:
    """This machine's speed on a model it ran: the median tokens/s of the recorded generations."""

    model_file: str
    size_bytes: int
    tokens_per_s: float
    runs: int


@dataclass(frozen=True)
class Fit:
    verdict: Verdict
    tokens_per_s: float  # estimated; 0 when too big to run
    reason: str  # one sentence: why this verdict
    measured: bool  # the estimate scales a measured run (else it is a guess from memory speed)

    @property
    def label(self) -> str:
        if self.verdict is Verdict.TOO_BIG:
            return str(self.verdict)
        # One decimal below 10, so a "slow" 4.8 never reads as the 5 tokens/s it falls short of.
        digits = 0 if self.tokens_per_s >= 10 else 1
        return f"{self.verdict} (~{self.tokens_per_s:.{digits}f} tokens/s)"


@dataclass(frozen=True)
class CatalogueChoice:
    entry: CatalogueEntry
    fit: Fit
    downloaded: bool


@dataclass(frozen=True)
class RepoFile:
    file: HubFile
    quant: str
    fit: Fit
    usable: bool  # a whole model file (not a vision projector, not one part of a split model)


@dataclass(frozen=True)
class RepoListing:
    repo: str
    files: list[RepoFile]
    recommended: str  # the file to take ("" when none fits)
    why: str


@dataclass(frozen=True)
class DownloadedModel:
    info: ModelInfo
    licence: str
    layers: int | None = None  # the GGUF header's <arch>.block_count (read by ``with_details`` only)


def assess(size_bytes: int, facts: MachineFacts, measured: Measured | None, *, on_disk: bool = False) -> Fit:
    """The fit of a model file of ``size_bytes`` on this machine (``on_disk``: already downloaded)."""
    need = int(size_bytes * _RUN_OVERHEAD) + _RUN_EXTRA_BYTES
    gb = _gb
    if facts.total_ram and size_bytes > facts.total_ram * _MAX_RAM_SHARE:
        return Fit(Verdict.TOO_BIG, 0.0, msg(QT_TRANSLATE_NOOP("messages", "needs about {need} of memory and this "
                   "machine has {total}"), need=gb(need), total=gb(facts.total_ram)), measured is not None)
    if not on_disk and facts.free_disk is not None and size_bytes > facts.free_disk:
        return Fit(Verdict.TOO_BIG, 0.0, msg(QT_TRANSLATE_NOOP("messages", "the file is {size} and the disk has {free} "
                   "free"), size=gb(size_bytes), free=gb(facts.free_disk)), measured is not None)
    if measured is not None:
        tps = measured.tokens_per_s * measured.size_bytes / max(size_bytes, 1)
        basis = msg(QT_TRANSLATE_NOOP("messages", "scaled from {tps:.0f} tokens/s measured here on {model_file}"),
                    tps=measured.tokens_per_s, model_file=measured.model_file)
    else:
        bandwidth = min(_GUESS_BYTES_PER_S_PER_CORE * max(facts.physical_cores, 1), _GUESS_BYTES_PER_S_MAX)
        tps = bandwidth / max(size_bytes, 1)
        basis = msg(QT_TRANSLATE_NOOP("messages", "guessed from its size and {cores} cores; no run measured here "
                                      "yet, use Studio once and the estimate gets real"), cores=facts.physical_cores)
    if facts.total_ram and need > facts.total_ram * _MAX_RAM_SHARE:
        return Fit(Verdict.SLOW, tps, msg(QT_TRANSLATE_NOOP("messages", "needs about {need} of memory of this "
                   "machine's {total}: it would swap"), need=gb(need), total=gb(facts.total_ram)), measured is not None)
    if facts.available_ram is not None and need > facts.available_ram:
        return Fit(Verdict.SLOW, tps, msg(QT_TRANSLATE_NOOP("messages", "needs about {need} of memory and {free} is "
                   "free now: close other programs first"), need=gb(need), free=gb(facts.available_ram)),
                   measured is not None)
    if tps < SLOW_TOKENS_PER_S:
        return Fit(Verdict.SLOW, tps, msg(QT_TRANSLATE_NOOP("messages", "about {tps:.1f} tokens/s, slower than "
                   "reading pace ({basis})"), tps=tps, basis=basis), measured is not None)
    return Fit(Verdict.RUNS_WELL, tps, msg(QT_TRANSLATE_NOOP("messages", "about {tps:.0f} tokens/s ({basis})"), tps=tps,
                                           basis=basis), measured is not None)


def offload_advice(facts: MachineFacts, size_bytes: int, layers: int | None = None) -> str:
    """One sentence on GPU offload for a model file of ``size_bytes`` with ``layers`` layers (None: not known, as
    for a file not downloaded yet, whose share that fits is given instead of a count)."""
    if not facts.gpu_offload:
        return msg(QT_TRANSLATE_NOOP("messages", "This llama.cpp runs on the CPU only (it was built without GPU "
                                     "offload), so GPU layers are not used."))
    gpu = facts.gpu
    if gpu is None:
        return msg(QT_TRANSLATE_NOOP("messages", "This llama.cpp can offload layers to a GPU, but the GPU's free "
                                     "memory cannot be measured here, so how many layers fit is not known."))
    where = msg(QT_TRANSLATE_NOOP("messages", "the {free} free on {devices}"), free=_gb(gpu.free),
                devices=_devices(gpu))
    if size_bytes <= 0:
        return msg(QT_TRANSLATE_NOOP("messages", "This llama.cpp can offload layers to a GPU: {where}."), where=where)
    if layers:
        fit = layers_that_fit(gpu.free, size_bytes, layers)
        if fit >= layers:
            return msg(QT_TRANSLATE_NOOP("messages", "All {layers} layers fit in {where} (GPU layers: all)."),
                       layers=layers, where=where)
        return msg(QT_TRANSLATE_NOOP("messages", "About {fit} of its {layers} layers fit in {where}."), fit=fit,
                   layers=layers, where=where)
    share = min(gpu.free / size_bytes, 1.0)
    if share >= 1.0:
        return msg(QT_TRANSLATE_NOOP("messages", "All its layers fit in {where}."), where=where)
    return msg(QT_TRANSLATE_NOOP("messages", "About {share:.0%} of its layers fit in {where}."), share=share,
               where=where)


def _devices(gpu: GpuMemory) -> str:
    if len(gpu.devices) == 1:
        return gpu.devices[0]
    return msg(QT_TRANSLATE_NOOP("messages", "{count} GPUs ({names})"), count=len(gpu.devices),
               names=", ".join(gpu.devices))


def parse_spec(spec: str) -> tuple[str, str] | None:
    """``OWNER/REPO:FILE.gguf`` as (repo, file); None for a catalogue name."""
    if ":" not in spec:
        return None
    repo, _, path = spec.partition(":")
    return check_repo(repo), check_file(path)


class ModelShop:
    """Use cases of the catalogue and the hub for one data folder. Safe to use from one thread at a time; the
    window runs it off the UI thread (Operations), the CLI on its main thread."""

    def __init__(self, paths: Paths, store: Store | None = None, *,
                 client_factory: Callable[[], HubClient] | None = None, catalogue_path: Path | None = None) -> None:
        self._paths = paths
        self._store = store
        self._client_factory = client_factory or HubClient
        self._catalogue_path = catalogue_path or resources_dir() / "catalogue.toml"

    @property
    def models_dir(self) -> Path:
        return self._paths.models

    @property
    def endpoint(self) -> str:
        return self._client_factory().endpoint

    # -- facts ---------------------------------------------------------------------------------------------
    def catalogue(self) -> list[CatalogueEntry]:
        return load_catalogue(self._catalogue_path)

    def machine(self) -> MachineFacts:
        return machine_facts(self.models_dir)

    @staticmethod
    def gpu_offload() -> bool:
        return gpu_offload_supported()

    def measured_speed(self) -> Measured | None:
        """The newest recorded speeds on a model file found on this machine; the default model's when it has
        runs (the brief: the speed this machine really has), else the most-run file's."""
        if self._store is None:
            return None
        try:
            with self._store.unit_of_work(readonly=True) as uow:
                records = uow.generations.list(limit=500)
        except StudioError as exc:
            log.info("no measured speed (history unreadable): %s", exc)
            return None
        speeds: dict[str, list[float]] = {}
        for r in records:
            if r.model_file and r.tokens_per_s > 0 and r.generated_tokens >= _MIN_MEASURED_TOKENS:
                speeds.setdefault(r.model_file, []).append(r.tokens_per_s)
        ranked = sorted(speeds, key=lambda f: (not _is_default_name(f), -len(speeds[f])))
        for name in ranked:
            size = self._size_of_model_file(name)
            if size:
                runs = speeds[name][:50]
                return Measured(name, size, statistics.median(runs), len(runs))
        return None

    def _size_of_model_file(self, name: str) -> int:
        folders = [self.models_dir, checkout_models_dir(), self._paths.model_cache]
        for folder in folders:
            if folder is None:
                continue
            p = Path(folder) / name
            try:
                if p.is_file():
                    return p.stat().st_size
            except OSError:
                continue
        return 0

    # -- the catalogue, fitted -----------------------------------------------------------------------------
    def catalogue_fits(self, facts: MachineFacts | None = None) -> list[CatalogueChoice]:
        facts = facts or self.machine()
        measured = self.measured_speed()
        out = []
        for e in self.catalogue():
            here = (self.models_dir / Path(e.file).name).is_file()
            out.append(CatalogueChoice(e, assess(e.size_bytes, facts, measured, on_disk=here), here))
        return out

    def repo_files(self, repo: str, facts: MachineFacts | None = None) -> RepoListing:
        """A repo's GGUF files with their fit, and the one to take: the preferred quant among those that run
        well, else among those that fit at all."""
        repo = check_repo(repo)
        files = self._client_factory().list_gguf(repo)
        facts = facts or self.machine()
        measured = self.measured_speed()
        listed = []
        for f in files:
            usable = not is_projector(f.path) and not is_split_part(f.path)
            here = (self.models_dir / f.name).is_file()
            listed.append(RepoFile(f, quant_of(f.path), assess(f.size, facts, measured, on_disk=here), usable))
        if not listed:
            return RepoListing(repo, [], "", msg(QT_TRANSLATE_NOOP(
                "messages", "{repo} has no .gguf files (it may hold the original weights only)."), repo=repo))
        candidates = [r for r in listed if r.usable]
        for verdict in (Verdict.RUNS_WELL, Verdict.SLOW):
            fitting = [r for r in candidates if r.fit.verdict is verdict]
            if fitting:
                best = min(fitting, key=lambda r: (recommended_order(r.quant), -r.file.size))
                why = msg(QT_TRANSLATE_NOOP("messages", "{file}: {reason}"), file=best.quant or best.file.name,
                          reason=best.fit.reason)
                return RepoListing(repo, listed, best.file.path, why)
        why = msg(QT_TRANSLATE_NOOP("messages", "none of its whole model files fits this machine")) if candidates \
            else msg(QT_TRANSLATE_NOOP("messages", "it holds only split or projector files, which Studio does not "
                                                   "download"))
        return RepoListing(repo, listed, "", why)

    # -- downloading ---------------------------------------------------------------------------------------
    def resolve(self, spec: str) -> tuple[str, str, CatalogueEntry | None]:
        """A catalogue NAME or ``OWNER/REPO:FILE.gguf`` as (repo, file, the catalogue entry if any)."""
        spec = spec.strip()
        parsed = parse_spec(spec)
        entries = self.catalogue()
        if parsed is None:
            for e in entries:
                if e.name.lower() == spec.lower():
                    return e.repo, e.file, e
            names = ", ".join(e.name for e in entries)
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "No model named {spec} in the catalogue."),
                                 spec=repr(spec)),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Take one of: {names}; or give "
                                                                    "OWNER/REPO:FILE.gguf."), names=names))
        repo, path = parsed
        entry = next((e for e in entries if e.repo == repo and e.file == path), None)
        return repo, path, entry

    def file_info(self, repo: str, path: str) -> HubFile:
        return self._client_factory().file_info(repo, path)

    def get(self, spec: str, *, on_info: Callable[[HubFile], None] | None = None,
            on_progress: Callable[[Progress], None] | None = None, cancel: threading.Event | None = None) -> Path:
        """Download a catalogue NAME or ``OWNER/REPO:FILE.gguf`` into the models folder and return its path."""
        repo, path, _entry = self.resolve(spec)
        client = self._client_factory()
        info = client.file_info(repo, path)
        if on_info is not None:
            on_info(info)
        self.models_dir.mkdir(parents=True, exist_ok=True)
        return download(client, info, self.models_dir, on_progress=on_progress, cancel=cancel)

    def partial_bytes(self, sha256: str) -> int:
        p = partial_path(self.models_dir, sha256)
        return p.stat().st_size if p.is_file() else 0

    # -- what is here --------------------------------------------------------------------------------------
    def licence_of(self, path: Path) -> str:
        """The licence of a model file: its catalogue entry's, else what its GGUF header says, else ""."""
        name = Path(path).name
        for e in self._catalogue_or_empty():
            if Path(e.file).name == name:
                return e.licence
        try:
            value = read_header(Path(path)).metadata.get("general.license")
        except (OSError, ValueError) as exc:
            log.debug("no licence read from %s: %s", path, exc)
            return ""
        return value.strip() if isinstance(value, str) else ""

    def with_licences(self, models: list[ModelInfo]) -> list[DownloadedModel]:
        return [DownloadedModel(m, "" if m.error else self.licence_of(Path(m.path))) for m in models]

    def with_details(self, models: list[ModelInfo]) -> list[DownloadedModel]:
        """``with_licences`` plus each file's layer count (for how many fit on a GPU), from one header read per
        file: Model settings asks this off the UI thread, a header being ~0.1 s to walk for a 262k vocabulary."""
        entries = {Path(e.file).name: e.licence for e in self._catalogue_or_empty()}
        out = []
        for m in models:
            if m.error:
                out.append(DownloadedModel(m, ""))
                continue
            try:
                md = read_header(Path(m.path)).metadata
            except (OSError, ValueError) as exc:
                log.debug("no details read from %s: %s", m.path, exc)
                md = {}
            value = md.get("general.license")
            licence = entries.get(Path(m.path).name) or (value.strip() if isinstance(value, str) else "")
            blocks = md.get(f"{m.architecture or md.get('general.architecture')}.block_count")
            layers = blocks if isinstance(blocks, int) and not isinstance(blocks, bool) and blocks > 0 else None
            out.append(DownloadedModel(m, licence, layers))
        return out

    def _catalogue_or_empty(self) -> list[CatalogueEntry]:
        try:
            return self.catalogue()
        except StudioError as exc:
            log.warning("%s", exc)
            return []


def _is_default_name(name: str) -> bool:
    try:
        import importlib

        return name == str(importlib.import_module(DEFAULT_MODEL_PACKAGE).MODEL_NAME)
    except (ImportError, AttributeError):
        return False


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.0f} MB"


__all__ = ["PARTIAL_DIR", "CatalogueChoice", "DiskSpaceError", "DownloadCancelled", "DownloadedModel", "Fit",
           "GpuMemory", "HashMismatchError", "HubAccessError", "HubError", "HubFile", "MachineFacts", "Measured",
           "ModelShop", "Progress", "RepoFile", "RepoListing", "Verdict", "assess", "offload_advice", "parse_spec"]
