"""TLS to a model server, verified by default: a REAL https connection on 127.0.0.1 (a certificate for 127.0.0.1
from a CA the test makes with ``trustme``, which no trust store holds, as a writer's self-signed server) in front of
the REAL llama-server (tests/engine/tls_proxy.py: the built llama-server has no TLS of its own). With the check
on, connecting is one readable line saying the certificate could not be verified (no traceback, no class names,
exit 3 in the CLI); with it off (``--no-verify-tls``, the Connect dialog's box: tests/ui/test_connect_tls.py)
everything works through the same https address.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from studio.domain import LoadSettings, ModelLoadError
from studio.engine.servers import remote_engine_for

from .remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401 - fixtures
from .test_remote_cli import STORY, studio
from .tls_proxy import TlsProxy, local_ca, tls_front  # noqa: F401 - fixtures

CLASS_NAMES = ("Traceback", "SSLError", "SSLCertVerificationError", "ConnectError", "CERTIFICATE_VERIFY_FAILED",
               "_ssl.c")


@pytest.fixture(scope="module")
def https_server(llama_server: LlamaServer, local_ca: trustme.CA) -> Iterator[TlsProxy]:  # noqa: F811
    yield from tls_front(llama_server.port, local_ca)


def readable(line: str, url: str) -> None:
    assert line and "\n" not in line and url in line, line
    assert not any(name in line for name in CLASS_NAMES), line


def test_an_unverifiable_certificate_is_one_line_in_the_cli_and_no_verify_tls_works(
        https_server: TlsProxy, studio_home: Path) -> None:
    refused = https_server.handshakes_refused
    p = studio(["models", "--server", https_server.url], studio_home)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    (line,) = p.stderr.strip().splitlines()
    readable(line, https_server.url)
    assert "certificate" in line and "could not be verified" in line and "--no-verify-tls" in line, line
    assert https_server.handshakes_refused > refused, "the client refused the certificate: nothing was sent"

    p = studio(["models", "--server", https_server.url, "--no-verify-tls", "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    (entry,) = json.loads(p.stdout)
    assert entry["server"] == https_server.url and entry["n_ctx"] > 0 and entry["name"].endswith(".gguf")

    p = studio(["continue", "--server", https_server.url, "--no-verify-tls", "--max-tokens", "8", "--seed", "5",
                "--json"], studio_home, stdin=STORY)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "the continuation came back over https"
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["server"] == https_server.url and stats["model"] == entry["name"] and stats["generated_tokens"] > 0


def test_the_engines_say_the_same_with_verification_on_and_work_with_it_off(https_server: TlsProxy) -> None:
    # "auto" asks /props first (detect_kind), the forced kinds go straight to each engine's own probes.
    for kind in ("auto", "llama-server", "openai"):
        with pytest.raises(ModelLoadError) as caught:
            remote_engine_for(https_server.url, kind=kind).load(Path("unused"), LoadSettings())
        readable(str(caught.value), https_server.url)
        assert "could not be verified" in str(caught.value), (kind, str(caught.value))
        engine = remote_engine_for(https_server.url, kind=kind, verify=False)
        try:
            info = engine.load(Path("unused"), LoadSettings())
            assert info.name.endswith(".gguf") and engine.capabilities.n_ctx > 0, kind
        finally:
            engine.close()


def test_an_https_address_for_a_plain_http_server_says_so() -> None:
    """A plain-HTTP stand-in (the stdlib's server, which answers a TLS hello with an HTTP 400 as nginx or vLLM's
    uvicorn do; llama-server instead waits for more and times out, which is the 10 s line already tested)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(ModelLoadError) as caught:
            remote_engine_for(url).load(Path("unused"), LoadSettings())
    finally:
        server.shutdown()
        server.server_close()
    readable(str(caught.value), url)
    assert "does not speak TLS" in str(caught.value) and "http://" in str(caught.value), str(caught.value)
