"""Per-draft slots on a real llama-server (studio/engine/remote.py, remote_slots.py): switching drafts and back does
not make the server re-read a draft (two slots, three drafts, least recently used gives its slot up), and with
``--slot-save-path`` a draft's cache is saved when its slot is given up or the engine closes and restored before
its next request, so it survives a restart of the server. "Re-read" is the server's own count
(``timings.prompt_n``, summed over the request's chunks), which the stats carry as prompt - cached tokens."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from studio.domain import Action, Finished, GenerationRequest, GenerationStats, Sampler
from studio.engine.remote import RemoteEngine

from .remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401 - fixtures

PARA = ("{name} kept the lighthouse on Gull Rock for eleven winters. Every evening {name} climbed the iron stairs to "
        "the lamp room, trimmed the wick and polished the great lens until it shone. ")


def draft(name: str, paragraphs: int = 6) -> str:
    # A nonce: nothing of these drafts is in the server's caches from an earlier test or run.
    return f"{name} {time.time_ns()}.\n\n" + "\n\n".join(PARA.format(name=name) for _ in range(paragraphs))


def cont(text: str, key: str) -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=text, draft_key=key, seed=1,
                             sampler=Sampler(temperature=0.0, max_tokens=2))


def stats_of(engine: RemoteEngine, req: GenerationRequest) -> GenerationStats:
    (final,) = [e for e in engine.stream(req, threading.Event()) if isinstance(e, Finished)]
    return final.stats


def reread(st: GenerationStats) -> int:
    return st.prompt_tokens - st.cached_tokens


def test_switching_between_three_drafts_on_two_slots_keeps_the_recent_two(llama_server_exe: Path,  # noqa: F811
                                                                         default_model_path: Path,
                                                                         tmp_path: Path) -> None:
    # --cache-ram 0: llama-server's own RAM prompt cache off, so what is measured is the slots alone (with it on,
    # the server hands part of an evicted draft back by itself: measured 184 of 244 tokens).
    server = LlamaServer(llama_server_exe, default_model_path, slots=2, n_ctx=2048, log=tmp_path / "log",
                         extra=("--cache-ram", "0"))
    try:
        check_three_drafts_on_two_slots(server.url)
    finally:
        server.stop()


def check_three_drafts_on_two_slots(url: str) -> None:
    texts = {k: draft(k) for k in ("Mara", "Tomas", "Ilse")}
    with RemoteEngine(url) as engine:
        engine.load(Path("unused"))
        assert engine.capabilities.state_save_restore and engine.facts is not None and engine.facts.slots == 2
        first = {k: stats_of(engine, cont(t, k)) for k, t in list(texts.items())[:2]}  # Mara, Tomas: slot each
        assert all(reread(st) > 100 for st in first.values()), first  # really read the first time
        mara = stats_of(engine, cont(texts["Mara"], "Mara"))  # back to Mara: the slot kept it
        assert reread(mara) <= 2, mara
        ilse = stats_of(engine, cont(texts["Ilse"], "Ilse"))  # a third draft: Tomas (least recent) gives way
        assert reread(ilse) > 100, ilse
        for key in ("Mara", "Ilse", "Mara"):
            again = stats_of(engine, cont(texts[key], key))
            assert reread(again) <= 2, (key, again)
        tomas = stats_of(engine, cont(texts["Tomas"], "Tomas"))  # its slot went to Ilse
        assert reread(tomas) > 100, tomas
        # The writer accepted a continuation and writes on: only the new words are read.
        longer = stats_of(engine, cont(texts["Tomas"] + " The fog lifted at dawn, and", "Tomas"))
        assert reread(longer) <= 12, longer


def test_a_server_without_slot_files_is_probed_as_such(llama_server: LlamaServer) -> None:  # noqa: F811
    with RemoteEngine(llama_server.url) as engine:
        engine.load(Path("unused"))
        assert engine.facts is not None and not engine.facts.slot_saving


@pytest.mark.parametrize("slots", [1, 2])
def test_a_drafts_cache_survives_a_server_restart_with_slot_files(llama_server_exe: Path,  # noqa: F811
                                                                  default_model_path: Path, tmp_path: Path,
                                                                  slots: int) -> None:
    saves = tmp_path / "slots"
    saves.mkdir()
    extra = ("--slot-save-path", str(saves))
    texts = {k: draft(k, 4) for k in ("Mara", "Tomas", "Ilse")}
    server = LlamaServer(llama_server_exe, default_model_path, slots=slots, n_ctx=2048, log=tmp_path / "log1",
                         extra=(*extra, "--cache-ram", "0"))
    try:
        with RemoteEngine(server.url) as engine:
            engine.load(Path("unused"))
            assert engine.facts is not None and engine.facts.slot_saving and engine.capabilities.state_save_restore
            for key in texts:  # three drafts on fewer slots: the first ones are saved when they give way
                assert reread(stats_of(engine, cont(texts[key], key))) > 100
            back = stats_of(engine, cont(texts["Mara"], "Mara"))  # evicted, then restored from its file
            assert reread(back) <= 2, back
        # Closing saved what the slots held; the names are hashes, never the draft keys.
        files = sorted(p.name for p in saves.iterdir())
        assert len(files) == 3 and all(n.startswith("studio-") and n.endswith(".bin") for n in files), files
        assert not any(k in n for n in files for k in texts)
    finally:
        server.stop()
    server = LlamaServer(llama_server_exe, default_model_path, slots=slots, n_ctx=2048, log=tmp_path / "log2",
                         extra=(*extra, "--cache-ram", "0"))
    try:
        with RemoteEngine(server.url) as engine:  # a new server process, a new engine: only the files remain
            engine.load(Path("unused"))
            for key in ("Tomas", "Mara", "Ilse"):
                again = stats_of(engine, cont(texts[key], key))
                assert reread(again) <= 2, (key, again)
    finally:
        server.stop()
