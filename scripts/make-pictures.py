#!/usr/bin/env python3
"""Writes N distinct small PNG pictures (bars of varying heights and colours, 96x96 to 200x160) into a
folder, for the image benchmark. Standard library only.
    python3 scripts/make-pictures.py /tmp/pictures 500
"""
import importlib.util
import os
import random
import sys


def png_bytes(width, height, pixel):
    """The PNG writer of make-samples.py (one copy of it)."""
    spec = importlib.util.spec_from_file_location("make_samples", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-samples.py"))
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    return samples.png_bytes(width, height, pixel)


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
