"""One home for the stage and role vocabulary (issue 11): rules/roles.py, with owners and labels from the policy.

No other module defines the stage labels ("Stage 2: Head of Service"), a stage -> words table, or a
role -> words table; they import rules.roles. Docstrings and comments may mention the words.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rules.roles import AD_QA, FORMAL_STAGES, ROLES, role_label, stage_label, stage_owner_role

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "rules" / "roles.py"
_STAGE_WORDS = re.compile(r"\bstage\s*[123]\s*[:(,-]\s*[a-z]", re.I)


def _modules() -> list[Path]:
    skip = ("tests", "node_modules", ".venv", "bench")
    return [p for p in ROOT.rglob("*.py") if not any(s in p.relative_to(ROOT).parts for s in skip) and p != HOME]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _copies(path: Path, labels: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs, found = _docstrings(tree), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value
            if _STAGE_WORDS.search(text) or text.strip().lower() in labels:
                found.append(f"{node.lineno}: {text[:60]!r}")
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            worded = [v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                      and (" " in v.value or v.value[:1].isupper())]
            if worded and (len(keys & {*FORMAL_STAGES, AD_QA}) >= 2 or len(keys & set(ROLES)) >= 3):
                found.append(f"{node.lineno}: a stage or role table {sorted(keys)[:4]}")
    return found


def test_no_module_but_rules_roles_defines_the_stage_or_role_words(policy):
    # the numbered stage labels and the AD (QA)'s (a bare "Team manager" is a role word, e.g. a document's field)
    labels = {stage_label(policy, s).lower() for s in (*FORMAL_STAGES, AD_QA)}
    labels |= {"assistant director, quality assurance", "ad (qa)", "stage 1 (team manager)"}
    copies = {str(p.relative_to(ROOT)): c for p in _modules() if (c := _copies(p, labels))}
    assert copies == {}, "import rules.roles (stage_label, role_label) instead of defining the words again"


def test_the_teams_stages_module_is_gone():
    assert not (ROOT / "graph_clients" / "teams" / "stages.py").exists()
    with pytest.raises(ImportError):
        __import__("graph_clients.teams.stages")


def test_owners_and_labels_come_from_the_policy(policy):
    stages = {**policy.resolution.stages}
    stages["stage2"] = stages["stage2"].model_copy(update={"label": "Group Manager", "owner_role": "tm"})
    renamed = policy.model_copy(update={"resolution": policy.resolution.model_copy(update={"stages": stages})})
    assert stage_label(renamed, "stage2") == "Stage 2: Group Manager"
    assert stage_owner_role(renamed, "stage2") == "tm"
    assert stage_label(policy, "stage2") == "Stage 2: Head of Service"
    assert stage_label(policy, AD_QA) == role_label(policy.resolution.breach_role)


def _lists(path: Path) -> list[str]:
    """Tuples, lists, sets and dict keys spelling out every role id, or every stage that responds: a second
    list of the vocabulary (a subset, such as a child's iro/sw/tm columns, is another idea)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else (
            node.keys if isinstance(node, ast.Dict) else [])
        words = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        if set(ROLES) <= words or {*FORMAL_STAGES, AD_QA} <= words:
            found.append(f"{node.lineno}: {sorted(words)[:5]}")
    return found


def test_no_module_but_rules_roles_lists_the_roles_or_the_stages():
    """The roster's roles and the resolution's stages are listed once (rules.roles.ROLES, RESPONDING_STAGES);
    the policy's `Role`, the roster import, the report's stage order and the bot's next stage import them."""
    other_ideas = {"rules/resolution.py": "the state machine: each state's moves",
                   "demo/council.py": "the demo council's address prefix per role"}
    copies = {rel: c for p in _modules() if (c := _lists(p)) and (rel := str(p.relative_to(ROOT))) not in other_ideas}
    assert copies == {}
