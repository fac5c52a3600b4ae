"""``python -m trustkg``: the same as the ``trustkg`` command."""

from .cli import main

main()
