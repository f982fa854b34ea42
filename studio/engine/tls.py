"""TLS failures of a server connection in words (remote_support.describe_failure asks here first).

httpx reports every TLS problem as a plain ``ConnectError`` whose text is OpenSSL's ("[SSL:
CERTIFICATE_VERIFY_FAILED] certificate verify failed: ... (_ssl.c:1006)"): read as an ordinary connect failure it
would send the writer to check the address and the network, when the fix is the certificate or the scheme. The
``ssl`` exception httpx raised from is in the chain; its ``verify_message`` is OpenSSL's reason in plain words.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg

# What the writer can do about a certificate Studio cannot verify: the same words in the dialog and the CLI.
NO_VERIFY_HINT = (msg(QT_TRANSLATE_NOOP("messages", "If it is your own server with a self-signed certificate, turn "
                                                    "the certificate check off (the Connect dialog's box, or "
                                                    "--no-verify-tls on the command line).")))


def tls_problem(exc: BaseException, url: str) -> tuple[str, str] | None:
    """(message, hint) when connecting failed in TLS, else None. Only connecting: a TLS stream cut later (a server
    killed mid-stream) is a closed connection, which describe_failure words as such."""
    if not isinstance(exc, httpx.ConnectError):
        return None
    for cause in exception_chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = (" ".join(str(cause.verify_message or "").split())
                      or msg(QT_TRANSLATE_NOOP("messages", "the certificate is not trusted")))
            return msg(QT_TRANSLATE_NOOP("messages", "The TLS certificate of the server {url} could not be verified "
                                                     "({reason})."), url=url, reason=reason), NO_VERIFY_HINT
        if isinstance(cause, ssl.SSLError):
            if cause.reason in ("WRONG_VERSION_NUMBER", "HTTP_REQUEST", "RECORD_LAYER_FAILURE"):
                # The server answered in plain HTTP: an https:// address for an http server.
                return (msg(QT_TRANSLATE_NOOP("messages", "The server {url} does not speak TLS (https)."), url=url),
                        msg(QT_TRANSLATE_NOOP("messages", "Use its http:// address instead.")))
            return msg(QT_TRANSLATE_NOOP("messages", "A secure (TLS) connection to the server {url} could not be "
                                                     "made."), url=url), \
                msg(QT_TRANSLATE_NOOP("messages", "Check the address and the server's TLS setup."))
    return None


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it was raised from or during, each once (httpx wraps the ssl and socket errors)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__
