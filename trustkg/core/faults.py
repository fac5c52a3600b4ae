"""Named points at which a test can make trustkg die, to prove that nothing is lost.

With ``TRUSTKG_FAULT=<point>`` set, the process kills itself with SIGKILL on reaching that point,
as a power cut or ``kill -9`` would: no ``finally`` block, no clean-up. Unset (always, outside
the tests), a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "TRUSTKG_FAULT"


def point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
