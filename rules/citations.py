"""Citations as staff read them: the council's document titles and sections, never the seed file numbers.

The policy cites its sources briefly (`Source.cite`: "004 s5.2", "000 standard 10", "reg 33(2)(a)") and holds
a title for each document (`sources:`). `for_staff(policy, "004 s5.2")` gives "IRO Dispute Resolution Policy
and Procedure, section 5.2"; a part that names no document ("Appendix 3" in "004 s3.1; Appendix 3") keeps
the document before it.
"""

from __future__ import annotations

import re

from rules.policy import Policy

_DOC = re.compile(r"^\s*(000|001|002|003|004|reg|council)\b\s*(.*)$", re.S)
_SECTION = re.compile(r"^s(\d[\d.\-]*)(.*)$", re.S)


def _section(text: str) -> str:
    text = re.sub(r"\bApp\.\s*", "Appendix ", text.strip())
    m = _SECTION.match(text)
    if m:
        word = "sections" if "-" in m.group(1) else "section"
        return f"{word} {m.group(1)}{_section(m.group(2)) if m.group(2).strip() else ''}"
    return re.sub(r",\s*s(\d)", r", section \1", text)


def for_staff(policy: Policy, cite: str) -> str:
    """Every ';'-separated part of a short citation, with its document's title and the section in words."""
    parts: list[str] = []
    for part in (p.strip() for p in (cite or "").split(";")):
        if not part:
            continue
        m = _DOC.match(part)
        if not m:
            parts.append(_section(part))
            continue
        doc, rest = m.group(1), m.group(2).strip()
        key = "reg33" if doc == "reg" else doc
        title = policy.sources[key].title if key in policy.sources else doc  # type: ignore[index]
        if doc == "reg":
            parts.append(f"{title}, regulation {rest}" if rest else title)
        else:
            parts.append(f"{title}, {_section(rest)}" if rest else title)
    return "; ".join(parts)


_IN_TEXT = re.compile(r"\b(?:00[0-4]\s+(?:standards?\s+\d+(?:\s*[-,]\s*\d+)*|s\d[\d.\-]*|App(?:endix|\.)\s*\d+"
                      r"|Handbook\s+\d+(?:\.\d+)*)"
                      r"|reg\s+33(?:\(\w+\))*)")


def categories_source(policy: Policy) -> str:
    """Where the dispute categories come from, in the council's titles ("IRO Dispute Resolution Policy and
    Procedure, Appendix 1"): the first category's source, as the list is one appendix."""
    return for_staff(policy, policy.categories[min(policy.categories)].source.cite)


def in_text(policy: Policy, text: str) -> str:
    """`text` with every short citation inside it ("... (000 standard 5: every decision ...)") in the council's
    words: for messages written with a seed citation in them (problems, notes)."""
    return _IN_TEXT.sub(lambda m: for_staff(policy, m.group(0)), text or "")
