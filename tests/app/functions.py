"""Test helpers over function_app.local_host: the worker's way of calling functions."""

from __future__ import annotations

import azure.functions as func

from function_app.local_host import Out, functions, user_function

__all__ = ["Out", "functions", "post", "user_function"]


def post(route: str, body: bytes = b"", params: dict | None = None) -> func.HttpRequest:
    return func.HttpRequest(method="POST", url=f"https://iro.example/api/{route}", body=body,
                            params=params or {}, headers={"content-type": "application/json"})
