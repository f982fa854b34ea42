"""An https front for a real server on 127.0.0.1: the llama-server the tests build has no TLS (it is compiled without
OpenSSL), so this small stand-in ends TLS with a certificate from a test CA (``trustme``) and passes the bytes on,
unchanged, to the plain server behind it. Everything after the handshake (HTTP, streaming, a client hanging up on
Stop) is the real server's.

One thread per connection with ``select`` (an ``SSLSocket`` must not be read and written from two threads).
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
from collections.abc import Iterator

import pytest
import trustme


class TlsProxy:
    """``https://127.0.0.1:<port>`` in front of ``http://127.0.0.1:<upstream>``."""

    def __init__(self, upstream_port: int, cert: trustme.LeafCert) -> None:
        self._upstream = upstream_port
        self._ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(self._ctx)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"https://127.0.0.1:{self.port}"
        self.handshakes_refused = 0  # clients that gave up during the handshake (they did not trust the certificate)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, name="tls-proxy", daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            t = threading.Thread(target=self._serve, args=(conn,), name="tls-proxy-conn", daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            tls = self._ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshakes_refused += 1
            conn.close()
            return
        up = socket.create_connection(("127.0.0.1", self._upstream))
        try:
            while not self._stop.is_set():
                ready = [tls] if tls.pending() else select.select([tls, up], [], [], 0.2)[0]
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    (up if src is tls else tls).sendall(data)
        except (ssl.SSLError, OSError):
            return
        finally:
            for s in (tls, up):
                with contextlib.suppress(OSError):
                    s.close()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._accepting.join(5)
        for t in self._threads:
            t.join(5)


@pytest.fixture(scope="session")
def local_ca() -> trustme.CA:
    return trustme.CA()


def tls_front(upstream_port: int, ca: trustme.CA) -> Iterator[TlsProxy]:
    proxy = TlsProxy(upstream_port, ca.issue_cert("127.0.0.1"))
    try:
        yield proxy
    finally:
        proxy.close()
