"""Use cases around the model: which model to run, building requests from a draft, recording generations.

``ModelRunner`` is the one object that holds the engine. It is NOT thread-safe: the window gives it to its one
long-lived worker thread and talks to that thread only through queued signals (see studio/ui/worker.py); the CLI
uses it on its main thread. It knows engines only through the ``Engine`` protocol (studio/engine/base.py): which
engine runs is the factory's choice, the in-process llama.cpp one unless told otherwise.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.domain import (
    DEFAULT_SCAN_CHARS,
    MAX_LOGPROBS,
    Action,
    Draft,
    EngineCapabilities,
    Finished,
    Form,
    GenerationEvent,
    GenerationRecord,
    GenerationRequest,
    LoadSettings,
    LoreHit,
    ModelInfo,
    ModelLoadError,
    NotFoundError,
    Preset,
    PromptPreview,
    StudioError,
    StyleVariant,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.servers import ServerReport
from studio.engine import discovery
from studio.engine.base import Engine, EngineFactory, local_engine_factory
from studio.paths import Paths, checkout_models_dir
from studio.storage import Store

if TYPE_CHECKING:
    from studio.forms.poetry import CheckResult
    from studio.services.forms import Misfit, VerseFit

log = logging.getLogger(__name__)

SETTING_MODEL = "model.path"
SETTING_N_CTX = "model.n_ctx"
SETTING_THREADS = "model.threads"
SETTING_GPU_LAYERS = "model.gpu_layers"


def load_settings_from(values: dict[str, Any]) -> LoadSettings:
    def _int(key: str) -> int | None:
        v = values.get(key)
        try:
            if v is None or v in ("", 0):
                return None
            return int(v)
        except (TypeError, ValueError):
            return None

    return LoadSettings(
        n_ctx=_int(SETTING_N_CTX), n_threads=_int(SETTING_THREADS), n_gpu_layers=_int(SETTING_GPU_LAYERS) or 0
    )


@dataclass(frozen=True)
class ServerChoice:
    """A model server to generate on instead of a local model file (studio/engine/servers.py picks the engine:
    remote.py for llama-server, openai_engine.py for other OpenAI-compatible servers)."""

    url: str
    # From STUDIO_API_KEY or the keychain: never stored in the database, logged, or shown in a repr.
    api_key: str | None = field(default=None, repr=False)
    model: str | None = None  # the server's model id when it serves several
    verify: bool = True  # check the server's TLS certificate (off only for a writer's own self-signed server)
    kind: str = "auto"  # "auto" (asked: llama-server or any OpenAI-compatible), "llama-server" or "openai"
    chat: bool | None = None  # Rewrite through the chat endpoint: None decides from the server's chat template


class ModelRunner:
    """Finds, checks, loads and runs a model. One owner thread; one job at a time. With a ``server``, "loading"
    connects to it and generation happens there; the drafts stay here."""

    def __init__(self, paths: Paths, engine_factory: EngineFactory | None = None, *,
                 server: ServerChoice | None = None) -> None:
        self._paths = paths
        self.server = server
        self._engine_factory = engine_factory or (self._remote_engine if server is not None else self._local_engine)
        self._engine: Engine | None = None
        self.info: ModelInfo | None = None

    def _local_engine(self) -> Engine:
        # Paths read at load time ($STUDIO_MODEL_CACHE may change in between). cache_dir: per-machine facts (the
        # AMX probe) live beside the shared model cache, not per data folder.
        return local_engine_factory(state_dir=self._paths.state_cache, cache_dir=self._paths.model_cache)()

    def _remote_engine(self) -> Engine:
        from studio.engine.servers import remote_engine_for  # httpx only when a server is used

        assert self.server is not None
        s = self.server
        return remote_engine_for(s.url, api_key=s.api_key, model=s.model, kind=s.kind, verify=s.verify, chat=s.chat)

    # -- discovery -----------------------------------------------------------------------------------------
    def discover(self, chosen: str | Path | None = None) -> list[ModelInfo]:
        return discovery.discover_models(
            Path(chosen) if chosen else None,
            self._paths.models,
            checkout_models_dir(),
            self._paths.model_cache,
        )

    def resolve(self, chosen: str | Path | None = None) -> Path:
        """The model to load: the chosen file if any (errors if it is unusable), else the first usable one found."""
        if chosen:
            path = Path(chosen).expanduser()
            discovery.inspect_gguf(path)  # a clear ModelLoadError if missing or malformed
            return path
        for info in self.discover(None):
            if not getattr(info, "error", ""):
                return Path(info.path)
        return discovery.ensure_default_model(self._paths.model_cache)

    # -- lifecycle -----------------------------------------------------------------------------------------
    def load(self, chosen: str | Path | None, settings: LoadSettings) -> ModelInfo:
        # A server has its own model: no local file is looked for (nor the default model assembled).
        path = Path(self.server.url) if self.server is not None else self.resolve(chosen)
        self.close()
        engine = self._engine_factory()
        self.info = engine.load(path, settings)
        self._engine = engine
        log.info("model ready: %s", path)
        return self.info

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    @property
    def capabilities(self) -> EngineCapabilities:
        """What the loaded engine offers (all off while none is loaded)."""
        return self._engine.capabilities if self._engine is not None else EngineCapabilities()

    @property
    def server_report(self) -> ServerReport | None:
        """What the connected server offers and lacks, in one shape for every server engine; None when local."""
        if self.server is None or self._engine is None:
            return None
        from studio.engine.server_report import report_of

        return report_of(self._engine)

    def close(self) -> None:
        if self._engine is not None:
            try:
                self._engine.close()
            finally:
                self._engine = None
                self.info = None

    # -- work ----------------------------------------------------------------------------------------------
    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        if self._engine is None:
            raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "No model is loaded yet.")),
                                 hint=msg(QT_TRANSLATE_NOOP("messages", "Wait for the model to finish loading.")))
        return self._engine.stream(request, cancel)

    def preview(self, request: GenerationRequest) -> PromptPreview:
        if self._engine is None:
            raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "No model is loaded yet.")))
        return self._engine.preview(request)

    @property
    def model_file(self) -> str:
        return os.path.basename(str(self.info.path)) if self.info else ""


class GenerationService:
    """Turns a draft and the writer's choices into engine requests, and keeps every generation."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def default_preset(self, action: Action) -> Preset | None:
        with self._store.unit_of_work(readonly=True) as uow:
            presets = uow.presets.list(action=action)
        builtin = [p for p in presets if p.builtin]
        chosen = builtin or presets
        return chosen[0] if chosen else None

    def build_request(
        self,
        draft: Draft,
        action: Action,
        *,
        cursor: int | None = None,
        selection: tuple[int, int] | None = None,
        instruction: str = "",
        preset_id: int | None = None,
        style_id: int | None = None,
        n_alternatives: int = 1,
        seed: int | None = None,
        max_tokens: int | None = None,
        body: str | None = None,
        notes: str | None = None,
        logprobs: int = 0,
        forced_prefix: str = "",
    ) -> GenerationRequest:
        """``body``/``notes`` default to the stored draft; the window passes what the editor shows now.
        ``logprobs``: per generated token, the top ``logprobs`` alternatives with their probabilities (0: off).
        ``forced_prefix`` (Continue only): the output begins with it and the model writes on from it (the token
        view's "write on from this alternative": the proposal up to a token, then the alternative chosen)."""
        text = draft.body if body is None else body
        preset = self._preset(preset_id, draft, action)
        style = self._style(style_id if style_id is not None else draft.style_id)
        if action == Action.REWRITE:
            if not selection or selection[0] == selection[1]:
                from studio.domain import UsageError

                raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Select the passage to rewrite first.")))
            start, end = sorted(selection)
            before, sel, after = text[:start], text[start:end], text[end:]
        else:
            pos = len(text) if cursor is None else max(0, min(cursor, len(text)))
            before, sel, after = text[:pos], "", text[pos:]
        lore, depth = self._lore(draft, before + sel)
        return GenerationRequest(
            lore=lore,
            lore_depth=depth,
            action=action,
            before=before,
            after=after,
            selection=sel,
            instruction=instruction,
            notes=draft.notes if notes is None else notes,
            form=draft.form,
            style=style,
            preset=preset,
            seed=seed,
            n_alternatives=max(1, n_alternatives),
            max_tokens=max_tokens,
            draft_key=f"draft-{draft.id}",
            hold_form=hold_form_for(style) if draft.form == Form.POETRY else None,
            logprobs=max(0, min(int(logprobs), MAX_LOGPROBS)),
            forced_prefix=forced_prefix if action == Action.CONTINUE else "",
        )

    @staticmethod
    def form_check(request: GenerationRequest, text: str) -> CheckResult | None:
        """The form checker's verdict (``studio.forms.poetry.check``, rhyme-aware) on one alternative of a poem
        held to a form, so the window can mark the alternatives that fail (they are shown, not hidden); None when
        the request holds no form. What is checked is the poem as the editor would hold it with the alternative
        taken: the stanza the cursor is in (the writer's lines before it, the alternative, the rest of the stanza
        after it)."""
        if not request.hold_form:
            return None
        from studio.forms import poetry

        before = re.split(r"\n[ \t]*\n", request.before)[-1]
        after = re.split(r"\n[ \t]*\n", request.after)[0]
        poem = (before + text + after).strip()
        try:
            return poetry.check(poem, request.hold_form)
        except StudioError as exc:  # an unknown form name in an old style: nothing to mark
            log.warning("Cannot check an alternative against %r: %s", request.hold_form, exc)
            return None

    @staticmethod
    def verse_fit(request: GenerationRequest, text: str) -> VerseFit | None:
        """How an alternative of "Write a verse to this meter" keeps the verse it matches (per-line counts beside
        the original's, rhyme positions); None when the request matches no verse."""
        if request.meter is None:
            return None
        from studio.services.forms import verse_fit

        return verse_fit(request.meter, text)

    @classmethod
    def misfit(cls, request: GenerationRequest, text: str) -> Misfit | None:
        """Why an alternative does not fit the form or the verse it is held to, briefly (the first deviation and
        how many there are); None when it fits or nothing is held."""
        from studio.services.forms import misfit_of_check, misfit_of_verse

        fit = cls.verse_fit(request, text)
        if fit is not None:
            return misfit_of_verse(fit)
        result = cls.form_check(request, text)
        return misfit_of_check(result) if result is not None else None

    @classmethod
    def judge(cls, request: GenerationRequest, text: str) -> tuple[Misfit | None, VerseFit | None] | None:
        """A finished alternative's verdict for the window: (its misfit or None, its verse fit for a matched verse);
        None when nothing is held or nothing was written."""
        if not (request.hold_form or request.meter is not None) or not text.strip():
            return None
        return cls.misfit(request, text), cls.verse_fit(request, text)

    def held_form(self, style_id: int | None) -> str | None:
        """The poetry form the style ``style_id`` holds (None: none, or no such style)."""
        return hold_form_for(self._style(style_id))

    def build_match_verse_request(
        self,
        draft: Draft,
        verse: int,
        *,
        body: str | None = None,
        notes: str | None = None,
        preset_id: int | None = None,
        style_id: int | None = None,
        n_alternatives: int = 1,
        seed: int | None = None,
        max_tokens: int | None = None,
        logprobs: int = 0,
    ) -> tuple[GenerationRequest, int]:
        """"Write a verse to this meter": a Continue after verse ``verse`` (1-based) of the draft that writes a new
        verse with its line count, per-line counts and rhyme positions, held while sampling. Returns the request
        and the character index the new verse goes in at (the end of the verse matched; the engine's output
        starts with the blank line that separates them). No such verse: UsageError."""
        from dataclasses import replace

        from studio.services.forms import meter_of, require_verse

        text = draft.body if body is None else body
        matched = require_verse(text, verse)
        meter = meter_of(matched)
        # Room for the whole verse whatever the preset says: a held verse cut short by max_tokens would not fit.
        needed = 2 * sum(meter.counts) + 3 * len(meter.counts) + 8
        request = self.build_request(draft, Action.CONTINUE, cursor=matched.end, preset_id=preset_id,
                                     style_id=style_id, n_alternatives=n_alternatives, seed=seed,
                                     max_tokens=max(max_tokens or 0, needed), body=text, notes=notes,
                                     logprobs=logprobs)
        return replace(request, meter=meter, hold_form=None), matched.end

    def record(
        self,
        draft_id: int | None,
        request: GenerationRequest,
        finished: Finished,
        *,
        group_id: str,
        model_file: str,
    ) -> GenerationRecord:
        st = finished.stats
        rec = GenerationRecord(
            id=None,
            draft_id=draft_id,
            action=request.action,
            output=finished.text,
            model_file=model_file,
            preset_id=request.preset.id if request.preset else None,
            style_id=request.style.id if request.style else None,
            instruction=request.instruction,
            group_id=group_id,
            alternative_index=finished.index,
            seed=st.seed,
            prompt_tokens=st.prompt_tokens,
            cached_tokens=st.cached_tokens,
            generated_tokens=st.generated_tokens,
            ttft_s=st.ttft_s,
            tokens_per_s=st.tokens_per_s,
            stop_reason=st.stop_reason.value,
        )
        with self._store.unit_of_work() as uow:
            return uow.generations.add(rec)

    # -- the model the writer chose ------------------------------------------------------------------------
    def stored_model(self) -> tuple[str | None, LoadSettings]:
        """The model file the writer chose last (None: the default) and its load settings, in one read."""
        with self._store.unit_of_work(readonly=True) as uow:
            values = uow.settings.all()
        path = values.get(SETTING_MODEL)
        return (str(path) if path else None), load_settings_from(values)

    def remember_model(self, path: str | None, settings: LoadSettings) -> None:
        """Keep the model and its settings for the next start (only once that model has loaded)."""
        with self._store.unit_of_work() as uow:
            uow.settings.set(SETTING_MODEL, path)
            uow.settings.set(SETTING_N_CTX, settings.n_ctx or 0)
            uow.settings.set(SETTING_THREADS, settings.n_threads or 0)
            uow.settings.set(SETTING_GPU_LAYERS, settings.n_gpu_layers)

    # -- taking a generation -------------------------------------------------------------------------------
    def apply_to_draft(self, draft: Draft, action: Action, text: str, *, start: int, end: int,
                       record_id: int | None) -> Draft:
        """Put an accepted generation into a stored draft, in one transaction: the body it replaces is kept as a
        revision first, the draft is written only if nobody changed it meanwhile (ConflictError), and the record
        is marked accepted. Continue inserts at ``start`` (== ``end``); Rewrite replaces ``start:end``."""
        from studio.domain import RevisionReason

        reason = RevisionReason.BEFORE_REWRITE if action is Action.REWRITE else RevisionReason.BEFORE_CONTINUE
        with self._store.unit_of_work() as uow:
            current = uow.drafts.get(draft.id)
            uow.revisions.add(draft.id, current.body, reason)
            body = draft.body[:start] + text + draft.body[end:]
            updated = uow.drafts.update(draft.id, expected_version=draft.version, body=body)
            if record_id is not None:
                uow.generations.mark_accepted(record_id)
            return updated

    def accept(self, generation_id: int) -> GenerationRecord:
        with self._store.unit_of_work() as uow:
            return uow.generations.mark_accepted(generation_id)

    def history(self, draft_id: int, *, group_id: str | None = None) -> list[GenerationRecord]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.generations.list(draft_id=draft_id, group_id=group_id)

    @staticmethod
    def new_group_id() -> str:
        return uuid.uuid4().hex

    def _preset(self, preset_id: int | None, draft: Draft, action: Action) -> Preset | None:
        with self._store.unit_of_work(readonly=True) as uow:
            for pid in (preset_id, draft.preset_id):
                if pid is None:
                    continue
                try:
                    p = uow.presets.get(pid)
                except NotFoundError:
                    continue
                if p.action == action:
                    return p
        return self.default_preset(action)

    def _lore(self, draft: Draft, before: str) -> tuple[tuple[LoreHit, ...], int]:
        """The draft's lorebook entries the text before the cursor (or up to the selection's end) triggers, and its
        scan depth (a Continue puts the entries' note just before it: engine/lore_note.py); no entries for text
        that is no stored draft (stdin)."""
        if draft.id <= 0:
            return (), DEFAULT_SCAN_CHARS
        from studio.services.lore import triggered

        with self._store.unit_of_work(readonly=True) as uow:
            try:
                entries = uow.lore.list(draft.id)
            except NotFoundError:
                return (), DEFAULT_SCAN_CHARS
            depth = uow.lore.scan_chars(draft.id)
        return tuple(triggered(entries, before, depth)), depth

    def _style(self, style_id: int | None) -> StyleVariant | None:
        if style_id is None:
            return None
        with self._store.unit_of_work(readonly=True) as uow:
            try:
                return uow.styles.get(style_id)
            except NotFoundError:
                return None


def hold_form_for(style: StyleVariant | None) -> str | None:
    """The poetry form a style stands for (built-in keys are "poetry.<form>"), to hold generation to it."""
    from studio.forms import poetry

    if style is None:
        return None
    candidates = [style.builtin_key.split(".", 1)[-1]] if style.builtin_key else []
    candidates.append(style.name)
    for name in candidates:
        try:
            spec = poetry.get_form(name)
        except StudioError:
            continue
        if spec.name != "free-verse":
            return spec.name
    return None
