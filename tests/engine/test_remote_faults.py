"""Faults of a remote engine (studio/engine/remote.py): each one readable error naming the server, no traceback,
the text streamed so far kept. A small misbehaving HTTP server of our own on 127.0.0.1 plays the broken servers
(401, 404, 500, junk, a stall); the real llama-server is killed mid-stream and checked for an idle slot after Stop.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from studio.domain import (
    Action,
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    ModelLoadError,
    PromptProgress,
    StopReason,
    StudioError,
    TextDelta,
)
from studio.engine.remote import RemoteEngine

from .remote_server import LlamaServer, free_port, llama_server, llama_server_exe  # noqa: F401 - fixtures
from .standin import StandIn, serving, url_of

PROSE = ("Mara kept the lighthouse on Gull Rock for eleven winters. Every evening she climbed the iron stairs to "
         "the lamp room and polished the great lens until it shone. One night a storm came in from the west and")
WORDS = ["The", " storm", " broke", " over", " the", " rock"]


def readable(err: StudioError, url: str) -> str:
    message = str(err)
    assert url in message, message
    assert "\n" not in message and "Traceback" not in message, message
    for leak in ("httpx", "Exception", "Error", "errno", "SSE"):
        assert leak not in message, message
    return message


class _Misbehaving(StandIn):
    """Plausible llama-server answers for the probes; ``server.mode`` decides how it breaks."""

    def _gate(self) -> bool:
        if self.mode == "401":
            self._json(401, {"error": {"code": 401, "message": "Invalid API Key", "type": "authentication_error"}})
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self._gate():
            return
        if self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "fake.gguf", "meta": {"n_ctx_train": 2048}}]})
        elif self.path == "/props" and self.mode != "404":
            self._json(200, {"default_generation_settings": {"n_ctx": 2048}, "total_slots": 1, "chat_template": "",
                             "model_path": "/models/fake.gguf", "eos_token": ""})
        else:
            self._json(404, {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}})

    def do_POST(self) -> None:  # noqa: N802
        if not self._gate():
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/tokenize":
            content = body.get("content", "")
            special = content == "<start_of_image>" and body.get("parse_special")
            self._json(200, {"tokens": [999] if special else [ord(c) for c in content]})
            return
        self.server.last_body = body  # type: ignore[attr-defined]
        if self.path != "/completion":
            self._json(404, {"error": {"code": 404, "message": "File Not Found"}})
            return
        if body.get("stream") is False:  # a chunk of a long prompt read ahead (n_predict 0): had it cached
            self._json(200, {"content": "", "stop": True, "id_slot": 0, "timings": {"prompt_n": 0}})
            return
        if self.mode == "500":
            self._json(500, {"error": {"code": 500, "message": "out of memory", "type": "server_error"}})
            return
        if self.mode == "not-sse":
            self._json(200, {"content": "whole", "stop": True})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        def send(line: str) -> None:
            self.wfile.write(f"data: {line}\n\n".encode())
            self.wfile.flush()

        if self.mode == "junk":
            send("<<< not json at all >>>")
            return
        for n, word in enumerate(WORDS[:3], 1):
            send(json.dumps({"content": word, "stop": False, "tokens_predicted": n}))
        if self.mode == "junk-after-text":
            send("{\"content\": broken")
        elif self.mode == "stall":
            time.sleep(5)
        elif self.mode == "cut":
            return  # the connection closes without a final chunk
        else:
            send(json.dumps({"content": "", "stop": True, "stop_type": "limit", "tokens_predicted": 3,
                             "timings": {"prompt_n": 5}}))


@pytest.fixture
def bad_server() -> Iterator[ThreadingHTTPServer]:
    with serving(_Misbehaving) as server:
        yield server


def request(max_tokens: int = 8) -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=1, max_tokens=max_tokens)


def drain(engine: RemoteEngine, req: GenerationRequest, cancel: threading.Event | None = None,
          ) -> tuple[list[GenerationEvent], GenerationError | None]:
    events: list[GenerationEvent] = []
    try:
        for ev in engine.stream(req, cancel or threading.Event()):
            events.append(ev)
    except GenerationError as exc:
        return events, exc
    return events, None


def test_a_working_fake_streams_to_the_end(bad_server: ThreadingHTTPServer) -> None:
    # The baseline the broken modes differ from: the fake itself is understood.
    with RemoteEngine(url_of(bad_server)) as engine:
        engine.load(Path("unused"))
        events, err = drain(engine, request())
    assert err is None
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text == "The storm broke" and final.stats.stop_reason == StopReason.LENGTH
    assert final.stats.cached_tokens == final.stats.prompt_tokens - 5


@pytest.mark.parametrize(("mode", "words"), [("401", "refused the API key"), ("404", "/props")])
def test_connect_faults_are_one_readable_load_error(bad_server: ThreadingHTTPServer, mode: str, words: str) -> None:
    bad_server.mode = mode  # type: ignore[attr-defined]
    engine = RemoteEngine(url_of(bad_server), api_key="wrong")
    with pytest.raises(ModelLoadError) as err:
        engine.load(Path("unused"))
    assert words in readable(err.value, url_of(bad_server))
    assert not engine.loaded


@pytest.mark.parametrize(("mode", "words"), [("500", "failed (HTTP 500): out of memory"),
                                             ("junk", "cannot read"), ("not-sse", "did not send a text stream")])
def test_stream_faults_before_any_text_are_one_readable_error(bad_server: ThreadingHTTPServer, mode: str,
                                                               words: str) -> None:
    with RemoteEngine(url_of(bad_server)) as engine:
        engine.load(Path("unused"))
        bad_server.mode = mode  # type: ignore[attr-defined]
        events, err = drain(engine, request())
        assert err is not None and words in readable(err, url_of(bad_server))
        assert not [e for e in events if isinstance(e, Finished)]
        bad_server.mode = "ok"  # type: ignore[attr-defined]
        events, err = drain(engine, request())  # the engine works after the fault
        assert err is None and [e for e in events if isinstance(e, Finished)][0].text == "The storm broke"


@pytest.mark.parametrize(("mode", "words"), [("junk-after-text", "cannot read"), ("cut", "ended the stream"),
                                             ("stall", "sent nothing for 0.5 s")])
def test_faults_after_some_text_keep_it_as_a_partial_proposal(bad_server: ThreadingHTTPServer, mode: str,
                                                              words: str) -> None:
    with RemoteEngine(url_of(bad_server), idle_timeout=0.5) as engine:
        engine.load(Path("unused"))
        bad_server.mode = mode  # type: ignore[attr-defined]
        started = time.monotonic()
        events, err = drain(engine, request())
        assert time.monotonic() - started < 4, "a stall is given up after the idle timeout, not the server's pace"
    assert err is not None and words in readable(err, url_of(bad_server))
    assert "kept" in str(err)
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text == "The storm broke" == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert final.stats.partial and final.stats.generated_tokens == 3


def test_an_unreachable_server_is_a_readable_error_within_ten_seconds() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(ModelLoadError) as err:
        RemoteEngine(url).load(Path("unused"))
    assert time.monotonic() - started < 10
    assert "refused the connection" in readable(err.value, url)


def test_an_unknown_host_is_a_readable_dns_error() -> None:
    url = "http://studio-no-such-host.invalid:8080"  # .invalid never resolves (RFC 2606)
    started = time.monotonic()
    with pytest.raises(ModelLoadError) as err:
        RemoteEngine(url).load(Path("unused"))
    assert time.monotonic() - started < 10
    assert "could not be found" in readable(err.value, url)


# ------------------------------------------------------------------------------------ the real llama-server


def test_a_llama_server_killed_mid_stream_keeps_the_text_so_far(llama_server_exe: Path,  # noqa: F811
                                                                default_model_path: Path,
                                                                tmp_path: Path) -> None:
    server = LlamaServer(llama_server_exe, default_model_path, slots=1, n_ctx=2048, log=tmp_path / "log")
    try:
        engine = RemoteEngine(server.url)
        engine.load(Path("unused"))
        events: list[GenerationEvent] = []
        with pytest.raises(GenerationError) as err:
            for ev in engine.stream(request(max_tokens=400), threading.Event()):
                events.append(ev)
                if sum(isinstance(e, TextDelta) for e in events) == 3:
                    server.kill()
        engine.close()
    finally:
        server.stop()
    readable(err.value, server.url)
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text.strip() and final.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert final.stats.partial


# The 1 s goal for Stop is measured in bench/remote_bench.py (Stop latency, pass/FAIL in docs/benchmarks.md). A test
# asserts a bound a shared, loaded 2-core machine keeps (1.05 s and 2.7 s were seen at a load of 3.8) and that is
# still far below what a Stop that did not reach the server would take (2,000 tokens: half a minute; the long prompt
# below read in one request: about 10 s).
STOP_BOUND_S = 3.0


def idle_within(server: LlamaServer, since: float, limit: float = STOP_BOUND_S) -> float:
    """Seconds from ``since`` until no slot of the server is processing; fails past ``limit``."""
    while any(s.get("is_processing") for s in server.slots()):
        assert time.monotonic() - since < limit, f"the server still works {limit} s after Stop: {server.slots()}"
        time.sleep(0.02)
    return time.monotonic() - since


def test_stop_ends_the_generation_on_the_server(llama_server: LlamaServer) -> None:  # noqa: F811
    # The server notices a closed connection when it writes its next token: its slot is idle within a second
    # (0.07-0.25 s measured on a quiet machine), the 2,000 tokens asked for would take half a minute.
    with RemoteEngine(llama_server.url) as engine:
        engine.load(Path("unused"))
        cancel = threading.Event()
        events: list[GenerationEvent] = []
        releases = len(llama_server.released_tokens())
        stopped = 0.0
        for ev in engine.stream(request(max_tokens=2000), cancel):
            events.append(ev)
            if sum(isinstance(e, TextDelta) for e in events) == 3:
                cancel.set()
                stopped = time.monotonic()
            else:
                assert not cancel.is_set(), "no text reaches the caller after Stop"
        assert time.monotonic() - stopped < 0.5, "the stream ends at once after Stop"
        (final,) = [e for e in events if isinstance(e, Finished)]
        assert final.stats.stop_reason == StopReason.CANCELLED and final.stats.generated_tokens <= 4
        assert final.text == "".join(e.text for e in events if isinstance(e, TextDelta))
        idle_within(llama_server, stopped)
        after = llama_server.released_tokens()[releases:]
        assert len(after) == 1, after
        assert after[0] <= final.stats.prompt_tokens + final.stats.generated_tokens + 4, (after, final.stats)


def test_stop_while_the_server_reads_a_long_prompt_frees_it_at_once(
        llama_server: LlamaServer) -> None:  # noqa: F811
    # Nothing streams while a long prompt is read, and llama-server looks at a cancel only between its batches
    # (2,048 tokens by default: seconds here). A new draft each run: nothing of it is in the server's caches.
    long_draft = f"Draft {time.time_ns()}. " + (PROSE + " ") * 140  # about 5,800 tokens
    with RemoteEngine(llama_server.url) as engine:
        engine.load(Path("unused"))
        cancel = threading.Event()
        stopped: list[float] = []

        def stop() -> None:
            stopped.append(time.monotonic())
            cancel.set()

        timer = threading.Timer(0.5, stop)
        timer.start()
        events, err = drain(engine, GenerationRequest(action=Action.CONTINUE, before=long_draft, seed=2,
                                                      max_tokens=50), cancel)
        timer.join()
        returned = time.monotonic() - stopped[0]
        idle = idle_within(llama_server, stopped[0])
    assert err is None
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.stats.stop_reason == StopReason.CANCELLED and final.text == ""
    assert not [e for e in events if isinstance(e, TextDelta)]
    assert returned < STOP_BOUND_S, returned
    assert idle < STOP_BOUND_S, idle


def test_a_long_prompt_reports_progress_while_the_server_reads_it(llama_server: LlamaServer) -> None:  # noqa: F811
    long_draft = (PROSE + " ") * 30  # about 1,500 tokens: several of the server's batches
    with RemoteEngine(llama_server.url) as engine:
        engine.load(Path("unused"))
        events, err = drain(engine, GenerationRequest(action=Action.CONTINUE, before=long_draft, seed=4,
                                                      max_tokens=2, draft_key="progress"))
    assert err is None
    progress = [e for e in events if isinstance(e, PromptProgress)]
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert len(progress) >= 2, progress
    assert all(p.total_tokens == final.stats.prompt_tokens for p in progress), (progress, final.stats)
    assert [p.done_tokens for p in progress] == sorted(p.done_tokens for p in progress)
    assert events.index(progress[-1]) < min(events.index(e) for e in events if isinstance(e, TextDelta | Finished))


def test_the_request_carries_the_bans_and_the_cache_settings(bad_server: ThreadingHTTPServer) -> None:
    # The guard cannot run on a server: special tokens go as logit_bias bans (here the fake's one special token).
    with RemoteEngine(url_of(bad_server)) as engine:
        engine.load(Path("unused"))
        assert engine.facts is not None and engine.facts.banned_tokens == (999,)
        drain(engine, request())
    body = bad_server.last_body  # type: ignore[attr-defined]
    assert body["logit_bias"] == [[999, False]]
    assert body["cache_prompt"] is True and body["stream"] is True and body["n_predict"] == 8 and body["seed"] == 1
    assert body["id_slot"] == -1, "one slot: the server picks"
    assert isinstance(body["prompt"], list) and all(isinstance(t, int) for t in body["prompt"])


def test_llama_server_special_tokens_are_banned_but_not_the_end_of_text(llama_server: LlamaServer) -> None:  # noqa: F811
    with RemoteEngine(llama_server.url) as engine:
        engine.load(Path("unused"))
        assert engine.facts is not None
        banned = set(engine.facts.banned_tokens)
        for marker in ("<start_of_image>", "[multimodal]", "<start_of_turn>", "<pad>"):
            (token,) = engine.tokenize(marker, special=True)
            assert token in banned, marker
        for end in ("<eos>", "<end_of_turn>"):
            (token,) = engine.tokenize(end, special=True)
            assert token not in banned, end
