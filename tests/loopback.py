"""The HTTP server class the test servers share (``conftest.LoopbackServer`` and the scripted
OpenAI-protocol server)."""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer

# A client that hangs up early (after a 404's headers, at its own timeout) is what many tests
# make happen on purpose.
_HANG_UPS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class QuietHTTPServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` that does not print a traceback when a client hangs up.

    The stock server prints one to ``sys.stderr``: with CLI tests running ``main(argv)`` in the
    same process, it would land in the stderr a test checks. Other errors still print.
    """

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], _HANG_UPS):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]
