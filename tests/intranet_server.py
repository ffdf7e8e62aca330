"""The intranet test server run as its own process: `python intranet_server.py DOCROOT`.

The session-wide server of `web_fixtures.served` lives as long as the test session. Run as a
thread it would make every later test's process a threaded one, in which stratdocs (rightly)
refuses to fork its workers; run as a process it leaves the test process as it found it.
It prints the port it listens on, then serves until it is terminated.
"""

from __future__ import annotations

import functools
import sys
from http.server import ThreadingHTTPServer

from web_fixtures import IntranetHandler

if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(IntranetHandler, directory=sys.argv[1]))
    print(server.server_address[1], flush=True)
    server.serve_forever()
