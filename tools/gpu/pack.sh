#!/usr/bin/env bash
# Packs everything tools/gpu/run.sh needs on a GPU machine that has no Node.js and no network
# (recipe: /work/shared/docs/platform-notes.md, "Running the WebGPU path on an NVIDIA machine"):
#   .gpu/node.xz       this machine's node binary, xz-compressed
#   .gpu/app.tar.xz    app/train-step.mjs and app/generate.mjs (esbuild bundles of tools/bench/model/*
#                      with @ecode/* and @tensorflow/* inside), the tfjs wasm binaries, and
#                      node_modules/webgpu with only dist/linux-x64 (dawn.node)
#   .gl/*.deb          the amd64 Vulkan loader and GL dispatch libraries (libglvnd) the NVIDIA ICD needs
# Both folders are git-ignored. Usage, from the repository root: bash tools/gpu/pack.sh [--skip-gl]
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
stage=.gpu/stage
rm -rf .gpu
mkdir -p "$stage/app/node_modules/webgpu/dist/linux-x64"

echo "[pack] node $(node --version) -> .gpu/node.xz" >&2
xz -T2 -6 -c "$(command -v node)" > .gpu/node.xz

# ESM bundles: CommonJS parts of tfjs call require() and use __dirname, so define both.
banner="import { createRequire as __ecodeCreateRequire } from 'node:module'; import { fileURLToPath as __ecodeFileURLToPath } from 'node:url'; import { dirname as __ecodeDirname } from 'node:path'; const require = __ecodeCreateRequire(import.meta.url); const __filename = __ecodeFileURLToPath(import.meta.url); const __dirname = __ecodeDirname(__filename);"
for bench in train-step generate; do
  echo "[pack] bundling tools/bench/model/$bench.ts" >&2
  npx esbuild "tools/bench/model/$bench.ts" --bundle --platform=node --format=esm --target=node20 \
    --conditions=@ecode/source --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
    --log-level=warning --banner:js="$banner" --outfile="$stage/app/$bench.mjs"
done
# The wasm backend looks for its binaries next to the code that loads it (the bundle).
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$stage/app/"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json node_modules/webgpu/LICENSE.md "$stage/app/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/app/node_modules/webgpu/dist/linux-x64/"
tar -C "$stage" -cJf .gpu/app.tar.xz app
rm -rf "$stage"

if [ "${1:-}" != "--skip-gl" ]; then
  echo "[pack] downloading the amd64 Vulkan loader and libglvnd packages into .gl/" >&2
  rm -rf .gl && mkdir -p .gl /tmp/ecode-apt-amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/ecode-apt-amd64'
  apt-get $o update >/dev/null
  (cd .gl && apt-get $o download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 >/dev/null)
fi
du -sh .gpu .gl 2>/dev/null >&2 || true
echo "[pack] done; on the GPU machine run: bash tools/gpu/run.sh (carry .gpu and .gl)" >&2
