"""One ``ServerReport`` (studio/domain/servers.py) for whichever engine talks to a server: remote.RemoteEngine
(llama-server's native API) keeps its facts in ``facts`` and ``capabilities``, openai_engine.OpenAIEngine in
``server_facts``. The words differ by engine because what is missing differs; the shape does not, so the dialog
and the CLI show one list without knowing which engine is in use.
"""

from __future__ import annotations

from studio.domain.servers import ServerReport


def report_of(engine: object) -> ServerReport | None:
    """The report of a connected server engine; None for the local engine or one not connected."""
    from studio.engine.openai_engine import OpenAIEngine  # imported here: httpx only when a server is in use
    from studio.engine.remote import RemoteEngine

    if isinstance(engine, OpenAIEngine):
        return _openai_report(engine)
    if isinstance(engine, RemoteEngine):
        return _llama_server_report(engine)
    return None


def _openai_report(engine: object) -> ServerReport | None:
    from studio.engine.openai_engine import OpenAIEngine

    assert isinstance(engine, OpenAIEngine)
    facts, server = engine.facts, engine.server_facts
    if facts is None or server is None:
        return None
    return ServerReport(url=facts.url, kind="OpenAI-compatible", model=facts.model, n_ctx=engine.capabilities.n_ctx,
                        n_ctx_source=server.n_ctx_source, tokenizer=server.tokenizer, rewrite=server.chat_source,
                        unavailable=server.unavailable)


def _llama_server_report(engine: object) -> ServerReport | None:
    from studio.engine.remote import RemoteEngine

    assert isinstance(engine, RemoteEngine)
    facts, caps, info = engine.facts, engine.capabilities, engine.info
    if facts is None:
        return None
    if caps.chat_template == bool(info and info.has_chat_template):
        rewrite = "chat template (/apply-template)" if caps.chat_template else \
            "completion frame (the model has no chat template)"
    else:
        rewrite = "chat (the writer's choice)" if caps.chat_template else "completion frame (the writer's choice)"
    # Each phrase is a capability RemoteEngine leaves off (see remote.py's docstring for why), worded for the writer.
    unavailable = [label for label, missing in (
        ("token probabilities (the server has them; Studio does not read them yet)",
         facts.logprobs and not caps.logprobs),
        ("fill-in-the-middle", not caps.fim),
        ("saved draft states (one slot and no --slot-save-path: going back to a draft re-reads it)",
         not caps.state_save_restore),
        ("alternatives in one request (one after another)", not caps.native_alternatives),
        ("the local output guard beyond special tokens (foreign-script and copy bans)", True),
    ) if missing]
    source = "/props" if caps.n_ctx == facts.n_ctx_server else f"/props ({facts.n_ctx_server:,}), cut by the settings"
    return ServerReport(url=facts.url, kind="llama-server", model=facts.model, n_ctx=caps.n_ctx,
                        n_ctx_source=source, tokenizer="/tokenize (llama.cpp)", rewrite=rewrite,
                        unavailable=tuple(unavailable))
