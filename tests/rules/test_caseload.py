"""Caseload band (IRO Handbook 7.15, in 002): 50-70 per full-time IRO, pro rata."""

from __future__ import annotations

import pytest

from rules.caseload import assess
from rules.errors import InputError
from rules.model import Person


@pytest.mark.parametrize(
    ("fte", "children", "verdict", "band"),
    [
        (1.0, 49, "below", (50, 70)),
        (1.0, 50, "within", (50, 70)),   # the band's edges are inside it
        (1.0, 70, "within", (50, 70)),
        (1.0, 71, "above", (50, 70)),    # warn the IRO manager (docs/domain.md s6)
        (0.6, 42, "within", (30, 42)),   # pro rata
        (0.6, 43, "above", (30, 42)),
        (0.5, 24, "below", (25, 35)),
    ],
)
def test_band(policy, fte, children, verdict, band) -> None:  # type: ignore[no-untyped-def]
    got = assess(Person("iro1@council.example", role="iro", fte=fte), children, policy)
    assert got.verdict == verdict
    assert (got.band_min, got.band_max) == pytest.approx(band)
    assert got.source == "002 Handbook 7.15" and got.iro == "iro1@council.example"


@pytest.mark.parametrize(("fte", "children"), [(0.0, 10), (2.0, 10), (1.0, -1)])
def test_bad_input(policy, fte, children) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as e:
        assess(Person("iro1@council.example", fte=fte), children, policy)
    assert "iro1@council.example" in e.value.reason and e.value.what_to_do
