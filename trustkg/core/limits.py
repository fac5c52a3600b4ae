"""The size cap on every file trustkg reads.

A file picked by mistake (a database dump, a video, a whole export of another project) should be
refused in a moment with its size, not parsed until memory runs out. The cap is checked from the
file's size on disk before a byte is parsed, and applies to RDF files, source tables, REFI-QDA
projects (and each file inside a .qdpx archive), SSSOM files, registers and query files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import TrustkgError

#: Environment variable that sets the cap, e.g. ``TRUSTKG_MAX_INPUT_BYTES=4G``.
LIMIT_ENV = "TRUSTKG_MAX_INPUT_BYTES"

#: The default cap: 1 GiB, above a ten-million-triple N-Triples file's worth of source tables.
DEFAULT_MAX_INPUT_BYTES = 1024**3

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*", re.IGNORECASE)


def max_input_bytes() -> int:
    """The cap in bytes, from ``$TRUSTKG_MAX_INPUT_BYTES`` (``500M``, ``4G``, ``123456``)."""
    raw = os.environ.get(LIMIT_ENV)
    if not raw:
        return DEFAULT_MAX_INPUT_BYTES
    m = _SIZE.fullmatch(raw)
    if not m:
        raise TrustkgError(f"{LIMIT_ENV}={raw!r} is not a size like 500M, 4G or 123456")
    return int(m.group(1)) * _UNITS[m.group(2).upper()]


def human(size: int) -> str:
    for unit, step in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} bytes"


def check_size(path: str | Path, size: int | None = None, what: str = "file") -> None:
    """Refuse ``path`` (or a member of an archive, with its ``size``) over the cap."""
    limit = max_input_bytes()
    if size is None:
        try:
            size = Path(path).stat().st_size
        except OSError:
            return  # a missing file is reported by whoever opens it, in its own words
    if size > limit:
        raise TrustkgError(
            f"{what} is {human(size)}, over the {human(limit)} input cap; "
            f"set {LIMIT_ENV} to raise it if this file is meant",
            file=path,
        )
