"""Rendering a model's chat template: untrusted code from the GGUF file, run in a guarded Jinja sandbox.

llama-cpp-python renders ``tokenizer.chat_template`` in Jinja2's ``ImmutableSandboxedEnvironment``, which stops
attribute tricks and file access (CVE-2024-34359) but not a template that loops for hours or builds a 16 GB
string. Studio renders with the same sandbox settings (trim/lstrip blocks, loop controls, the ``generation`` tag,
``tojson``, ``raise_exception``, ``strftime_now``) plus limits:

* arithmetic that would build huge strings or numbers (``'x' * 2**34``, ``9 ** 9 ** 9``) raises SecurityError,
* any call or filter given an integer argument above a million (``'x'.ljust(10**10)``, ``|center(10**10)``)
  raises SecurityError,
* rendering stops after ``DEADLINE_S`` seconds of template code or ``MEMORY_GROWTH`` bytes of new peak memory
  (checked on every line of the compiled template, so a nested loop cannot run on),
* the rendered prompt may be at most ``MAX_OUTPUT`` characters.

A template that fails to compile or to render a sample conversation at load time is not used: Rewrite then
takes the base-model path and Continue is unaffected.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

DEADLINE_S = 2.0
MEMORY_GROWTH = 512 << 20
MAX_OUTPUT = 4_000_000
MAX_INT_ARG = 1_000_000
MAX_SEQUENCE = 1_000_000  # characters or items an operator may produce


class ChatTemplateError(Exception):
    """The template could not be compiled or rendered safely; the message says why."""


def _peak_rss() -> int:
    try:
        import resource
    except ImportError:  # Windows: no cheap peak-memory reading; the other limits still apply
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _check_ints(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    from jinja2.exceptions import SecurityError

    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARG:
            raise SecurityError(f"the template passed the number {value} (limit {MAX_INT_ARG:,})")


def _guard_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # keeps jinja_pass_arg, which tells Jinja what to pass first
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _check_ints(args, kwargs)
        return fn(*args, **kwargs)

    return wrapper


def _make_environment() -> Any:
    import jinja2
    import jinja2.ext
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class IgnoreGenerationTags(jinja2.ext.Extension):
        """Pass-through for HuggingFace's ``{% generation %}`` tag (as llama-cpp-python does)."""

        tags = {"generation"}

        def parse(self, parser: Any) -> Any:
            parser.stream.skip(1)
            return parser.parse_statements(("name:endgeneration",), drop_needle=True)

    class GuardedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                if isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(right) > 256 \
                        and abs(left) > 1:
                    raise SecurityError("the template computes an enormous power")
            elif operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                        raise SecurityError("the template builds an enormous string or list")
            elif operator == "+":
                if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                        and len(left) + len(right) > MAX_SEQUENCE:
                    raise SecurityError("the template builds an enormous string or list")
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _check_ints(args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    env = GuardedSandbox(loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True,
                         extensions=[IgnoreGenerationTags, jinja2.ext.loopcontrols])

    def tojson(x: Any, ensure_ascii: bool = False, indent: int | None = None, separators: Any = None,
               sort_keys: bool = False) -> str:
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env.filters["tojson"] = tojson
    env.filters = {name: _guard_filter(fn) for name, fn in env.filters.items()}
    return env


def _run_guarded(fn: Callable[[], str]) -> str:
    """Run ``fn`` (a template render) with a deadline and a memory ceiling enforced from inside the template's
    own compiled code: Jinja compiles templates to Python whose frames are named ``<template>``, and a line
    tracer on those frames only costs anything while a template runs."""
    deadline = time.monotonic() + DEADLINE_S
    rss_limit = _peak_rss() + MEMORY_GROWTH

    def on_line(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise ChatTemplateError(f"the chat template ran for more than {DEADLINE_S:g} s")
        if rss_limit > MEMORY_GROWTH and _peak_rss() > rss_limit:
            raise ChatTemplateError("the chat template used too much memory")
        return on_line

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        return on_line if frame.f_code.co_filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        return fn()
    finally:
        sys.settrace(previous)


class GuardedChatTemplate:
    """A compiled chat template; ``render(messages)`` returns the prompt text. Raises ChatTemplateError."""

    def __init__(self, template: str, *, bos_token: str, eos_token: str) -> None:
        try:
            self._template = _make_environment().from_string(template)
        except Exception as exc:  # noqa: BLE001 - TemplateSyntaxError and friends
            raise ChatTemplateError(f"the chat template cannot be read ({type(exc).__name__}: {exc})") from exc
        self._bos = bos_token
        self._eos = eos_token
        self.source = template

    def render(self, messages: list[dict[str, str]], *, thinking: bool = False) -> str:
        """The prompt for ``messages``. Without ``thinking`` (Studio never asks a model to think), the template
        renders with ``enable_thinking`` false (Qwen3's variable; others ignore it) and the system message says
        "/no_think" where the template honours it (reasoning.thinking_off)."""
        from studio.engine.reasoning import thinking_off

        if not thinking:
            messages = thinking_off(messages, self.source)

        def raise_exception(message: str) -> None:
            raise ChatTemplateError(f"the chat template refused: {message}")

        def strftime_now(fmt: str) -> str:
            return datetime.now().strftime(str(fmt)[:100])

        try:
            text = _run_guarded(lambda: self._template.render(
                messages=messages, bos_token=self._bos, eos_token=self._eos, add_generation_prompt=True,
                raise_exception=raise_exception, strftime_now=strftime_now, tools=None, functions=None,
                function_call=None, tool_choice=None, enable_thinking=thinking))
        except ChatTemplateError:
            raise
        except MemoryError as exc:
            raise ChatTemplateError("the chat template used too much memory") from exc
        except RecursionError as exc:
            raise ChatTemplateError("the chat template recursed too deeply") from exc
        except Exception as exc:  # noqa: BLE001 - SecurityError, UndefinedError, TypeError...
            raise ChatTemplateError(f"the chat template failed ({type(exc).__name__}: {exc})") from exc
        if len(text) > MAX_OUTPUT:
            raise ChatTemplateError("the chat template produced an enormous prompt")
        return text

    def check(self) -> None:
        """Render a sample conversation, as the engine does at load: a template that cannot is not used."""
        sample = [{"role": "user", "content": "Rewrite this sentence so that it is shorter: The cat sat on the mat."}]
        if not self.render(sample).strip():
            raise ChatTemplateError("the chat template renders nothing")
