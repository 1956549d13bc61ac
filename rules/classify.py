"""Which 004 Appendix 2 significant change a social worker's email is about: a keyword match, pure.

Each kind in the policy lists lowercase phrases (`keywords`). A phrase matches as whole words, case-blind,
with any run of spaces, punctuation-free line breaks or tabs between its words. The kind with the most
distinct phrases matched wins, a phrase in the subject counting double; a tie goes to the kind listed first
in the policy. None means nothing matched: the caller records the email as unclassifiable for a person.
"""

from __future__ import annotations

import re

from rules.policy import Policy

_CACHE: dict[int, tuple[Policy, list[tuple[str, re.Pattern[str]]]]] = {}


def _phrase(keyword: str) -> str:
    words = [re.escape(w) for w in keyword.split()]
    # \b only where the phrase starts/ends with a word character ("a&e" and "s.47" still match)
    head = r"\b" if re.match(r"\w", keyword) else r"(?<!\w)"
    tail = r"\b" if re.search(r"\w$", keyword) else r"(?!\w)"
    return head + r"\s+".join(words) + tail


def _patterns(policy: Policy) -> list[tuple[str, re.Pattern[str]]]:
    cached = _CACHE.get(id(policy))
    if cached is None or cached[0] is not policy:
        compiled = [
            (kind.id, re.compile("|".join(f"(?P<k{i}>{_phrase(k)})" for i, k in enumerate(kind.keywords)), re.I))
            for kind in policy.significant_changes
        ]
        cached = _CACHE[id(policy)] = (policy, compiled)
    return cached[1]


def _hits(pattern: re.Pattern[str], text: str) -> set[str]:
    return {name for m in pattern.finditer(text) for name, value in m.groupdict().items() if value}


def classify_significant_change(subject: str, body: str, policy: Policy) -> str | None:
    """The Appendix 2 kind id the email is about, or None when no keyword matches."""
    best: tuple[int, str] | None = None
    for kind_id, pattern in _patterns(policy):
        in_subject = _hits(pattern, subject or "")
        score = 2 * len(in_subject) + len(_hits(pattern, body or "") - in_subject)
        if score and (best is None or score > best[0]):
            best = (score, kind_id)
    return best[1] if best else None
