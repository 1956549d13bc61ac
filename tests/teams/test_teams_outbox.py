"""The local outbox: JSON files, and a page that headless Chromium renders with the official renderer."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from teams_samples import CHILD, MANAGER, PEOPLE, SP, TODAY, digest_items, every_card

from graph_clients.ports import CardRoute, TeamsCards
from graph_clients.teams import actions, cards
from graph_clients.teams.cards import DigestLinks
from graph_clients.teams.outbox import NODE_MODULES, RENDERER_FILES, LocalOutbox
from rules.errors import InputError
from rules.model import Deadline, Status
from tests.support.requires import need, need_binary

CHANNEL = CardRoute(channel="cic-team-a")
PERSON = CardRoute(person="helen.osei@council.example")


def test_is_a_teams_cards_port(tmp_path):
    assert isinstance(LocalOutbox(tmp_path), TeamsCards)


def test_files_are_numbered_by_route_and_kind_and_hold_the_card(tmp_path, all_cards):
    outbox = LocalOutbox(tmp_path, live_page=False)
    outbox.post(CHANNEL, all_cards["digest"])
    outbox.post(PERSON, all_cards["resolution_escalation"])
    LocalOutbox(tmp_path, live_page=False).post(PERSON, all_cards["breach_alert"])  # numbering carries on
    names = sorted(p.name for p in tmp_path.glob("[0-9]*.json"))
    assert names == [
        "0001-cic-team-a-digest.json",
        "0002-helen.osei@council.example-resolution_escalation.json",
        "0003-helen.osei@council.example-breach_alert.json",
    ]
    saved = json.loads((tmp_path / names[1]).read_text(encoding="utf-8"))
    assert saved == actions.for_workflows(all_cards["resolution_escalation"])   # as Workflows would post it
    assert not (tmp_path / "index.html").exists()
    assert outbox.write_page().name == "index.html"
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))  # one row per card, both outboxes
    assert [(r["file"], r["to"], r["kind"], r["case_ref"]) for r in index] == [
        (names[0], ["cic-team-a"], "digest", ""),
        (names[1], [PERSON.person], "resolution_escalation", "BC-10234"),
        (names[2], [PERSON.person], "breach_alert", "BC-10234"),
    ]
    assert all(r["sent_at"] for r in index)


def test_interactive_outbox_keeps_the_response_buttons(tmp_path, all_cards):
    LocalOutbox(tmp_path, interactive=True, live_page=False).post(PERSON, all_cards["resolution_escalation"])
    (saved,) = tmp_path.glob("[0-9]*.json")
    assert actions.verbs(json.loads(saved.read_text(encoding="utf-8"))) == ["record_response", "acknowledge"]


def test_a_route_is_required(tmp_path, all_cards):
    with pytest.raises(InputError, match="exactly one"):
        LocalOutbox(tmp_path).post(CardRoute(), all_cards["digest"])


def test_page_embeds_every_card_safely(tmp_path):
    card = _card_with_script_text()
    LocalOutbox(tmp_path).post(PERSON, card)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "</script><script>" not in page and "<\\/script>" in page
    for _, name in RENDERER_FILES if NODE_MODULES.is_dir() else ():
        assert (tmp_path / name).is_file()


def _card_with_script_text() -> dict:
    deadline = Deadline(CHILD.case_ref, "review_record", TODAY, Status.OVERDUE, owner_role="iro")
    return cards.breach_alert(deadline, CHILD, MANAGER, TODAY, CHILD.case_folder, what="Record </script><script>x")


# --- the page in headless Chromium -----------------------------------------------------------
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
]


def _chromium(binary: str, profile: Path, *args: str) -> str:
    done = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_chromium_renders_every_card_with_the_official_renderer(tmp_path, repo_root):
    chromium = need_binary("chromium", "apt-get install chromium")
    need(all((NODE_MODULES / src).is_file() for src, _ in RENDERER_FILES),
         f"the card renderer is not installed in {NODE_MODULES} (run `make system-deps`: npm ci)")
    folder = tmp_path / "outbox"
    outbox = LocalOutbox(folder, live_page=False)
    built = every_card()
    for kind, card in built.items():
        outbox.post(CHANNEL if kind == "digest" else PERSON, card)
    big = cards.digest("IRO service: due and overdue", digest_items(200), TODAY, 10,
                       links=DigestLinks(f"{SP}/Tracker.aspx"), people={p.email: p for p in PEOPLE})
    outbox.post(CardRoute(channel="iro-service"), big)
    outbox.post(PERSON, _card_with_script_text())
    index = outbox.write_page()
    posted = len(list(folder.glob("[0-9]*.json")))  # the cards (index.json lists them)
    assert posted == 8

    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", index.as_uri())
    report = json.loads(re.search(r'<pre id="render-report">(.*?)</pre>', dom, re.S).group(1))
    assert report == {"total": posted, "rendered": posted, "errors": []}
    visible = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)   # rendered HTML only, not the JSON
    assert len(re.findall(r'class="[^"]*\bac-adaptiveCard\b', visible)) == posted
    rows = sum(len(b["rows"]) - 1 for b in big["body"] if b["type"] == "Table")
    for expected in [
        "Resolution at Stage 2: Head of Service", "Drift in permanency planning (category 9)", "BC-10234 (J.S.)",
        "Review decisions issued", "Review family time arrangements (no named person, no timescale)",
        "Significant change: convene a review?", "Timescale breached",
        "Link meeting due", "Team A: due and overdue", f"…and {200 - rows} more", "Open the full list",
        "Open resolution entry", "Record &lt;/script&gt;&lt;script&gt;x",
    ]:
        assert expected in visible, expected
    assert "Record response" not in visible       # Workflows view: no Action.Execute buttons

    shot = tmp_path / "teams-preview.png"
    _chromium(chromium, tmp_path / "profile", "--window-size=720,2600", f"--screenshot={shot}", index.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    out = repo_root / "out"
    out.mkdir(exist_ok=True)
    shutil.copyfile(shot, out / "teams-preview.png")


def test_chromium_reports_a_card_the_renderer_rejects(tmp_path):
    """The page's error report can fail: a card with an element Teams 1.5 does not know is reported."""
    chromium = need_binary("chromium", "apt-get install chromium")
    need((NODE_MODULES / RENDERER_FILES[0][0]).is_file(), "the card renderer is not installed (make system-deps)")
    alert = every_card()["breach_alert"]
    card = {**alert, "body": [*alert["body"], {"type": "Rating", "value": 3}]}   # Input.Rating came in 1.6
    outbox = LocalOutbox(tmp_path / "outbox")
    outbox.post(PERSON, card)
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", (tmp_path / "outbox" / "index.html").as_uri())
    report = json.loads(re.search(r'<pre id="render-report">(.*?)</pre>', dom, re.S).group(1))
    assert report["rendered"] == 0 and report["errors"], report



def test_without_the_renderer_the_page_says_so_and_lists_the_cards_as_text(tmp_path, monkeypatch):
    """A newcomer without npm still reads every card (text blocks, facts, buttons) and is told how to fix it."""
    from graph_clients.teams import outbox as outbox_module

    chromium = need_binary("chromium", "apt-get install chromium")
    monkeypatch.setattr(outbox_module, "NODE_MODULES", tmp_path / "no-node-modules")
    outbox = LocalOutbox(tmp_path / "outbox", live_page=False)
    alert = every_card()["breach_alert"]
    outbox.post(PERSON, alert)
    index = outbox.write_page()
    assert not (tmp_path / "outbox" / "adaptivecards.min.js").exists()
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", index.as_uri())
    visible = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)
    assert "renderer is not installed" in visible and "make npm-deps" in visible
    texts = [b["text"] for b in alert["body"] if b.get("type") == "TextBlock"]
    assert texts and all(html.escape(t, quote=False) in visible for t in texts)
    facts = [f for b in alert["body"] if b.get("type") == "FactSet" for f in b["facts"]]
    assert all(html.escape(f["value"], quote=False) in visible for f in facts)
