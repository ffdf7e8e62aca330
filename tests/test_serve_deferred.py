"""The preview makes the edited file's items' pages first and the rest after the reload (issue 15):
whatever is still pending is made before the server reads it, so a request never gets a
stale page, and once settled the output is byte-identical to a full build."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import pytest

from stratdocs.serve.server import Broadcaster, make_server
from stratdocs.serve.session import Session
from tests.test_serve import copy_example, edit, full_build, start_serve, tree

TWIN = "documents/board-pack.html"


@pytest.fixture()
def project(tmp_path: Path):
    """The example plan, a settled preview session of it, and a server in front of that session."""
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    srv = make_server("127.0.0.1", 0, session.output, Broadcaster(), fresh=session.fresh)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield root, session, srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def churn(root: Path, old: str, new: str) -> None:
    edit(root / "content" / "kpis" / "K-CHURN.md", old, new)


def test_an_update_makes_the_items_pages_and_leaves_the_twin_for_later(project, tmp_path):
    root, session, _ = project
    before = tree(session.output)
    churn(root, "title: Gross revenue churn, trailing twelve months", "title: Gross revenue churn (TTM)")
    outcome = session.update()
    assert outcome.ok and outcome.deferred == len(session.pending) > 0
    assert "kpis/K-CHURN.html" in outcome.changed  # the edited item's page is made at once
    assert TWIN in session.pending and TWIN not in outcome.changed
    assert tree(session.output)[TWIN] == before[TWIN]  # the twin on disk is the old one until made
    assert "kpis/K-CHURN.html" not in session.pending
    # The pages of other items that show it (its objective's) wait too, and are made first when
    # asked for: only the edited file's own items are made before the reload.
    assert "objectives/SO4.html" in session.pending and "objectives/SO4.html" not in outcome.changed
    full = full_build(root, tmp_path / "full")
    session.settle()
    assert not session.pending
    assert tree(session.output) == full
    assert b"Gross revenue churn (TTM)" in full[TWIN]


def test_a_request_for_a_pending_twin_gets_the_up_to_date_bytes(project, tmp_path):
    root, session, port = project
    churn(root, "title: Gross revenue churn, trailing twelve months", "title: Churn of gross revenue")
    assert session.update().ok
    assert TWIN in session.pending and "scorecard.html" in session.pending
    full = full_build(root, tmp_path / "full")
    assert get(port, "/" + TWIN) == (200, full[TWIN])  # made by the request itself
    assert TWIN not in session.pending
    assert get(port, "/scorecard.html") == (200, full["scorecard.html"])
    assert get(port, "/") == (200, full["index.html"])  # a folder's index.html, pending too
    assert get(port, "/kpis/K-CHURN.html") == (200, full["kpis/K-CHURN.html"])
    assert "objectives/SO4.html" in session.pending  # another item's page that shows the KPI
    assert get(port, "/objectives/SO4.html") == (200, full["objectives/SO4.html"])
    session.settle()
    assert tree(session.output) == full


def test_a_second_edit_before_settling_never_makes_the_older_pending_pages(project, tmp_path):
    root, session, port = project
    churn(root, "title: Gross revenue churn, trailing twelve months", "title: First title")
    assert session.update().ok
    churn(root, "title: First title", "title: Second title")
    assert session.update().ok  # the first update's pending twin was never made
    full = full_build(root, tmp_path / "full")
    status, body = get(port, "/" + TWIN)
    assert status == 200 and body == full[TWIN] and b"Second title" in body and b"First title" not in body
    # An update that changes nothing still leaves the pending pages pending (their read sets were
    # forgotten), so the files on disk are never taken for up to date.
    churn(root, "title: Second title", "title: Third title")
    assert session.update().ok
    touched = root / "content" / "kpis" / "K-NPS.md"
    touched.write_text(touched.read_text(encoding="utf-8"), encoding="utf-8")
    assert session.update().ok
    assert TWIN in session.pending
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")


def test_a_twin_that_cannot_be_made_is_answered_with_its_error_never_the_stale_file(project, tmp_path):
    root, session, port = project
    templates = root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    # Only the twins use this template; it fails while rendering (not when compiled).
    (templates / "document_twin.html").write_text(
        '{% extends "default/document_twin.html" %}{% block content %}{{ view.no_such_thing.x }}{% endblock %}\n',
        encoding="utf-8")
    stale = (session.output / TWIN).read_bytes()
    outcome = session.update()
    assert outcome.ok and TWIN in session.pending
    status, body = get(port, "/" + TWIN)
    assert status == 500 and body != stale and b"could not be made" in body and b"document_twin.html" in body
    assert get(port, "/" + TWIN)[0] == 500  # not retried into the stale file either
    assert get(port, "/kpis/K-CHURN.html")[0] == 200
    # The same mistake through `rebuild` (update, then settle) is a failed rebuild, as before.
    churn(root, "title: Gross revenue churn, trailing twelve months", "title: Churn")
    again = session.rebuild()
    assert not again.ok and any("document_twin.html" in e for e in again.errors)


def test_stratdocs_serve_answers_a_twin_asked_for_right_after_the_reload_with_the_edit(tmp_path):
    """The real command: the reload comes before the twin is made, and the twin asked for at once
    (before the settling thread's pause is over) already shows the edit."""
    root = copy_example(tmp_path / "project")
    proc, port = start_serve(root)
    try:
        deadline = time.time() + 90
        assert port, "server did not start"
        assert b"Churn at a glance" not in get(port, "/" + TWIN)[1]
        time.sleep(1)  # the watcher starts just after the server
        churn(root, "title: Gross revenue churn, trailing twelve months", "title: Churn at a glance")
        line = ""
        while time.time() < deadline and "brought up to date next" not in line:
            line = proc.stderr.readline()
        assert "brought up to date next" in line, line  # the reload came before the rest was made
        status, body = get(port, "/" + TWIN)
        assert status == 200 and b"Churn at a glance" in body and b"Gross revenue churn, trailing twelve months" not in body
        assert b"Churn at a glance" in get(port, "/scorecard.html")[1]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_settling_thread_gives_up_a_twin_for_a_waiting_update_or_request_and_makes_it_later(project, tmp_path):
    root, session, _ = project
    churn(root, "title: Gross revenue churn, trailing twelve months", "title: Churn, given up once")
    assert session.update().ok
    twins = [rel for rel in session.pending.pending if rel.startswith("documents/")]
    assert session.settle_one(yielding=True)
    assert TWIN in twins and list(session.pending.pending)[-len(twins):] == twins  # made last
    while len(session.pending) > len(twins):
        assert session.settle_one(yielding=True)
    stale = (session.output / TWIN).read_bytes()
    with session.waiting_for_lock():  # as an update or a request does
        assert session.settle_one(yielding=True) is False  # the twin was given up ...
    assert len(session.pending) == len(twins) and (session.output / TWIN).read_bytes() == stale  # ... untouched
    while session.settle_one(yielding=True):  # rendered in pieces, as the settling thread does
        pass
    assert not session.pending
    assert tree(session.output) == full_build(root, tmp_path / "full")


def test_a_request_while_a_long_twin_settles_is_answered_before_the_twin_is_done(project, tmp_path):
    root, session, port = project
    templates = root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "document_twin.html").write_text(  # a twin that takes seconds to render
        '{% extends "default/document_twin.html" %}{% block content %}{{ super() }}'
        '{% for i in range(1500) %}{% for j in range(1500) %}.{% endfor %}{% endfor %}{% endblock %}\n',
        encoding="utf-8")
    assert session.update().ok
    while len(session.pending) > 2:  # everything but the two twins
        assert session.settle_one(yielding=True)
    settling = threading.Thread(target=session.settle_one, kwargs={"yielding": True})
    started = time.perf_counter()
    settling.start()
    time.sleep(0.3)  # the first twin is rendering
    status, body = get(port, "/kpis/K-CHURN.html")
    answered = time.perf_counter() - started
    settling.join()
    assert status == 200 and TWIN in session.pending  # the twin was given up for the request ...
    session.settle()
    made = time.perf_counter() - started
    assert answered < 0.6 * made, (answered, made)  # ... which did not wait for it
    assert tree(session.output) == full_build(root, tmp_path / "full")
