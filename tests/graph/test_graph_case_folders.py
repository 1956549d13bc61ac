"""Case folders (SharePoint library) through the real GraphServiceClient against the stand-in."""

from __future__ import annotations

import os
from datetime import date

import pytest

from graph_clients.ports import CaseFolders, DocumentMeta
from rules.errors import GraphError, InputError, Unavailable

META = DocumentMeta(case_ref="AB123", doc_type="review_decisions", review_date=date(2026, 3, 23), status="draft")


def test_adapter_satisfies_the_port(graph_adapters):
    assert isinstance(graph_adapters.case_folders, CaseFolders)


def test_ensure_folder_creates_the_path_from_the_pattern_once(graph_adapters, graph_standin):
    folder_id = graph_adapters.case_folders.ensure_folder("AB123")
    assert graph_standin.item_by_path("Children/AB123")["item"].id == folder_id
    creates = graph_standin.calls("POST", r"/children$")
    assert len(creates) == 2 and b'"@microsoft.graph.conflictBehavior": "fail"' in creates[0].body
    graph_adapters.case_folders.ensure_folder("AB456")      # parent exists now: one create
    assert len(graph_standin.calls("POST", r"/children$")) == 3


def test_ensure_folder_survives_a_parallel_creation(graph_adapters, graph_standin):
    graph_standin.inject("GET", r"items/root:/Children/AB123:$", 404, code="itemNotFound")  # raced: then 409
    graph_adapters.case_folders.ensure_folder("AB000")        # creates Children
    graph_standin._put_child(graph_standin.item_by_path("Children")["item"].id, "AB123", "fail", True)
    assert graph_adapters.case_folders.ensure_folder("AB123") == graph_standin.item_by_path("Children/AB123")["item"].id
    assert [c.status for c in graph_standin.calls("POST", r"/children$")][-1] == 409


def test_small_file_is_one_put_with_metadata_columns(graph_adapters, graph_standin):
    stored = graph_adapters.case_folders.save(META, "AB123-review_decisions.docx", b"small docx")
    node = graph_standin.item_by_path("Children/AB123/AB123-review_decisions.docx")
    assert node["content"] == b"small docx" and stored.item_id == node["item"].id and stored.url
    assert node["fields"] == {"CaseReference": "AB123", "DocumentType": "review_decisions",
                              "ReviewDate": "2026-03-23", "Status": "draft"}
    put = graph_standin.calls("PUT", r"/content$")[-1]
    assert put.query["@microsoft.graph.conflictBehavior"] == "replace"
    assert graph_standin.calls("POST", r"createUploadSession") == []
    assert graph_adapters.case_folders.read("AB123", "AB123-review_decisions.docx") == b"small docx"


def test_saving_again_replaces_the_draft(graph_adapters, graph_standin):
    first = graph_adapters.case_folders.save(META, "AB123-review_decisions.docx", b"v1")
    second = graph_adapters.case_folders.save(META, "AB123-review_decisions.docx", b"v2")
    assert first.item_id == second.item_id
    assert graph_adapters.case_folders.read("AB123", "AB123-review_decisions.docx") == b"v2"


def test_conflict_fail_refuses_to_overwrite(graph_standin, graph_settings, graph_adapters):
    from graph_clients.graph.case_folders import GraphCaseFolders

    strict = GraphCaseFolders(graph_adapters.session, graph_settings, conflict="fail")
    big = os.urandom(graph_settings.upload_threshold + 1)
    strict.save(META, "AB123-review_record.docx", big)
    with pytest.raises(GraphError, match="409 nameAlreadyExists"):
        strict.save(META, "AB123-review_record.docx", big)


def test_large_file_upload_session_resumes_after_a_503(graph_adapters, graph_standin):
    content = os.urandom(1024 * 1024 + 12345)                  # > threshold: an upload session
    graph_adapters.case_folders.chunk_size = 320 * 1024
    graph_adapters.case_folders.fragment_backoff = 0.05
    graph_standin.inject("PUT", r"^/upload/", 0, times=1)       # the first fragment goes through ...
    graph_standin.inject("PUT", r"^/upload/", 503, times=1)     # ... the second one is answered 503
    stored = graph_adapters.case_folders.save(META, "AB123-review_record.docx", content)
    node = graph_standin.item_by_path("Children/AB123/AB123-review_record.docx")
    assert node["content"] == content and stored.item_id == node["item"].id
    puts = graph_standin.calls("PUT", r"^/upload/")
    assert [p.status for p in puts] == [202, 503, 202, 202, 201]
    assert puts[2].headers["content-range"] == f"bytes {320 * 1024}-{640 * 1024 - 1}/{len(content)}"
    assert len(graph_standin.calls("GET", r"^/upload/")) == 1   # asked where to resume
    assert all("authorization" not in p.headers for p in puts)  # the upload URL is pre-authenticated
    assert node["fields"]["DocumentType"] == "review_decisions"


def test_upload_that_keeps_failing_is_unavailable(graph_adapters, graph_standin):
    graph_adapters.case_folders.fragment_backoff = 0.01
    graph_standin.inject("PUT", r"^/upload/", 503, times=10)
    with pytest.raises(Unavailable, match="case_folders.save"):
        graph_adapters.case_folders.save(META, "AB123-big.docx", os.urandom(100_000))


def test_small_put_has_its_own_retry_too(graph_adapters, graph_standin):
    graph_adapters.case_folders.fragment_backoff = 0.01
    graph_standin.inject("PUT", r"/content$", 503)
    graph_adapters.case_folders.save(META, "AB123-small.docx", b"x")
    assert [c.status for c in graph_standin.calls("PUT", r"/content$")] == [503, 201]


@pytest.mark.parametrize("name", ["Jane Smith: notes.docx", "a/b.docx", " lead.docx", ""])
def test_names_sharepoint_refuses_are_input_errors(graph_adapters, name):
    with pytest.raises(InputError, match="SharePoint refuses"):
        graph_adapters.case_folders.save(META, name, b"x")


def test_unknown_column_fails_the_contract(graph_adapters, graph_standin):
    graph_standin.columns.discard("ReviewDate")
    with pytest.raises(GraphError, match="400"):
        graph_adapters.case_folders.save(META, "AB123-x.docx", b"x")
    assert graph_standin.take_violations() == ["PATCH list item fields: no such column ['ReviewDate'] in the library"]
