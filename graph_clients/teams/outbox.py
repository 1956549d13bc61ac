"""The local stand-in for Teams: each card saved as JSON, and a page that renders them all.

`LocalOutbox(folder).post(route, card)` writes `NNNN-<route>-<kind>.json` (the Adaptive Card as
Teams would receive it, ready to paste into the Adaptive Cards designer) and rewrites `index.html`,
which renders every card with the official renderer (npm `adaptivecards`) and the Microsoft Teams
light host config (npm `adaptivecards-designer`), so people see what Teams will show. The
renderer's files are copied next to the page: it opens from file:// with no network.

By default a card is rendered for the Workflows route (response buttons removed, as Teams would
show it today); `interactive=True` previews the bot route with its Action.Execute buttons.
File names hold the route (a channel key or a member of staff's UPN) and the kind, never a child.
`index.json` lists every card: file, to, kind, case reference, sent_at (the app's clock).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import telemetry
from graph_clients.outbox_index import OutboxIndex
from graph_clients.ports import CardRoute
from graph_clients.teams import actions, envelope
from graph_clients.teams.layout import about_of, ids_of, kind_of
from rules.errors import InputError

log = logging.getLogger(__name__)

PREVIEW = Path(__file__).resolve().parent / "preview"
NODE_MODULES = PREVIEW / "node_modules"
# (file in node_modules, name next to the page)
RENDERER_FILES = (
    ("adaptivecards/dist/adaptivecards.min.js", "adaptivecards.min.js"),
    ("markdown-it/dist/markdown-it.min.js", "markdown-it.min.js"),
    ("adaptivecards-designer/dist/containers/teams-container-light.css", "teams-container-light.css"),
)
HOST_CONFIG = "adaptivecards-designer/lib/hostConfigs/microsoft-teams-light.json"
_FILE = re.compile(r"^(\d{4})-(.+)-([a-z_]+)\.json$")


class LocalOutbox:
    """`TeamsCards` for the embedded default and the demo: files in `folder` instead of Teams."""

    def __init__(self, folder: Path, interactive: bool = False, live_page: bool = True,
                 now: Callable[[], datetime] | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.interactive = interactive
        self.live_page = live_page
        self._next: int | None = None  # the next file number; found once by listing the folder
        self.index = OutboxIndex(self.folder, now)

    @telemetry.traced("teams.deliver", lambda self, route, card, **_: telemetry.card_attributes(route, card))
    def post(self, route: CardRoute, card: dict[str, Any], replaces: bool = False) -> None:
        """Save the card as Teams would show it; `replaces`: the card a press returned (Universal Actions),
        shown in place of the card pressed, so the index does not count it as a new message."""
        if bool(route.channel) == bool(route.person):
            raise InputError("a card route needs a channel or a person (exactly one)",
                             "give CardRoute(person=UPN) or CardRoute(channel=KEY)")
        shown = actions.for_bot(card) if self.interactive else actions.for_workflows(card)
        if self._next is None:
            self._next = 1 + max((int(m.group(1)) for m in self._files()), default=0)
        number = self._next
        text = json.dumps(shown, indent=2, ensure_ascii=False) + "\n"
        while True:  # open with "x": two posts at once never overwrite each other
            path = self.folder / f"{number:04d}-{_slug(route.channel or route.person)}-{kind_of(card)}.json"
            try:
                with path.open("x", encoding="utf-8") as out:
                    out.write(text)
                break
            except FileExistsError:
                number += 1
        self._next = number + 1
        self.index.add(path.name, route.channel or route.person, kind_of(card), about_of(card),
                       notice=next(iter(ids_of(card, "notice-")), kind_of(card)), items=ids_of(card, "item-"),
                       replaces=replaces)
        log.info("teams card saved to the outbox: %s", path.name)
        if self.live_page:
            self.write_page()

    def write_page(self) -> Path:
        """(Re)write index.html with every card in the folder; returns its path."""
        entries = [self._entry(m) for m in self._files()]
        note = f"{len(entries)} cards, rendered as Microsoft Teams shows them (Adaptive Cards 1.5)"
        if not self._copy_renderer():
            note = (f"{len(entries)} cards, listed as text: the card renderer was not installed when the page was"
                    " written (run `make npm-deps`)")
        template = (PREVIEW / "page.html").read_text(encoding="utf-8")
        page = (
            template.replace("__COUNT__", str(len(entries)))
            .replace("__NOTE__", note)
            .replace("__ROUTE_KIND__", "bot route (with response buttons)" if self.interactive else "Workflows")
            .replace("__HOST_CONFIG__", _script_json(self._host_config()))
            .replace("__CARDS__", _script_json(entries))
        )
        index = self.folder / "index.html"
        index.write_text(page, encoding="utf-8")
        return index

    # --- internals ---------------------------------------------------------------------------
    def _files(self) -> list[re.Match[str]]:
        matches = (_FILE.match(p.name) for p in sorted(self.folder.glob("[0-9][0-9][0-9][0-9]-*.json")))
        return [m for m in matches if m]

    def _entry(self, match: re.Match[str]) -> dict[str, Any]:
        card = json.loads((self.folder / match.group(0)).read_text(encoding="utf-8"))
        return {
            "number": match.group(1),
            "file": match.group(0),
            "route": match.group(2),
            "kind": match.group(3),
            "bytes": envelope.size(card),
            "card": card,
        }

    def _copy_renderer(self) -> bool:
        """Copy the renderer's files next to the page (when changed); False when npm ci has not run."""
        ok = True
        for source, name in RENDERER_FILES:
            src, dst = NODE_MODULES / source, self.folder / name
            if not src.is_file():
                ok = False
                continue
            if not dst.is_file() or dst.stat().st_size != src.stat().st_size:
                shutil.copyfile(src, dst)
        if not ok:
            log.warning("teams outbox: the card renderer is missing from %s; run `make npm-deps`", NODE_MODULES)
        return ok

    def _host_config(self) -> dict[str, Any]:
        path = NODE_MODULES / HOST_CONFIG
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _slug(route: str) -> str:
    """A route key safe in a file name ("team-a", "jane.smith@council.gov.uk")."""
    return re.sub(r"[^A-Za-z0-9._@-]", "_", route)[:80] or "route"


def _script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no "</" can close the element early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
