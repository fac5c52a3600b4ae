"""A query that runs long can be stopped: a real SIGINT (Ctrl-C) ends `trustkg query run`
within a second or two with exit code 130 and one line, leaving the store as it was; and
`--timeout` limits a local query as it limits an endpoint's."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: a cross product of the whole graph with itself, twice: Oxigraph evaluates it in Rust for
#: far longer than any test waits (on the seed store, hundreds of billions of rows)
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "LOG":
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def cross(tmp_path) -> Path:
    path = tmp_path / "cross.rq"
    path.write_text(CROSS, encoding="utf-8")
    return path


def start(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "TRUSTKG_ENDPOINT"}
    return subprocess.Popen(
        [sys.executable, "-m", "trustkg.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_ctrl_c_stops_a_long_local_query(seed_store, cross):
    before = digest(seed_store)
    proc = start("query", "run", str(cross), "--store", str(seed_store))
    time.sleep(2.5)  # started, store opened, deep in Oxigraph's evaluation
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == 130, (proc.returncode, err)
    assert err == "trustkg: interrupted\n" and out == ""
    assert took < 2.0, f"Ctrl-C took {took:.2f} s"
    assert digest(seed_store) == before


def test_timeout_stops_a_long_local_query(seed_store, cross):
    proc = start("query", "run", str(cross), "--store", str(seed_store), "--timeout", "1")
    sent = time.monotonic()
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "did not finish within 1 s" in err, err
    assert took < 10, f"a 1 s limit took {took:.1f} s"


def test_timeout_is_stated_in_help():
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "query", "run", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "--timeout" in res.stdout
    assert "no limit on the store" in " ".join(res.stdout.split())
