#!/usr/bin/env bash
# Runs on the GPU machine (NVIDIA driver, Python + PyTorch, no Node.js, no network), from the
# repository root, after tools/gpu/pack.sh filled .gpu/ and .gl/ on the build machine:
#   1. the tfjs training benchmark (issue-5 "small" shape) on the webgpu backend (Dawn over Vulkan)
#   2. the same shape in PyTorch on the same card (tools/gpu/torch_small.py)
#   3. optionally generation tokens/s on webgpu with the KV cache (GEN=1)
# Results: $OUT (or /tmp/ecode-gpu-out) gets tfjs-webgpu.json, torch-cuda.json, summary.json and logs.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/ecode-gpu-out}
work=/tmp/ecode-gpu
steps=${STEPS:-10}
warmup=${WARMUP:-2}
mkdir -p "$out" "$work"

# Vulkan loader + libglvnd (without libglvnd the NVIDIA ICD fails with "Found no drivers").
if ls .gl/*.deb >/dev/null 2>&1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=${VK_DRIVER_FILES:-}
if [ -z "$icd" ]; then
  for c in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$c" ] && icd=$c && break
  done
fi
[ -z "$icd" ] && icd=$(find / -name 'nvidia_icd*.json' -not -path '*/proc/*' 2>/dev/null | head -1)
export VK_DRIVER_FILES=$icd
echo "VK_DRIVER_FILES=$icd" | tee "$out/env.txt"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$out/env.txt"

xz -dc .gpu/node.xz > "$work/node" && chmod +x "$work/node"
tar -xJf .gpu/app.tar.xz -C "$work"
"$work/node" --version | tee -a "$out/env.txt"

echo "[run] tfjs webgpu training step" >&2
timeout 300 "$work/node" "$work/app/train-step.mjs" --backend webgpu --steps "$steps" --warmup "$warmup" \
  > "$out/tfjs-webgpu.json" 2> "$out/tfjs-webgpu.log"
echo "tfjs exit $?" >> "$out/env.txt"

echo "[run] PyTorch training step on the same card" >&2
timeout 200 python3 tools/gpu/torch_small.py --device cuda --steps "$steps" --warmup "$warmup" \
  > "$out/torch-cuda.json" 2> "$out/torch-cuda.log"
echo "torch exit $?" >> "$out/env.txt"

if [ "${GEN:-0}" = "1" ]; then
  echo "[run] tfjs webgpu generation with the KV cache" >&2
  timeout 200 "$work/node" "$work/app/generate.mjs" --backend webgpu --skip-nocache \
    > "$out/tfjs-webgpu-generate.json" 2> "$out/tfjs-webgpu-generate.log"
fi

python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
def load(name):
    try:
        return json.loads((out / name).read_text())
    except Exception as e:
        return {'error': f'{name}: {e}'}
tfjs, torch = load('tfjs-webgpu.json'), load('torch-cuda.json')
summary = {
    'gpu': (out / 'env.txt').read_text().splitlines()[1:2],
    'tfjs_webgpu': {k: tfjs.get(k) for k in ('backend', 'msPerStep', 'targetTokensPerSecond', 'firstStepMs', 'error')},
    'torch_cuda': {k: torch.get(k) for k in ('device', 'torch', 'msPerStep', 'targetTokensPerSecond', 'error')},
}
if tfjs.get('msPerStep') and torch.get('msPerStep'):
    summary['tfjs_over_torch_time'] = round(tfjs['msPerStep'] / torch['msPerStep'], 2)
(out / 'summary.json').write_text(json.dumps(summary, indent=2))
print(json.dumps(summary, indent=2))
PY
tail -n 5 "$out/tfjs-webgpu.log" "$out/torch-cuda.log" 2>/dev/null
