/**
 * How fast configs are checked: module import + first ajv compile, then per-file load, sweep
 * expansion and hashing. Run from the repo root: npx tsx tools/bench/config/load.ts (prints JSON).
 */
const cpu = () => process.cpuUsage().user / 1000;
const c0 = cpu();
const { loadConfig, loadSweep, canonicalHash } = await import('@ecode/config');
const c1 = cpu();
loadConfig('configs/presets/cpu.yaml');
const c2 = cpu();
const N = 50;
for (let i = 0; i < N; i++) loadConfig('configs/presets/cpu.yaml');
const c3 = cpu();
for (let i = 0; i < 10; i++) loadSweep('configs/sweeps/ablation.yaml');
const c4 = cpu();
const cfg = loadConfig('configs/presets/cpu.yaml');
for (let i = 0; i < 200; i++) canonicalHash(cfg);
const c5 = cpu();
console.log(
  JSON.stringify({
    unit: 'ms of CPU (user)',
    importConfigLib: +(c1 - c0).toFixed(1),
    firstLoadWithAjvCompile: +(c2 - c1).toFixed(1),
    loadSmallPreset: +((c3 - c2) / N).toFixed(2),
    expandAblationSweep15Runs: +((c4 - c3) / 10).toFixed(1),
    canonicalHash: +((c5 - c4) / 200).toFixed(3),
  }),
);
