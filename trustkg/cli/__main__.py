"""``python -m trustkg.cli``: the same as the ``trustkg`` command."""

from . import main

main()
