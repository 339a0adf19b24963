"""Decode the browser tests' PNG screenshots without Pillow (not a project dependency)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _unfilter(filter_type: int, line: bytearray, previous: bytes, bpp: int) -> bytes:
    if filter_type == 0:
        return bytes(line)
    if filter_type == 2:
        return (
            (np.frombuffer(line, np.uint8) + np.frombuffer(previous, np.uint8)) & 0xFF
        ).tobytes()
    if filter_type == 1:  # each byte adds the reconstructed byte bpp to its left: a running sum
        pixels = np.frombuffer(line, np.uint8).reshape(-1, bpp).astype(np.int64)
        return (np.cumsum(pixels, axis=0) & 0xFF).astype(np.uint8).tobytes()
    for x in range(len(line)):
        left = line[x - bpp] if x >= bpp else 0
        if filter_type == 3:
            line[x] = (line[x] + (left + previous[x]) // 2) & 0xFF
        else:
            up, up_left = previous[x], previous[x - bpp] if x >= bpp else 0
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            line[x] = (
                line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)
            ) & 0xFF
    return bytes(line)


def decode_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered rows of an 8-bit RGB/RGBA PNG.

    Pillow is not a project dependency, and a screenshot check needs real pixels.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, chunk = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, (
        f"{path}: unsupported PNG {header}"
    )
    bpp = 3 if colour_type == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * bpp, [], bytes(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        previous = _unfilter(raw[start], line, previous, bpp)
        rows.append(previous)
    return width, height, bpp, rows
