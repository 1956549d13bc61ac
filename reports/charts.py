"""The report's charts, drawn with matplotlib (Agg, no display) from the PUBLISHED figures, as PNG bytes.

Each chart comes with its alt text (Word shows it to screen-reader users; 002 Handbook 7.12 wants the report
public, and public documents must be accessible). A suppressed count ("<5") is drawn as a hatched bar of the
suppression threshold's height and labelled "<5", never at its true height.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

GREEN, RED, BLUE, GREY = "#2E7D32", "#C62828", "#1F3A5F", "#9E9E9E"


@dataclass(frozen=True)
class Chart:
    name: str       # file-safe id, e.g. "reviews_by_month"
    title: str
    alt: str        # alt text: what the chart shows, in words
    png: bytes


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False})
    return plt


def _height(v: Any, floor: int) -> tuple[float, bool]:
    """The bar's height and whether it is a suppressed value."""
    return (float(floor), True) if isinstance(v, str) else (float(v or 0), False)


def _save(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    _plt().close(fig)
    return buf.getvalue()


def _bars(ax, xs: Sequence[float], values: Sequence[Any], floor: int, *, bottom=None, colour=BLUE, label=None,
          horizontal: bool = False):
    heights, masked = zip(*(_height(v, floor) for v in values), strict=True) if values else ((), ())
    draw = ax.barh if horizontal else ax.bar
    bars = draw(xs, heights, **({"left": bottom} if horizontal else {"bottom": bottom}), color=colour, label=label)
    for bar, hidden, v in zip(bars, masked, values, strict=True):
        if hidden:
            bar.set_hatch("///")
            bar.set_alpha(0.5)
        if horizontal:
            ax.annotate(str(v), (bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2),
                        xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    return heights


def reviews_by_month(by_month: Mapping[str, Mapping[str, Any]], floor: int) -> Chart:
    plt = _plt()
    months = list(by_month)
    labels = [date.fromisoformat(m + "-01").strftime("%b\n%Y") for m in months]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    xs = range(len(months))
    ok = _bars(ax, xs, [by_month[m]["in_timescale"] for m in months], floor, colour=GREEN, label="In timescale")
    _bars(ax, xs, [by_month[m]["late"] for m in months], floor, bottom=ok, colour=RED, label="Out of timescale")
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel("Reviews held")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    total = sum(v["held"] for v in by_month.values() if isinstance(v["held"], int))
    alt = (f"Stacked bar chart of reviews held each month from {labels[0].replace(chr(10), ' ')} to "
           f"{labels[-1].replace(chr(10), ' ')}, in timescale (green) and out of timescale (red). "
           f"Months with fewer than {floor} are shown hatched. About {total} reviews in the months shown.")
    return Chart("reviews_by_month", "Reviews held each month", alt, _save(fig))


def participation(codes: Mapping[str, Any], descriptions: Mapping[str, str], floor: int) -> Chart:
    plt = _plt()
    keys = list(codes)
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    _bars(ax, range(len(keys)), [codes[k] for k in keys], floor, colour=BLUE)
    ax.set_xticks(range(len(keys)), keys)
    ax.set_ylabel("Reviews")
    biggest = max(keys, key=lambda k: _height(codes[k], floor)[0]) if keys else ""
    alt = (f"Bar chart of how children took part in their reviews, by SSDA903 participation code PN0 to PN7 "
           f"and unknown. The most common was {biggest} ({descriptions.get(biggest, '')}).")
    return Chart("participation", "Children's participation in their reviews", alt, _save(fig))


def disputes_by_category(by_category: Mapping[str, Any], floor: int) -> Chart:
    plt = _plt()
    keys = [k for k in by_category if by_category[k] != 0][::-1] or list(by_category)[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.3 * len(keys)))
    _bars(ax, range(len(keys)), [by_category[k] for k in keys], floor, colour=BLUE, horizontal=True)
    ax.set_yticks(range(len(keys)), [k if len(k) < 48 else k[:46] + "…" for k in keys])
    ax.set_xlabel("Concerns raised")
    ranked = sorted((k for k in keys if not isinstance(by_category[k], str) and by_category[k]),
                    key=lambda k: -by_category[k])
    top = ", ".join(ranked[:3]) or "none above the publication threshold"
    ax.set_title(f"Categories with none raised are left out; hatched: fewer than {floor}", fontsize=7, loc="left")
    alt = ("Horizontal bar chart of concerns raised through the dispute resolution process by Appendix 1 "
           f"category (categories with none left out; hatched bars: fewer than {floor}). The most frequent: {top}.")
    return Chart("disputes_by_category", "Concerns raised, by category", alt, _save(fig))


def caseloads(month_ends: Mapping[str, Mapping[str, Any]], band: Mapping[str, Any]) -> Chart:
    plt = _plt()
    days = list(month_ends)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    xs = range(len(days))
    ax.axhspan(band["min_per_fte"], band["max_per_fte"], color=GREEN, alpha=0.12,
               label=f"{band['min_per_fte']}-{band['max_per_fte']} per FTE ({band['source']})")
    iros = sorted({name for m in month_ends.values() for name in m["iros"]})
    for name in iros:
        ys = [month_ends[d]["iros"].get(name, {}).get("per_fte") for d in days]
        ax.plot(xs, [float("nan") if y is None else y for y in ys], marker="o", markersize=3, label=name)
    service = [month_ends[d]["service"]["per_fte"] for d in days]
    ax.plot(xs, [float("nan") if y is None else y for y in service], color="black", linewidth=2, label="Service")
    ax.set_xticks(list(xs), [date.fromisoformat(d).strftime("%b\n%Y") for d in days])
    ax.set_ylabel("Children per FTE")
    ax.set_ylim(bottom=0, top=max([band["max_per_fte"] * 1.2, *[y for y in service if y]]))
    ax.legend(frameon=False, fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4)
    alt = (f"Line chart of looked-after children per full-time-equivalent IRO at each month end, one line per IRO "
           f"and a thick line for the service, against the shaded band of {band['min_per_fte']} to "
           f"{band['max_per_fte']} per FTE (IRO Handbook 7.15).")
    return Chart("caseloads", "Caseloads per full-time IRO at each month end", alt, _save(fig))
