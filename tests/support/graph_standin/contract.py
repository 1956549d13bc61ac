"""The contract check: request bodies are parsed into the SDK's own generated models, responses are
serialised from them, with kiota's JSON parse node and serialization writer (the SDK's own code).

A body breaks the contract when
- a property is not in the model (kiota puts it in `additional_data`), except OData instance
  annotations Graph documents (e.g. `@microsoft.graph.conflictBehavior`) and open types, or
- a value does not survive the round trip (e.g. an enum member that does not exist parses to None).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from kiota_abstractions.serialization import Parsable
from kiota_serialization_json.json_parse_node import JsonParseNode
from kiota_serialization_json.json_serialization_writer import JsonSerializationWriter

# Annotations Graph accepts in request bodies (they are not model properties).
ALLOWED_ANNOTATIONS = frozenset({"@odata.type", "@microsoft.graph.conflictBehavior", "@odata.etag"})


def parse(raw: bytes, model: type, open_type: bool = False) -> tuple[Any, list[str]]:
    """The body as `model`, and the contract problems found (empty when the body is right)."""
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        return None, [f"{model.__name__}: body is not JSON"]
    if not isinstance(data, dict):
        return None, [f"{model.__name__}: body is not a JSON object"]
    obj = JsonParseNode(data).get_object_value(model)
    problems = [] if open_type else list(_unknown(obj, model.__name__))
    problems += [f"{model.__name__}{p}: value not understood by the model" for p in _dropped(data, to_dict(obj))]
    return obj, problems


def serialise(obj: Parsable) -> bytes:
    writer = JsonSerializationWriter()
    writer.write_object_value(None, obj)
    return writer.get_serialized_content()


def to_dict(obj: Parsable) -> dict[str, Any]:
    return json.loads(serialise(obj) or b"{}")


def _unknown(obj: Any, where: str):
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _unknown(item, f"{where}[{i}]")
        return
    if not isinstance(obj, Parsable) or not dataclasses.is_dataclass(obj):
        return
    for key in getattr(obj, "additional_data", None) or {}:
        if key not in ALLOWED_ANNOTATIONS:
            yield f"{where}.{key}: unknown property"
    for f in dataclasses.fields(obj):
        if f.name not in ("additional_data", "backing_store"):
            yield from _unknown(getattr(obj, f.name), f"{where}.{f.name}")


def _dropped(sent: Any, kept: Any, where: str = ""):
    """Paths whose value was sent but is missing after parsing and serialising again."""
    if isinstance(sent, dict) and isinstance(kept, dict):
        for key, value in sent.items():
            if value is None:
                continue
            if key not in kept:
                yield f"{where}.{key}"
            else:
                yield from _dropped(value, kept[key], f"{where}.{key}")
    elif isinstance(sent, list) and isinstance(kept, list):
        for i, (a, b) in enumerate(zip(sent, kept, strict=False)):
            yield from _dropped(a, b, f"{where}[{i}]")


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
