#!/usr/bin/env python3
"""Writes 24 short English text documents (one model chunk each) for `nightshift bench run`.

Each is a different ordered pair of paragraphs from the English text samples in samples/ (no two alike,
so the result cache reuses nothing), the same set on every machine:  python3 scripts/make-short-docs.py /tmp/short-docs
"""
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "samples"
paragraphs = []
for name in ["letters/heating-bill-correction.txt", "notes/balcony-garden.md"]:
    text = (root / name).read_text(encoding="utf-8")
    paragraphs += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 12]
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
for i in range(24):
    a = i % len(paragraphs)
    b = (a + 1 + i // len(paragraphs)) % len(paragraphs)
    picked = [paragraphs[a], paragraphs[b]]
    (out / f"note-{i:02d}.txt").write_text("\n\n".join(picked) + "\n", encoding="utf-8")
print(f"24 documents in {out}, from {len(paragraphs)} paragraphs")
