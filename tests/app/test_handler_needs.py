"""Each handler gets what it uses (function_app/bus.py): its `@uses(...)` names exactly the parts of the
Services that it and the helpers it hands them to read. The parts are derived here from the code itself:
every `svc.<part>` in the handler, and in every function it passes `svc` to, followed through the imports
(a call through a table, such as reactions.REACTIONS or `_LOADERS[kind](svc)`, follows everything in it).
A call passing `svc` that cannot be followed fails the test, so the derivation never quietly misses a path."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from types import FunctionType, MethodType

import pytest

from function_app import bootstrap
from function_app.bus import MessageBus, Needs, uses
from function_app.handlers import reactions
from function_app.services import Services

TABLES = {("function_app.handlers.reactions", "react"): list(reactions.REACTIONS.values())}
HANDLERS = sorted({h for hs in bootstrap.HANDLERS.values() for h in hs}, key=lambda h: h.__qualname__)


def _imports(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Names bound by `import` statements anywhere in `tree` (a function may import lazily)."""
    found: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                found[a.asname or a.name] = (node.module, a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                found[a.asname or a.name.split(".")[0]] = (a.name, None)
    return found


def _lookup(name: str, module, local: dict):
    if name in local:
        mod, attr = local[name]
        try:
            return getattr(importlib.import_module(mod), attr) if attr else importlib.import_module(mod)
        except (ImportError, AttributeError):
            return importlib.import_module(f"{mod}.{attr}")
    return module.__dict__.get(name)


def _target(func: ast.expr, module, local: dict, annotations: dict):
    if isinstance(func, ast.Name):
        return _lookup(func.id, module, local)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        name = func.value.id
        base = _lookup(name, module, local)
        if base is None and isinstance(annotations.get(name), str):  # a parameter's method: `q: Question`
            base = _lookup(annotations[name].split("|")[0].strip(), module, local)
        return getattr(base, func.attr, None) if base is not None else None
    return None


def _is_svc(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "svc"


def parts_of(fn, seen: set | None = None) -> set[str]:
    """The parts of the Services `fn` reads, itself and through every function it passes `svc` to."""
    seen = set() if seen is None else seen
    fn = fn.__func__ if isinstance(fn, MethodType) else fn
    if isinstance(fn, type):
        fn = fn.__init__
    if not isinstance(fn, FunctionType) or fn in seen:
        return set()
    assert "svc" in inspect.signature(fn).parameters, f"{fn.__qualname__} is given svc under another name"
    seen.add(fn)
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    module = inspect.getmodule(fn)
    module_imports = _imports(ast.parse(inspect.getsource(module)))
    local = {**module_imports, **_imports(tree)}
    parts: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_svc(node.value):
            parts.add(node.attr)
        if isinstance(node, ast.Call) and any(_is_svc(a) for a in [*node.args, *(k.value for k in node.keywords)]):
            if isinstance(node.func, ast.Subscript) and isinstance(node.func.value, ast.Name):  # table[key](svc)
                table = _lookup(node.func.value.id, module, local)
                assert isinstance(table, dict), f"{fn.__qualname__}: {ast.unparse(node.func)} is not followed"
                for f in table.values():
                    parts |= parts_of(f, seen)
                continue
            target = _target(node.func, module, local, fn.__annotations__)
            if target is None and isinstance(node.func, ast.Name):
                table = TABLES.get((fn.__module__, node.func.id))
                assert table is not None, f"{fn.__qualname__} passes svc to {node.func.id}, which cannot be followed"
                for f in table:
                    parts |= parts_of(f, seen)
                continue
            assert target is not None, f"{fn.__qualname__} passes svc to {ast.unparse(node.func)}: not followed"
            parts |= parts_of(target, seen)
    return parts


@pytest.mark.parametrize("handler", HANDLERS, ids=lambda h: h.__qualname__)
def test_each_handler_declares_exactly_what_it_uses(handler):
    derived = parts_of(handler)
    declared = set(handler.uses)
    assert derived - declared == set(), f"{handler.__qualname__} uses {sorted(derived - declared)} undeclared"
    assert declared - derived == set(), f"{handler.__qualname__} declares {sorted(declared - derived)} unused"


def test_no_handler_gets_the_whole_services():
    everything = {f for f in Services.__dataclass_fields__} | {"today"}
    assert all(set(h.uses) < everything for h in HANDLERS)
    assert max(len(h.uses) for h in HANDLERS) < len(everything) - 4


def test_reading_an_undeclared_part_is_an_error_naming_handler_and_part(world):
    @uses("store")
    def handler(message, svc):
        return svc.policy

    needs = Needs(world.svc, handler)
    assert needs.store is world.svc.store
    with pytest.raises(AttributeError, match=r"handler .*handler reads Services.policy without declaring it"):
        handler(None, needs)
    with pytest.raises(AttributeError, match="shared by every invocation"):
        needs.store = None


def test_a_handler_without_a_declaration_or_naming_no_part_is_refused_at_bootstrap(world):
    def undeclared(message, svc):
        return None

    with pytest.raises(TypeError, match="declares no @uses"):
        MessageBus(world.svc, {object: [undeclared]})
    with pytest.raises(TypeError, match=r"\['stor'\]"):
        uses("stor")
