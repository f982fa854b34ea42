"""Talking to the hub: a repo's files (tree API), one file's size and SHA-256, and its bytes from an offset.

The hub is https://huggingface.co unless $HF_ENDPOINT names a mirror (many writers in China use one); $HF_TOKEN
is sent for gated and private repos. Both are the names huggingface_hub itself reads, so a writer's existing setup
just works. The token goes only to the endpoint: httpx drops the Authorization header when a redirect leaves the
endpoint's host (the hub sends file bytes from a CDN with a signed URL).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from studio import __version__
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.hub.errors import HubAccessError, HubError, HubNotFoundError

DEFAULT_ENDPOINT = "https://huggingface.co"
ENV_ENDPOINT = "HF_ENDPOINT"
ENV_TOKEN = "HF_TOKEN"

_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class HubFile:
    repo: str
    path: str  # inside the repo
    size: int
    sha256: str = ""  # the LFS oid; "" when the hub did not say

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def check_repo(repo: str) -> str:
    repo = repo.strip().strip("/")
    if not _REPO.match(repo) or ".." in repo:
        raise HubNotFoundError(msg(QT_TRANSLATE_NOOP("messages", "{repo} is not a hub repo name."), repo=repr(repo)),
                               hint=msg(QT_TRANSLATE_NOOP("messages", "Write it as owner/name, for example "
                                                                                                           "lmstudio-community/Qwen2.5-7B-Instruct-GGUF.")))
    return repo


def check_file(path: str) -> str:
    path = path.strip()
    parts = path.split("/")
    if not path.endswith(".gguf") or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise HubNotFoundError(msg(QT_TRANSLATE_NOOP("messages", "{path} is not a .gguf file name inside a repo."),
                                   path=repr(path)))
    return path


class HubClient:
    """One hub endpoint (and token). Cheap to make; every call opens its own connection."""

    def __init__(self, endpoint: str | None = None, token: str | None = None, *, connect_timeout: float = 15.0,
                 read_timeout: float = 60.0) -> None:
        self.endpoint = (endpoint or os.environ.get(ENV_ENDPOINT, "").strip() or DEFAULT_ENDPOINT).rstrip("/")
        self.token = token if token is not None else (os.environ.get(ENV_TOKEN, "").strip() or None)
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)

    def _client(self) -> httpx.Client:
        headers = {"User-Agent": f"studio-writer/{__version__}"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return httpx.Client(headers=headers, timeout=self._timeout, follow_redirects=True, trust_env=True)

    def file_url(self, repo: str, path: str) -> str:
        return f"{self.endpoint}/{check_repo(repo)}/resolve/main/{quote(check_file(path))}"

    # -- listing -------------------------------------------------------------------------------------------
    def list_gguf(self, repo: str) -> list[HubFile]:
        """The repo's ``.gguf`` files with sizes and LFS hashes, from the tree API, sorted by name."""
        repo = check_repo(repo)
        url = f"{self.endpoint}/api/models/{repo}/tree/main"
        with self._errors(repo), self._client() as client:
            resp = client.get(url, params={"recursive": "true"})
            self._raise_for(resp, repo, None)
            try:
                items = resp.json()
            except ValueError:
                raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub at {endpoint} answered {repo}'s file list "
                                                                 "with something that is not JSON."),
                                   endpoint=self.endpoint, repo=repo),
                               hint=msg(QT_TRANSLATE_NOOP("messages", "Check HF_ENDPOINT: it must name the hub or a "
                                                                      "mirror of it."))) from None
        if not isinstance(items, list):
            raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub at {endpoint} sent an unexpected file list for "
                                                             "{repo}."), endpoint=self.endpoint, repo=repo))
        files = [f for f in (_tree_file(repo, item) for item in items) if f is not None]
        return sorted(files, key=lambda f: f.path.lower())

    def file_info(self, repo: str, path: str) -> HubFile:
        """Size and SHA-256 of one file: the hub's X-Linked-Size / X-Linked-Etag headers on the file's URL (the
        LFS hash, before any redirect), else the tree API's lfs.oid."""
        repo, path = check_repo(repo), check_file(path)
        url = self.file_url(repo, path)
        with self._errors(repo), self._client() as client:
            resp = client.head(url, follow_redirects=False)
            if resp.status_code not in (301, 302, 303, 307, 308):
                self._raise_for(resp, repo, path)
        sha = _etag_sha(resp.headers.get("x-linked-etag") or resp.headers.get("etag") or "")
        size = _int(resp.headers.get("x-linked-size")) or (_int(resp.headers.get("content-length"))
                                                           if resp.status_code == 200 else 0)
        if sha and size:
            return HubFile(repo, path, size, sha)
        for f in self.list_gguf(repo):
            if f.path == path:
                return HubFile(repo, path, f.size or size, f.sha256 or sha)
        raise HubNotFoundError(msg(QT_TRANSLATE_NOOP("messages", "The hub has no file {path} in {repo}."),
                                   path=path, repo=repo))

    # -- bytes ---------------------------------------------------------------------------------------------
    @contextmanager
    def open_bytes(self, repo: str, path: str, start: int = 0) -> Iterator[httpx.Response]:
        """The file's bytes from ``start`` on (a Range request when ``start`` > 0). The response may be 200 (the
        whole file: the server ignored the range) or 206; the caller checks which."""
        url = self.file_url(repo, path)
        headers = {"Range": f"bytes={start}-"} if start > 0 else {}
        with self._errors(repo), self._client() as client, client.stream("GET", url, headers=headers) as resp:
            if resp.status_code != 416:
                self._raise_for(resp, repo, path)
            yield resp

    # -- errors --------------------------------------------------------------------------------------------
    @contextmanager
    def _errors(self, repo: str) -> Iterator[None]:
        try:
            yield
        except httpx.TimeoutException:
            raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub at {endpoint} stopped answering (timed out) "
                                                             "while Studio fetched {repo}."),
                               endpoint=self.endpoint, repo=repo),
                           hint=_RETRY) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The connection to the hub at {endpoint} broke while "
                                                             "Studio fetched {repo} ({reason})."),
                               endpoint=self.endpoint, repo=repo, reason=_transport_reason(exc)), hint=_RETRY) from None
        except httpx.TransportError as exc:
            raise HubError(msg(QT_TRANSLATE_NOOP("messages", "Studio could not reach the hub at {endpoint} "
                                                             "({reason})."),
                               endpoint=self.endpoint, reason=_transport_reason(exc)),
                           hint=_RETRY) from None

    def _raise_for(self, resp: httpx.Response, repo: str, path: str | None) -> None:
        code = resp.status_code
        if code < 400:
            return
        what = msg(QT_TRANSLATE_NOOP("messages", "{path} in {repo}"), path=path, repo=repo) if path else repo
        if code in (401, 403):
            if self.token:
                hint = (msg(QT_TRANSLATE_NOOP("messages", "The token in HF_TOKEN has no access to it: accept the "
                                                          "model's terms on its page with that account, or use a "
                                                          "token that has access.")))
            else:
                hint = (msg(QT_TRANSLATE_NOOP("messages", "It is gated or private: accept its terms on its page on "
                                                          "the hub, then set HF_TOKEN to an access token of yours "
                                                          "and try again.")))
            raise HubAccessError(msg(QT_TRANSLATE_NOOP("messages", "The hub refused access to {what} (HTTP {code})."),
                                     what=what, code=code), hint=hint)
        if code == 404:
            if resp.headers.get("x-error-code") == "RepoNotFound":
                # The hub says which of the two is missing.
                what = msg(QT_TRANSLATE_NOOP("messages", "repo {repo}"), repo=repo)
            raise HubNotFoundError(msg(QT_TRANSLATE_NOOP("messages", "The hub has no {what} (HTTP 404)."), what=what),
                                   hint=msg(QT_TRANSLATE_NOOP("messages", "Check the spelling (owner/name, and the "
                                                                          "file name with its quant).")))
        raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub at {endpoint} answered HTTP {code} for {what}."),
                           endpoint=self.endpoint, code=code, what=what), hint=_RETRY)


