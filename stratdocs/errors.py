"""User errors as values (SPEC §8 exit codes).

Nothing below the CLI prints, exits or imports click. A problem in the user's content is a
`Finding`; a problem that stops a command (bad config, an output folder we may not touch, a
revision git does not know) is one of these exceptions, carrying its located findings where it
has them. Only `stratdocs.cli` turns them into a message and an exit code:

====  =====================================================================
code  meaning
====  =====================================================================
0     ok
1     content problems (or warnings with ``--strict``); output not writable
2     usage or config: the command line, ``stratdocs.yml``, the theme setting
3     a bug in stratdocs (anything that is not one of these exceptions)
====  =====================================================================
"""

from __future__ import annotations

from typing import Iterable

from stratdocs.findings import Finding


class StratdocsError(Exception):
    """A user's mistake that stops a command. `message` is one sentence naming the file."""

    #: The process exit status the CLI uses for this error.
    exit_code = 1

    def __init__(self, message: str, findings: Iterable[Finding] = ()):
        super().__init__(message)
        self.message = message
        #: Located problems behind the error, for ``check --format json|github``.
        self.findings: tuple[Finding, ...] = tuple(findings)

    def __reduce__(self):
        """Pickled whole (message and findings), so an error raised in a worker process
        (`stratdocs.workers`) reaches the user exactly as if it had been raised in-process."""
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type, args: tuple, state: dict) -> StratdocsError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ContentError(StratdocsError):
    """The plan has errors, so nothing is published (the previous output stays)."""

    exit_code = 1


class OutputError(StratdocsError):
    """An output path that may not be written: outside the output folder, taken twice, a disk
    that is full, a folder stratdocs did not build."""

    exit_code = 1


class TooSlow(StratdocsError):
    """A file took longer than its time limit to parse or render."""

    exit_code = 1


class UsageError(StratdocsError):
    """A bad command line: an unknown document, kind or revision."""

    exit_code = 2


class ConfigError(StratdocsError):
    """Bad configuration: every problem found, each a located finding with code ``config``."""

    exit_code = 2

    def __init__(self, findings: Iterable[Finding], message: str | None = None):
        """:param findings: the located problems; :param message: the text shown to a person
        (default: the findings, one a line)."""
        findings = tuple(findings)
        if message is None:
            message = "\n".join(f"{f.file}:{f.line}:{f.col}: error: {f.message}" for f in findings)
        super().__init__(message, findings)
