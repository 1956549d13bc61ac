"""The one module in rules/ that touches the file system: read a policy file and parse its YAML.

Kept apart so the purity test can allow exactly this module's I/O (reading a file) and nothing else.
YAML is read with PyYAML's `safe_load` (no arbitrary objects); a syntax error becomes a PolicyError that
names the file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rules.errors import PolicyError


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            str(path), "(file)", "the file does not exist", "check the path, or omit it for the default"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(
            str(path), "(file)", f"cannot be read ({type(e).__name__})", "save it as UTF-8 text"
        ) from None


def parse_yaml(text: str, file: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "unknown line"
        raise PolicyError(
            file, f"(yaml syntax, {where})", str(e.problem or e), "correct the YAML at that line"
        ) from None
    except yaml.YAMLError as e:
        raise PolicyError(file, "(yaml syntax)", str(e), "correct the YAML") from None
