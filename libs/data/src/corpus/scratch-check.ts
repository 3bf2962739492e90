import { Rng } from '../random.js';
import { VerifierPool } from '../synthetic/verifier.js';
import { CONTEXTS } from './contexts.js';
import { IDIOMS } from './idioms/index.js';
import { makeComposite } from './render.js';

const pool = new VerifierPool(2);
const only = process.argv[2];
const per = Number(process.argv[3] ?? 1);
const jobs = IDIOMS.filter((i) => !only || i.name.includes(only)).flatMap((idiom, k) =>
  Array.from({ length: per }, (_, c) => CONTEXTS[(k + c * 5) % CONTEXTS.length]).map(async (context) => {
    const inst = makeComposite({ context, idioms: [idiom] }, new Rng(1, idiom.name, context.name));
    const tests = [...inst.samples, inst.medium, inst.large];
    const fast = await pool.run({ code: inst.fast.code, tests });
    const slows = await Promise.all(inst.slow.map((s) => pool.run({ code: s.code, tests })));
    const bad = [fast, ...slows].map((r, i) => [i, r.map((t) => t.reason).filter(Boolean)] as const).filter(([, r]) => r.length);
    const fl = fast.at(-1)!.cpu[0];
    const sl = slows.map((s) => s.at(-1)!.cpu[0]);
    console.log(`${idiom.name}@${context.name} fast ${fl?.toFixed(3)} slow ${sl.map((x) => x?.toFixed(3)).join(',')} ratio ${(Math.min(...sl) / fl).toFixed(1)} ${bad.length ? 'FAIL ' + JSON.stringify(bad) : ''}`);
    if (bad.length && process.env.SHOW) {
      const i = bad[0][0] as number;
      console.log(i === 0 ? inst.fast.code : inst.slow[i - 1].code, JSON.stringify(tests[0]));
    }
  }),
);
await Promise.all(jobs);
pool.close();
