"""The build lock leaves no STORE.lock behind and still lets one build at a time; a build that
leaves out a study the store holds says which; `--study` names a folder in every command."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from trustkg.core.errors import StoreError
from trustkg.store.build import build, held_studies
from trustkg.store.embedded import build_lock

from ..conftest import FIXTURES

CARE = FIXTURES / "refi-qda" / "trust-in-care.qde"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=180
    )


def test_no_lock_file_is_left_beside_the_store(tmp_path):
    res = run("build", "--store", str(tmp_path / "store"))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_one_build_at_a_time_even_while_lock_files_come_and_go(tmp_path):
    """A holder removes the lock file as it lets go; a waiter that locked the removed file
    must not think it holds the lock beside a newcomer that locked the new one."""
    store = tmp_path / "store"
    holders: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    guard = threading.Lock()

    def worker(name: str) -> None:
        for _ in range(20):
            with build_lock(store, wait=30):
                with guard:
                    holders.append(name)
                    if len(holders) > 1:
                        overlaps.append(tuple(holders))
                time.sleep(0.002)
                with guard:
                    holders.remove(name)

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not overlaps
    assert not Path(str(store) + ".lock").exists()


def test_a_second_build_is_told_and_the_lock_file_goes_with_the_first(tmp_path):
    store = tmp_path / "store"
    with build_lock(store):
        assert Path(str(store) + ".lock").exists()
        with pytest.raises(StoreError, match="another trustkg build"):
            with build_lock(store):
                pass
    assert not Path(str(store) + ".lock").exists()


# -- studies a build would drop -----------------------------------------------------------------


def test_a_build_that_drops_a_study_says_which(tmp_path):
    store = tmp_path / "store"
    build([FIXTURES / "second-study"], store=store)
    assert held_studies(store) == ["fixture2", "li2018", "williams2013"]
    res = run("build", "--store", str(store))
    assert res.returncode == 0, res.stderr  # the build still proceeds
    warnings = [line for line in res.stderr.splitlines() if line.startswith("trustkg: warning")]
    assert len(warnings) == 1 and "no longer holds fixture2" in warnings[0], res.stderr
    assert held_studies(store) == ["li2018", "williams2013"]
    again = run("build", "--store", str(store))
    assert again.returncode == 0 and "warning" not in again.stderr


def test_import_and_link_build_say_what_they_drop(tmp_path):
    """`import --build` and `link --build` rebuild with the bundled studies and their one
    study: one they leave out is named."""
    store = tmp_path / "store"
    build([FIXTURES / "second-study"], store=store)
    folder = tmp_path / "carestudy"
    res = run(
        "import", "refi-qda", str(CARE), "--study", str(folder), "--build", "--store", str(store)
    )
    assert res.returncode == 0, res.stderr
    assert "no longer holds fixture2" in res.stderr and res.stderr.count("\n") == 1
    assert held_studies(store) == ["carestudy", "li2018", "williams2013"]
    build([FIXTURES / "second-study", folder], store=store)
    mapping = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"
    res = run("link", str(mapping), "--study", str(folder), "--build", "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert "no longer holds fixture2" in res.stderr


# -- --study is a folder everywhere -------------------------------------------------------------


def test_import_takes_the_study_id_from_the_folder(tmp_path):
    folder = tmp_path / "studies" / "carestudy"
    res = run("import", "refi-qda", str(CARE), "--study", str(folder))
    assert res.returncode == 0, res.stderr
    assert "wrote study 'carestudy'" in res.stdout
    assert (folder / "study.csv").read_text("utf-8").splitlines()[1].startswith("carestudy,")
    # the same folder again (--force): the id of the earlier import stays
    renamed = tmp_path / "Care Study"
    shutil.move(folder, renamed)
    res = run("import", "refi-qda", str(CARE), "--study", str(renamed), "--force")
    assert res.returncode == 0 and "wrote study 'carestudy'" in res.stdout, res.stderr


def test_import_id_overrides_and_a_bad_folder_name_asks_for_one(tmp_path):
    bad = tmp_path / "Care Study"
    res = run("import", "refi-qda", str(CARE), "--study", str(bad))
    assert res.returncode == 2 and res.stderr.count("\n") == 1
    assert "'Care Study'" in res.stderr and "--id" in res.stderr
    assert not bad.exists()
    res = run("import", "refi-qda", str(CARE), "--study", str(bad), "--id", "care2")
    assert res.returncode == 0 and "wrote study 'care2'" in res.stdout, res.stderr


def test_the_old_study_id_and_out_form_still_works_and_says_so(tmp_path):
    folder = tmp_path / "elsewhere"
    res = run("import", "refi-qda", str(CARE), "--study", "carestudy", "--out", str(folder))
    assert res.returncode == 0, res.stderr
    assert "wrote study 'carestudy'" in res.stdout and "deprecated" in res.stderr


def test_the_same_folder_serves_import_link_build_and_report(tmp_path):
    folder = tmp_path / "carestudy"
    store = tmp_path / "store"
    mapping = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"
    for args in (
        ["import", "refi-qda", str(CARE), "--study", str(folder)],
        ["link", str(mapping), "--study", str(folder)],
        ["build", "--study", str(folder), "--store", str(store)],
        ["report", "--out", str(tmp_path / "r"), "--study", str(folder), "--store", str(store)],
    ):
        res = run(*args)
        assert res.returncode == 0, (args, res.stderr)
    assert "carestudy" in (tmp_path / "r" / "index.html").read_text("utf-8")
