"""Code and docs cite the repository's own docs (issue 11): every docs/X.md named in code, policy or docs
exists, every relative .md link in the docs resolves, and nothing cites ARCHITECTURE.md / DOMAIN.md or the
../shared folder, which are not in the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".git", "node_modules", ".venv", ".hypothesis", "out", ".ci", "__pycache__"}
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".json", ".txt", ".cfg", ".ini", ""}
_DOCS = re.compile(r"\bdocs/([A-Za-z0-9_-]+\.md)\b")
_LINK = re.compile(r"\]\((?!https?:|#|mailto:)([^)#\s]+\.md)(?:#[^)]*)?\)")
_OUTSIDE = re.compile(r"\b(?:ARCHITECTURE|DOMAIN)\.md\b|\.\./shared\b|/work/shared\b")


def _files() -> list[Path]:
    here = Path(__file__).resolve()
    return [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in SUFFIXES and p.resolve() != here
            and not SKIP & set(p.relative_to(ROOT).parts)]


def _text(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


def test_every_docs_file_named_exists():
    missing = {f"{p.relative_to(ROOT)}: docs/{name}" for p in _files() for name in _DOCS.findall(_text(p))
               if not (ROOT / "docs" / name).exists()}
    assert missing == set()


def test_every_relative_markdown_link_resolves():
    broken = {f"{p.relative_to(ROOT)}: {link}" for p in _files() if p.suffix == ".md"
              for link in _LINK.findall(_text(p)) if not (p.parent / link).resolve().exists()}
    assert broken == set()


def test_nothing_cites_files_outside_the_repository():
    outside = {f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _files() for m in _OUTSIDE.finditer(_text(p))
               if p.relative_to(ROOT) != Path("tests/conftest.py")}  # the seeds' location, for the seed tests
    assert outside == set()
