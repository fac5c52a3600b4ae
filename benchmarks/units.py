"""Sizes, times, bytes and ratios: how the harness reads them from options and shows them.

One place for the formatting, so every table writes a figure the same way.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics


def parse_size(text: str) -> int:
    """A graph size in triples, as ``--sizes`` takes it.

    >>> [parse_size(s) for s in ("100k", "1m", "2.5M", "5000", "8k")]
    [100000, 1000000, 2500000, 5000, 8000]
    """
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 100k or 1m")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    return int(float(m.group(1)) * factor)


def human_bytes(n: float | None) -> str:
    """Bytes for a reader, binary units.

    >>> human_bytes(650 * 1024**2), human_bytes(512), human_bytes(None)
    ('650.00 MB', '512 B', '—')
    """
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    return f"{n:.2f} GB"


def fmt_s(x: float | None, digits: int = 2) -> str:
    """Seconds, ``—`` when not measured.

    >>> fmt_s(12.468), fmt_s(0.1834, 3), fmt_s(None)
    ('12.47 s', '0.183 s', '—')
    """
    return "—" if x is None else f"{x:.{digits}f} s"


def fmt_ms(x: float | None) -> str:
    """Milliseconds: one decimal under a second, thousands separated above.

    >>> fmt_ms(116.74), fmt_ms(1149.6), fmt_ms(None)
    ('116.7', '1,150', '—')
    """
    if x is None:
        return "—"
    return f"{x:.1f}" if x < 1000 else f"{x:,.0f}"


def fmt_ratio(x: float | None) -> str:
    """A speed-up or other ratio.

    >>> fmt_ratio(5.43), fmt_ratio(None)
    ('5.4×', '—')
    """
    return "—" if x is None else f"{x:.1f}×"


def median(values: list[float]) -> float | None:
    """The median, or None for no values (a measurement that did not happen)."""
    return statistics.median(values) if values else None


def geomean(values: list[float]) -> float | None:
    """Geometric mean of the positive values (the mean of speed-up ratios).

    >>> round(geomean([2.0, 8.0]), 6), geomean([])
    (4.0, None)
    """
    values = [v for v in values if v and v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None
