#!/usr/bin/env bash
# Generation speed of nightshift and of transformers.js on the same model folders, same machine,
# one sitting. Installs transformers.js 4.3.1 into a temporary folder (npm registry), never the repo.
# Usage: scripts/bench-generate.sh [FIXTURES_DIR]   (default: ../shared/fixtures)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="${1:-$root/../shared/fixtures}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm install --silent --ignore-scripts @huggingface/transformers@4.3.1 >/dev/null)
cp "$root/scripts/bench-transformersjs.mjs" "$work/"

run() { # model dtype batch prompt new repeat
  "$root/scripts/nightshift" bench generate "$fixtures/$1" --dtype "$2" --batch "$3" --prompt-tokens "$4" --new-tokens "$5" --repeat "$6" | sed 's/^/nightshift      /'
  node "$work/bench-transformersjs.mjs" "$fixtures/$1" "$2" "$3" "$4" "$5" "$6"
}
echo "== tiny-gemma3 (fp32)"
run tiny-gemma3 fp32 1 64 64 10
run tiny-gemma3 fp32 8 64 64 5
echo "== bench-gemma3-6l (q4, the body size of Gemma 3 270M)"
run bench-gemma3-6l q4 1 64 64 3
run bench-gemma3-6l q4 8 64 64 2
