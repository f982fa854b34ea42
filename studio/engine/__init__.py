"""The generation engine: model discovery and GGUF inspection, the llama.cpp session, prompt assembly.

Importing this package is cheap: llama_cpp is imported only when a model is loaded. Public entry points:
``base.Engine`` (the protocol the services use) and ``base.local_engine_factory``, ``discovery.ensure_default_model``,
``discovery.inspect_gguf``, ``discovery.discover_models``, ``llama_engine.LlamaEngine`` and ``prompts.PromptPreview``.
"""

from __future__ import annotations

__all__ = ["base", "discovery", "llama_engine", "prompts"]
