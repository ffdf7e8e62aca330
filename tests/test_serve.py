"""The preview server and incremental builds: byte-identical to a full build after edits,
local-only and traversal-proof HTTP, live reload events, and the persistent build cache."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import cachefile
from stratdocs import project as project_mod
from stratdocs.pipeline import build
from stratdocs.cache import CACHE_DIR
from stratdocs.serve.server import Broadcaster, make_server
from stratdocs.serve.session import Session

REPO = Path(__file__).resolve().parents[1]


def copy_example(dest: Path) -> Path:
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copy(REPO / "stratdocs.yml", dest / "stratdocs.yml")
    return dest


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".stratdocs-site"}


def full_build(root: Path, out: Path) -> dict[str, bytes]:
    if out.exists():
        shutil.rmtree(out)
    build(root, out, pdf=False, use_cache=False)
    return tree(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Make sure the change is seen even on file systems with coarse timestamps.
    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_incremental_rebuilds_match_a_full_build_after_every_edit(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    assert tree(tmp_path / "preview") == full_build(root, tmp_path / "full")
    content = root / "content"

    def add():
        (content / "objectives/SO9.md").write_text(
            "---\ntitle: Become carbon neutral\nperspective: internal\nperiod: {start: 2026, end: 2030}\n"
            "owner: COO\n---\n\nSee [[SO1]] and [the SWOT](../pages/swot.md).\n", encoding="utf-8")

    def rename():  # moving a file into a subfolder moves its page and every link to it
        (content / "objectives/regional").mkdir()
        (content / "objectives/SO8-north-america.md").rename(content / "objectives/regional/SO8-north-america.md")

    def delete():
        (content / "reviews/review-2026-q2.md").unlink()

    def retarget():
        edit(content / "kpis/K-NEW-LOGOS.md", "drives: [K-NEW-MARKET-ARR]", "drives: [K-ARR]")

    def retitle():
        edit(next(content.glob("objectives/SO2*.md")), "title:", "title: Renamed —")

    def csv_edit():
        path = content / "data/kpi-churn.csv"
        path.write_text(path.read_text(encoding="utf-8") + "2026-11-10,7.1,\n", encoding="utf-8")
        stamp = time.time_ns() + 2_000_000_000
        os.utime(path, ns=(stamp, stamp))

    def task_done():
        edit(content / "operations/emea/sales-dach.md", "status: doing", "status: done")

    def threshold():  # churn turns green: SO4's health, the scorecard and the home page change
        path = next(content.glob("kpis/K-CHURN*.md"))
        edit(path, "direction: down", "direction: down\nthresholds: {green: 12, amber: 14}")

    def waiver():
        edit(next(content.glob("objectives/**/SO8*.md")), "title:", "waive: {no-execution: Board decides in 2027}\ntitle:")

    def owner():  # shown in the initiatives index, not only on the initiative's page
        path = next(content.glob("initiatives/I1*.md"))
        text = path.read_text(encoding="utf-8")
        edit(path, next(line for line in text.splitlines() if line.startswith("owner:")), "owner: Jane Doe")

    def owner_gone():  # Tom Verhoeven's one task moves to Anna Kowalski: his page goes, hers gains it
        edit(content / "operations/product-engineering.md", "owner: Tom Verhoeven", "owner: anna  KOWALSKI")

    def config():
        edit(root / "stratdocs.yml", "as_of: 2026-11-15", "as_of: 2026-11-20")

    def theme():
        (root / "themes/default/templates").mkdir(parents=True)
        (root / "themes/default/templates/404.html").write_text(
            '{% extends "base.html" %}{% block content %}<h1>Gone</h1>{% endblock %}\n', encoding="utf-8")

    steps = (add, rename, delete, retarget, retitle, csv_edit, task_done, threshold, waiver, owner, owner_gone,
             config, theme)
    owner_pages = {}
    for step in steps:
        step()
        outcome = session.rebuild()
        assert outcome.ok, (step.__name__, outcome.errors)
        if step is not config:  # a config change re-reads everything: it decides how files are read
            assert outcome.reread <= 2, (step.__name__, outcome.reread)
        preview = tree(tmp_path / "preview")
        assert preview == full_build(root, tmp_path / "full"), step.__name__
        owner_pages[step.__name__] = preview
    # The owner edits reached the owners' pages (not only the item pages), and an owner who owns
    # nothing any more has no page.
    i1 = b'href="../initiatives/I1.html"'
    assert i1 in owner_pages["waiver"]["owners/chief-product-officer.html"]
    assert i1 not in owner_pages["owner"]["owners/chief-product-officer.html"]
    assert i1 in owner_pages["owner"]["owners/jane-doe.html"]
    assert "owners/tom-verhoeven.html" in owner_pages["owner"]
    assert "owners/tom-verhoeven.html" not in owner_pages["owner_gone"]
    assert b"T-PROD-8" in owner_pages["owner_gone"]["owners/anna-kowalski.html"]

    # Break a reference: the last good site stays; fix it: the site catches up.
    before = tree(tmp_path / "preview")
    i2 = next(content.glob("initiatives/I2*.md"))
    edit(i2, "supports: [", "supports: [I99, ")
    broken = session.rebuild()
    assert not broken.ok and any("I99" in e and "broken-ref" in e for e in broken.errors)
    assert tree(tmp_path / "preview") == before
    edit(i2, "supports: [I99, ", "supports: [")
    assert session.rebuild().ok
    assert tree(tmp_path / "preview") == full_build(root, tmp_path / "full")
    assert not (tmp_path / "preview/objectives/SO8.html").exists()
    assert (tmp_path / "preview/objectives/regional/SO8.html").is_file()


def test_an_unchanged_rebuild_reads_and_writes_nothing(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    session.rebuild()
    again = session.rebuild()
    assert again.ok and again.reread == 0 and again.changed == []


@pytest.fixture()
def server(tmp_path: Path):
    site = tmp_path / "site"
    (site / "objectives").mkdir(parents=True)
    (site / "index.html").write_text("<h1>home</h1>")
    (site / "404.html").write_text("<h1>not here</h1>")
    (site / "objectives/SO1.html").write_text("<h1>SO1</h1>")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    broadcaster = Broadcaster()
    srv = make_server("127.0.0.1", 0, site, broadcaster)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1], broadcaster
    broadcaster.close()
    srv.shutdown()
    srv.server_close()


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


@pytest.mark.parametrize("path", ["/../secret.txt", "/objectives/../../secret.txt", "/%2e%2e/secret.txt",
                                  "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "/objectives/%2e%2e/%2e%2e/secret.txt",
                                  "/leak.txt", "/objectives\\..\\..\\secret.txt", "/index.html%00.txt"])
def test_serves_nothing_outside_the_output(server, path: str):
    port, _ = server
    status, body = get(port, path)
    assert status == 404 and b"secret" not in body


def test_serves_pages_and_directory_indexes(server):
    port, _ = server
    assert get(port, "/") == (200, b"<h1>home</h1>")
    assert get(port, "/objectives/SO1.html") == (200, b"<h1>SO1</h1>")
    assert get(port, "/nope.html") == (404, b"<h1>not here</h1>")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_answers_400_to_a_foreign_host_header(server, host: str):
    port, _ = server
    status, _ = get(port, "/", host=host)
    assert status == 400


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_accepts_local_host_headers(server, host: str):
    port, _ = server
    assert get(port, "/", host=host.format(port=port))[0] == 200


def test_event_stream_announces_reloads_and_errors(server):
    port, broadcaster = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/__stratdocs__/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_event() -> tuple[str, dict]:
        lines = []
        while True:
            line = response.fp.readline().decode()
            if line == "\n" and lines:
                break
            if line.strip() and not line.startswith(":"):
                lines.append(line.strip())
        name = lines[0].split(": ", 1)[1]
        return name, json.loads(lines[1].split(": ", 1)[1])

    assert next_event()[0] == "hello"
    broadcaster.publish(["content/x.md:1:1: error: bad [yaml]"])
    name, data = next_event()
    assert name == "problems" and data["errors"] == ["content/x.md:1:1: error: bad [yaml]"]
    broadcaster.publish([])
    assert next_event()[0] == "reload"
    conn.close()


def _content_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "content").rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def start_serve(root: Path, timeout: float = 90) -> tuple[subprocess.Popen, int | None]:
    """`stratdocs serve` on a free port, and the port it says it serves on (None: it did not)."""
    proc = subprocess.Popen([sys.executable, "-m", "stratdocs", "-C", str(root), "serve", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    port, deadline = None, time.time() + timeout
    while time.time() < deadline and port is None and proc.poll() is None:
        match = re.search(r"Serving http://127\.0\.0\.1:(\d+)/", proc.stderr.readline())
        port = int(match[1]) if match else None
    return proc, port


def test_serve_command_rebuilds_on_save_and_never_writes_content(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    before = _content_digest(root)
    proc, port = start_serve(root)
    try:
        assert port, "server did not start"
        status, page = get(port, "/objectives/SO1.html")
        assert status == 200 and b"livereload.js" in page
        assert get(port, "/static/livereload.js")[0] == 200
        so1 = next((root / "content/objectives").glob("SO1*.md"))
        original = so1.read_text(encoding="utf-8")
        deadline = time.time() + 30
        while time.time() < deadline and b"Live edit" not in get(port, "/objectives/SO1.html")[1]:
            # Save again each second, as an editor would: the watcher may start just after a save.
            so1.write_text(original.replace("title:", "title: Live edit —", 1), encoding="utf-8")
            time.sleep(1)
        assert b"Live edit" in get(port, "/objectives/SO1.html")[1]
        so1.write_text(original, encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert _content_digest(root) == before
    assert proc.returncode in (0, -15)


def test_warm_build_uses_the_cache_and_matches_a_cold_build(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    cold = full_build(root, tmp_path / "cold")
    result = build(root, tmp_path / "warm1", pdf=False)
    assert (root / CACHE_DIR / "build.json").is_file()
    assert tree(tmp_path / "warm1") == cold
    from stratdocs import cache as cache_mod
    from stratdocs.render import site

    cache = cache_mod.for_project(root)
    assert cache.bodies and cache.pages
    from stratdocs import cache_files

    # loaded as `build` loads it, through the load cache: its items' sources are in the page digests
    project = project_mod.load(root, cache=cache_files.for_project(root))
    from stratdocs.render.writer import Writer

    writer = Writer(tmp_path / "warm1")
    site.write_site(project, writer, cache=cache)
    writer.commit()
    assert cache.hits["bodies"] == len([e for e in project.plan if e.container is None])
    assert cache.hits["skipped"] > 50  # not even recomputed: the read sets came from the cache
    # write_site alone: the Documents page is the pipeline's, written after the PDFs (render/twins.py)
    assert tree(tmp_path / "warm1") == {k: v for k, v in cold.items() if k != "documents.html"}
    assert result.pages > 50


@pytest.mark.parametrize("damage", ["truncate", "stamp", "body", "page"])
def test_a_damaged_cache_never_changes_the_output(tmp_path: Path, damage: str):
    root = copy_example(tmp_path / "project")
    cold = full_build(root, tmp_path / "cold")
    build(root, tmp_path / "site", pdf=False)
    path = root / CACHE_DIR / "build.json"
    data = cachefile.read(path)
    if damage == "truncate":
        path.write_text(path.read_text(encoding="utf-8")[:1000], encoding="utf-8")
    else:
        if damage == "stamp":
            data["stamp"] = "0/old"
        elif damage == "body":  # edited by hand: the checksum no longer matches
            key = next(iter(data["content"]["bodies"]))
            data["content"]["bodies"][key][0] = "<p>tampered</p>"
        else:  # a page recorded with the wrong hash is rendered again, not carried over
            for entry in data["content"]["pages"].values():
                entry[1] = "0" * 64
        # re-signed for a wrong page hash (the cache is ours: only that page is not trusted)
        cachefile.write(path, data, signed=damage == "page")
    build(root, tmp_path / "site", pdf=False)
    assert tree(tmp_path / "site") == cold
