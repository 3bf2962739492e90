#!/usr/bin/env bash
# The GPU-machine recipe: runs the `ecode` bundle of tools/gpu/pack.sh on a machine with no Node.js
# and no network (NVIDIA driver, Python with PyTorch), within a time budget (default 450 s, so that
# it runs twice in a 15-minute loan), and leaves at most 8 files in $OUT:
#   results.json     every figure below, with tfjs_over_torch_time for the small and paper shapes
#   report.md        the smoke sweep's comparison report (ecode report)
#   mlruns.tar.xz    the smoke sweep's MLflow file store
#   logs.tar.xz      every log and raw benchmark JSON, env.txt (GPU, driver, ICD, versions)
# Steps, in order (each with a time cap, never past the budget; skipped with the reason when the
# budget is spent):
#   unpack       the bundle into $WORK; the Vulkan loader + libglvnd .debs into / when the machine
#                lacks libvulkan.so.1; bubblewrap from its .deb into $WORK when bwrap is missing
#   version      ecode --version (proves the bundle's own node + node_modules run)
#   doctor       ecode sandbox doctor (the sandbox's isolation checks on this machine)
#   small        training step at the small benchmark shape: tfjs (train-step.ts) and PyTorch CUDA
#                (torch_small.py) on the same card
#   generate     new tokens/s with the KV cache at batch 1 and 32 (generate.ts, small shape)
#   sweep        the `smoke` sweep (five variants, tiny preset) on $BACKEND end to end (it writes the report)
#   dispatches   tools/bench/gpu/dispatches.ts (dispatches per step and per token)
#   paper        training step at the paper shape (batch 1): tfjs and PyTorch CUDA
#
# On the GPU machine, from the repository root (the device tool: carry .gpu, timeout_s 540):
#   bash tools/gpu/recipe.sh
# Environment: OUT (default /tmp/ecode-gpu-out), BUNDLE (.gpu/ecode.tar.xz), WORK (/tmp/ecode-gpu),
#   BUDGET_S (450), BACKEND (webgpu; wasm for a check without a GPU), ONLY (comma-separated steps
#   to run, e.g. ONLY=paper,dispatches for a second run; unpack always runs), SMOKE_VARIANTS
#   (comma-separated variants of the smoke sweep; default all five), SMALL_STEPS (5), PAPER_STEPS (2),
#   GEN_TOKENS (64), SWEEP_CAP (240 s), PYTHON (python3).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-/tmp/ecode-gpu-out}
bundle=${BUNDLE:-$repo/.gpu/ecode.tar.xz}
work=${WORK:-/tmp/ecode-gpu}
backend=${BACKEND:-webgpu}
only=${ONLY:-}
python=${PYTHON:-python3}
start=$(date +%s)
deadline=$((start + ${BUDGET_S:-450}))
mkdir -p "$out"
logs=$(mktemp -d /tmp/ecode-recipe-logs.XXXXXX)
env_txt=$logs/env.txt
steps_json=$logs/steps.jsonl
: > "$steps_json"

left() { echo $((deadline - $(date +%s))); }
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
note() { echo "[recipe $(( $(date +%s) - start ))s] $*" >&2; }
# run_step NAME CAP_SECONDS OUTFILE COMMAND...: runs COMMAND with stdout to $logs/OUTFILE, stderr to
# $logs/NAME.log, under min(CAP, time left - 15 s); records exit code and seconds in steps.jsonl.
run_step() {
  local name=$1 cap=$2 file=$3
  shift 3
  local budget=$(( $(left) - 15 ))
  [ "$budget" -gt "$cap" ] && budget=$cap
  if [ "$budget" -lt 20 ]; then
    note "$name: skipped, ${budget}s left in the budget"
    echo "{\"step\":\"$name\",\"skipped\":\"budget spent\"}" >> "$steps_json"
    return 1
  fi
  note "$name (up to ${budget}s): $*"
  local t0=$(date +%s)
  timeout "$budget" "$@" > "$logs/$file" 2> "$logs/$name.log"
  local rc=$?
  echo "{\"step\":\"$name\",\"exit\":$rc,\"seconds\":$(( $(date +%s) - t0 )),\"timeout\":$budget}" >> "$steps_json"
  note "$name: exit $rc after $(( $(date +%s) - t0 ))s"
  return $rc
}

