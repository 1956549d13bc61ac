"""Check a council's edited templates against the context each document kind receives.

    check_templates(directory) -> list[TemplateProblem]     every kind's template in a directory
    check_template(path, kind) -> list[TemplateProblem]     one template

A template is read the way docxtpl renders it (body, headers and footers, with docxtpl's `{%p`/`{%tr`
tags patched), parsed by Jinja, and its syntax tree walked with the kind's pydantic model as the type of
each name: `{{ child_nmae }}` is unknown at the top level, `{{ d.txt }}` inside `{%tr for d in decisions %}`
is unknown because a decision row has no `txt` (jinja2.meta's `find_undeclared_variables`, which docxtpl's
`get_undeclared_template_variables` uses, sees only the first kind). Unknown filters are reported too, and a
template of a kind the app drafts (doc_templates.DRAFTED) that never uses `draft` (its drafts would look final).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes
from pydantic import BaseModel, create_model

from doc_templates import DRAFTED, Kind
from doc_templates.branding import Branding
from doc_templates.contexts import MODELS, as_kind
from rules.errors import TemplateError


@dataclass(frozen=True)
class TemplateProblem:
    template: str                 # file name
    kind: str                     # the kind the file is for ("" when the file matches no kind)
    problem: str
    names: tuple[str, ...] = ()   # the unknown names, as dotted paths ("decisions[].txt")

    def __str__(self) -> str:
        return f"{self.template}: {self.problem}" + (f": {', '.join(self.names)}" if self.names else "")


def check_templates(directory: str | Path) -> list[TemplateProblem]:
    """Problems with the templates in `directory`: missing kinds, unknown files, bad tags, unknown names."""
    folder = Path(directory)
    if not folder.is_dir():
        raise TemplateError(f"'{folder}' is not a folder of templates")
    problems: list[TemplateProblem] = []
    for kind in Kind:
        path = folder / f"{kind.value}.docx"
        if path.is_file():
            problems += check_template(path, kind)
        else:
            problems.append(TemplateProblem(path.name, kind.value, "missing: every kind needs its template"))
    for name in service_templates():  # the service's own documents (the annual report, reports/)
        path = folder / f"{name}.docx"
        if path.is_file():
            problems += check_template(path, name)
        else:
            problems.append(TemplateProblem(path.name, name, "missing: every kind needs its template"))
    known = {f"{k}.docx" for k in (*Kind, *service_templates())}
    for path in sorted(folder.glob("*.docx")):
        if path.name not in known and not path.name.startswith("~$"):  # ~$ = Word's lock file
            problems.append(TemplateProblem(path.name, "", f"not a document kind (the kinds: {', '.join(Kind)})"))
    return problems


def check_template(path: str | Path, kind: str) -> list[TemplateProblem]:
    """Problems with one template: a tag Jinja cannot parse, or names and filters the context lacks."""
    from doc_templates.render import environment

    kind = kind if kind in service_templates() else as_kind(kind)
    path = Path(path)
    env = environment()
    try:
        xml = template_xml(path)
    except Exception as exc:  # python-docx raises several types for a file that is not a .docx
        return [TemplateProblem(path.name, str(kind), f"cannot be opened as a Word document ({type(exc).__name__})")]
    try:
        tree = env.parse(xml)
    except jinja2.TemplateSyntaxError as exc:
        return [TemplateProblem(path.name, str(kind), f"a tag cannot be read: {exc.message}, near "
                                f"\"{_text_near(xml, exc.lineno)}\"")]
    walker = _Walker(env)
    walker.walk(tree.body, root_scope(kind))
    problems = []
    if walker.unknown:
        problems.append(TemplateProblem(path.name, str(kind), f"uses names the {str(kind)} context lacks",
                                        tuple(sorted(walker.unknown))))
    if walker.filters:
        problems.append(TemplateProblem(path.name, str(kind), "uses unknown filters",
                                        tuple(sorted(walker.filters))))
    if kind in DRAFTED and not any(n.name == "draft" for n in tree.find_all(nodes.Name)):
        problems.append(TemplateProblem(path.name, kind.value, "shows no DRAFT mark, so the app's drafts would "
                                        "look final: keep the '{% if draft %}' title, note and header of the "
                                        "bundled template"))
    return problems


def template_xml(path: Path) -> str:
    """The Jinja source docxtpl renders: body, headers and footers, with docxtpl's tags patched
    (and, as docxtpl does, each paragraph on its own line, so a syntax error's line points near it)."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts += [tpl.patch_xml(tpl.get_part_xml(part)) for _, part in tpl.get_headers_footers(uri)]
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", "\n".join(parts))


def _text_near(xml: str, lineno: int | None) -> str:
    lines = xml.splitlines()
    if not lineno or lineno > len(lines):
        return "?"
    text = re.sub(r"<[^>]+>", "", " ".join(lines[max(lineno - 2, 0): lineno + 1]))
    return " ".join(text.split())[:120]


# ---- types of names: a small shape system over the pydantic models ------------------------------------

@dataclass(frozen=True)
class Shape:
    path: str
    model: type[BaseModel] | None = None   # attributes are checked against its fields
    item: Shape | None = None              # set for a list: the shape of each item
    open: bool = False                     # anything goes (a str, a date, the logo)


def shape_of(annotation: object, path: str) -> Shape:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return shape_of(inner[0], path) if len(inner) == 1 else Shape(path, open=True)
    if origin is typing.Annotated:
        return shape_of(typing.get_args(annotation)[0], path)
    if origin in (list, tuple) or annotation in (list, tuple):
        args = typing.get_args(annotation)
        return Shape(path, item=shape_of(args[0], f"{path}[]") if args else Shape(f"{path}[]", open=True))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape(path, model=annotation)
    return Shape(path, open=True)


def service_templates() -> dict[str, type[BaseModel]]:
    """Templates that are not case documents, by file stem -> context model: the annual report (issue 14)."""
    from reports.context import AnnualReport

    return {"annual_report": AnnualReport}


def root_scope(kind: Kind | str) -> dict[str, Shape]:
    """The names a template of this kind sees: its model's fields, `council` and `logo` (see render)."""
    model = service_templates()[kind] if kind in service_templates() else MODELS[kind]
    scope = {name: shape_of(f.annotation, name) for name, f in model.model_fields.items()}
    scope["council"] = Shape("council", model=_CouncilFields)
    scope["logo"] = Shape("logo", open=True)
    return scope


#: `council` in a template: Branding without the logo.
_CouncilFields = create_model("CouncilFields", **{n: (str, "") for n in Branding.model_fields if n != "logo"})


def _attribute(shape: Shape, attr: str) -> Shape | None:
    """The shape of `shape.attr`, or None when the context has no such field."""
    if shape.model is not None:
        field = shape.model.model_fields.get(attr)
        return shape_of(field.annotation, f"{shape.path}.{attr}") if field else None
    return Shape(f"{shape.path}.{attr}", open=True)


class _Walker:
    """Walks a Jinja syntax tree with a scope of shapes, collecting unknown names and filters."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.unknown: set[str] = set()
        self.filters: set[str] = set()

    def walk(self, body: Iterable[nodes.Node], scope: dict[str, Shape]) -> None:
        for node in body:
            self.node(node, scope)

    def node(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        if isinstance(node, nodes.For):
            return self._for(node, scope)
        if isinstance(node, nodes.Assign):
            value = self.node(node.node, scope)
            for target in self._targets(node.target):
                scope[target] = value if isinstance(node.target, nodes.Name) else Shape(target, open=True)
            return value
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope) | {a.name: Shape(a.name, open=True) for a in node.args}
            inner["caller"] = Shape("caller", open=True)
            self.walk(node.body, inner)
            return Shape("", open=True)
        if isinstance(node, nodes.Name):
            return self._name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self._get(self.node(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.node(node.node, scope)
            self.node(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._get(base, node.arg.value)
            return base.item or Shape(base.path + "[]", open=True)
        if isinstance(node, nodes.Filter | nodes.Test):
            table = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            if node.name not in table:
                self.filters.add(node.name)
        for child in node.iter_child_nodes():
            self.node(child, scope)
        return Shape("", open=True)

    def _for(self, node: nodes.For, scope: dict[str, Shape]) -> Shape:
        seq = self.node(node.iter, scope)
        inner = dict(scope)
        item = seq.item or Shape(seq.path + "[]", open=True)
        for target in self._targets(node.target):
            inner[target] = item if isinstance(node.target, nodes.Name) else Shape(target, open=True)
        inner["loop"] = Shape("loop", open=True)
        if node.test is not None:
            self.node(node.test, inner)
        self.walk(node.body, inner)
        self.walk(node.else_, scope)
        return Shape("", open=True)

    def _name(self, node: nodes.Name, scope: dict[str, Shape]) -> Shape:
        if node.name in scope:
            return scope[node.name]
        if node.ctx == "load" and node.name not in self.env.globals:
            self.unknown.add(node.name)
        return Shape(node.name, open=True)

    def _get(self, base: Shape, attr: str) -> Shape:
        shape = _attribute(base, attr)
        if shape is None:
            self.unknown.add(f"{base.path}.{attr}")
            return Shape(f"{base.path}.{attr}", open=True)
        return shape

    @staticmethod
    def _targets(target: nodes.Node) -> list[str]:
        if isinstance(target, nodes.Name):
            return [target.name]
        return [n.name for n in target.find_all(nodes.Name)]
