#!/usr/bin/env python3
"""Draws FusionBot's Teams icons (Python 3 standard library only) so they can be regenerated and reviewed.

The glyph is two interlocking rings, makers and pro developers, with a check mark where they overlap: the
fusion team passing governance (the 32-pixel outline keeps the rings only: a check that small reads as noise). Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white
on transparent. Each pixel's coverage comes from 4x4 supersampling, so edges are anti-aliased in alpha.

Usage: python3 manifest/icons/generate.py [out-dir]  (writes color.png and outline.png, by default beside this script)
"""
import math
import struct
import sys
import zlib
from pathlib import Path

BACKGROUND = (0x46, 0x4E, 0xB8)  # Teams indigo, opaque
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4


def ring(x, y, cx, cy, radius, width):
    return abs(math.hypot(x - cx, y - cy) - radius) <= width / 2


def segment(x, y, ax, ay, bx, by, width):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= width / 2


def glyph(x, y, stroke, check):
    """True where the glyph covers the point; coordinates are in a unit square (0..1)."""
    rings = ring(x, y, 0.37, 0.50, 0.25, stroke) or ring(x, y, 0.63, 0.50, 0.25, stroke)
    return rings or (check and (segment(x, y, 0.44, 0.50, 0.49, 0.56, stroke * 0.8)
                                or segment(x, y, 0.49, 0.56, 0.57, 0.44, stroke * 0.8)))


def coverage(px, py, size, stroke, inset, check):
    hits = 0
    for sy in range(SUPERSAMPLE):
        for sx in range(SUPERSAMPLE):
            # Map the sample into the unit square, leaving a margin of `inset` on every side.
            u = ((px + (sx + 0.5) / SUPERSAMPLE) / size - inset) / (1 - 2 * inset)
            v = ((py + (sy + 0.5) / SUPERSAMPLE) / size - inset) / (1 - 2 * inset)
            hits += glyph(u, v, stroke, check)
    return hits / (SUPERSAMPLE * SUPERSAMPLE)


def color_icon(size=192):
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            a = coverage(px, py, size, stroke=0.07, inset=0.10, check=True)
            row += bytes(round(b + (w - b) * a) for b, w in zip(BACKGROUND, WHITE)) + b"\xff"
        rows.append(bytes(row))
    return rows


def outline_icon(size=32):
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            row += bytes(WHITE) + bytes([round(255 * coverage(px, py, size, stroke=0.085, inset=0.02, check=False))])
        rows.append(bytes(row))
    return rows


def png(rows):
    """Encodes 8-bit RGBA rows as a PNG (filter type 0 on every row)."""
    height, width = len(rows), len(rows[0]) // 4

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    (out / "color.png").write_bytes(png(color_icon()))
    (out / "outline.png").write_bytes(png(outline_icon()))
    print(f"wrote {out / 'color.png'} and {out / 'outline.png'}")
