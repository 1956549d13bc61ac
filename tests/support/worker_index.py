"""Index the app with Microsoft's own worker code, the way the Functions host asks it to.

Run as a script in a fresh interpreter: `python -m tests.support.worker_index APP_DIR` prints one JSON
object: the init result (status and, on failure, the worker's own exception message), each indexed
function's metadata (name, bindings, raw bindings), and which heavy modules indexing imported.

The worker package is PyPI's `azure-functions-runtime` (the library worker whose indexing path is the
Python 3.11 worker's; installed by the Makefile with --no-deps --ignore-requires-python, since it
declares Python 3.13). The host talks to it over gRPC with messages from the Functions language-worker
protobuf; the host side is not on PyPI, so `_Protos` below stands in for the compiled protobuf module
with the message types the init and metadata path construct, as plain records. Everything that judges
the app (import by name, exactly one FunctionApp, each binding's annotation and direction) is
Microsoft's code.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from types import SimpleNamespace

HEAVY = ("msgraph", "docxtpl", "sqlalchemy.orm", "docx", "kiota_abstractions")


class _Message:
    """One protobuf message: keyword fields kept as attributes, as the compiled classes do."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def _message(name: str, **constants) -> type:
    return type(name, (_Message,), constants)


class _Protos:
    StatusResult = _message("StatusResult", Failure=0, Success=1, Cancelled=2)
    BindingInfo = _message("BindingInfo", in_=0, out=1, inout=2,
                           undefined=0, string=1, binary=2, stream=3)
    WorkerInitResponse = _message("WorkerInitResponse")
    FunctionMetadataResponse = _message("FunctionMetadataResponse")
    RpcFunctionMetadata = _message("RpcFunctionMetadata")
    RpcRetryOptions = _message("RpcRetryOptions")
    WorkerMetadata = _message("WorkerMetadata")
    RpcException = _message("RpcException")


def _request(app_dir: str, **inner) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(**inner), properties={"host": "127.0.0.1", "protos": _Protos})


def index(app_dir: str) -> dict:
    sys.path.insert(0, app_dir)  # the worker puts the function app's folder first on sys.path
    os.chdir(app_dir)
    from azure_functions_runtime import handle_event

    init = _request(app_dir, worker_init_request=SimpleNamespace(capabilities={}, function_app_directory=app_dir))
    init_response = asyncio.run(handle_event.worker_init_request(init))
    result = init_response.result
    out: dict = {"status": "success" if result.status == _Protos.StatusResult.Success else "failure",
                 "error": getattr(getattr(result, "exception", None), "message", None),
                 "functions": {}}
    metadata = asyncio.run(handle_event.functions_metadata_request(_request(app_dir)))
    for fn in metadata.function_metadata_results or []:
        out["functions"][fn.name] = {
            "bindings": {name: {"type": b.type, "direction": int(b.direction)} for name, b in fn.bindings.items()},
            "raw_bindings": [json.loads(raw) for raw in fn.raw_bindings],
            "script_file": fn.script_file,
        }
    out["heavy_modules"] = sorted(m for m in HEAVY if m in sys.modules)
    return out


if __name__ == "__main__":
    print(json.dumps(index(os.path.abspath(sys.argv[1]))))
