#!/usr/bin/env python3
"""Writes N distinct small PNG pictures (bars of varying heights and colours, 96x96 to 200x160) into a
folder, for the image benchmark. Standard library only.
    python3 scripts/make-pictures.py /tmp/pictures 500
"""
import os
import random
import struct
import sys
import zlib


def png_bytes(width, height, pixel):
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def main(out, n):
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(11)
    for i in range(n):
        w, h = rnd.randint(96, 200), rnd.randint(96, 160)
        colour = (rnd.randint(0, 200), rnd.randint(0, 200), rnd.randint(0, 200))
        heights = [rnd.randint(10, h - 10) for _ in range(5)]

        def pixel(x, y):
            bar = x * 5 // w
            return colour if y >= h - heights[bar] and x % (w // 5) > 3 else (255, 255, 255)

        with open(os.path.join(out, "picture-%04d.png" % i), "wb") as f:
            f.write(png_bytes(w, h, pixel))
    print("%d pictures in %s" % (n, out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
