"""A Taguette document's HTML as plain text, and Taguette's highlight offsets as positions in it.

Taguette keeps each document as sanitised HTML and places a highlight by **UTF-8 byte offsets**
counted over the document's text nodes only (tags are not counted, entities count as the
characters they stand for: taguette/extract.py, and ``lengthUTF8`` in its page script).
trustkg keeps a plain text with a line break after each block (paragraph, list item, heading)
so the interview still reads as one, and positions in **code points**, as REFI-QDA does.
:class:`DocumentText` does both and maps one onto the other.

>>> doc = DocumentText("<p>Caf&eacute; staff</p><p>know — us</p>")
>>> doc.text
'Café staff\\nknow — us'
>>> doc.span(0, 11)  # bytes 0-11 are "Café staff" (é is two bytes)
(0, 10)
>>> doc.span(12, 22)  # "now — us" ("—" is three bytes), after the paragraph's line break
(12, 20)
>>> doc.text[12:20]
'now — us'
"""

from __future__ import annotations

import html.parser
from bisect import bisect_right
from dataclasses import dataclass

#: elements after which the plain text starts a new line
BLOCKS = frozenset(
    "p br li h1 h2 h3 h4 h5 h6 tr blockquote pre dd dt caption table ul ol dl div".split()
)


@dataclass(frozen=True)
class _Piece:
    byte_start: int  # Taguette's offset of the node's first byte
    raw: bytes  # the node's text, UTF-8
    out_start: int  # where the node starts in the plain text


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[_Piece] = []
        self.out: list[str] = []
        self.n_out = 0
        self.n_bytes = 0

    def _newline(self) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")
            self.n_out += 1

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        raw = data.encode("utf-8")
        self.pieces.append(_Piece(self.n_bytes, raw, self.n_out))
        self.out.append(data)
        self.n_out += len(data)
        self.n_bytes += len(raw)


def html_text(fragment: str) -> str:
    """The text nodes of an HTML fragment, joined (what Taguette counts its offsets over).

    >>> html_text("<p>a &amp; b</p><p>c</p>")
    'a & bc'
    """
    return DocumentText(fragment).raw_text


class DocumentText:
    """A document's plain text, and the map from Taguette's byte offsets into it."""

    def __init__(self, contents: str) -> None:
        # html5lib, which Taguette parses with, reads CR LF and CR as LF: so does this
        contents = contents.replace("\r\n", "\n").replace("\r", "\n")
        parser = _Parser()
        parser.feed(contents)
        parser.close()
        self._pieces = [p for p in parser.pieces if p.raw]
        self._starts = [p.byte_start for p in self._pieces]
        self.n_bytes = parser.n_bytes
        self.text = "".join(parser.out).rstrip("\n")
        self._raw = b"".join(p.raw for p in self._pieces)

    @property
    def raw_text(self) -> str:
        """The text nodes joined with nothing between them: Taguette's own view of the text."""
        return self._raw.decode("utf-8")

    def raw_slice(self, start: int, end: int) -> str:
        """The words between two Taguette offsets, as Taguette sees them; ValueError if the
        offsets are outside the text or cut a character in two."""
        if not 0 <= start <= end <= self.n_bytes:
            raise ValueError(f"offsets {start}-{end} are outside the text (0-{self.n_bytes})")
        try:
            return self._raw[start:end].decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"offsets {start}-{end} cut a character in two") from None

    def position(self, offset: int, *, end: bool) -> int:
        """A Taguette byte offset as a code point position in :attr:`text`.

        Where two text nodes meet, a start belongs to the later node and an end to the earlier,
        so a highlight never begins or ends with a line break that trustkg put between blocks.
        """
        i = bisect_right(self._starts, offset) - 1
        if end and i > 0 and offset == self._pieces[i].byte_start:
            i -= 1  # an end exactly where a node starts: the end of the node before
        if i < 0:
            return 0
        piece = self._pieces[i]
        within = offset - piece.byte_start
        if within > len(piece.raw):  # only after the last node
            within = len(piece.raw)
        return piece.out_start + len(piece.raw[:within].decode("utf-8"))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Code point positions of a highlight given in Taguette's byte offsets."""
        self.raw_slice(start, end)  # checks the offsets
        return self.position(start, end=False), self.position(end, end=True)
