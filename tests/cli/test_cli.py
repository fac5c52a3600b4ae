"""The command line: every command has help with an example, errors are one line, and
`ontology info` reports the ontology."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from trustkg.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


COMMANDS = list(_commands(cli))


def test_help_lists_every_command():
    out = CliRunner().invoke(cli, ["--help"])
    assert out.exit_code == 0
    assert COMMANDS, "no commands found"
    for name in cli.commands:
        assert name in out.output


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, cmd):
    assert cmd.help and cmd.get_short_help_str(), f"{path} has no help"
    out = CliRunner().invoke(cli, [*path, "--help"])
    assert out.exit_code == 0
    assert "Example" in out.output and "trustkg " in out.output, out.output


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_graph_command_takes_store(path, cmd):
    if isinstance(cmd, click.Group) or path in {
        ("ontology", "info"),
        ("query", "list"),
        ("synth",),
        ("export-mappings",),  # reads the study tables, not the store
        ("export", "codebook"),  # reads the study tables, not the store
        ("docs",),  # documents the ontology and the query catalogue, not the store
    }:
        return
    assert "store" in {p.name for p in cmd.params}, f"{' '.join(path)} lacks --store"


def test_every_command_is_documented_in_the_readme():
    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path, cmd in COMMANDS:
        if not isinstance(cmd, click.Group):
            assert f"trustkg {' '.join(path)}" in readme, f"README lacks {' '.join(path)}"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_version():
    from trustkg import __version__

    res = _run("--version")
    assert res.returncode == 0 and __version__ in res.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--no-such-option"],
        ["build", "--study", "/no/such/folder"],
        ["frobnicate"],
        ["build", "--out", "graph.xyz", "--store", "/tmp/trustkg-never-written"],
    ],
)
def test_user_mistakes_are_one_line_on_stderr(args):
    res = _run(*args)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustkg: error:"), res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["reason"],
        ["validate"],
        ["query", "run", "cq04"],
        ["serve", "--port", "0"],
        ["publish", "--endpoint", "http://127.0.0.1:9/query"],
    ],
    ids=lambda c: c[0],
)
def test_a_missing_store_is_refused_by_every_command(tmp_path, command):
    """No command pretends: `reason` once said "consistent: yes" about the ontology alone."""
    res = _run(*command, "--store", str(tmp_path / "none"))
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "no trustkg store here" in lines[0], res.stderr
    assert "consistent" not in res.stdout
    assert not (tmp_path / "none").exists()


def test_ontology_info_json():
    out = CliRunner().invoke(cli, ["ontology", "info", "--format", "json"])
    assert out.exit_code == 0
    info = json.loads(out.output)
    assert info["iri"] == "https://w3id.org/trustkg/ontology"
    assert info["version"] == "0.2.0"
    assert info["classes"] >= 25 and info["object_properties"] >= 30


def test_store_from_environment(tmp_path, monkeypatch):
    from trustkg.store import default_store_path

    monkeypatch.setenv("TRUSTKG_STORE", str(tmp_path / "x"))
    assert default_store_path() == tmp_path / "x"
    monkeypatch.delenv("TRUSTKG_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "trustkg" / "store"


def test_build_command_prints_counts(tmp_path):
    out = CliRunner().invoke(cli, ["build", "--store", str(tmp_path / "s")])
    assert out.exit_code == 0, out.output
    assert "tk:Participant" in out.output and "41" in out.output
