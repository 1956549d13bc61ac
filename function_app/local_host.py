"""Calling the app's functions as the Functions host does, without the host (the demo and the tests).

The Core Tools cannot be installed here; the worker indexes the app with `get_functions()` and calls
each function's `get_user_function()`, with binding values such as `func.Out` for outputs.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import azure.functions as func


@cache
def functions() -> dict[str, Any]:
    module = importlib.import_module("function_app")
    app = next(v for v in vars(module).values() if isinstance(v, func.FunctionApp))
    return {f.get_function_name(): f for f in app.get_functions()}


def user_function(name: str):
    return functions()[name].get_user_function()


class Out:
    """What the host passes for an output binding: keeps what the function set."""

    def __init__(self) -> None:
        self.value: Any = None

    def set(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value
