"""An installed wheel finds the ontology, shapes, queries and bundled studies on its own.

The wheel is built from the checkout and installed without dependencies into a fresh virtual
environment outside it; the dependencies come from the test environment through a ``.pth`` file,
so this checks trustkg's packaging without downloading anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with the freshly built wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("trustkg-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # dependencies from this environment, placed after the venv's own site-packages
    (Path(site) / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["TRUSTKG_STORE"] = str(cwd / "store")
    return subprocess.run(
        [str(venv / "bin" / "trustkg"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_installed_wheel_runs_ontology_info_outside_the_checkout(installed: Path, tmp_path: Path):
    res = _run(installed, "ontology", "info", "--format", "json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["iri"] == "https://w3id.org/trustkg/ontology"
    assert str(installed) in info["file"], "the ontology must come from the installed wheel"
    assert str(REPO) not in info["file"]


def test_installed_wheel_builds_the_bundled_studies(installed: Path, tmp_path: Path):
    res = _run(installed, "build", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "tk:Participant" in res.stdout
    assert (tmp_path / "store" / "CURRENT").is_file()


def test_installed_wheel_carries_shapes_and_queries(installed: Path, tmp_path: Path):
    code = (
        "from trustkg.core.resources import resource_dir, bundled_studies;"
        "import json;"
        "print(json.dumps({n: str(resource_dir(n)) for n in ('ontology','shapes','queries')}"
        "| {'studies': [p.name for p in bundled_studies()]}))"
    )
    res = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    found = json.loads(res.stdout)
    for name in ("ontology", "shapes", "queries"):
        assert str(installed) in found[name]
    assert found["studies"] == ["li2018", "williams2013"]


def test_installed_wheel_writes_docs_and_report(installed: Path, tmp_path: Path):
    """The report's own queries (report-care-networks, report-theme-asymmetries) ship too."""
    assert _run(installed, "build", cwd=tmp_path).returncode == 0
    res = _run(installed, "report", "--out", "report", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert len(list((tmp_path / "report").glob("figure-*.svg"))) == 5
    res = _run(installed, "docs", "--out", "site", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "report-care-networks" in (tmp_path / "site" / "queries.html").read_text()
