"""The app's two icons, drawn as PNG with the standard library (Teams: colour 192x192, outline 32x32).

The outline icon is white on a transparent background, as Teams requires; the colour icon is a white tick on
the accent colour (a card answered). Drawn here, so the package needs no image files and no imaging library.
"""

from __future__ import annotations

import struct
import zlib

ACCENT = (0x1F, 0x6E, 0x8C)
_TICK = ((0.26, 0.52), (0.43, 0.69), (0.75, 0.33))  # the tick's three points, as fractions of the size


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _near_tick(x: float, y: float, width: float) -> bool:
    for (ax, ay), (bx, by) in zip(_TICK, _TICK[1:], strict=False):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        if (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= width * width:
            return True
    return False


def _draw(size: int, background: tuple[int, int, int, int], stroke: float) -> bytes:
    white = bytes((255, 255, 255, 255))
    fill = bytes(background)
    rows = []
    for j in range(size):
        y = (j + 0.5) / size
        rows.append(b"".join(white if _near_tick((i + 0.5) / size, y, stroke) else fill for i in range(size)))
    return _png(size, size, rows)


def color_icon() -> bytes:
    return _draw(192, (*ACCENT, 255), 0.055)


def outline_icon() -> bytes:
    return _draw(32, (0, 0, 0, 0), 0.07)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])
