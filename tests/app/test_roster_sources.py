"""The roster from where a council puts it: a SharePoint library folder (through the real Graph SDK against the
Graph stand-in) or a Blob container (through the real azure-storage-blob SDK against a small local Blob
stand-in); the sync then runs as from a folder. No network."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from function_app import roster_sync, runtime
from function_app.settings import AppSettings
from graph_clients.ports import DocumentMeta
from rules.errors import InputError
from rules.model import FactKind
from tests.app import world as app_world
from tests.app.world import World
from tests.support.graph_standin.fixtures import *  # noqa: F403 (graph_standin, graph_settings, graph_adapters)

IRO, SW, TM = app_world.IRO, app_world.SW, app_world.TM  # the world's people, not the stand-in's

HEADER = "case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n"
ROSTER = (HEADER + f"CLA-100777,2026-02-27,V2,{IRO},{SW},{TM},T1,\n").encode()
STAFF = b"email,display_name,role\n" + f"{IRO},Iro A,iro\n".encode()


def test_sharepoint_library_folder(world: World, graph_standin, graph_settings, graph_adapters):
    from graph_clients.graph.case_folders import GraphCaseFolders

    pattern = replace(graph_settings, case_folder_pattern="Exports/{case_ref}")
    exports = GraphCaseFolders(graph_adapters.session, pattern)
    exports.save(DocumentMeta("roster", "roster_export", status="final"), "roster.csv", ROSTER)
    source = roster_sync.SharePointSource(graph_adapters.session, f"{graph_settings.drive_id}:/Exports/roster")
    assert source.read("staff.csv") is None  # optional and absent: not an error
    roster_sync_through_the_bus(world, source)
    assert graph_standin.calls("GET", r"root:/Exports/roster/roster.csv:/content")


def test_sharepoint_location_must_name_drive_and_folder(graph_adapters):
    with pytest.raises(InputError, match="DRIVE-ID:/folder"):
        roster_sync.SharePointSource(graph_adapters.session, "Exports/roster")


class BlobStandIn:
    """GET /{account}/{container}/{blob} as Blob Storage answers a download (anonymous; the SDK only sends
    a bearer token over https). Records each request."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs, self.requests = blobs, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = unquote(urlsplit(self.path).path)
                outer.requests.append((path, self.headers.get("x-ms-range") or self.headers.get("Range")))
                data = outer.blobs.get(path)
                if data is None:
                    body = (b'<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code>'
                            b"<Message>The specified blob does not exist.</Message></Error>")
                    self.send_response(404)
                    self.send_header("x-ms-error-code", "BlobNotFound")
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(206)
                for name, value in {"Content-Length": str(len(data)), "Content-Type": "text/csv",
                                    "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}",
                                    "ETag": '"0x8DCAFE"', "x-ms-blob-type": "BlockBlob", "Accept-Ranges": "bytes",
                                    "Last-Modified": format_datetime(datetime(2026, 3, 1, tzinfo=UTC), usegmt=True),
                                    "x-ms-version": "2025-01-05"}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/devaccount"

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def blob_standin():
    standin = BlobStandIn({"/devaccount/roster-export/daily/roster.csv": ROSTER,
                           "/devaccount/roster-export/daily/staff.csv": STAFF})
    yield standin
    standin.stop()


def test_blob_container_through_the_storage_sdk(world: World, blob_standin):
    from azure.storage.blob import ContainerClient

    container = ContainerClient(blob_standin.url, "roster-export")
    source = roster_sync.BlobSource(container, "daily", "blob (stand-in)")
    assert source.read("teams.csv") is None
    roster_sync_through_the_bus(world, source)
    assert [p for p, _ in blob_standin.requests] == ["/devaccount/roster-export/daily/teams.csv",
                                                      "/devaccount/roster-export/daily/roster.csv",
                                                      "/devaccount/roster-export/daily/staff.csv",
                                                      "/devaccount/roster-export/daily/teams.csv"]


def test_blob_location_from_the_settings(world: World):
    settings = AppSettings.from_env({"IRO_ROSTER_SOURCE": "blob", "IRO_ROSTER_LOCATION":
                                     "https://stiro.blob.core.windows.net/roster-export/daily/"})
    world.svc.settings = settings
    source = roster_sync.source_for(world.svc)
    assert (source.container.container_name, source.prefix) == ("roster-export", "daily")
    assert source.container.url.startswith("https://stiro.blob.core.windows.net/roster-export")
    with pytest.raises(InputError, match="CONTAINER"):
        roster_sync.BlobSource.from_url("https://stiro.blob.core.windows.net/", None)


def test_sharepoint_in_local_mode_is_refused_with_the_fix(world: World):
    world.svc.settings = AppSettings.from_env({"IRO_ROSTER_SOURCE": "sharepoint", "IRO_ROSTER_LOCATION": "b!x:/R"})
    with pytest.raises(InputError, match="IRO_MODE=graph"):
        runtime.sync_roster(bus=world.bus)


def roster_sync_through_the_bus(world: World, source) -> None:
    world.clock.set(date(2026, 3, 2))
    handled = sum(world.bus.handle(m) for m in roster_sync.sync_from(world.svc, source))
    assert handled >= 1 and not world.problems(), [p.reason for p in world.problems()]
    assert world.svc.store.facts("CLA-100777", [FactKind.IRO_INTRODUCED])  # the new child's letter went out