# --- unpack ---------------------------------------------------------------------------------------
[ -f "$bundle" ] || { echo "recipe: no bundle at $bundle (run tools/gpu/pack.sh and carry .gpu)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
if command -v xz >/dev/null; then xz -dc "$bundle" | tar -C "$work" -xf -
else "$python" -c 'import lzma, sys, tarfile; tarfile.open(fileobj=lzma.open(sys.argv[1])).extractall(sys.argv[2])' "$bundle" "$work"
fi
app=$work/ecode/app
export PATH="$work/ecode/bin:$PATH"
note "unpacked $(du -sh "$work/ecode" | cut -f1) into $work"
if ! command -v bwrap >/dev/null; then
  deb=$(ls "$work"/ecode/debs/bubblewrap_*.deb 2>/dev/null | head -1)
  if [ -n "$deb" ]; then
    # Not into /: a package unpacked over the machine's root can break it (device notes).
    dpkg -x "$deb" "$work/bwrap" && export PATH="$work/bwrap/usr/bin:$PATH" && note "bubblewrap from $deb"
  fi
fi
if [ "$backend" = webgpu ]; then
  if ! ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 / { f = 1 } END { exit !f }'; then
    for d in "$work"/ecode/debs/lib{vulkan1,glvnd0,egl1,gl1,glx0,opengl0,gles2}_*.deb; do [ -f "$d" ] && dpkg -x "$d" /; done
    ldconfig
    note "Vulkan loader and libglvnd unpacked into /"
  fi
  icd=${VK_DRIVER_FILES:-}
  if [ -z "$icd" ]; then
    for c in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
      [ -f "$c" ] && icd=$c && break
    done
  fi
  [ -z "$icd" ] && icd=$(find / -name 'nvidia_icd*.json' -not -path '/proc/*' 2>/dev/null | head -1)
  [ -n "$icd" ] && export VK_DRIVER_FILES=$icd
  egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  [ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl
fi
{
  echo "backend=$backend"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  echo "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -2
  echo "node $(command -v node) $(node --version)"
  echo "bwrap $(command -v bwrap || echo missing)"
  "$python" -c 'import sys, torch; print("python", sys.executable, "torch", torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 | tail -1
  cat "$work/ecode/MANIFEST.txt"
} > "$env_txt" 2>&1
cd "$app" || exit 1

# --- steps ----------------------------------------------------------------------------------------
wanted version && run_step version 60 version.txt ecode --version
wanted doctor && run_step doctor 90 doctor.txt ecode sandbox doctor

if wanted small; then
  run_step small-tfjs 150 tfjs-small.json node --import tsx tools/bench/model/train-step.ts --backend "$backend" \
    --steps "${SMALL_STEPS:-5}" --warmup 2
  run_step small-torch 90 torch-small.json "$python" tools/gpu/torch_small.py --device cuda --steps 10 --warmup 3
fi
if wanted generate; then
  for b in 1 32; do
    run_step "generate-b$b" 90 "generate-b$b.json" node --import tsx tools/bench/model/generate.ts --backend "$backend" \
      --inputs "$b" --new-tokens "${GEN_TOKENS:-64}" --skip-nocache
  done
fi
if wanted sweep; then
  mkdir -p configs/gpu
  printf 'extends: ../presets/tiny.yaml\nbackend: %s\n' "$backend" > "configs/gpu/tiny-$backend.yaml"
  {
    printf 'name: smoke-%s\ndescription: The smoke sweep (tiny preset) on the %s backend.\nbase: tiny-%s.yaml\nvariants:\n' \
      "$backend" "$backend" "$backend"
    for v in $(echo "${SMOKE_VARIANTS:-e-code,no-expert,relu,heads-8,gpt-neo}" | tr ',' ' '); do
      printf '  %s: ../variants/%s.yaml\n' "$v" "$v"
    done
    printf 'seeds: [666]\n'
  } > "configs/gpu/smoke-$backend.yaml"
  run_step sweep "${SWEEP_CAP:-240}" sweep.txt ecode sweep "configs/gpu/smoke-$backend.yaml" --jobs 2
fi
wanted dispatches && run_step dispatches 120 dispatches.json node --import tsx tools/bench/gpu/dispatches.ts --steps 2 --warmup 1
if wanted paper; then
  run_step paper-tfjs 180 tfjs-paper.json node --import tsx tools/bench/model/train-step.ts --backend "$backend" --shape paper \
    --steps "${PAPER_STEPS:-2}" --warmup 1
  run_step paper-torch 90 torch-paper.json "$python" tools/gpu/torch_small.py --device cuda --shape paper --steps 5 --warmup 2
fi

# --- results --------------------------------------------------------------------------------------
"$python" - "$logs" "$app" "$backend" > "$out/results.json" <<'PY'
import json, pathlib, sys
logs, app, backend = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]

def load(name):
    p = logs / name
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text())
    except Exception as e:
        return {'error': f'{name}: {e}', 'tail': p.read_text()[-400:]}

