#!/usr/bin/env bash
# Fetches the third-party models and reference runtimes for test/models:
#
#   scripts/fetch-models.sh [DEST]        (DEST defaults to build/third_party)
#
# - the reference runtimes onnxruntime-node and TF.js (wasm backend), with
#   `npm ci` from test/models/package-lock.json;
# - `npm pack nsfwjs@4.4.0 @vladmandic/human@3.3.6`, unpacked; nsfwjs's
#   bundled models are extracted to plain model.json + shards by
#   scripts/extract-nsfwjs-models.py;
# - torchvision's mobilenet_v2 and resnet18 exported to ONNX by
#   test/models/export_torchvision.py (random weights, no download);
# - the test inputs made from the photos human ships
#   (test/models/prepare_inputs.py).
#
# The npm registry is the only network access. Everything is built once in a
# per-machine cache (VAI_MODELS_CACHE, default ~/.cache/vai/third_party), so
# fresh clones on the same machine reuse it; DEST becomes a symlink to it.
# Each step is redone only when its inputs (lock file, scripts) change.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$src/build/third_party}"
cache="${VAI_MODELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vai/third_party}"
python=/usr/bin/python3
models="$src/test/models"

NSFWJS=nsfwjs@4.4.0
HUMAN=@vladmandic/human@3.3.6

mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
# Two test runs on one machine must not build the cache at the same time.
exec 9>"$cache/.lock"
flock 9

# `stamp NAME FILES...` hashes a step's input files; `fresh NAME FILES...`
# is true when step NAME last completed on exactly these inputs.
stamp() { local name=$1; shift; cat "$@" | sha256sum | cut -d' ' -f1; }
fresh() {
  local name=$1; shift
  [ -f "$cache/.$name.stamp" ] &&
    [ "$(cat "$cache/.$name.stamp")" = "$(stamp "$name" "$@")" ]
}
done_step() { local name=$1; shift; stamp "$name" "$@" >"$cache/.$name.stamp"; }
# A step about to run invalidates the whole cache until the end.
redo() { rm -f "$cache/.complete" "$cache/.$1.stamp"; }

# 1. Reference runtimes. onnxruntime-node ships its CPU library in the
# package; ONNXRUNTIME_NODE_INSTALL=skip stops its install script from
# downloading GPU extras.
if ! fresh npm "$models/package-lock.json"; then
  redo npm
  echo "fetch-models: npm ci (onnxruntime-node, @tensorflow/tfjs, wasm backend)"
  mkdir -p "$cache/npm"
  cp "$models/package.json" "$models/package-lock.json" "$cache/npm/"
  (cd "$cache/npm" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit \
     --no-fund --prefer-offline --loglevel=error)
  done_step npm "$models/package-lock.json"
fi

# 2. The model packages, packed from the registry once.
mkdir -p "$cache/pkgs"
fetch_pkg() {  # SPEC TARBALL DIR
  local spec=$1 tgz=$2 dir=$3
  if [ ! -f "$cache/pkgs/$tgz" ]; then
    rm -f "$cache/.complete"
    echo "fetch-models: npm pack $spec"
    (cd "$cache/pkgs" && npm pack "$spec" --silent >/dev/null)
  fi
  if [ ! -f "$cache/$dir/package/package.json" ]; then
    rm -f "$cache/.complete"
    rm -rf "$cache/$dir" && mkdir -p "$cache/$dir"
    tar xzf "$cache/pkgs/$tgz" -C "$cache/$dir"
  fi
}
fetch_pkg "$NSFWJS" nsfwjs-4.4.0.tgz nsfwjs-package
fetch_pkg "$HUMAN" vladmandic-human-3.3.6.tgz human

# 3. nsfwjs's browserify bundles to model.json + shards.
if ! fresh nsfwjs "$src/scripts/extract-nsfwjs-models.py" \
     "$cache/pkgs/nsfwjs-4.4.0.tgz"; then
  redo nsfwjs
  echo "fetch-models: extracting the nsfwjs models"
  rm -rf "$cache/nsfwjs"
  "$python" "$src/scripts/extract-nsfwjs-models.py" \
    "$cache/nsfwjs-package/package" "$cache/nsfwjs"
  done_step nsfwjs "$src/scripts/extract-nsfwjs-models.py" \
    "$cache/pkgs/nsfwjs-4.4.0.tgz"
fi

# 4. torchvision models to ONNX.
if ! fresh torchvision "$models/export_torchvision.py"; then
  redo torchvision
  echo "fetch-models: exporting torchvision mobilenet_v2 and resnet18"
  rm -rf "$cache/torchvision"
  "$python" "$models/export_torchvision.py" "$cache/torchvision"
  done_step torchvision "$models/export_torchvision.py"
fi

# 5. Inputs from human's sample photos.
if ! fresh inputs "$models/prepare_inputs.py" \
     "$cache/pkgs/vladmandic-human-3.3.6.tgz"; then
  redo inputs
  echo "fetch-models: preparing the photo inputs"
  rm -rf "$cache/inputs"
  "$python" "$models/prepare_inputs.py" "$cache/human/package" \
    "$cache/inputs"
  done_step inputs "$models/prepare_inputs.py" \
    "$cache/pkgs/vladmandic-human-3.3.6.tgz"
fi

touch "$cache/.complete"

# DEST names the cache (a symlink), unless it is the cache itself.
if [ "$(cd "$(dirname "$dest")" 2>/dev/null && pwd)/$(basename "$dest")" != "$cache" ]; then
  mkdir -p "$(dirname "$dest")"
  if [ -e "$dest" ] && [ ! -L "$dest" ]; then
    echo "fetch-models: $dest exists and is not a symlink; remove it" >&2
    exit 1
  fi
  ln -sfn "$cache" "$dest"
fi
echo "fetch-models: ready in $dest"
