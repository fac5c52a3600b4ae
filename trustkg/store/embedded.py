"""The embedded store: an Oxigraph database in one folder on disk.

Oxigraph is the default because it loads and queries 10–1000× faster than plain rdflib at the
sizes researchers reach (see ``benchmarks/``). A build never writes into the live store: it fills
a new folder beside it and swaps it into place only when everything succeeded, so a failed or
killed build leaves the previous store as it was and readers keep seeing the old graph.
"""

from __future__ import annotations

import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..core import faults
from ..core.atomic import recover, replace_folder, staging_path
from ..core.errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

T = TypeVar("T")

#: Environment variable that overrides the default store location.
STORE_ENV = "TRUSTKG_STORE"

#: The graph as N-Triples (in parts: trustkg-graph-0.nt, -1.nt …), kept by ``build`` inside the
#: store folder: a portable copy, and what validation loads into memory (RocksDB leaves files it
#: does not own alone). Each part is a document of its own: no blank node spans two.
SNAPSHOT = "trustkg-graph.nt"


def default_store_path() -> Path:
    """``$TRUSTKG_STORE``, else ``$XDG_DATA_HOME/trustkg/store`` (~/.local/share/trustkg/store)."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "trustkg" / "store"


def resolve_store_path(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_store_path()


def open_store(path: str | Path | None = None) -> pyoxigraph.Store:
    """Open a built store for reading; several readers may open it at once."""
    import pyoxigraph

    folder = resolve_store_path(path)
    if not (folder / "CURRENT").is_file():
        raise StoreError(
            "no trustkg store here: run 'trustkg build' first (or pass --store)", file=folder
        )
    try:
        return pyoxigraph.Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"cannot open the store: {exc}", file=folder) from None


@contextmanager
def build_lock(folder: Path, wait: float = 0) -> Iterator[None]:
    """Only one build may replace a store at a time; a second one is told, not queued silently.

    The lock is ``STORE.lock`` beside the store, locked with ``flock`` (the kernel releases it
    when the process dies, even by ``kill -9``) and removed when the build ends, so no lock
    file is left beside the store. Removing a lock file others may be waiting on is safe
    because a waiter that gets the lock checks that the file it locked is still the one at
    that path, and otherwise tries again.
    """
    import fcntl
    import time

    folder.parent.mkdir(parents=True, exist_ok=True)
    path = Path(str(folder) + ".lock")
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise StoreError(
                    "another trustkg build is writing this store; wait for it to finish and "
                    "try again",
                    file=folder,
                ) from None
            time.sleep(0.05)
            continue
        try:
            held, current = os.fstat(fd), os.stat(path)
            if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # the build before removed the file we locked: lock the new one
    try:
        yield
    finally:
        try:
            path.unlink()  # while still holding it (see above)
        except FileNotFoundError:
            pass
        os.close(fd)


def replace_store(
    folder: Path, fill: Callable[[pyoxigraph.Store, Path], T], *, copy_current: bool = False
) -> T:
    """Make a new store in a staging folder with ``fill(store, staging_folder)``, close it,
    and swap it in place of ``folder``; return what ``fill`` returned.

    With ``copy_current``, the staging store starts as a copy of the current one (see
    :func:`copy_store`), for a command that changes part of it (``reason --write``).

    ``fill`` gets the store rather than a ``with`` block holding it, so that nothing keeps the
    database open once it is done: the database is closed (its background compactions finished)
    before its folder moves. Call it holding :func:`build_lock`: it first tidies what a killed
    build left behind. On any failure the staging folder is removed and ``folder`` untouched.
    """
    import pyoxigraph

    recover(folder)
    stage = staging_path(folder)
    if stage.exists():
        shutil.rmtree(stage)
    stage.parent.mkdir(parents=True, exist_ok=True)
    store = None
    try:
        if copy_current:
            copy_store(folder, stage)
        store = pyoxigraph.Store(str(stage))
        result = fill(store, stage)
        store.flush()
        store = None  # the only reference: this closes the database
    except BaseException as exc:
        store = None
        # the traceback keeps fill's frames, and in them the store, alive: clear them so the
        # database closes (its background work finished) before its folder is removed, or a
        # late compaction leaves files behind in it
        traceback.clear_frames(exc.__traceback__)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    faults.point("build:before-swap")
    replace_folder(stage, folder)
    return result


#: files RocksDB writes in a database folder; ``copy_store`` links every other file
_ROCKSDB_FILES = re.compile(
    r"(CURRENT|IDENTITY|LOCK|LOG(\.old\..*)?|MANIFEST-\d+|OPTIONS-\d+|"
    r"\d+\.(sst|log|blob))"
)


def copy_store(folder: Path, dest: Path) -> None:
    """Copy the built store ``folder`` to ``dest`` (which must not exist), cheaply.

    Oxigraph's backup hard-links the database's immutable files when ``dest`` is on the same
    file system (a ten-million-triple store is copied in a moment, using no space) and copies
    them otherwise. trustkg's own files in the folder (the snapshot, the description) are
    linked, or copied, beside them.
    """
    store = open_store(folder)
    try:
        store.backup(str(dest))
    except OSError as exc:
        raise StoreError(f"cannot copy the store: {exc}", file=folder) from None
    finally:
        store = None
    for path in sorted(folder.iterdir()):
        if path.is_file() and not _ROCKSDB_FILES.fullmatch(path.name):
            try:
                os.link(path, dest / path.name)
            except OSError:
                shutil.copy2(path, dest / path.name)


def use_copy(folder: str | Path | None, work: Callable[[pyoxigraph.Store], T]) -> T:
    """Run ``work`` on a scratch copy of the built store, writable, and delete the copy.

    For a command that needs to write while it computes (the rule reasoner's derived facts)
    but must leave the store as it is. The copy sits beside the store when that folder's
    parent is writable (so it is hard links), in the temporary folder otherwise.
    """
    import tempfile

    import pyoxigraph

    folder = resolve_store_path(folder)
    open_store(folder)  # the same message as every reader when there is no store
    recover(folder, tags=("reason",))
    scratch = staging_path(folder, "reason")
    if not os.access(folder.parent, os.W_OK):
        scratch = Path(tempfile.mkdtemp(prefix="trustkg-reason-")) / "store"
    store = None
    try:
        copy_store(folder, scratch)
        store = pyoxigraph.Store(str(scratch))
        return work(store)
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)  # so the store closes: see replace_store
        raise
    finally:
        store = None  # closed before its folder goes
        shutil.rmtree(scratch, ignore_errors=True)


def as_rdflib_graph(path: str | Path | None = None) -> rdflib.Dataset:
    """The whole store as an rdflib ``Dataset``, for researchers who want rdflib's API.

    The data is copied into memory, which suits a study or a few; for millions of triples query
    the store with SPARQL instead.
    """
    import rdflib

    store = open_store(path)
    import pyoxigraph

    data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format="nquads")
    return ds
