"""Values about model servers that cross layers: the server a writer chose, what Test found on one, and where its
API key is kept. None of them ever holds the key itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit


def server_label(url: str) -> str:
    """``host:port`` of a server address, for the status bar ("Server 127.0.0.1:8080 - model")."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = parts.hostname or url
    if ":" in host:  # an IPv6 address is written in brackets next to a port
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


@dataclass(frozen=True)
class SavedServer:
    """The server the writer connected to last, as the settings keep it (the key is in the keychain)."""

    url: str
    model: str | None = None  # None: the server's own (only) model
    verify: bool = True  # TLS certificates are checked unless the writer turned it off for this server
    in_use: bool = False  # Studio generated on it when it last closed: reconnect at start-up


class KeyPlace(Enum):
    """Where an API key is kept."""

    NONE = "none"  # no key given
    KEYCHAIN = "keychain"  # the operating system's keychain (keyring)
    SESSION = "session"  # no usable keychain: in memory until Studio closes


@dataclass(frozen=True)
class Keychain:
    """Whether the operating system's keychain can hold API keys, and its name (or why not), for the dialog."""

    usable: bool
    name: str  # the backend's name, e.g. "SecretService Keyring"
    why_not: str = ""  # when not usable: one line for the writer


@dataclass(frozen=True)
class ServerCheck:
    """What Test found on a server: how fast it answers, its models, its context size and what it supports; or
    the one readable line that says why it could not be used."""

    url: str
    ok: bool
    latency_ms: float = 0.0  # one round trip of GET /v1/models
    models: tuple[str, ...] = ()  # the ids /v1/models lists
    model: str = ""  # the model Studio would generate with
    n_ctx: int = 0
    supports: str = ""  # EngineCapabilities.describe()
    error: str = ""  # set when not ok
    unavailable: tuple[str, ...] = ()  # ServerReport.unavailable: what Studio cannot do on this server


@dataclass(frozen=True)
class ServerReport:
    """What a connected server offers Studio beyond EngineCapabilities, in the same words whichever engine talks to
    it (llama-server's native API or any OpenAI-compatible one), so the Connect dialog's Test and ``studio models
    --server`` can say what a server lacks before a request needs it (rather than failing or quietly doing less
    later)."""

    url: str
    kind: str  # "llama-server" or "OpenAI-compatible"
    model: str
    n_ctx: int  # the context Studio budgets prompts for
    n_ctx_source: str  # where that size came from ("assumed ...": the server did not say)
    tokenizer: str  # where token counts come from, or "estimate"
    rewrite: str  # how Rewrite's chat-or-completion frame was chosen
    unavailable: tuple[str, ...] = ()  # what Studio cannot do on this server, one phrase each

    def unavailable_line(self) -> str:
        """One sentence for the writer, "" when nothing is missing."""
        if not self.unavailable:
            return ""
        return "Not available on this server: " + "; ".join(self.unavailable) + "."

    def to_dict(self) -> dict[str, object]:
        return {"url": self.url, "kind": self.kind, "model": self.model, "n_ctx": self.n_ctx,
                "n_ctx_source": self.n_ctx_source, "tokenizer": self.tokenizer, "rewrite": self.rewrite,
                "unavailable": list(self.unavailable)}
