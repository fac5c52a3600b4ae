"""Write a folder of pages so that nobody sees it half-written.

``trustkg docs`` and ``trustkg report`` write their pages into a new folder beside ``--out``
first. Only when every page is written do the pages move in: the new folder is renamed to
``--out`` when that does not exist yet, else each file replaces its namesake with one rename. A
failure half-way therefore leaves the previous pages as they were, and files of the user's that
happen to share the folder are never deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import TrustkgError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def staged_output(out: str | Path) -> Iterator[Path]:
    """Yield an empty folder to write into; on success, move what it holds into ``out``.

    Only plain files are moved (the pages are flat on purpose); ``out`` must be a folder or
    not exist yet.
    """
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise TrustkgError("--out must name a folder, and this is a file", file=out)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as exc:
        raise TrustkgError(f"cannot write here: {exc.strerror or exc}", file=out) from None
    try:
        yield stage
        _move_into_place(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_into_place(stage: Path, out: Path) -> None:
    try:
        # mkdtemp makes the folder private; pages are for sharing, so honour the umask instead
        os.chmod(stage, 0o777 & ~_umask())
        if not out.exists():
            os.replace(stage, out)
            return
        for item in sorted(stage.iterdir()):
            target = out / item.name
            if target.is_dir():
                raise TrustkgError(
                    f"cannot write {item.name}: a folder of that name is in the way", file=out
                )
            os.replace(item, target)
    except OSError as exc:
        raise TrustkgError(f"cannot write here: {exc.strerror or exc}", file=out) from None
