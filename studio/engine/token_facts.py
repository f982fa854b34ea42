"""Per-token facts about a loaded llama.cpp model's vocabulary, for the logits processors: the output guard's
(guard.VocabFacts, cached per machine) and line steering's (form_steer.TokenFacts). The engine builds each once
per loaded model, on first use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from studio.engine import llama_compat

log = logging.getLogger(__name__)


def guard_facts(llama: Any, model_identity: str, cache_dir: Path | None) -> Any:
    """Per-token facts for the output guard: from the per-machine cache when this model file was seen before
    (tens of milliseconds), else computed (about 2 s for Gemma's 262k tokens) and cached."""
    import llama_cpp

    from studio.engine.guard import VocabFacts, vocab_facts_for

    facts: Any = None
    t0 = time.perf_counter()
    key = hashlib.sha256(f"guard-v5|{model_identity}".encode()).hexdigest()[:32]
    cached = cache_dir / "vocab-facts" / f"{key}.npz" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            with np.load(cached) as data:
                facts = VocabFacts.from_arrays(dict(data))
        except Exception as exc:  # noqa: BLE001 - a damaged cache file is just recomputed
            log.warning("Ignoring a damaged vocabulary cache %s: %s", cached, exc)
    if facts is None:
        vocab = llama_compat.vocab(llama)
        facts = vocab_facts_for(
            lambda i: llama.detokenize([i], special=True),
            lambda i: llama_cpp.llama_vocab_get_attr(vocab, i),
            llama.n_vocab(), lambda i: bool(llama_cpp.llama_vocab_is_eog(vocab, i)))
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_name(cached.stem + f".{os.getpid()}.tmp.npz")
                np.savez(tmp, **facts.to_arrays())
                os.replace(tmp, cached)
            except OSError as exc:
                log.warning("Could not cache the vocabulary facts in %s: %s", cached.parent, exc)
    log.info("token facts for the output guard: %.2f s", time.perf_counter() - t0)
    return facts


def line_facts(llama: Any) -> Any:
    """Per-token facts for line steering (about a second for 262k tokens)."""
    import llama_cpp

    from studio.engine.form_steer import token_facts_for

    t0 = time.perf_counter()
    vocab = llama_compat.vocab(llama)
    facts = token_facts_for(lambda i: llama.detokenize([i]), llama.n_vocab(),
                            lambda i: bool(llama_cpp.llama_vocab_is_eog(vocab, i)))
    log.info("token facts for line steering: %.2f s", time.perf_counter() - t0)
    return facts
