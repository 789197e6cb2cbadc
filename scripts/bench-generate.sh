#!/usr/bin/env bash
# Generation speed of nightshift and of transformers.js on the same model folders, same machine,
# one sitting. Installs transformers.js 4.3.1 into a temporary folder (npm registry), never the repo.
# Usage: scripts/bench-generate.sh [FIXTURES_DIR [MODEL_DIR...]]   (default: ../shared/fixtures)
# Each MODEL_DIR (a 4-bit folder, e.g. the fused 270M twin made by make_gqa_fixtures.py --bench270m) is
# measured too, at batch 1 and 8, with nightshift's default head and with the file's own (--head as-shipped).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="${1:-$root/../shared/fixtures}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm install --silent --ignore-scripts @huggingface/transformers@4.3.1 >/dev/null)
cp "$root/scripts/bench-transformersjs.mjs" "$work/"

run() { # model dtype batch prompt new repeat [nightshift options...]
  local dir="$1"; [ -d "$dir" ] || dir="$fixtures/$1"
  "$root/scripts/nightshift" bench generate "$dir" --dtype "$2" --batch "$3" --prompt-tokens "$4" --new-tokens "$5" --repeat "$6" "${@:7}" \
    | sed "s/^/nightshift ${*:7} /"
  node "$work/bench-transformersjs.mjs" "$dir" "$2" "$3" "$4" "$5" "$6"
}
echo "== tiny-gemma3 (fp32)"
run tiny-gemma3 fp32 1 64 64 10
run tiny-gemma3 fp32 8 64 64 5
echo "== bench-gemma3-6l (q4, the body size of Gemma 3 270M)"
run bench-gemma3-6l q4 1 64 64 3
run bench-gemma3-6l q4 8 64 64 2
shift || true
for model in "$@"; do
  echo "== $model (q4)"
  for batch in 1 8; do
    run "$model" q4 "$batch" 64 64 5
    "$root/scripts/nightshift" bench generate "$model" --dtype q4 --batch "$batch" --prompt-tokens 64 --new-tokens 64 --repeat 5 --head as-shipped \
      | sed 's/^/nightshift --head as-shipped /'
  done
done
