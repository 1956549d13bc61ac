"""docs/documents.md documents every kind and every field a template can use."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from doc_templates import kinds
from doc_templates.contexts import MODELS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "documents.md").read_text(encoding="utf-8")


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    import typing

    seen.add(model)
    for f in model.model_fields.values():
        stack = [f.annotation]
        while stack:
            a = stack.pop()
            stack += typing.get_args(a)
            if isinstance(a, type) and issubclass(a, BaseModel) and a not in seen:
                _models(a, seen)
    return seen


@pytest.mark.parametrize("kind", list(kinds), ids=str)
def test_every_field_of_every_kind_is_documented(kind) -> None:
    models = _models(MODELS[kind], set())
    undocumented = sorted(f"{m.__name__}.{n}" for m in models for n in m.model_fields if f"`{n}`" not in DOC)
    assert f"**{kind}**" in DOC
    assert not undocumented, f"docs/documents.md lacks {undocumented}"
