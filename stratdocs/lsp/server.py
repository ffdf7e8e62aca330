"""The language server: pygls over stdio, wired to `diagnostics`, `completion` and `definition`.

Every open, change, save or close of a Markdown file schedules a re-check of its plan after a
short pause (`DEBOUNCE` seconds; a newer change restarts the pause), run in one worker thread
so the server keeps answering; then each open file of that plan gets its diagnostics, computed
from the unsaved text of all open files. Positions go through the document's position codec,
so clients counting in UTF-16 (the default), UTF-8 or UTF-32 all get the right columns.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from stratdocs import __version__
from stratdocs.config import CONFIG_FILE
from stratdocs.lsp import completion, definition, diagnostics
from stratdocs.lsp.projects import Loaded, Plan, Plans

#: Seconds of quiet after a change before the plan is checked again.
DEBOUNCE = 0.3
log = logging.getLogger(__name__)


class StratdocsServer(LanguageServer):
    """The server and its state: the plans of the open files and their pending re-checks."""

    def __init__(self) -> None:
        super().__init__("stratdocs", __version__)
        self.plans = Plans()
        self.pending: dict[Path, asyncio.Task] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stratdocs-check")

    def document(self, uri: str):
        """The open document at `uri` and its lines without line ends."""
        doc = self.workspace.get_text_document(uri)
        return doc, [line.rstrip("\r\n") for line in doc.lines]

    def plan_of(self, uri: str) -> Plan | None:
        """The plan the Markdown file at `uri` belongs to (None: not a file of a plan)."""
        path = to_fs_path(uri)
        if path is None or not path.endswith(".md"):
            return None
        return self.plans.of(Path(path))

    def overrides(self, plan: Plan) -> dict[str, str]:
        """The unsaved text of every open file of `plan`, by project-relative path."""
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            if self.plan_of(uri) is plan:
                out[plan.rel(Path(to_fs_path(uri)))] = doc.source
        return out

    def schedule(self, uri: str) -> None:
        """Re-check the plan of `uri` once the typing pauses (a pending re-check is restarted)."""
        plan = self.plan_of(uri)
        if plan is None:
            return
        if (task := self.pending.get(plan.root)) is not None and not task.done():
            task.cancel()
        self.pending[plan.root] = asyncio.get_running_loop().create_task(self.recheck(plan))

    async def recheck(self, plan: Plan) -> None:
        """Load `plan` with the open buffers (in the worker thread) and publish the diagnostics."""
        await asyncio.sleep(DEBOUNCE)
        overrides = self.overrides(plan)
        try:
            loaded = await asyncio.get_running_loop().run_in_executor(self.worker, plan.load, overrides)
        except Exception as exc:  # a bug in stratdocs: say so in the client's log, keep serving
            log.exception("check failed")
            self.window_log_message(types.LogMessageParams(types.MessageType.Error,
                                                           f"stratdocs: internal error: {exc!r}"))
            return
        self.publish(plan, loaded)

    def publish(self, plan: Plan, loaded: Loaded) -> None:
        """Diagnostics for each open file of `plan`, and for `stratdocs.yml` when it is broken."""
        findings = loaded.project.findings if loaded.project else ()
        for uri in list(self.workspace.text_documents):
            if self.plan_of(uri) is plan:
                doc, lines = self.document(uri)
                self.send(uri, doc, lines, diagnostics.for_file(findings, plan.rel(Path(to_fs_path(uri))), lines))
        config = plan.root / CONFIG_FILE
        lines = config.read_text(encoding="utf-8", errors="replace").split("\n") if config.is_file() else []
        found = diagnostics.for_file(loaded.config_findings, CONFIG_FILE, lines)
        self.send(from_fs_path(str(config)), None, lines, found)

    def send(self, uri: str, doc, lines: list[str], found: list[types.Diagnostic]) -> None:
        """Publish `found` (ranges in code points) for `uri`, converted to the client's units."""
        codec = doc.position_codec if doc is not None else self.workspace.position_codec
        for item in found:
            item.range = codec.range_to_client_units(lines, item.range)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found))

    def loaded_plan(self, uri: str):
        """The loaded plan model for `uri` (loading it now if no check has finished yet), or None."""
        plan = self.plan_of(uri)
        if plan is None:
            return None
        loaded = plan.latest or plan.load(self.overrides(plan))
        return loaded.project.plan if loaded.project else None


server = StratdocsServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: StratdocsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: StratdocsServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: StratdocsServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: StratdocsServer, params: types.DidCloseTextDocumentParams) -> None:
    """A closed file loses its diagnostics; the plan is checked again from the file on disk."""
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
    others = [uri for uri in ls.workspace.text_documents if ls.plan_of(uri) is ls.plan_of(params.text_document.uri)]
    if others:
        ls.schedule(others[0])


def _cursor(ls: StratdocsServer, params):
    """The open document, its lines and the request's position in our (code point) units."""
    doc, lines = ls.document(params.text_document.uri)
    return doc, lines, doc.position_codec.position_from_client_units(lines, params.position)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=completion.TRIGGERS))
def complete(ls: StratdocsServer, params: types.CompletionParams) -> types.CompletionList | None:
    plan = ls.loaded_plan(params.text_document.uri)
    if plan is None:
        return None
    doc, lines, where = _cursor(ls, params)
    found = completion.complete(plan, lines, where.line, where.character)
    if found is None:
        return None
    candidates, start = found
    edit = types.Range(start=types.Position(line=where.line, character=start),
                       end=types.Position(line=where.line, character=where.character))
    return completion.items(candidates, doc.position_codec.range_to_client_units(lines, edit))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def goto_definition(ls: StratdocsServer, params: types.DefinitionParams) -> types.Location | None:
    plan = ls.loaded_plan(params.text_document.uri)
    project_plan = ls.plan_of(params.text_document.uri)
    if plan is None or project_plan is None:
        return None
    _, lines, where = _cursor(ls, params)
    entity = definition.target(plan, lines, where.line, where.character)
    if entity is None:
        return None
    path, line, char = definition.location(project_plan.root, entity)
    at = types.Position(line=line, character=char)
    return types.Location(uri=from_fs_path(str(path)), range=types.Range(start=at, end=at))


@server.feature(types.SHUTDOWN)
def shutdown(ls: StratdocsServer, params) -> None:
    for task in ls.pending.values():
        task.cancel()
    ls.worker.shutdown(wait=False, cancel_futures=True)


def serve() -> None:
    """Run the language server on stdin and stdout until the client says `exit`."""
    server.start_io()
