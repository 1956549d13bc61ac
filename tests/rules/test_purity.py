"""rules/ is the pure domain (docs/architecture.md): it imports nothing that does I/O and never reads the clock
or the environment. Reading a policy file is the one exception, kept in rules/policy_file.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "rules"
DENY = ("socket", "http", "urllib.request", "sqlite3", "sqlalchemy", "msgraph", "httpx", "azure", "docx",
        "docxtpl", "requests", "subprocess", "asyncio", "ssl")
FORBIDDEN_CALLS = (r"date\.today\(", r"datetime\.now\(", r"datetime\.utcnow\(", r"os\.environ", r"time\.time\(",
                   r"os\.getenv\(", r"\bopen\(", r"\bprint\(")
IO_ALLOWED = {"policy_file.py"}  # reads the policy file (Path.read_text); nothing else may


def test_importing_every_rules_module_pulls_in_no_io_library() -> None:
    modules = sorted(f"rules.{p.stem}" for p in RULES.glob("*.py") if p.stem != "__init__")
    # Baseline: the standard library's importlib.metadata (which `holidays` uses to read its own version)
    # imports email.utils, which imports socket at module level for getfqdn(); nothing opens a socket.
    # Everything rules/ brings in beyond that is checked.
    script = (
        "import sys, json, importlib.metadata\n"
        "before = set(sys.modules)\n"
        f"for m in {modules!r}: __import__(m)\n"
        "from rules.policy import load_policy; load_policy()\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=RULES.parent)
    gained = json.loads(out.stdout)
    bad = [m for m in gained if any(m == d or m.startswith(d + ".") for d in DENY)]
    assert bad == [], f"rules/ imports I/O libraries: {bad}"
    assert len(modules) >= 10


def test_no_clock_environment_or_file_reads_in_rules() -> None:
    offenders = []
    for path in sorted(RULES.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in FORBIDDEN_CALLS:
            for m in re.finditer(pattern, text):
                offenders.append(f"{path.name}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)}")
        if path.name not in IO_ALLOWED and re.search(r"\.read_text\(|\.read_bytes\(|\.write_", text):
            offenders.append(f"{path.name}: file I/O outside policy_file.py")
    assert offenders == []
