"""An IRO's caseload against the band (IRO Handbook 7.15, in 002): 50 to 70 looked-after children per
full-time IRO, pro rata for part-time IROs (a 0.6 FTE IRO's band is 30 to 42). The band's edges are inside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rules.errors import InputError
from rules.model import Person
from rules.policy import Policy


@dataclass(frozen=True, slots=True)
class CaseloadVerdict:
    iro: str                                      # the IRO's email (the roster key); no names
    children: int
    fte: float
    band_min: float                               # min_per_fte * fte
    band_max: float                               # max_per_fte * fte
    verdict: Literal["below", "within", "above"]  # "above": warn the IRO manager (docs/domain.md s6)
    source: str


def assess(iro: Person, children: int, policy: Policy) -> CaseloadVerdict:
    """Where `children` looked-after children sit against the IRO's pro-rata band."""
    if not 0 < iro.fte <= 1.5:
        raise InputError(f"IRO {iro.email} has fte {iro.fte}", "set fte between 0 (exclusive) and 1.5 in the roster")
    if children < 0:
        raise InputError(f"IRO {iro.email} has a negative caseload ({children})", "count the children again")
    band = policy.caseload
    low, high = band.min_per_fte * iro.fte, band.max_per_fte * iro.fte
    verdict: Literal["below", "within", "above"] = "within"
    if children < low:
        verdict = "below"
    elif children > high:
        verdict = "above"
    return CaseloadVerdict(iro.email, children, iro.fte, low, high, verdict, band.source.cite)
