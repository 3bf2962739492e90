#!/usr/bin/env bash
# Packs the `ecode` command for a machine with no Node.js and no network (the GPU machines):
#   .gpu/ecode.tar.xz, which unpacks to ecode/:
#     bin/node       this machine's node binary
#     bin/ecode      the command (sh wrapper: node + tsx over the workspace sources, as `npx ecode`)
#     app/           the workspace: package.json, tsconfig*, libs/* and experiments/ (sources, READMEs,
#                    the sandbox's Python launcher; no tests or fixtures, but testing/ helpers, which
#                    some index.ts files export), configs/, the native addon
#                    if built, tools/gpu (recipe, torch_small.py), tools/bench/model and tools/bench/gpu,
#                    and node_modules: the production dependency closure (`npm ls --omit=dev`), pruned
#                    (tfjs packages to their Node bundles and wasm binaries, `webgpu` to linux-x64,
#                    no source maps, type declarations or docs)
#     debs/          amd64 .debs for what such a machine may lack: the Vulkan loader and libglvnd
#                    (the NVIDIA ICD needs both) and bubblewrap (the sandbox), from `apt-get download`
#     MANIFEST.txt   commit, node version, sizes
# It must fit the device tool's 64 MiB carry limit together with the repository (checked below).
# Usage, from the repository root: bash tools/gpu/pack.sh [--skip-debs] (then carry .gpu; not .gl).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
root=$PWD
out=.gpu
stage=$out/stage/ecode
# The downloaded .debs are cached in .gl/ (git-ignored); --skip-debs reuses them.
debs=.gl
rm -rf "$out"
mkdir -p "$stage/bin" "$stage/app" "$stage/debs"

echo "[pack] node $(node --version)" >&2
cp "$(command -v node)" "$stage/bin/node"
cat > "$stage/bin/ecode" <<'SH'
#!/bin/sh
# The ecode command of this bundle: its own node running the workspace through tsx.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/node" "$here/../app/experiments/bin/ecode.js" "$@"
SH
chmod +x "$stage/bin/ecode"

echo "[pack] workspace sources" >&2
git ls-files -- package.json tsconfig.base.json tsconfig.json libs experiments configs tools/gpu tools/bench/model tools/bench/gpu \
  | grep -Ev '\.test\.ts$|/fixtures/|^tools/gpu/results/|^tools/bench/model/results/|vitest\.config\.ts$' \
  | tar -cf - -T - | tar -C "$stage/app" -xf -
addon=libs/native-kernels/build/Release/ecode_native.node
if [ -f "$addon" ]; then
  mkdir -p "$stage/app/$(dirname "$addon")" && cp "$addon" "$stage/app/$addon"
fi

echo "[pack] node_modules (production closure, pruned)" >&2
# Top-level package folders of the closure (nested ones come with their parent).
npm ls --omit=dev --all --parseable 2>/dev/null | sed "s|^$root/||" | grep 'node_modules/' | sort -u \
  | awk '{ for (i in seen) if (index($0, i "/") == 1) next; seen[$0] = 1; print }' > "$out/stage/packages.txt"
tar -cf - \
  --exclude='*.map' --exclude='*.d.ts' --exclude='*.d.mts' --exclude='*.d.cts' --exclude='*.md' \
  --exclude='*.markdown' --exclude='.github' --exclude='__tests__' --exclude='node_modules/@types' \
  --exclude='node_modules/webgpu/node_modules' --exclude='node_modules/webgpu/build' \
  --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' \
  --exclude='node_modules/webgpu/dist/linux-arm64' --exclude='node_modules/typescript' \
  -T "$out/stage/packages.txt" | tar -C "$stage/app" -xf -
# tfjs packages: Node loads dist/<name>.node.js (their "main"); the wasm backend its .wasm files and,
# for threads, wasm-out/. The browser bundles, the per-file ES modules and the TS sources go.
for pkg in "$stage"/app/node_modules/@tensorflow/*/; do
  find "$pkg" -mindepth 1 -maxdepth 1 ! -name package.json ! -name dist ! -name wasm-out ! -name 'LICENSE*' ! -name node_modules \
    -exec rm -rf {} +
  [ -d "$pkg/dist" ] && find "$pkg/dist" -mindepth 1 ! -name '*.node.js' ! -name '*.wasm' -prune -exec rm -rf {} +
done
# core-js: a dependency of @tensorflow/tfjs for browsers; no Node bundle requires it.
rm -rf "$stage/app/node_modules/core-js"
# tree-sitter-python: CodeBLEU loads only its .wasm grammar (through web-tree-sitter).
find "$stage/app/node_modules/tree-sitter-python" -mindepth 1 -maxdepth 1 ! -name package.json ! -name tree-sitter-python.wasm \
  ! -name LICENSE -exec rm -rf {} +
# esbuild (tsx's transformer) runs @esbuild/linux-x64's binary; its own bin/ copy is for the CLI.
ln -sf ../../@esbuild/linux-x64/bin/esbuild "$stage/app/node_modules/esbuild/bin/esbuild"
# The workspace packages are links into the app (npm workspaces): keep them as links.
for lib in "$stage"/app/node_modules/@ecode/*; do [ -L "$lib" ] || echo "[pack] warning: $lib is not a link" >&2; done

if [ "${1:-}" != "--skip-debs" ] || ! ls "$debs"/bubblewrap_*.deb >/dev/null 2>&1; then
  echo "[pack] amd64 .debs: Vulkan loader, libglvnd, bubblewrap -> $debs/" >&2
  rm -rf "$debs" && mkdir -p "$debs" /tmp/ecode-apt-amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/ecode-apt-amd64'
  # shellcheck disable=SC2086
  apt-get $o update >/dev/null
  # shellcheck disable=SC2086
  (cd "$debs" && apt-get $o download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 bubblewrap >/dev/null)
fi
cp "$debs"/*.deb "$stage/debs/"

{
  echo "ecode bundle"
  echo "commit $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!.gpu' || echo ' (with uncommitted changes)')"
  echo "node $(node --version)"
  echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m)"
  echo "unpacked $(du -sh "$stage" | cut -f1)"
  ls "$stage/debs"
} > "$stage/MANIFEST.txt"

echo "[pack] compressing ($(du -sh "$stage" | cut -f1) unpacked)" >&2
tar -C "$out/stage" -cf - ecode | xz -T0 -6 > "$out/ecode.tar.xz"
rm -rf "$out/stage"
bundle=$(stat -c %s "$out/ecode.tar.xz")
tree=$(git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
echo "[pack] .gpu/ecode.tar.xz: $((bundle / 1024 / 1024)) MiB; repository files $((tree / 1024 / 1024)) MiB; together $(((bundle + tree) / 1024 / 1024)) MiB of the 64 MiB carry limit" >&2
if [ $((bundle + tree)) -gt $((64 * 1024 * 1024)) ]; then
  echo "[pack] error: over the device tool's 64 MiB limit" >&2
  exit 1
fi
echo "[pack] done; on the GPU machine: bash tools/gpu/recipe.sh (carry .gpu)" >&2
