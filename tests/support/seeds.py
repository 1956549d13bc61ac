"""What staff must never read: this repository's seed numbers as citations ("000 standard 5", "004 App. 1",
"004 s5.2", "reg 33(2)"), nor an appendix of no document ("(Appendix 1)"); rules.citations.for_staff turns
them into the council's document titles."""

from __future__ import annotations

import re

SEED_CITE = re.compile(r"\b00[0-4]\s+(?:s\d|standards?\s+\d|App(?:endix|\.)|Handbook)|\breg\s+33\b"
                       r"|\(App(?:endix|\.)\s*\d+\)|\bpractice standard \d")  # an appendix or standard of no document


def seed_citations(text: str) -> list[str]:
    """Each seed-number citation in `text`, with a little context."""
    return [text[max(0, m.start() - 30):m.end() + 10] for m in SEED_CITE.finditer(text)]
