"""ServerService on a real SQLite database and a real keyring backend (keyrings.alt's file backend, writing under
tmp_path, set with keyring.set_keyring; keyring's own ``fail`` backend for a computer without a keychain): the saved
server, where its API key goes (never the database), forgetting, and a test connection that fails in one line.
The same use cases against a real llama-server are in tests/ui/test_connect.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from studio.domain.servers import KeyPlace, SavedServer
from studio.services import Services
from studio.services.servers import KEYRING_SERVICE, SETTING_SERVER
from tests.engine.remote_server import free_port
from tests.keychain import TmpFileKeyring, tmp_file_keyring

KEY = "sk-studio-7f3a9c1e5b"


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[TmpFileKeyring]:
    with tmp_file_keyring(tmp_path) as backend:
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)


def files_hold(folder: Path, secret: str) -> list[Path]:
    data = secret.encode("utf-8")
    return [p for p in folder.rglob("*") if p.is_file() and data in p.read_bytes()]


def test_the_key_goes_to_the_keychain_and_the_server_to_the_settings(services: Services, file_keyring: Any,
                                                                      paths: Any) -> None:
    sv = services.servers
    assert sv.keychain().usable
    place = sv.remember("127.0.0.1:8080/", model="big", verify=False, in_use=True, api_key=KEY)
    assert place is KeyPlace.KEYCHAIN
    url = "http://127.0.0.1:8080"  # one address per server, however it was typed
    assert keyring.get_password(KEYRING_SERVICE, url) == KEY
    assert sv.saved() == SavedServer(url=url, model="big", verify=False, in_use=True)
    assert sv.api_key("http://127.0.0.1:8080/") == KEY
    choice = sv.choice(sv.saved())  # type: ignore[arg-type]
    assert choice.api_key == KEY and choice.verify is False and KEY not in repr(choice)
    assert Path(file_keyring.file_path).is_file()
    assert files_hold(paths.root, KEY) == [], "the key is in no file of the data folder (database, WAL, logs)"

    sv.set_in_use(False)
    assert sv.saved() == SavedServer(url=url, model="big", verify=False, in_use=False)
    sv.remember(url, model=None, verify=True, in_use=True, api_key="")  # an emptied key field removes the key
    assert keyring.get_password(KEYRING_SERVICE, url) is None
    sv.remember(url, model=None, verify=True, in_use=True, api_key=KEY)
    sv.forget()
    assert sv.saved() is None
    assert keyring.get_password(KEYRING_SERVICE, url) is None


def test_without_a_keychain_the_key_is_kept_for_this_session_only(services: Services, no_keyring: None,
                                                                   paths: Any) -> None:
    sv = services.servers
    state = sv.keychain()
    assert not state.usable and "keychain" in state.why_not.lower()
    assert sv.remember("http://10.0.0.2:8000", model=None, verify=True, in_use=True, api_key=KEY) is KeyPlace.SESSION
    assert sv.api_key("http://10.0.0.2:8000") == KEY
    assert files_hold(paths.root, KEY) == []
    services.close()
    again = Services.open(paths)  # Studio started again: the session's key is gone, the server is not
    try:
        assert again.servers.saved() == SavedServer(url="http://10.0.0.2:8000", in_use=True)
        assert again.servers.api_key("http://10.0.0.2:8000") is None
    finally:
        again.close()


def test_a_plain_text_file_is_not_a_keychain(services: Services, tmp_path: Path, paths: Any) -> None:
    """keyrings.alt (the test extra, which ./scripts/studio installs too) makes its plain-text file keyring's default
    where no OS keychain exists. A key written there sits in a readable file in the home folder: Studio says there is
    no keychain and keeps the key for the session instead."""
    from keyrings.alt.file import PlaintextKeyring

    before = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "plain" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    try:
        sv = services.servers
        state = sv.keychain()
        assert not state.usable and "plain" in state.why_not.lower()
        assert sv.remember("http://10.0.0.3:8000", model=None, verify=True, in_use=True,
                           api_key=KEY) is KeyPlace.SESSION
        assert files_hold(tmp_path, KEY) == []
    finally:
        keyring.set_keyring(before)


def test_a_saved_server_setting_that_cannot_be_read_is_no_server(services: Services, file_keyring: Any) -> None:
    from studio.storage import Store

    store: Store = services._store
    for bad in ({"url": 42}, {"model": "x"}, "http://x", {"url": "http://x", "in_use": "yes"}, [1, 2]):
        with store.unit_of_work() as uow:
            uow.settings.set(SETTING_SERVER, bad)
        assert services.servers.saved() is None, bad


def test_testing_a_refused_port_is_one_readable_line(services: Services, file_keyring: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    check = services.servers.test_connection(url, api_key=KEY, model=None, verify=True)
    assert not check.ok and url in check.error and "refused" in check.error
    assert "\n" not in check.error and "Traceback" not in check.error and KEY not in check.error
    empty = services.servers.test_connection("  ", api_key=None, model=None, verify=True)
    assert not empty.ok and "address" in empty.error


def test_a_key_http_cannot_carry_is_refused_in_words_before_anything_is_sent(services: Services,
                                                                            file_keyring: Any) -> None:
    from studio.domain import LoadSettings, ModelLoadError, StudioError
    from studio.services.generation import ServerChoice

    url = f"http://127.0.0.1:{free_port()}"
    for bad in ("sk-卷-7f3a", "sk-7f3a\n", " sk-7f3a"):
        check = services.servers.test_connection(url, api_key=bad, model=None, verify=True)
        assert not check.ok and "API key" in check.error and bad.strip() not in check.error, check.error
        runner = services.new_window_runner()
        with pytest.raises(ModelLoadError, match="API key") as err:
            runner.load(ServerChoice(url, api_key=bad), LoadSettings())
        assert isinstance(err.value, StudioError) and bad.strip() not in str(err.value)
        runner.close()
    # A key in Chinese is still kept as it was given (the keychain is UTF-8); it only cannot be sent.
    services.servers.keep_key(url, "钥匙-7f3a")
    assert services.servers.api_key(url) == "钥匙-7f3a"
