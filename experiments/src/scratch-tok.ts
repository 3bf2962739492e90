import { generateSynthetic, listFamilies } from '@ecode/data';
import { trainByteLevelBpe } from '@ecode/tokenizer';
const mode = process.argv[2];
const { problems } = await generateSynthetic({ problems: 300, seed: 666, verify: false, ...(mode === 'old' ? { families: listFamilies().map((f) => f.name) } : {}) });
const train = problems.filter((p) => p.split === 'train');
const corpus = train.flatMap((p) => [...p.solutions.map((s) => s.code), `${p.fields.body}`]);
const tok = trainByteLevelBpe(corpus, { vocabSize: 1000 });
const lens = (sel: 'fast' | 'slow') => problems.flatMap((p) => p.solutions.filter((s) => s.role === sel).map((s) => tok.encode(s.code, { splitSpecialTokens: false }).length)).sort((a, b) => a - b);
for (const r of ['fast', 'slow'] as const) {
  const l = lens(r);
  const q = (f: number) => l[Math.floor(f * (l.length - 1))];
  console.log(mode, r, 'n', l.length, 'median', q(0.5), 'p90', q(0.9), 'max', l.at(-1), '>254:', l.filter((x) => x > 254).length);
}
const two = problems.filter((p) => (p.idioms?.length ?? 1) > 1);
console.log('two-idiom problems', two.length, 'fast > 254:', two.filter((p) => tok.encode(p.solutions.find((s) => s.role === 'fast')!.code, { splitSpecialTokens: false }).length > 254).length);
const one = problems.filter((p) => (p.idioms?.length ?? 1) === 1);
const l1 = one.flatMap((p) => p.solutions.map((s) => tok.encode(s.code, { splitSpecialTokens: false }).length)).sort((a, b) => a - b);
console.log('single-idiom solutions', l1.length, 'median', l1[Math.floor(l1.length / 2)], 'p90', l1[Math.floor(0.9 * l1.length)], '>254', l1.filter((x) => x > 254).length);
const byCtx: Record<string, number[]> = {};
for (const p of one) for (const s of p.solutions) (byCtx[p.context!] ??= []).push(tok.encode(s.code, { splitSpecialTokens: false }).length);
console.log(Object.entries(byCtx).map(([c, l]) => `${c}:${Math.round(l.reduce((a, b) => a + b, 0) / l.length)}`).join(' '));
