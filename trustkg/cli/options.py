"""Options shared by several commands, so each reads and behaves the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

EXIT_ERROR = 2
#: a bug in trustkg (sysexits' EX_SOFTWARE), told apart from the user's mistakes
EXIT_INTERNAL = 70


def store_option(func):
    """The same ``--store`` on every command that reads or writes the graph."""
    return click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="TRUSTKG_STORE",
        show_envvar=True,
        help="Store folder. Default: $XDG_DATA_HOME/trustkg/store (~/.local/share/trustkg/store).",
    )(func)


def format_option(*choices: str, default: str):
    """The same ``--format`` on every command that can render its result several ways."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


OUT_HELP = (
    "Folder to write the pages into; made if missing. Files of the same names are replaced "
    "once everything is written; other files are left alone."
)


def params_option_values(values: tuple[str, ...]) -> dict[str, str]:
    """``--param KEY=VALUE`` options as a dict; a value may itself hold ``=``."""
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: write KEY=VALUE", param_hint="--param")
        out[key.strip()] = value
    return out
