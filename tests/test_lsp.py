"""`stratdocs lsp` over real pipes: a scripted LSP client drives ``python -m stratdocs lsp``.

The client speaks JSON-RPC with Content-Length framing, as editors do, and every wait has a
bound. The project is the `init` one; its initiative I1 supports SO1.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from stratdocs import scaffold
from stratdocs.lsp import diagnostics, text

TIMEOUT = 20


class Client:
    """A minimal LSP client over the stdin and stdout of a server process."""

    def __init__(self, cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "stratdocs", "lsp"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"method": method, **({"params": params} if params is not None else {})})

    def request(self, method: str, params: dict | None = None):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, **({"params": params} if params is not None else {})})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, wanted, timeout: float = TIMEOUT) -> dict:
        """The next message `wanted` accepts (answering the server's own requests on the way)."""
        import time

        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(message)
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            if wanted(message):
                return message
        raise AssertionError(f"no such message within {timeout}s; got {[m.get('method') for m in self.seen]}")

    def diagnostics_of(self, uri: str, predicate=lambda found: True) -> list[dict]:
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and predicate(m["params"]["diagnostics"]))
        return message["params"]["diagnostics"]


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    scaffold.init(tmp_path / "plan")
    return tmp_path / "plan"


def test_diagnostics_completion_and_definition_over_stdio(plan: Path):
    initiative = plan / "content/initiatives/I1.md"
    uri = initiative.as_uri()
    saved = initiative.read_text(encoding="utf-8")
    broken = saved.replace("supports: [SO1]", "supports: [SO9]")
    client = Client(plan)
    try:
        result = client.request("initialize", {"processId": None, "rootUri": plan.as_uri(), "capabilities": {}})
        capabilities = result["capabilities"]
        assert capabilities["completionProvider"]["triggerCharacters"] and capabilities["definitionProvider"]
        client.notify("initialized", {})

        # A broken reference in the unsaved buffer (the file on disk is fine): found, located, coded.
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": broken}})
        found = client.diagnostics_of(uri, lambda d: bool(d))
        refs = [d for d in found if d["code"] == "broken-ref"]
        assert len(refs) == 1, found
        assert refs[0]["range"] == {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 14}}
        assert refs[0]["severity"] == 1 and refs[0]["source"] == "stratdocs" and "SO9" in refs[0]["message"]

        # Fixing it in the buffer (an incremental change) clears the diagnostics.
        fix = {"range": {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 14}}, "text": "SO1"}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [fix]})
        assert client.diagnostics_of(uri, lambda d: not d) == []

        # Completion inside the flow list offers the ids a `supports` may name, titles as detail.
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 2, "character": 10}, "end": {"line": 2, "character": 15}}, "text": "["}]})
        listed = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                            "position": {"line": 2, "character": 11}})
        labels = {item["label"]: item for item in listed["items"]}
        assert "SO1" in labels and "ops-2026" in labels and "K1" not in labels  # a KPI does not support
        assert labels["SO1"]["detail"] and labels["SO1"]["textEdit"]["newText"] == "SO1"

        # Go to definition on an id in a reference key: the objective's file, its first line.
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                                 "contentChanges": [{"text": saved}]})
        where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": {"line": 2, "character": 12}})
        assert where["uri"] == (plan / "content/objectives/SO1.md").as_uri()
        assert where["range"]["start"]["line"] == 0

        assert client.request("shutdown") is None
        client.notify("exit")
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        client.proc.wait(timeout=TIMEOUT)


def test_wiki_links_complete_and_jump(plan: Path):
    page = plan / "content/pages/about.md"
    uri = page.as_uri()
    body = page.read_text(encoding="utf-8") + "\nSee [[K"
    client = Client(plan)
    try:
        client.request("initialize", {"processId": None, "rootUri": plan.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": body}})
        last = len(body.split("\n")) - 1
        listed = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                            "position": {"line": last, "character": 7}})
        assert sorted(item["label"] for item in listed["items"]) == ["K1", "K2"]
        assert listed["items"][0]["textEdit"]["range"]["start"] == {"line": last, "character": 6}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": body + "2]] and [[SO1|the goal]]"}]})
        where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": {"line": last, "character": 6}})
        assert where["uri"] == (plan / "content/kpis/K2.md").as_uri()
        client.request("shutdown")
        client.notify("exit")
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        client.proc.wait(timeout=TIMEOUT)


def test_where_the_cursor_is():
    lines = ["---", "title: T", "supports:", "  - SO1", "  - S", "objectives:", "  - id: OO1",
             "    kpis: [K1, K", "tags: [a]", "---", "Body [[SO", "[[K1|x]] done"]
    assert text.reference_key(lines, 4, 5) == "supports"
    assert text.reference_key(lines, 7, 16) == "kpis"
    assert text.reference_key(lines, 8, 8) is None and text.reference_key(lines, 1, 8) is None
    assert text.open_link(lines, 10, 9) == "SO" and text.open_link(lines, 4, 5) is None
    assert text.id_at(lines, 3, 5) == ("SO1", 4, 7)
    assert text.id_at(lines, 11, 3) == ("K1", 2, 4) and text.id_at(lines, 11, 10) is None
    assert text.id_at(lines, 2, 3) is None  # the key itself


def test_finding_positions_become_ranges():
    lines = ["---", "ownr: someone", "supports: [SO1, SO9]", "title: A long title  ", ""]
    assert diagnostics.span(lines, 2, 1) == (1, 0, 4)
    assert diagnostics.span(lines, 3, 17) == (2, 16, 19)
    assert diagnostics.span(lines, 4, 8) == (3, 7, 19)
    assert diagnostics.span(lines, 1, 1) == (0, 0, 3)
    assert diagnostics.span(lines, 5, 1) == (4, 0, 0)


def _start(plan: Path) -> Client:
    client = Client(plan)
    client.request("initialize", {"processId": None, "rootUri": plan.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    return client


def _open(client: Client, path: Path, text: str | None = None) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": path.as_uri(), "languageId": "markdown", "version": 1,
        "text": path.read_text(encoding="utf-8") if text is None else text}})


def _stop(client: Client) -> None:
    try:
        client.request("shutdown")
        client.notify("exit")
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        client.proc.wait(timeout=TIMEOUT)


def test_an_unsaved_edit_in_one_file_shows_in_another(plan: Path):
    objective, initiative = plan / "content/objectives/SO1.md", plan / "content/initiatives/I1.md"
    client = _start(plan)
    try:
        _open(client, initiative)
        assert client.diagnostics_of(initiative.as_uri()) == []
        renamed = objective.read_text(encoding="utf-8").replace("---\n", "---\nid: SO1-NEW\n", 1)
        _open(client, objective, renamed)
        found = client.diagnostics_of(initiative.as_uri(), lambda d: bool(d))
        assert sorted(d["code"] for d in found) == ["broken-ref", "orphan"]  # I1 now serves nothing
    finally:
        _stop(client)


def test_a_broken_config_is_reported_on_stratdocs_yml(plan: Path):
    config = plan / "stratdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "titel: typo\n", encoding="utf-8")
    client = _start(plan)
    try:
        _open(client, plan / "content/initiatives/I1.md")
        found = client.diagnostics_of(config.as_uri(), lambda d: bool(d))
        assert [d["code"] for d in found] == ["config"] and "titel" in found[0]["message"]
        assert found[0]["range"]["start"]["line"] == len(config.read_text().splitlines()) - 1
    finally:
        _stop(client)