def pick(d, *keys):
    return None if d is None else {k: d.get(k) for k in keys if k in d}

def ratio(t, p):
    if t and p and t.get('msPerStep') and p.get('msPerStep'):
        return round(t['msPerStep'] / p['msPerStep'], 2)
    return None

def runs():
    # MLflow file store: mlruns/<experiment>/<run>/meta.yaml (status 3 = FINISHED), tags/, metrics/.
    codes = {1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED'}
    found = []
    for meta in sorted((app / 'mlruns').glob('*/*/meta.yaml')):
        d = meta.parent
        fields = dict(l.split(': ', 1) for l in meta.read_text().splitlines() if ': ' in l)
        tags = {t.name: t.read_text().strip() for t in (d / 'tags').glob('ecode.*')} if (d / 'tags').exists() else {}
        metrics = {}
        for m in (d / 'metrics').rglob('*') if (d / 'metrics').exists() else []:
            if m.is_file():
                last = m.read_text().strip().splitlines()[-1].split()
                metrics[str(m.relative_to(d / 'metrics'))] = float(last[1])
        found.append({'run': fields.get('run_name'), 'status': codes.get(int(fields.get('status', 0)), fields.get('status')),
                      'tags': tags, 'metrics': metrics})
    return found

steps = [json.loads(l) for l in (logs / 'steps.jsonl').read_text().splitlines() if l.strip()]
tfjs_small, torch_small = load('tfjs-small.json'), load('torch-small.json')
tfjs_paper, torch_paper = load('tfjs-paper.json'), load('torch-paper.json')
keys = ('backend', 'parameters', 'msPerStep', 'msPerStepAll', 'targetTokensPerSecond', 'firstStepMs', 'losses', 'error')
tkeys = ('device', 'torch', 'parameters', 'msPerStep', 'targetTokensPerSecond', 'losses', 'error')
gen = {}
for b in (1, 32):
    g = load(f'generate-b{b}.json')
    gen[f'batch{b}'] = None if g is None else {'backend': g.get('backend'), 'newTokens': g.get('newTokens'),
                                               **(g.get('withCache') or {}), 'error': g.get('error')}
d = load('dispatches.json')
result = {
    'env': (logs / 'env.txt').read_text().splitlines(),
    'backend': backend,
    'steps': steps,
    'small': {'tfjs': pick(tfjs_small, *keys), 'torch_cuda': pick(torch_small, *tkeys),
              'tfjs_over_torch_time': ratio(tfjs_small, torch_small)},
    'paper': {'tfjs': pick(tfjs_paper, *keys), 'torch_cuda': pick(torch_paper, *tkeys),
              'tfjs_over_torch_time': ratio(tfjs_paper, torch_paper)},
    'tfjs_over_torch_time': ratio(tfjs_small, torch_small),
    'generation_tokens_per_second': {k: (v or {}).get('tokensPerSecond') for k, v in gen.items()},
    'generation': gen,
    'dispatches': None if d is None else {'training': pick(d.get('training', {}), 'dispatchesPerStep', 'hostMsPerStep', 'dispatchesByProgram'),
                                          'generation': d.get('generation'), 'error': d.get('error')},
    'sweep': runs(),
}
print(json.dumps(result, indent=2))
PY
report=$(ls "$app"/reports/smoke-"$backend"/report.md 2>/dev/null | head -1)
[ -n "$report" ] && cp "$report" "$out/report.md"
[ -d "$app/mlruns" ] && tar -C "$app" -cf - mlruns | xz -T0 -6 > "$out/mlruns.tar.xz"
tar -C "$logs" -cf - . | xz -T0 -6 > "$out/logs.tar.xz"
note "done in $(( $(date +%s) - start ))s; results in $out"
cat "$out/results.json"
