#!/usr/bin/env python3
"""Writes 24 short English text documents (one model chunk each) for `nightshift bench run`.

Each is a different run of three consecutive sentences from the English text samples in samples/ (no two
alike, so the result cache reuses nothing; about 50 words each), the same set on every machine:

  python3 scripts/make-short-docs.py /tmp/short-docs
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "samples"
sentences = []
for name in ["letters/heating-bill-correction.txt", "notes/balcony-garden.md", "web/cycling-pilot.html"]:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (root / name).read_text(encoding="utf-8")))
    sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6 and not s.startswith("#")]
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
if len(sentences) < 26:
    sys.exit(f"only {len(sentences)} sentences in the samples; need 26")
for i in range(24):
    (out / f"note-{i:02d}.txt").write_text(" ".join(sentences[i:i + 3]) + "\n", encoding="utf-8")
print(f"24 documents in {out}, from {len(sentences)} sentences")