_RETRY = msg(QT_TRANSLATE_NOOP("messages", "Check the connection (or HF_ENDPOINT) and try again: a download resumes "
                                           "where it stopped."))


def _tree_file(repo: str, item: Any) -> HubFile | None:
    if not isinstance(item, dict) or item.get("type") != "file":
        return None
    path = item.get("path")
    if not isinstance(path, str) or not path.endswith(".gguf"):
        return None
    raw_lfs = item.get("lfs")
    lfs: dict[str, Any] = raw_lfs if isinstance(raw_lfs, dict) else {}
    sha = _etag_sha(str(lfs.get("oid") or lfs.get("sha256") or ""))
    size = _int(lfs.get("size")) or _int(item.get("size"))
    return HubFile(repo, path, size, sha)


def _etag_sha(value: str) -> str:
    value = value.strip().removeprefix("W/").strip('"').lower().removeprefix("sha256:")
    return value if _SHA256.match(value) else ""


def _int(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return 0
    return max(0, n)


def _transport_reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return msg(QT_TRANSLATE_NOOP("messages", "its name cannot be resolved: no network, or a mistyped HF_ENDPOINT"))
    if "Connection refused" in text or "ConnectError" in text:
        return msg(QT_TRANSLATE_NOOP("messages", "the connection was refused"))
    return text.splitlines()[0][:160]
