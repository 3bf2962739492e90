/**
 * Time-predictor throughput on this machine (tfjs backend from argv, default wasm): training steps
 * per second and prediction latency for the configs/timedb/small.yaml model shape on synthetic
 * code of realistic length. Prints JSON. Run: npx tsx tools/bench/time-predictor/throughput.ts [wasm|cpu]
 */
import { cpuUsage } from 'node:process';
import { initBackend, type BackendName } from '@ecode/model';
import { TimePredictor, trainPredictor, type PredictorInfo, type TrainItem } from '@ecode/time-predictor';

const backend = (process.argv[2] ?? 'wasm') as BackendName;
await initBackend(backend, () => undefined);

function program(k: number, slow: boolean): string {
  const lines = ['import sys', 'data = sys.stdin.read().split()', `n${k % 7} = int(data[0])`];
  if (slow) lines.push(`for i in range(n${k % 7}):`, '    for j in range(i):', '        total += i * j');
  else lines.push(`seen = set(data[1:])`, `total = sum(1 for q in data if q in seen)`);
  for (let i = 0; i < 6; i++) lines.push(`x${i} = [int(t) for t in data[${i}:${i + 10}]]  # padding line ${k}`);
  lines.push('print(total)');
  return lines.join('\n') + '\n';
}
const items: TrainItem[] = [];
for (let k = 0; k < 96; k++) {
  items.push({ problemId: `p${k >> 1}`, code: program(k, k % 2 === 1), logTime: 10 + (k % 2) + (k % 5) / 10 });
}

const model = { hidden: 64, layers: 2, heads: 4, intermediate: 128, maxTokens: 256, vocabSize: 1000, dropout: 0.1 };
const training = {
  lr: 0.001,
  epochs: 2,
  batchSize: 16,
  weightDecay: 0.01,
  warmupRatio: 0.05,
  clipNorm: 1,
  rankLossWeight: 1,
  views: ['ori' as const],
};
const cpu0 = cpuUsage();
const t0 = performance.now();
const trained = await trainPredictor(items, [], { model, training, seed: 1 });
const trainWall = (performance.now() - t0) / 1000;
const trainCpu = (cpuUsage(cpu0).user + cpuUsage(cpu0).system) / 1e6;
const info: PredictorInfo = {
  format: 'ecode-time-predictor',
  version: 1,
  spec: trained.spec,
  norm: trained.norm,
  target: { unit: 'us', costMeasure: 'cpu-time', repeats: 1, largestTests: 1 },
  trainedOn: { views: ['ori'], rows: items.length, problems: 48, seed: 1 },
  createdAt: new Date().toISOString(),
};
const predictor = new TimePredictor(trained.model, trained.tokenizer, info);
const codes = items.map((i) => i.code);
predictor.predict(codes.slice(0, 4)); // warm-up
const cpu1 = cpuUsage();
const t1 = performance.now();
predictor.predict(codes);
const predWall = (performance.now() - t1) / 1000;
const predCpu = (cpuUsage(cpu1).user + cpuUsage(cpu1).system) / 1e6;
const tokens = codes.map((c) => trained.tokenizer.encode(c).length);
console.log(
  JSON.stringify({
    backend,
    model,
    batchSize: training.batchSize,
    meanTokens: tokens.reduce((a, b) => a + b, 0) / tokens.length,
    trainSteps: trained.steps,
    trainStepsPerSecondWall: trained.steps / trainWall,
    trainCpuSecondsPerStep: trainCpu / trained.steps,
    predictProgramsPerSecondWall: codes.length / predWall,
    predictCpuMsPerProgram: (predCpu * 1000) / codes.length,
    loadavg1: (await import('node:os')).loadavg()[0],
  }),
);
predictor.dispose();
