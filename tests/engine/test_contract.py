"""The engine contract (tests/engine/contract.py), run against every engine in ENGINE_KINDS."""

from __future__ import annotations

from .contract import EngineContract, contract_engine, engine_kind  # noqa: F401 - the fixtures the suite uses
from .openai_servers import llama_cpp_python_server, py_server_engine, v1_engine  # noqa: F401 - the OpenAI kinds'
from .remote_server import llama_server, llama_server_exe, remote_engine  # noqa: F401 - the llama-server kind's


class TestEngineContract(EngineContract):
    pass
