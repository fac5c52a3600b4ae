"""The one exception family for mistakes a user can make.

The CLI turns a :class:`TrustkgError` into a single line on stderr and exit code 2; anything
else escaping is a bug in trustkg, told in one line too, with exit code 70 (``TRUSTKG_DEBUG=1``
shows its traceback).
"""

from __future__ import annotations

from pathlib import Path


class TrustkgError(Exception):
    """A problem with the user's input or environment, told in one line.

    ``file``, ``line`` and ``field`` locate the problem so a researcher can go straight to the
    cell or line that needs fixing; each is optional because not every error has a place.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            loc = _one_line(self.file)
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            where.append(loc)
        if self.field:
            where.append(f"column '{_one_line(self.field)}'")
        prefix = ", ".join(where)
        text = " ".join(self.message.split())  # always one line
        return f"{prefix}: {text}" if prefix else text


#: what str.splitlines, and so a terminal or a log reader, breaks a line at
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _one_line(text: str) -> str:
    """A file name or column name as given, but with its line breaks escaped: a header cell
    may hold a newline (quoted), and it is named in the message, which must stay one line."""
    return "".join(repr(ch)[1:-1] if ch in _LINE_BREAKS else ch for ch in text)


class TableError(TrustkgError):
    """A source table (CSV) that does not follow trustkg's table schema."""


class StoreError(TrustkgError):
    """The store is missing, locked or unreadable."""
