"""Replace a folder all at once, so a failed or killed command never leaves half of one.

Two ways to write without being seen half-way, one module:

- :func:`staged_copy` / :func:`replace_folder`: a folder that is replaced whole (the store, a
  study's tables);
- :func:`staged_output`: a folder of pages (``docs``, ``report``) whose files move in one by one,
  leaving other files of the user's in that folder alone;
- :func:`write_file`: one file (a codebook for a QDA tool), written beside its target and
  renamed into place.

Every command that writes (build, import, link) fills a staging folder beside its target and
swaps it in only when everything succeeded. On Linux the swap is one ``renameat2`` call with
``RENAME_EXCHANGE``: there is no moment at which the target is missing or mixed, even if the
process is killed. Elsewhere it falls back to two renames, and the next command under the same
lock puts back a target that a kill between them left aside (:func:`recover`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import faults
from .errors import TrustkgError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot (caller falls back)."""
    if _RENAMEAT2 is None:
        return False
    rc = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False  # e.g. a file system without RENAME_EXCHANGE
    raise OSError(err, os.strerror(err), str(b))


def staging_path(target: Path, tag: str = "new") -> Path:
    """Where a command stages the new version of ``target``: hidden, beside it, per process."""
    return target.with_name(f".{target.name}.{tag}-{os.getpid()}")


def replace_folder(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` (which may not exist yet) and drop the old one."""
    if target.exists() and exchange(new, target):
        faults.point("swap:exchanged")
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old version
        return
    old = staging_path(target, "old")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path, tags: tuple[str, ...] = ("old", "new")) -> None:
    """Tidy up after a command that was killed while writing ``target``.

    Call it holding the lock that guards ``target``. Staging folders of dead processes are
    removed; if ``target`` is missing but an old version was set aside (a kill between the two
    renames of the fallback), that version is put back. ``tags`` names the kinds of staging
    folder to look for (``staging_path``'s tag).
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for tag in tags:
        for path in sorted(parent.glob(f".{target.name}.{tag}-*")):
            pid = path.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or (int(pid) != os.getpid() and _pid_alive(int(pid))):
                continue
            if tag == "old" and not target.exists():
                os.replace(path, target)
            elif path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@contextmanager
def staged_copy(folder: Path) -> Iterator[Path]:
    """Yield a copy of ``folder`` (empty if it does not exist) to change; swap it in on success.

    On any error, or if the process is killed, ``folder`` keeps every byte it had.
    """
    stage = staging_path(folder)
    if stage.exists():
        shutil.rmtree(stage)
    if folder.is_dir():
        shutil.copytree(folder, stage, symlinks=True)
    else:
        stage.mkdir(parents=True)
    try:
        yield stage
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        _name_the_real_folder(exc, stage, folder)
        raise
    replace_folder(stage, folder)


def _name_the_real_folder(exc: BaseException, stage: Path, folder: Path) -> None:
    """An error found in the staged copy names the researcher's folder, not the hidden copy."""
    if isinstance(exc, TrustkgError) and exc.file and exc.file.startswith(str(stage)):
        exc.file = str(folder) + exc.file[len(str(stage)) :]
        exc.args = (str(exc),)


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


def write_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all: beside it first, then renamed over it."""
    path = Path(path)
    if path.is_dir():
        raise TrustkgError("--out names a folder; give a file name", file=path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise TrustkgError(f"cannot write here: {exc.strerror or exc}", file=path) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path
