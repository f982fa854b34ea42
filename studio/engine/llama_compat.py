"""Everything Studio does to llama-cpp-python beyond its public API, in one place: private attributes read or
written, functions patched while a model loads, and workarounds for its quirks. Checked against
llama-cpp-python 0.3.36 (``llama_cpp/llama.py``, ``_internals.py``, ``llama_chat_format.py``); when upgrading,
this is the file to re-read against the new source (tests/engine covers each use on the real model).

Imported only by the llama.cpp engine and its helpers, after llama_cpp itself (never at start-up).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

from studio.domain import GenerationError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg

# ------------------------------------------------------------------------------------------- private state


def vocab(llama: Any) -> Any:
    """The model's ``llama_vocab*`` for the C vocabulary functions (``Llama`` keeps it on its private model)."""
    return llama._model.vocab


def token_text(llama: Any, token: int) -> str:
    """A token's text as the vocabulary stores it (special tokens included), for chat templates' bos/eos."""
    return str(llama._model.token_get_text(token))


def live_tokens(llama: Any) -> Any:
    """The tokens whose K/V the context holds now, in order (a numpy view)."""
    return llama.input_ids[: llama.n_tokens]


def keep_prefix(llama: Any, n: int) -> None:
    """Keep only the first ``n`` live tokens: ``eval()`` drops everything after ``n_tokens`` from the KV cache
    before it decodes."""
    llama.n_tokens = n


def cannot_cut_back(llama: Any) -> bool:
    """Recurrent and hybrid models keep a state that cannot be cut back to a prefix (reset instead)."""
    return bool(getattr(llama, "_is_recurrent", False) or getattr(llama, "_is_hybrid", False))


def adopt_restored(llama: Any, tokens: Any) -> None:
    """After ``llama_state_seq_set_data``: tell ``Llama`` which tokens the restored K/V holds. It has no logits
    for them, so ``generate()`` must decode before it samples. ``tokens``: an int32 array or a list."""
    n = len(tokens)
    llama.input_ids[:n] = tokens
    llama.n_tokens = n
    llama._requires_eval = True


def clear_kv(llama: Any) -> None:
    """Forget every live token and the KV cache itself, so the next job starts clean."""
    llama.reset()
    llama._ctx.kv_cache_clear()


# ------------------------------------------------------------------------------------------- loading


@contextlib.contextmanager
def model_params(llama_c: Any, *, use_extra_bufts: bool) -> Iterator[None]:
    """llama-cpp-python builds its model parameters from ``llama_model_default_params()`` with no way to pass
    ``use_extra_bufts``; wrap that function for the duration of one constructor call when it must be off."""
    if use_extra_bufts:
        yield
        return
    original = llama_c.llama_model_default_params

    def patched() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    llama_c.llama_model_default_params = patched
    try:
        yield
    finally:
        llama_c.llama_model_default_params = original


class DeferredChatFormatter:
    """Stands in for llama-cpp-python's Jinja2ChatFormatter while a model loads: that class compiles the GGUF's
    chat template in the constructor (an unparseable one fails the whole load) in an unguarded sandbox. Studio
    compiles and renders templates itself (chat_template.GuardedChatTemplate), so llama-cpp-python's chat
    handlers are never used."""

    def __init__(self, template: str, eos_token: str, bos_token: str, add_generation_prompt: bool = True,
                 stop_token_ids: Any = None) -> None:
        self.template = template

    def to_chat_handler(self) -> Any:
        def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "Studio renders chat templates itself; "
                                                                    "create_chat_completion is not used.")))

        return unavailable


@contextlib.contextmanager
def deferred_chat_templates() -> Iterator[None]:
    import llama_cpp.llama_chat_format as chat_format

    original = chat_format.Jinja2ChatFormatter
    # Replacing llama-cpp-python's class for the load (a class is not assignable, nor is its signature ours).
    chat_format.Jinja2ChatFormatter = DeferredChatFormatter  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        chat_format.Jinja2ChatFormatter = original  # type: ignore[misc]  # putting the class back


class LogWriter(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr while llama-cpp-python's constructor prints (it prints system info
    and the whole metadata when verbose): lines go to the debug log instead of the terminal. A Python-level swap:
    unlike llama-cpp-python's verbose=False, it never redirects the process's file descriptors."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._buf = ""

    def write(self, s: str) -> int:
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            if line.strip():
                self._logger.debug("%s", line[:2000])
        return len(s)

    def flush(self) -> None:
        if self._buf.strip():
            self._logger.debug("%s", self._buf[:2000])
        self._buf = ""


@contextlib.contextmanager
def quiet_prints() -> Iterator[None]:
    writer = LogWriter(logging.getLogger("studio.engine.llama.python"))
    with contextlib.redirect_stdout(writer), contextlib.redirect_stderr(writer):
        yield
    writer.flush()


_NOISE = ("llama_model_load_from_file_impl: failed to load model", "failed to load model")


def load_reason(exc: BaseException, problems: list[str]) -> str:
    """The most telling line llama.cpp logged (its errors say what was wrong; llama-cpp-python's exception only
    says that loading failed), else the exception."""
    useful = [p for p in problems if not any(n in p for n in _NOISE)]
    for line in useful or problems:
        text = line.split(": ", 1)[1] if ": " in line and line.split(": ", 1)[0].replace("_", "").isalnum() else line
        text = text.removeprefix("error loading model: ").strip()
        if text:
            return text.rstrip(".")
    return str(exc).strip() or type(exc).__name__


# ------------------------------------------------------------------------------------------- abort callback


def native_flag_check(llama_cpp: Any) -> Any:
    """An abort callback that needs no Python: the C library's ``strlen``. Given a two-byte buffer it returns 0
    while the first byte is 0 and 1 once it is set, and the low byte of its return register is what the caller
    reads as ``bool`` on the x86-64 and arm64 ABIs. Returns None where libc cannot be found."""
    try:
        libc = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(None)
        address = ctypes.cast(libc.strlen, ctypes.c_void_p).value
    except (OSError, AttributeError):
        return None
    if not address:
        return None
    callback = llama_cpp.ggml_abort_callback(address)
    callback.native = True
    return callback
