"""``--server URL`` and ``--no-verify-tls`` are the window's options and every server command's, before or after
the command's name; $STUDIO_SERVER and $STUDIO_API_KEY stand in for them (the flag wins). Parsing only: the real
servers behind them are in tests/engine/test_remote_cli.py, test_tls.py and tests/ui/test_window_server.py."""

from __future__ import annotations

import pytest

from studio import cli


@pytest.mark.parametrize(("argv", "url", "verify"), [
    (["--server", "http://a:1"], "http://a:1", True),  # the window
    (["--server", "http://a:1", "--no-verify-tls", "models"], "http://a:1", False),  # given before the command
    (["models", "--server", "http://b:2", "--no-verify-tls"], "http://b:2", False),
    (["continue", "--server", "http://c:3"], "http://c:3", True),
    (["--server", "http://a:1", "rewrite", "--instruction", "x", "--server", "http://d:4"], "http://d:4", True),
])
def test_the_server_options_before_or_after_the_command(argv: list[str], url: str, verify: bool,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_SERVER", "http://from-env:9")
    monkeypatch.setenv("STUDIO_API_KEY", "sk-env")
    choice = cli.server_choice(cli.build_parser().parse_args(argv))
    assert choice is not None and (choice.url, choice.verify, choice.api_key) == (url, verify, "sk-env")


def test_the_environment_names_the_server_when_no_option_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_API_KEY", raising=False)
    monkeypatch.delenv("STUDIO_SERVER", raising=False)
    assert cli.server_choice(cli.build_parser().parse_args([])) is None  # the local model
    monkeypatch.setenv("STUDIO_SERVER", "http://from-env:9")
    choice = cli.server_choice(cli.build_parser().parse_args(["--no-verify-tls"]))
    assert choice is not None and choice.url == "http://from-env:9" and not choice.verify and choice.api_key is None
