#!/usr/bin/env python3
"""Writes short English text documents (one model chunk each): 24 by default, for `nightshift bench run`;
give a count for more (50,000 for the report and search benchmarks; files go into folders of 1,000).

Each is a different run of three consecutive sentences from the English text samples in samples/ (no two
alike, so the result cache reuses nothing; about 50 words each), the same set on every machine:

  python3 scripts/make-short-docs.py /tmp/short-docs
  python3 scripts/make-short-docs.py /tmp/docs-50k 50000
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
count = int(sys.argv[2]) if len(sys.argv) > 2 else 24
for i in range(count):
    if count == 24:
        (out / f"note-{i:02d}.txt").write_text(" ".join(sentences[i:i + 3]) + "\n", encoding="utf-8")
        continue
    # Beyond the first 24: three sentences picked by the number, and the number itself, so every
    # document differs (no two share a digest).
    n = len(sentences)
    chosen = [sentences[(i * 7) % n], sentences[(i * 13 + 5) % n], sentences[(i * 31 + 11) % n]]
    folder = out / f"batch-{i // 1000:03d}"
    folder.mkdir(exist_ok=True)
    (folder / f"note-{i:05d}.txt").write_text(f"Note {i}. " + " ".join(chosen) + "\n", encoding="utf-8")
print(f"{count} documents in {out}, from {len(sentences)} sentences")
