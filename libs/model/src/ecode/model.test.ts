/** E-code variants: padding invariance, KV-cache generation, seeded init, checkpoints. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { loadWeights, saveWeights, specFromMetadata } from '../checkpoint/checkpoint.js';
import type { EncodedSample, CodeRewritingModel } from '../contracts.js';
import { createModel } from './create-model.js';
import { ECodeModel, ExpertEncoderGroup, OpenedExpertGroup } from './ecode.js';
import { GPTNeoBaseline } from './gpt-neo-baseline.js';
import { GPTNeoBlock } from '../blocks/gpt-neo.js';
import { readSafetensors } from '../checkpoint/safetensors.js';
import type { ModelSpec } from './spec.js';
import { fixtureSpec, relErr } from '../testing/fixtures.js';

function tinySpec(variant: ModelSpec['variant'], seed = 3): ModelSpec {
  const s = fixtureSpec(variant, 4, false);
  // A small window so generation crosses it; small sizes keep the tests fast.
  return {
    ...s,
    decoder: { ...s.decoder, numLayers: 2, windowSize: 4, maxPositions: 64 },
    maxStatementCodeTokens: 12,
    maxIcTokens: 32,
    seed,
  };
}

function sample(i: number, lens: { f: number[]; ic: number; ec: number; st: number }): EncodedSample {
  const seq = (n: number, mod: number, off: number) =>
    Array.from({ length: n }, (_, j) => 1 + ((j * 7 + i * 13 + off) % (mod - 2)));
  return {
    id: `s${i}`,
    problemId: `p${i}`,
    fields: lens.f.map((n, k) => seq(n, 200, k * 5)),
    statement: seq(lens.st, 200, 3),
    statementCode: seq(lens.st, 300, 11),
    ic: seq(lens.ic, 300, 1),
    ec: seq(lens.ec, 300, 2),
  };
}

const SAMPLES = [
  sample(0, { f: [3, 9, 4, 5, 6], ic: 11, ec: 7, st: 10 }),
  sample(1, { f: [5, 4, 6, 3, 8], ic: 5, ec: 12, st: 6 }),
  sample(2, { f: [2, 12, 3, 4, 3], ic: 8, ec: 3, st: 14 }),
];

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

for (const variant of ['e-code', 'no-expert', 'gpt-neo'] as const) {
  describe(`${variant} variant`, () => {
    it('padded batch gives the per-sample losses of batch-1 runs, and loss = token-weighted mean', async () => {
      const m = createModel(tinySpec(variant));
      const batch = await m.perSampleLoss(SAMPLES).data();
      const alone = [];
      for (const s of SAMPLES) alone.push((await m.perSampleLoss([s]).data())[0]);
      expect(relErr(batch, alone)).toBeLessThan(1e-5);
      const { loss, tokens } = m.loss(SAMPLES, false);
      const counts = SAMPLES.map((s) => s.ec.length + 1);
      expect(tokens).toBe(counts.reduce((a, b) => a + b));
      const weighted = alone.reduce((a, l, i) => a + l * counts[i], 0) / tokens;
      expect(Math.abs((await loss.data())[0] - weighted) / weighted).toBeLessThan(1e-5);
      m.dispose();
    });

    it('KV-cache generation equals the full re-run and teacher-forced logits', async () => {
      const m = createModel(tinySpec(variant));
      const steps = 9; // longer than the window of 4
      const srcs = [SAMPLES[0], SAMPLES[2]];
      const fed = [
        srcs[0].ec.concat(srcs[0].ec).slice(0, steps - 1),
        srcs[1].ec.concat(srcs[0].ec, srcs[1].ec).slice(0, steps - 1),
      ];
      const run = async (useCache: boolean) => {
        const st = m.startGeneration(srcs, { repeats: 2, maxNewTokens: steps, useCache });
        const out: Float32Array[] = [];
        for (let t = 0; t < steps; t++) {
          const toks = Int32Array.from({ length: 4 }, (_, r) =>
            t === 0 ? m.special.start : fed[Math.floor(r / 2)][t - 1],
          );
          const l = m.nextLogits(st, toks);
          out.push((await l.data()) as Float32Array);
          l.dispose();
        }
        st.dispose();
        return out;
      };
      const tensorsBefore = tf.memory().numTensors;
      const cached = await run(true);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      const full = await run(false);
      for (let t = 0; t < steps; t++) expect(relErr(cached[t], full[t])).toBeLessThan(1e-4);
      // Rows repeat their sample: rows 0 and 1 are equal up to float rounding. Bit-equal on
      // XNNPACK and on OpenBLAS's Zen kernels; OpenBLAS's Haswell kernels round some rows of one
      // product differently (measured on a 2-core AMD EPYC VM: 2.2e-7 relative).
      const v = m.codeVocabSize;
      expect(relErr(cached[3].subarray(0, v), cached[3].subarray(v, 2 * v))).toBeLessThan(1e-6);
      // Teacher forcing: the logits of sample 0 with ec = fed[0] at every position.
      const tf0: EncodedSample = { ...srcs[0], ec: fed[0] };
      const per = await m.perSampleLoss([tf0]).data();
      let nll = 0;
      for (let t = 0; t < steps; t++) {
        const row = cached[t].subarray(0, v);
        const target = t + 1 < steps ? fed[0][t] : m.special.eos;
        const mx = Math.max(...row);
        const lse = mx + Math.log(row.reduce((a, x) => a + Math.exp(x - mx), 0));
        nll += lse - row[target];
      }
      expect(Math.abs(nll / steps - per[0]) / per[0]).toBeLessThan(1e-4);
      m.dispose();
    });
  });
}

describe('weights', () => {
  it('same seed, same weights; another seed, other weights', async () => {
    const a = createModel(tinySpec('e-code', 5));
    const b = createModel(tinySpec('e-code', 5));
    const c = createModel(tinySpec('e-code', 6));
    const name = 'ECLayer.h.1.mlp.c_fc.weight';
    const va = await a.variables.get(name)!.data();
    expect(Array.from(va)).toEqual(Array.from(await b.variables.get(name)!.data()));
    expect(relErr(va, await c.variables.get(name)!.data())).toBeGreaterThan(0.1);
    for (const m of [a, b, c]) m.dispose();
  });

  it('a checkpoint reloads bit-exactly and carries its spec', async () => {
    const spec = tinySpec('e-code', 7);
    const a = createModel(spec);
    const bytes = await saveWeights(a.variables, { spec });
    const file = readSafetensors(bytes);
    expect(specFromMetadata(file)).toEqual(spec);
    const b = createModel({ ...spec, seed: 8 });
    const rep = loadWeights(b.variables, file, { requireAll: true });
    expect(rep.unexpected).toEqual([]);
    for (const [n, v] of a.variables)
      expect(Array.from(await b.variables.get(n)!.data())).toEqual(Array.from(await v.data()));
    const la = (await a.perSampleLoss(SAMPLES).data())[1];
    const lb = (await b.perSampleLoss(SAMPLES).data())[1];
    expect(lb).toBe(la);
    for (const m of [a, b]) m.dispose();
  });

  it('a HF GPT-Neo file loads into one sub-module through a prefix map', async () => {
    const spec = tinySpec('gpt-neo', 9);
    const neo = createModel(spec);
    const bytes = await saveWeights(neo.variables); // names transformer.*
    const m = createModel(tinySpec('e-code', 10)) as ECodeModel;
    const rep = loadWeights(m.variables, readSafetensors(bytes), { prefixMap: { 'transformer.': 'ICLayer.' } });
    expect(rep.unexpected).toEqual([]);
    expect(rep.loaded.every((n) => n.startsWith('ICLayer.'))).toBe(true);
    expect(rep.loaded.length).toBe(neo.variables.size);
    const w = 'transformer.h.0.attn.attention.q_proj.weight';
    expect(Array.from(await m.variables.get(w.replace('transformer.', 'ICLayer.'))!.data())).toEqual(
      Array.from(await neo.variables.get(w)!.data()),
    );
    neo.dispose();
    m.dispose();
  });

  it('loss gradients reach every used variable; dropout is seeded', async () => {
    const spec = { ...tinySpec('e-code', 11), dropout: { bert: 0.1, decoder: 0.1, crossAttention: 0.1 } };
    const m: CodeRewritingModel = createModel(spec);
    const vars = [...m.variables.values()];
    const { grads, value } = tf.variableGrads(() => m.loss(SAMPLES.slice(0, 2), true).loss, vars);
    const names = [...m.variables.keys()];
    const withGrad = names.filter((n, i) => grads[vars[i].name] !== undefined);
    const without = names.filter((n) => !withGrad.includes(n));
    // Only the unused parts of the HF modules: the integration BERT's word/type embeddings and
    // the output decoder's word embeddings are not on the path... except the tied LM head.
    expect(without.sort()).toEqual(['ExpertGroupIntegrationLayer.embeddings.word_embeddings.weight']);
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    m.setDropoutSeed!(42);
    const l1 = (await m.loss(SAMPLES, true).loss.data())[0];
    m.setDropoutSeed!(42);
    const l2 = (await m.loss(SAMPLES, true).loss.data())[0];
    m.setDropoutSeed!(43);
    const l3 = (await m.loss(SAMPLES, true).loss.data())[0];
    expect(l2).toBe(l1);
    expect(l3).not.toBe(l1);
    m.dispose();
  });
});

describe('blocks named after the paper and the checkpoints', () => {
  it("each block's holders are the variables under its checkpoint names", () => {
    const m = createModel(tinySpec('e-code')) as ECodeModel;
    const v = (name: string) => m.variables.get(name);
    const group = m.expertEncoderGroup as ExpertEncoderGroup;
    expect(group).toBeInstanceOf(ExpertEncoderGroup);
    expect(group.experts[1].layer[0].query.weight).toBe(
      v('ProblemDescriptionBodyLayer.encoder.layer.0.attention.self.query.weight'),
    );
    expect(group.experts[4].layer[0].outputLn.bias).toBe(
      v('IOSampleTestingAndNoteDescriptionLayer.encoder.layer.0.output.LayerNorm.bias'),
    );
    expect(m.integrationLayer.bert.embeddingsLn.weight).toBe(
      v('ExpertGroupIntegrationLayer.embeddings.LayerNorm.weight'),
    );
    expect(m.mlpEnlarge.linear.weight).toBe(v('MLPEnlargeLayer.0.weight'));
    const block = m.ICLayer.h[1];
    expect(block).toBeInstanceOf(GPTNeoBlock);
    expect(block.attentionType).toBe('local');
    expect(block.attn.qProj.weight).toBe(v('ICLayer.h.1.attn.attention.q_proj.weight'));
    expect(block.attn.qProj.bias).toBeUndefined();
    expect(m.ECLayer.h[0].mlp.fc.bias).toBe(v('ECLayer.h.0.mlp.c_fc.bias'));
    expect(m.FinalOutputLayer.lnF.weight).toBe(v('FinalOutputLayer.transformer.ln_f.weight'));
    const opened = createModel(tinySpec('no-expert')) as ECodeModel;
    expect(opened.expertEncoderGroup).toBeInstanceOf(OpenedExpertGroup);
    expect((opened.expertEncoderGroup as OpenedExpertGroup).bert.layer[0].key.weight).toBe(
      opened.variables.get('OpenedExpertGroupLayer.encoder.layer.0.attention.self.key.weight'),
    );
    m.dispose();
    opened.dispose();
  });

  it('a GPTNeoBlock computes x + attn(ln1(x)), then + mlp(ln2(x))', async () => {
    const m = createModel(tinySpec('gpt-neo')) as GPTNeoBaseline;
    const block = m.lm.h[0];
    const x = tf.randomNormal([6, m.lm.config.hiddenSize], 0, 1, 'float32', 4);
    const ctx = { batch: 2, time: 3, training: false, noGrad: false, bias: null };
    const got = block.forward(x, ctx).out;
    const afterAttn = tf.add(x, block.attn.forward(block.ln1.apply(x), ctx).out);
    const want = tf.add(afterAttn, block.mlp.forward(block.ln2.apply(afterAttn), false));
    expect(relErr(await got.data(), await want.data())).toBe(0);
    expect(relErr(await got.data(), await x.data())).toBeGreaterThan(1e-3);
    tf.dispose([x, got, afterAttn, want]);
    m.dispose();
  });
});
