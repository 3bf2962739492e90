/**
 * Parity with Hugging Face transformers (fixtures/hf-parity): BERT hidden states, GPT-Neo logits
 * and loss with padding, E-code / RELU-2-heads / No-expert losses and logits, on wasm (products
 * through XNNPACK, and through OpenBLAS when the native addon is built) and cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '@ecode/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend as startBackend } from '../backend/backend.js';
import { BertModel, bertConfig } from '../blocks/bert.js';
import { loadWeights } from '../checkpoint/checkpoint.js';
import type { EncodedSample } from '../contracts.js';
import { createModel } from './create-model.js';
import { ECodeModel } from './ecode.js';
import { GPTNeoModel, gptNeoConfig } from '../blocks/gpt-neo.js';
import { meanLoss } from './lm-loss.js';
import { nativeActive, setNativeKernels } from '@ecode/kernels';
import { SeedSequence } from '../blocks/ops.js';
import { ParamStore } from '../blocks/params.js';
import { fixture, fixtureSpec, floats, ints, relErr } from '../testing/fixtures.js';

const TOL = 1e-4;
const report: Record<string, number> = {};

const hasNative = nativeAvailable();
const paths = [
  { label: 'wasm', backend: 'wasm', native: false },
  { label: 'wasm+openblas', backend: 'wasm', native: true },
  { label: 'cpu', backend: 'cpu', native: false },
] as const;

for (const { label, backend: be, native } of paths) {
  /** Starts the backend with the matmul path of this block (the same wasm backend either way). */
  const initBackend = async (b: typeof be, log: (l: string) => void) => {
    await startBackend(b, log);
    if (b === 'wasm') expect(setNativeKernels(native)).toBe(native);
    expect(nativeActive() && b === 'wasm').toBe(native);
  };
  const backend = label;
  describe.skipIf(native && !hasNative)(`HF parity on ${label}`, () => {
    it('BERT last_hidden_state with padding and token types', async () => {
      await initBackend(be, () => {});
      const f = fixture('bert');
      const store = new ParamStore(0);
      const bert = new BertModel(
        store.scope(''),
        bertConfig({
          vocabSize: 200,
          hiddenSize: 32,
          numLayers: 2,
          numHeads: 2,
          intermediateSize: 64,
          maxPositions: 64,
          hiddenDropout: 0,
          attentionDropout: 0,
        }),
        new SeedSequence(0),
      );
      const rep = loadWeights(store.variables, f, { ignorePrefixes: ['input.', 'expected.'] });
      expect(rep.missing).toEqual([]);
      expect(rep.unexpected).toEqual([]);
      const ids = ints(f, 'input.input_ids');
      const h = bert.forward(
        {
          ids: tf.tensor2d(ids, undefined, 'int32'),
          tokenTypes: tf.tensor2d(ints(f, 'input.token_type_ids'), undefined, 'int32'),
          keyValid: ints(f, 'input.attention_mask'),
        },
        false,
      );
      const err = relErr(await h.data(), floats(f, 'expected.last_hidden_state'));
      report[`${backend}.bert.hidden`] = err;
      expect(err).toBeLessThan(TOL);
      store.dispose();
    });

    it('GPT-Neo logits, hidden states and loss with padding', async () => {
      await initBackend(be, () => {});
      const f = fixture('gpt_neo');
      const store = new ParamStore(0);
      const neo = new GPTNeoModel(
        store.scope('transformer.'),
        gptNeoConfig({
          vocabSize: 300,
          hiddenSize: 48,
          numLayers: 4,
          numHeads: 4,
          intermediateSize: 96,
          maxPositions: 256,
          windowSize: 8,
        }),
        new SeedSequence(0),
      );
      const rep = loadWeights(store.variables, f, { ignorePrefixes: ['input.', 'expected.'] });
      expect(rep.missing).toEqual([]);
      const ids = ints(f, 'input.input_ids');
      const valid = ints(f, 'input.attention_mask');
      const h = neo.forward({ ids: tf.tensor2d(ids, undefined, 'int32'), valid }, false);
      const logits = neo.logits(h) as tf.Tensor3D;
      // Compare real (non-padding) positions: HF's values at padded queries are not meaningful.
      const exp = floats(f, 'expected.logits');
      const got = await logits.data();
      const hexp = floats(f, 'expected.last_hidden_state');
      const hgot = await h.data();
      const keep = (arr: ArrayLike<number>, width: number) =>
        Array.from(arr).filter((_, i) => valid[Math.floor(i / (20 * width))][Math.floor(i / width) % 20] === 1);
      report[`${backend}.gptneo.logits`] = relErr(keep(got, 300), keep(exp, 300));
      report[`${backend}.gptneo.hidden`] = relErr(keep(hgot, 48), keep(hexp, 48));
      const targets = ids.map((r, b) => r.map((_, i) => (i + 1 < r.length && valid[b][i + 1] ? r[i + 1] : -1)));
      const { loss } = meanLoss(logits, targets);
      const l = (await loss.data())[0];
      report[`${backend}.gptneo.loss`] = Math.abs(l - floats(f, 'expected.loss')[0]) / floats(f, 'expected.loss')[0];
      expect(report[`${backend}.gptneo.logits`]).toBeLessThan(TOL);
      expect(report[`${backend}.gptneo.hidden`]).toBeLessThan(TOL);
      expect(report[`${backend}.gptneo.loss`]).toBeLessThan(TOL);
      store.dispose();
    });

    for (const [name, variant, heads, relu] of [
      ['ecode', 'e-code', 4, false],
      ['ecode_relu_2heads', 'e-code', 2, true],
      ['no_expert', 'no-expert', 4, false],
    ] as const) {
      it(`${name}: loss and logits`, async () => {
        await initBackend(be, () => {});
        const f = fixture(name);
        const model = createModel(fixtureSpec(variant, heads, relu)) as ECodeModel;
        const rep = loadWeights(model.variables, f, { ignorePrefixes: ['input.', 'expected.'] });
        expect(rep.unexpected).toEqual([]);
        expect(rep.missing).toEqual([]);
        const fields = variant === 'e-code' ? [0, 1, 2, 3, 4].map((j) => ints(f, `input.field${j}.input_ids`)[0]) : [];
        const ec = ints(f, 'input.ec.input_ids')[0];
        const sample: EncodedSample = {
          id: name,
          problemId: name,
          fields,
          statement: variant === 'no-expert' ? ints(f, 'input.field0.input_ids')[0] : [],
          ic: ints(f, 'input.ic.input_ids')[0],
          ec: ec.slice(1, -1),
        };
        const { logits } = model.logits([sample], false);
        report[`${backend}.${name}.logits`] = relErr(await logits.data(), floats(f, 'expected.logits'));
        const { loss, tokens } = model.loss([sample], false);
        const expLoss = floats(f, 'expected.loss')[0];
        report[`${backend}.${name}.loss`] = Math.abs((await loss.data())[0] - expLoss) / expLoss;
        expect(tokens).toBe(16);
        expect(report[`${backend}.${name}.logits`]).toBeLessThan(TOL);
        expect(report[`${backend}.${name}.loss`]).toBeLessThan(TOL);
        model.dispose();
      });
    }
  });
}

afterAll(() => {
  setNativeKernels(true);
  console.log('parity relative errors', JSON.stringify(report, null, 1));
});
