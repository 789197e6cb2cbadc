#!/usr/bin/env python3
"""Makes the test images and Pillow's resize results that BicubicResizeTest compares against.

Run once, with Pillow installed (from the machine's package mirror; never at test time):
    python3 scripts/make-resize-references.py pipeline/src/test/resources/vision
Writes noisy.png (a deterministic 100x160 RGB pattern with noise, so every filter tap matters),
grey.png (the same as 8-bit grey, with alpha) and resize-references.json: for each (image, width,
height), the SHA-256 of the RGB bytes of Image.resize((w, h), Image.BICUBIC) after convert("RGB").
"""
import hashlib
import json
import random
import sys
from pathlib import Path

from PIL import Image

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
random.seed(7)
w, h = 160, 100
img = Image.new("RGB", (w, h))
img.putdata([((x * 5 + random.randint(0, 40)) % 256, (y * 7 + random.randint(0, 40)) % 256,
              ((x ^ y) * 3 + random.randint(0, 80)) % 256) for y in range(h) for x in range(w)])
img.save(out / "noisy.png")
grey = img.convert("L").convert("LA")
grey.save(out / "grey.png")

sizes = [(384, 240), (96, 48), (48, 96), (160, 48), (333, 77), (16, 16)]
refs = []
for name in ["noisy.png", "grey.png"]:
    src = Image.open(out / name).convert("RGB")
    refs.append({"image": name, "width": src.width, "height": src.height,
                 "sha256": hashlib.sha256(src.tobytes()).hexdigest()})
    for (tw, th) in sizes:
        r = src.resize((tw, th), Image.BICUBIC)
        refs.append({"image": name, "width": tw, "height": th, "sha256": hashlib.sha256(r.tobytes()).hexdigest()})
(out / "resize-references.json").write_text(json.dumps({"pillow": Image.__version__, "cases": refs}, indent=1) + "\n")
print(f"{len(refs)} references with Pillow {Image.__version__}")
