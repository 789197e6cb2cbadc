#!/usr/bin/env python3
"""Makes the references PatchedImageTest compares extreme aspect ratios against: what transformers'
Gemma 4 image processor (the PIL one, whose bicubic resize nightshift's BicubicResize reproduces) makes of
pictures 1 pixel high or wide, a banner, a column and a strip, with the vision fixture's settings.

Run once, with transformers and Pillow from the machine's package mirror (never at test time):
    python3 scripts/make-aspect-references.py pipeline/src/test/resources/models/tiny-gemma4-vision \
        pipeline/src/test/resources/vision/aspect-references.json
Each picture is made from a formula (PatchedImageTest makes the same pixels): red = (x * 7 + y * 3) % 256,
green = (x * 5) % 256, blue = (y * 11) % 256. For each: the size it was resized to (from the patches'
positions), the real patches, the soft tokens, the largest column and row, and the SHA-256 of the
pixel values (float32, little-endian), padding included.
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from transformers.models.gemma4.image_processing_pil_gemma4 import Gemma4ImageProcessorPil
import transformers

model, out = Path(sys.argv[1]), Path(sys.argv[2])
processor = Gemma4ImageProcessorPil.from_pretrained(str(model))
config = json.loads((model / "config.json").read_text())
table = config["vision_config"]["position_embedding_size"]

cases = []
for (w, h) in [(1, 500), (500, 1), (493, 58), (58, 493), (4000, 30)]:
    x = np.arange(w)[None, :]
    y = np.arange(h)[:, None]
    rgb = np.stack([(x * 7 + y * 3) % 256, np.broadcast_to((x * 5) % 256, (h, w)), np.broadcast_to((y * 11) % 256, (h, w))], axis=-1)
    image = Image.fromarray(rgb.astype(np.uint8), "RGB")
    try:
        r = processor(images=[image], return_tensors="np")
    except ValueError as e:  # what transformers refuses, nightshift must refuse too
        cases.append({"width": w, "height": h, "refused": str(e)})
        continue
    pixels = np.asarray(r["pixel_values"][0], dtype="<f4")
    positions = np.asarray(r["image_position_ids"][0])
    real = positions[:, 0] >= 0
    columns = int(positions[real, 0].max()) + 1
    rows = int(positions[real, 1].max()) + 1
    cases.append({"width": w, "height": h, "resized_width": columns * processor.patch_size,
                  "resized_height": rows * processor.patch_size, "patches": int(real.sum()),
                  "soft_tokens": int(r["num_soft_tokens_per_image"][0]), "max_column": columns - 1, "max_row": rows - 1,
                  "encoder_takes_it": columns <= table and rows <= table,
                  "pixel_values_sha256": hashlib.sha256(pixels.tobytes()).hexdigest()})
out.write_text(json.dumps({"transformers": transformers.__version__, "position_embedding_size": table, "cases": cases}, indent=1) + "\n")
print(json.dumps(cases, indent=1))
