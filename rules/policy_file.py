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
    except RecursionError:
        raise PolicyError(file, "(yaml syntax, line 1)", "lists or mappings nest too deeply",
                          "start from the default policy") from None
    except ValueError:  # PyYAML's constructor: a timestamp that cannot exist, such as 2026-02-30
        raise PolicyError(file, f"(yaml value, line {_bad_date_line(text)})", "a date that does not exist",
                          "correct the date (YYYY-MM-DD, a real day)") from None


def _bad_date_line(text: str) -> int:
    import re
    from datetime import date

    for n, line in enumerate(text.splitlines(), start=1):
        for found in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line):
            try:
                y, m, d = (int(x) for x in found.split("-"))
                date(y, m, d)
            except ValueError:
                return n
    return 1


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) of the YAML node at `loc` (mapping keys and list indexes), or the nearest parent."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            found = node.value[part]
        else:
            found = None
        if found is None:
            break
        node, line = found, found.start_mark.line + 1
    return line
