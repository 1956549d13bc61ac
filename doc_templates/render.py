"""Render a document kind to .docx bytes with docxtpl, and name the file.

    render(kind, context, *, branding=None, template_dir=None) -> bytes
    document_name(kind, case_ref, on, draft=True) -> "CLA-100234_review-record_2026-03-14_DRAFT.docx"

Safety nets, in order: the context is validated against the kind's model (a missing field raises
MissingFields naming the template and the fields); the template is checked against that model before it is
rendered (a tag naming a field the context lacks raises MissingFields naming the template and the tags,
see `doc_templates.check`); Jinja runs with StrictUndefined, so anything the check could not see still
fails loudly instead of printing a blank; autoescape is on, so "<", "&" and quotes in a concern or a
child's words cannot break the document's XML; and the environment is sandboxed (jinja2.sandbox), because
a template is code that council staff edit in Word.

Template bytes are cached per file (path, size, mtime), so a council's edit is picked up without a restart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from doc_templates import DRAFT_MARK, Kind
from doc_templates.branding import DEFAULT_BRANDING, Branding
from doc_templates.contexts import DocumentContext, as_kind, template_file, validate_context
from rules.errors import InputError, MissingFields, TemplateError

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LOGO_WIDTH = Mm(35)


class UKDate(date):
    """A date that prints as "14 March 2026" in a template; `.strftime` still works for other forms."""

    def __str__(self) -> str:
        return f"{self.day} {self.strftime('%B %Y')}"

    def __html__(self) -> str:  # autoescape: already safe text
        return str(self)


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd" (the review's number in the sequence)."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Environment(SandboxedEnvironment):
    """Sandboxed (no `__class__` walks out of the context), and compiles each distinct XML source once:
    docxtpl calls `from_string` for the body, every header and footer and each document property on every
    render, and compiling is about a third of a render's time. Compiled templates are immutable, so sharing
    them between renders (and threads) is safe."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.filters["ordinal"] = ordinal
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= 256:  # a council editing templates all day: forget the oldest
                self._compiled.pop(next(iter(self._compiled)))
            template = self._compiled[source] = super().from_string(source)
        return template


_SHARED = _Environment()


class _Template(DocxTemplate):
    """docxtpl's template, with its clean-up of the template's own XML (`patch_xml`: the regexes that join the
    runs Word splits a tag into) done once per part of each template version instead of on every render: it is
    a function of that XML alone, and was a sixth of a render's time (bench: the go-live sweep drafts ~100)."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        done = self._patched.get(src_xml)
        if done is None:
            if len(self._patched) >= 64:  # templates edited all day: forget the oldest
                self._patched.pop(next(iter(self._patched)), None)
            done = self._patched[src_xml] = super().patch_xml(src_xml)
        return done


def environment() -> jinja2.Environment:
    """The Jinja environment every template renders (and is checked) in: StrictUndefined, autoescape on."""
    return _SHARED


def template_path(kind: str, template_dir: str | Path | None = None) -> Path:
    path = Path(template_dir or TEMPLATE_DIR) / template_file(kind)
    if not path.is_file():
        raise TemplateError(f"template '{path.name}' is missing from {path.parent}; copy it from {TEMPLATE_DIR}")
    return path


def render(
    kind: str,
    context: DocumentContext | Mapping[str, Any],
    *,
    branding: Branding | None = None,
    template_dir: str | Path | None = None,
) -> bytes:
    """The document as .docx bytes. Raises MissingFields or TemplateError (never with a child's name)."""
    kind = as_kind(kind)
    model = validate_context(kind, context)
    path = template_path(kind, template_dir)
    stat = path.stat()
    blob, unknown = _template(str(path), kind, stat.st_size, stat.st_mtime_ns)
    if unknown:
        raise MissingFields(path.name, unknown, where=f"the {kind.value} context")
    tpl = _Template(io.BytesIO(blob))
    values = _values(model.model_dump())
    values["council"] = (branding or DEFAULT_BRANDING).template_fields()
    values["logo"] = _logo(tpl, branding or DEFAULT_BRANDING)
    try:
        tpl.render(values, environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise MissingFields(path.name, [_undefined_name(exc)], where=f"the {kind.value} context") from None
    except jinja2.TemplateSyntaxError as exc:
        problem = f"template '{path.name}': a tag cannot be read ({exc.message}); correct it in Word"
        raise TemplateError(problem) from None
    except jinja2.exceptions.SecurityError as exc:
        problem = f"template '{path.name}': a tag reaches outside its context ({exc}); remove it"
        raise TemplateError(problem) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


@lru_cache(maxsize=64)
def _template(path: str, kind: Kind, size: int, mtime_ns: int) -> tuple[bytes, tuple[str, ...]]:
    """The template's bytes and the tags it uses that the kind's context lacks (cached per file version)."""
    from doc_templates.check import check_template  # check imports render's environment()

    blob = Path(path).read_bytes()
    problems = check_template(Path(path), kind)
    syntax = [p for p in problems if not p.names]
    if syntax:
        raise TemplateError(str(syntax[0]))
    return blob, tuple(sorted({n for p in problems for n in p.names}))


def _values(value: Any) -> Any:
    """model_dump() output with dates as UKDate (datetimes are left alone: no document uses one)."""
    if isinstance(value, dict):
        return {k: _values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_values(v) for v in value]
    if isinstance(value, date) and not isinstance(value, datetime):
        return UKDate(value.year, value.month, value.day)
    return value


def _logo(tpl: DocxTemplate, branding: Branding) -> Any:
    if branding.logo is None:
        return ""
    return InlineImage(tpl, str(branding.logo), width=LOGO_WIDTH)


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    """Jinja's message names the missing variable or attribute: "'x' is undefined", "... has no attribute 'y'"."""
    found = re.findall(r"'([^']+)'", exc.message or "")
    return found[-1] if found else "(a tag)"


_SAFE_REF = re.compile(r"[^A-Za-z0-9-]+")


def document_name(kind: str, case_ref: str, on: date, *, part: str = "", draft: bool = False,
                  mark: str = DRAFT_MARK) -> str:
    """`<case ref>_<kind>_<date>[_<part>][_DRAFT].docx`, e.g. CLA-100234_review-record_2026-03-14_DRAFT.docx.
    Never a child's name: only the case reference (characters other than letters, digits and "-" become
    "-"). `part` tells apart several documents of one kind on one day (the child's, a parent's, a carer's
    consultation form); a draft ends in its mark (the policy's `case_folder.draft_mark`, DRAFT by default: the
    mark the library's completion rule looks for) until the person completes it and saves it as `final_name`."""
    ref = _SAFE_REF.sub("-", case_ref or "").strip("-")
    if not ref:
        raise InputError("a document needs a case reference for its file name", "give the case reference")
    extra = f"_{_SAFE_REF.sub('-', part)}" if part else ""
    flag = f"_{_SAFE_REF.sub('-', mark)}" if draft else ""
    return f"{ref}_{as_kind(kind).value.replace('_', '-')}_{on.isoformat()}{extra}{flag}.docx"


def final_name(name: str, mark: str = DRAFT_MARK) -> str:
    """The name a completed draft is saved under: the draft's name without its mark."""
    return name.replace(f"_{_SAFE_REF.sub('-', mark)}.docx", ".docx")
