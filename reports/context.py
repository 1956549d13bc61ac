"""What the annual report's Word template may use (checked by `iro templates check`, like the case documents).

Every value is already published text (suppressed, labelled; see reports.publish): the template prints,
it never computes. A table is a list of `Row`s: a label and up to six value columns (`a`..`f`), whose
headings are written in the template itself so a council can reword them in Word. `charts.*` are images.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Row(_Model):
    label: str
    a: str = ""
    b: str = ""
    c: str = ""
    d: str = ""
    e: str = ""
    f: str = ""


class Charts(_Model):
    reviews_by_month: Any = ""
    participation: Any = ""
    disputes_by_category: Any = ""
    caseloads: Any = ""


class AnnualReport(_Model):
    """The IRO service's annual report for the corporate parenting board (002, Handbook 7.11)."""

    period: str                       # "1 April 2025 to 31 March 2026"
    previous: str = ""                # the comparison period, "" when there is none
    as_of: str                        # the day the figures are as of (the period's last day)
    suppress_below: int
    headline: list[Row]               # figure, this period, previous period
    reviews_by_review: list[Row]      # first / second / later: held, in timescale, late, %
    reviews_by_team: list[Row]
    reviews_by_iro: list[Row]
    late_reasons: list[Row]           # reason, reviews, previous
    participation: list[Row]          # code, description, reviews, previous
    parents: list[Row]
    quality: list[Row]                # measure, due, on time, late, not done, not yet due, %
    decisions: list[Row]              # figure, this period, previous
    disputes: list[Row]               # figure, this period, previous
    disputes_by_category: list[Row]   # category, raised, previous
    disputes_by_stage: list[Row]      # highest stage, raised, previous; open at the end
    themes_by_team: list[Row]         # team, raised, most frequent categories
    good_practice: list[Row]          # team, recorded, previous
    caseloads_at_end: list[Row]       # IRO, FTE, children, per FTE, against the band
    caseloads_by_month: list[Row]     # month end, children, FTE, per FTE, IROs above the band
    band: str                         # "50 to 70 children per full-time IRO (NAIRO IRO Toolkit, Handbook 7.15)"
    categories_source: str            # where the dispute categories come from, in the council's titles
    changes_source: str               # where the kinds of significant change come from
    link_every: str                   # "2 months": the policy's link-meeting interval in words
    link_source: str                  # the link meetings' source, in the council's titles
    first_review: str                 # "20 working days": the policy's review clocks, as the report says them
    second_review: str
    later_review: str
    resolution_cap: str               # the formal resolution process's cap, "20 working days"
    link_meetings: list[Row]          # team, due, held on time, late, not held, meetings held
    significant_changes: list[Row]    # kind, notified, previous
    changes_notified_late: str
    charts: Charts
