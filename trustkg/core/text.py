"""Text on its way to a terminal: values from the graph are shown, never obeyed.

A label or quotation may hold an escape sequence (``\x1b[2J`` clears the screen) or another
control character; every text output (query tables, validation and reasoning reports) passes
through :func:`terminal_text` so such a value is shown as an escape, as written in the data.
"""

from __future__ import annotations

import re

#: control characters other than tab and line feed: shown as escapes, never sent raw
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(value: str) -> str:
    r"""A value as a terminal may show it: line breaks kept, control characters as escapes.

    >>> terminal_text("a\r\nb\x1b[31m")
    'a\nb\\x1b[31m'
    """
    value = value.replace("\r\n", "\n")
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], value)
