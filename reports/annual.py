"""The annual report: figures -> the Word document (docxtpl, charts as images with alt text) and the JSON.

    report_json(figures, policy, people, previous=None) -> dict     what `iro report annual --json` prints
    report_context(...) -> (AnnualReport, [Chart])                  the template's context and the charts
    render_report(context, charts, branding=None, template_dir=None) -> .docx bytes

The document is rendered with the case documents' environment (doc_templates.render: sandboxed, strict,
autoescaped) after the template is checked against reports.context.AnnualReport, so a council's edit that
names a figure the context lacks fails with the template and the tag named, as for every other document.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from reports.context import AnnualReport, Charts, Row
from reports.publish import labelled, published, rate, suppress
from rules.citations import categories_source, for_staff
from rules.model import Person
from rules.participation import PARTICIPATION as SSDA903_PARTICIPATION
from rules.policy import Policy
from rules.roles import RESPONDING_STAGES, stage_label

#: SSDA903 REVIEW_CODE (DfE's children looked after return guide): how the child took part in the review, in the
#: return's own words, the ones the review record asks the IRO to tick (rules/participation.py: one source).
PARTICIPATION = {**SSDA903_PARTICIPATION, "unknown": "Not recorded"}
REVIEWS = {"first": "First review", "second": "Second review", "later": "Later reviews"}


def stage_names(policy: Policy) -> dict[str, str]:
    return {s: stage_label(policy, s) for s in ("informal", *RESPONDING_STAGES)}


def _long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def period_label(period: Mapping[str, str]) -> str:
    return f"{_long_date(date.fromisoformat(period['from']))} to {_long_date(date.fromisoformat(period['to']))}"


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _with_rate(pub: Any, part: int, whole: int, policy: Policy) -> str:
    pct = rate(part, whole, policy)
    return f"{pub} ({pct})" if pct != "-" else _s(pub)


def _days(policy: Policy, clock_id: str) -> str:
    return policy.clocks[clock_id].span


class _Pair:
    """The period's figures, raw (labelled) and published, and the previous period's if any."""

    def __init__(self, raw: Mapping[str, Any], pub: Mapping[str, Any], policy: Policy) -> None:
        self.raw, self.pub, self.policy = raw, pub, policy


def _headline(x: _Pair) -> list[tuple[str, str]]:
    policy = x.policy
    r, pr = x.raw["reviews"], x.pub["reviews"]
    rec = x.raw["records"]
    d, dp = x.raw["disputes"], x.pub["disputes"]
    end = list(x.pub["caseloads"]["month_ends"].values())[-1]["service"] if x.pub["caseloads"]["month_ends"] else {}
    kids = x.raw["children"]["looked_after_during"]
    rows = [
        ("Children looked after during the period", _s(x.pub["children"]["looked_after_during"])),
        ("Children looked after at the period end", _s(x.pub["children"]["looked_after_at_end"])),
        ("Reviews held", _s(pr["held"])),
        ("Reviews held in timescale", _with_rate(pr["in_timescale"], r["in_timescale"], r["held"], policy)),
        ("Reviews held out of timescale", _with_rate(pr["late"], r["late"], r["held"], policy)),
        ("Reviews due in the period and not held by its end", _s(pr["not_held"])),
        ("Midway oversight recorded on time", _with_rate(x.pub["midway_oversight"]["on_time"],
                                                         x.raw["midway_oversight"]["on_time"],
                                                         x.raw["midway_oversight"]["due"], policy)),
    ]
    for cid, label in (("decisions_to_tm", "Decisions sent to the team manager within"),
                       ("record_completed", "Review records completed within"),
                       ("record_distributed", "Review records distributed within")):
        rows.append((f"{label} {_days(policy, cid)}",
                     _with_rate(x.pub["records"][cid]["on_time"], rec[cid]["on_time"], rec[cid]["due"], policy)))
    rows += [
        ("Concerns raised (dispute resolution)", _s(dp["raised"])),
        ("Concerns raised per 100 children looked after during the period", _per_100(d["raised"], kids, policy)),
        (f"Formal disputes resolved within {_days(policy, policy.resolution.cap_clock)}",
         _with_rate(dp["resolved_within_cap"], d["resolved_within_cap"], d["resolved_formal"], policy)),
        ("Referrals to Cafcass", _s(dp["cafcass_referrals"])),
        ("Good practice recorded", _s(x.pub["good_practice"]["recorded"])),
        ("Children per full-time IRO at the period end", _s(end.get("per_fte")) or "-"),
    ]
    return rows


def _per_100(n: int, children: int, policy: Policy) -> str:
    """A rate for context beside other councils' (Medway's members asked for benchmarks); "-" when either
    number is too small to publish."""
    if isinstance(suppress(n, policy), str) or isinstance(suppress(children, policy), str) or not children:
        return "-"
    return f"{100 * n / children:.1f}"


def _compare_rows(now: list[tuple[str, str]], before: list[tuple[str, str]] | None) -> list[Row]:
    prev = dict(before or [])  # a row the previous period lacks had none of it then
    return [Row(label=label, a=value, b=prev.get(label, "0") if before is not None else "") for label, value in now]


def _split_rows(raw: Mapping[str, Any], pub: Mapping[str, Any], policy: Policy, names: Mapping[str, str] | None = None
                ) -> list[Row]:
    return [Row(label=(names or {}).get(k, k), a=_s(pub[k]["held"]), b=_s(pub[k]["in_timescale"]), c=_s(pub[k]["late"]),
                d=rate(raw[k]["in_timescale"], raw[k]["held"], policy)) for k in raw]


def _counts(pub: Mapping[str, Any], names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    return [((names or {}).get(k, k), _s(v)) for k, v in pub.items()]


def _sections(x: _Pair) -> dict[str, list[tuple[str, str]]]:
    """The period's figure | value tables, for pairing with the previous period's."""
    dp = x.pub["disputes"]
    dec = x.pub["decisions"]
    stages = stage_names(x.policy)  # rules.roles: the policy's stage names
    return {
        "headline": _headline(x),
        "late_reasons": _counts(x.pub["reviews"]["late_reasons"]),
        "parents": _counts(x.pub["participation"]["parents"]),
        "decisions": [("Decisions recorded", _s(dec["recorded"])), ("Due in the period", _s(dec["due"])),
                      ("Done on time", _s(dec["on_time"])), ("Done late", _s(dec["late"])),
                      ("Not done by the period end", _s(dec["not_done"])), ("Not yet due", _s(dec["pending"])),
                      ("Carried forward to a later review", _s(dec["carried_forward"]))],
        "disputes": [("Concerns raised", _s(dp["raised"])), ("Resolved", _s(dp["resolved"])),
                     ("Resolved informally", _s(dp["resolved_informally"])),
                     ("Resolved through the formal process", _s(dp["resolved_formal"])),
                     ("Formal: resolved within the cap", _s(dp["resolved_within_cap"])),
                     ("Median working days from raising to resolution",
                      _s(dp["median_working_days_to_resolution"]) if isinstance(x.raw["disputes"]["resolved"], int)
                      and x.raw["disputes"]["resolved"] >= x.policy.report.suppress_below else "-"),
                     ("Referrals to Cafcass", _s(dp["cafcass_referrals"])),
                     *[(f"Open at the period end: {stages.get(s, s)}", _s(v)) for s, v in dp["open_at_end"].items()]],
        "disputes_by_category": _counts(dp["by_category"]),
        "disputes_by_stage": _counts(dp["highest_stage"], stages),
        "good_practice": _counts(x.pub["good_practice"]["by_team"]),
        "significant_changes": [*_counts(x.pub["significant_changes"]["by_kind"]),
                                ("All significant changes notified", _s(x.pub["significant_changes"]["notified"]))],
    }


def report_json(figures: Mapping[str, Any], policy: Policy, people: Iterable[Person],
                previous: Mapping[str, Any] | None = None, council: str = "") -> dict[str, Any]:
    """The published figures (and the previous period's beside them): the report's numbers as one object.
    `council` is the branding's name (as on the document), else the policy's."""
    people = list(people)
    out = {"council": council or policy.council, "suppress_below": policy.report.suppress_below,
           **published(figures, policy, people)}
    if previous is not None:
        out["previous"] = published(previous, policy, people)
    return out


def report_context(figures: Mapping[str, Any], policy: Policy, people: Iterable[Person],
                   previous: Mapping[str, Any] | None = None):
    """The template's context and the charts, from the raw figures of the period (and the previous one)."""
    from reports import charts

    people = list(people)
    now = _Pair(labelled(figures, policy, people), published(figures, policy, people), policy)
    before = None
    if previous:
        before = _Pair(labelled(previous, policy, people), published(previous, policy, people), policy)
    s_now, s_before = _sections(now), (_sections(before) if before else {})
    table = {k: _compare_rows(v, s_before.get(k) if before else None) for k, v in s_now.items()}
    raw_r, pub_r = now.raw["reviews"], now.pub["reviews"]
    codes = now.pub["participation"]["children"]
    prev_codes = before.pub["participation"]["children"] if before else {}
    floor = policy.report.suppress_below
    months = now.pub["caseloads"]["month_ends"]
    last = list(months.values())[-1] if months else {"iros": {}, "service": {}}
    band = now.pub["caseloads"]["band"]
    themes = []
    for team, cats in now.pub["disputes"]["themes_by_team"].items():
        raw_cats = now.raw["disputes"]["themes_by_team"][team]
        top = sorted((k for k, v in raw_cats.items() if v), key=lambda k: -raw_cats[k])[:3]
        themes.append(Row(label=team, a=_s(suppress(sum(raw_cats.values()), policy)),
                          b="; ".join(f"{k} ({cats[k]})" for k in top)))
    drawn = [
        charts.reviews_by_month(pub_r["by_month"], floor),
        charts.participation(codes, PARTICIPATION, floor),
        charts.disputes_by_category(now.pub["disputes"]["by_category"], floor),
        charts.caseloads(months, band),
    ]
    context = AnnualReport(
        period=period_label(figures["period"]),
        previous=period_label(previous["period"]) if previous else "",
        as_of=_long_date(date.fromisoformat(figures["period"]["to"])),
        suppress_below=floor,
        headline=table["headline"],
        reviews_by_review=_split_rows({REVIEWS[k]: v for k, v in raw_r["by_review"].items()},
                                      {REVIEWS[k]: v for k, v in pub_r["by_review"].items()}, policy),
        reviews_by_team=_split_rows(raw_r["by_team"], pub_r["by_team"], policy),
        reviews_by_iro=_split_rows(raw_r["by_iro"], pub_r["by_iro"], policy),
        late_reasons=table["late_reasons"],
        participation=[Row(label=k, a=PARTICIPATION[k], b=_s(v), c=_s(prev_codes.get(k, "")))
                       for k, v in codes.items()],
        parents=table["parents"],
        quality=_quality(now),
        decisions=table["decisions"],
        disputes=table["disputes"],
        disputes_by_category=table["disputes_by_category"],
        disputes_by_stage=table["disputes_by_stage"],
        themes_by_team=themes,
        good_practice=table["good_practice"],
        caseloads_at_end=[Row(label=name, a=f"{row['fte']:g}", b=_s(row["children"]), c=_s(row["per_fte"]) or "-",
                              d=row["verdict"] if row["per_fte"] is not None else "-")
                          for name, row in sorted(last["iros"].items())],
        caseloads_by_month=[Row(label=_long_date(date.fromisoformat(day)), a=_s(m["service"]["children"]),
                                b=f"{m['service']['fte']:g}", c=_s(m["service"]["per_fte"]) or "-",
                                d=str(sum(1 for r in m["iros"].values() if r["verdict"] == "above")))
                            for day, m in months.items()],
        band=f"{band['min_per_fte']} to {band['max_per_fte']} children per full-time IRO "
             f"({for_staff(policy, band['source'])})",
        **_sources(policy),
        link_meetings=[Row(label=team, a=_s(t["due"]), b=_s(t["on_time"]), c=_s(t["late"]),
                           d=_s(t["not_done"]), e=_s(t["held"])) for team, t in now.pub["link_meetings"].items()],
        significant_changes=table["significant_changes"],
        changes_notified_late=_s(now.pub["significant_changes"]["notified_late"]),
        charts=Charts(),
    )
    return context, drawn


def _sources(policy: Policy) -> dict[str, str]:
    """Where the report's lists come from, in the council's document titles (rules/citations.py), and the
    policy's timescales the text states."""
    return {"categories_source": categories_source(policy),
            "changes_source": for_staff(policy, policy.significant_changes[0].source.cite),
            "link_every": policy.link_meetings.interval,
            "link_source": for_staff(policy, policy.link_meetings.source.cite),
            **{cid: _days(policy, cid) for cid in ("first_review", "second_review", "later_review")},
            "resolution_cap": _days(policy, policy.resolution.cap_clock)}


def _quality(x: _Pair) -> list[Row]:
    policy = x.policy
    rows = [("midway_oversight", "Midway oversight between reviews", x.raw["midway_oversight"],
             x.pub["midway_oversight"])]
    labels = {"decisions_to_tm": "Decisions sent to the team manager", "record_completed": "Review record completed",
              "record_distributed": "Review record distributed"}
    rows += [(cid, f"{labels[cid]} (within {_days(policy, cid)})", x.raw["records"][cid], x.pub["records"][cid])
             for cid in labels]
    out = []
    for _cid, label, raw, pub in rows:
        out.append(Row(label=label, a=_s(pub["due"]), b=_s(pub["on_time"]), c=_s(pub["late"]), d=_s(pub["not_done"]),
                       e=_s(pub["pending"]), f=rate(raw["on_time"], raw["due"] - raw["pending"], policy)))
    return out


def render_report(context: AnnualReport, drawn: list, *, branding: Any = None,
                  template_dir: str | Path | None = None) -> bytes:
    """The report as .docx bytes: the template checked, rendered, the charts placed with their alt text."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from doc_templates.branding import DEFAULT_BRANDING
    from doc_templates.check import check_template
    from doc_templates.render import TEMPLATE_DIR, _logo, _values, environment
    from reports.template import FILE
    from rules.errors import MissingFields, TemplateError

    path = Path(template_dir or TEMPLATE_DIR) / FILE
    if not path.is_file():
        raise TemplateError(f"template '{FILE}' is missing from {path.parent}; copy it from {TEMPLATE_DIR}")
    problems = check_template(path, "annual_report")
    if problems:
        names = [n for p in problems for n in p.names]
        if names:
            raise MissingFields(FILE, names, where="the annual_report context")
        raise TemplateError(str(problems[0]))
    tpl = DocxTemplate(str(path))
    values = _values(context.model_dump())
    values["charts"] = {c.name: InlineImage(tpl, io.BytesIO(c.png), width=Mm(165)) for c in drawn}
    brand = branding or DEFAULT_BRANDING
    values["council"] = brand.template_fields()
    values["logo"] = _logo(tpl, brand)
    tpl.render(values, environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return _alt_text(out.getvalue(), drawn)


def _alt_text(blob: bytes, drawn: list) -> bytes:
    """Give each chart picture its title and alt text (docPr title/descr), matched by the image bytes."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(blob))
    by_png = {c.png: c for c in drawn}
    for inline in doc.element.body.iter(qn("wp:inline")):
        blip = next(inline.iter(qn("a:blip")), None)
        if blip is None:
            continue
        part = doc.part.related_parts.get(blip.get(qn("r:embed")))
        chart = by_png.get(getattr(part, "blob", b""))
        if chart is not None:
            pr = inline.find(qn("wp:docPr"))
            pr.set("title", chart.title)
            pr.set("descr", chart.alt)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
