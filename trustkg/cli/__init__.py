"""The ``trustkg`` command line: a thin shell over the library.

Each command parses its options, calls one library function and renders the result. Libraries
are imported inside the commands so that ``trustkg --help`` answers at once. A user's mistake
becomes one line on stderr and exit code 2; exit code 1 is kept for "ran fine, but the answer is
no" (validation that does not conform, an inconsistent ontology).
"""

from __future__ import annotations

import os
import sys

import click

from ..core.version import __version__
from . import ask, check, graph, share, studies
from .options import EXIT_ERROR, EXIT_INTERNAL


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    invoke_without_command=True,
)
@click.version_option(__version__, "--version", prog_name="trustkg")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """trustkg: the knowledge graph of trust between health and social care organisations.

    \b
    Start with:
      trustkg build                 build the graph from the bundled studies
      trustkg ontology info         what the ontology declares
      trustkg reason                check consistency and show inferred classes
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


for command in (
    graph.ontology,
    graph.build,
    check.reason,
    check.validate,
    ask.query,
    graph.synth,
    studies.import_group,
    studies.link,
    studies.export_mappings,
    studies.export_group,
    share.docs,
    share.serve,
    share.report,
    share.publish,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user mistakes into one line on stderr."""
    from ..core.errors import TrustkgError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # click's own main() would turn Ctrl-C into "Aborted!" and exit code 1 after an empty
        # line; invoking the context directly leaves every exception to the handlers below
        with cli.make_context("trustkg", args) as ctx:
            cli.invoke(ctx)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("trustkg: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        click.echo(f"trustkg: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(EXIT_ERROR)
    except TrustkgError as exc:
        click.echo(f"trustkg: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        # Every finally block of this thread has run (staged writes are cleaned up); work
        # left on other threads (a query in Rust, validation's workers) cannot be stopped and
        # would hold the exit until it ends, so the process ends here, at once.
        click.echo("trustkg: interrupted", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    except BrokenPipeError:  # the reader went away (trustkg query run cq03 | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        os._exit(141)  # what a shell reports for a program stopped by SIGPIPE
    except MemoryError:
        click.echo(
            "trustkg: error: out of memory; try a smaller input or a shared server", err=True
        )
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug in trustkg, not the user's mistake: still one line
        if os.environ.get("TRUSTKG_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:300]
        click.echo(
            f"trustkg: internal error: {type(exc).__name__}: {detail} "
            "(a bug in trustkg: please report it; TRUSTKG_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
