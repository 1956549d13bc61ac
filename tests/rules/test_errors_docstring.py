"""rules/errors.py's docstring is true (issue 11): its tree is every class the module defines, with each
class under its real base, and its other sections name every exception class defined elsewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import rules.errors as errors

ROOT = Path(__file__).resolve().parents[2]
_NAME = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>[A-Za-z_][A-Za-z0-9_]*)\b")


def _tree() -> dict[str, str | None]:
    """class -> parent, from the docstring's tree (the indented block after the first line)."""
    lines = (errors.__doc__ or "").split("\n\n")[1].splitlines()
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in lines:
        m = _NAME.match(line.strip("\n")[4:])
        if not m:
            continue
        depth = len(m.group("indent"))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[m.group("name")] = stack[-1][1] if stack else None
        stack.append((depth, m.group("name")))
    return parents


def _section(title: str) -> set[str]:
    block = next(b for b in (errors.__doc__ or "").split("\n\n") if b.startswith(title))
    return {m.group(1) for m in re.finditer(r"^    ([A-Za-z_]\w*)\s", block, re.M)}


def _defined() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, cls in vars(errors).items():
        if (isinstance(cls, type) and issubclass(cls, BaseException) and cls.__module__ == errors.__name__
                and not name.startswith("_")):
            base = cls.__bases__[0].__name__
            out[name] = None if base == "Exception" else base
    return out


def _exceptions_elsewhere() -> set[str]:
    """Exception classes defined outside rules/errors.py (by their bases' names, transitively)."""
    known = {"Exception", "BaseException", "ValueError", "RuntimeError", *_defined()}
    classes: list[tuple[str, list[str]]] = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", ".venv", "bench") or "node_modules" in rel.parts or rel == Path("rules/errors.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
                classes.append((node.name, bases))
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, bases in classes:
            if name not in found and any(b in known or b in found for b in bases):
                found.add(name)
                changed = True
    return found


def test_the_tree_is_every_class_of_the_module_under_its_real_base():
    assert _tree() == _defined()


def test_the_other_sections_name_every_exception_class_defined_elsewhere():
    named = _section("Subclasses of the above") | _section("Outside the hierarchy")
    assert named == _exceptions_elsewhere()
    assert "Incomplete" in _section("Outside the hierarchy")
