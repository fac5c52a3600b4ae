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


def warn_dropped(summary) -> None:
    """One line on stderr naming the studies the store held that this build left out."""
    if summary.dropped:
        names = ", ".join(summary.dropped)
        click.echo(
            f"trustkg: warning: the store no longer holds {names}: a build keeps only the "
            "bundled studies and the --study folders it is given (add --study DIR for each "
            "study to keep)",
            err=True,
        )


def study_option(help_text: str, *, required: bool = False, multiple: bool = False):
    """``--study DIR``: a study folder written in trustkg's tables, the same in every command."""
    return click.option(
        "--study",
        "studies" if multiple else "study_folder",
        multiple=multiple,
        required=required,
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help=help_text,
    )


def folder_study_id(folder: Path) -> str | None:
    """The id in a study folder's study.csv, or None when there is no readable one."""
    import csv

    try:
        with open(folder / "study.csv", encoding="utf-8-sig", newline="") as fh:
            return next(csv.DictReader(fh), {}).get("id") or None
    except (OSError, csv.Error, UnicodeDecodeError):
        return None
