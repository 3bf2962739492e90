import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { readCheckpointFile } from './checkpoint-file.js';
import { createModel } from '../ecode/create-model.js';
import type { ECodeModel } from '../ecode/ecode.js';
import { exportHf, importHf, gptNeoHfConfig, bertHfConfig } from './export-hf.js';
import { checkpointKind, parameterShapes, planLoad, pretrainedTargets } from './pretrained.js';
import { fixture, fixtureSpec, tinySamples, tinyEcodeSpec } from '../testing/fixtures.js';

const FIX = fileURLToPath(new URL('../../fixtures/', import.meta.url));
// The configs transformers 5.17 wrote for the parity fixtures (hf-parity/meta.json, copied from the
// workspace's shared fixtures/hf-parity).
const meta = JSON.parse(readFileSync(join(FIX, 'hf-parity', 'meta.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const weightsOnly = (names: Iterable<string>) =>
  [...names].filter((n) => !n.startsWith('input.') && !n.startsWith('expected.')).sort();

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

describe('pytorch_model.bin fixtures (python3-torch 1.13, libs/hub/fixtures/generate_bin.py)', () => {
  for (const name of ['bert', 'gpt_neo']) {
    it(`${name}.bin loads to the same tensors as ${name}.safetensors`, () => {
      const bin = readCheckpointFile(join(FIX, 'hf-parity-bin', `${name}.bin`));
      const st = fixture(name);
      expect(bin.format).toBe('pytorch');
      const extra = name === 'bert' ? ['embeddings.position_ids'] : ['lm_head.weight'];
      expect(weightsOnly(bin.tensors.keys())).toEqual([...weightsOnly(st.tensors.keys()), ...extra].sort());
      for (const n of weightsOnly(st.tensors.keys())) {
        const a = bin.tensors.get(n)!;
        const b = st.tensors.get(n)!;
        expect(a.dtype).toBe('F32');
        expect(a.shape).toEqual(b.shape);
        expect(a.data).toEqual(b.data); // bit-equal
      }
      if (name === 'gpt_neo')
        expect(bin.tensors.get('lm_head.weight')!.data).toEqual(st.tensors.get('transformer.wte.weight')!.data);
      else {
        const pos = bin.tensors.get('embeddings.position_ids')!;
        expect(pos.dtype).toBe('I64');
        expect(Array.from(pos.data)).toEqual(Array.from({ length: 64 }, (_, i) => i));
      }
    });
  }
});

describe('export to Hugging Face folders', () => {
  it('golden: a GPT-Neo export writes the config.json transformers wrote for the parity fixture, and its tensor names', async () => {
    const spec = { ...fixtureSpec('gpt-neo', 4, false), maxStatementCodeTokens: 64 };
    const ours = gptNeoHfConfig(spec);
    const theirs = meta.gpt_neo_config;
    // Generic PretrainedConfig fields that say nothing about the model are left to transformers' defaults.
    const generic = new Set([
      'transformers_version',
      'architectures',
      'output_hidden_states',
      'return_dict',
      'dtype',
      'chunk_size_feed_forward',
      'is_encoder_decoder',
      'id2label',
      'label2id',
      'problem_type',
      'pad_token_id',
      '_name_or_path',
      'output_attentions',
    ]);
    const modelFields = Object.keys(theirs).filter((k) => !generic.has(k));
    expect(modelFields.length).toBe(21);
    for (const k of modelFields) expect([k, ours[k]]).toEqual([k, theirs[k]]);
    const out = mkdtempSync(join(tmpdir(), 'neo-export-'));
    const model = createModel(spec);
    try {
      await exportHf(model, spec, out);
      const written = readCheckpointFile(join(out, 'model.safetensors'));
      expect(weightsOnly(written.tensors.keys())).toEqual(weightsOnly(fixture('gpt_neo').tensors.keys()));
      expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model_type).toBe('gpt_neo');
    } finally {
      model.dispose();
    }
  });

  it("golden: BERT config.json fields equal the parity fixture's", () => {
    const spec = fixtureSpec('e-code', 4, false);
    const ours = bertHfConfig({ ...spec, dropout: { ...spec.dropout, bert: 0.1 } }, spec.expert);
    const theirs = meta.bert_config;
    for (const k of [
      'vocab_size',
      'hidden_size',
      'num_hidden_layers',
      'num_attention_heads',
      'intermediate_size',
      'hidden_act',
      'max_position_embeddings',
      'type_vocab_size',
      'layer_norm_eps',
      'pad_token_id',
      'model_type',
    ])
      expect([k, ours[k]]).toEqual([k, theirs[k]]);
  });

  it('an E-code export re-imports with identical logits; sub-folders carry the original names', async () => {
    const spec = tinyEcodeSpec({ seed: 5, dropout: 0 });
    const model = createModel(spec);
    // Move the weights off their initialisation, as training would.
    for (const v of model.variables.values())
      v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.05, 'float32', 9))));
    const out = mkdtempSync(join(tmpdir(), 'ecode-export-'));
    const samples = tinySamples(2);
    try {
      const folders = await exportHf(model, spec, out, {
        runName: 'tiny',
        configHash: 'abc',
        metrics: { 'test/all_pass': 0.5 },
      });
      expect(folders.map((f) => [f.dir.slice(out.length), f.modelType])).toEqual([
        ['', 'ecode'],
        ['/ICLayer', 'gpt_neo'],
        ['/ECLayer', 'gpt_neo'],
        ['/FinalOutputLayer', 'gpt_neo'],
        ['/TitleLayer', 'bert'],
        ['/ProblemDescriptionBodyLayer', 'bert'],
        ['/InputDescriptionLayer', 'bert'],
        ['/OutputDescriptionLayer', 'bert'],
        ['/IOSampleTestingAndNoteDescriptionLayer', 'bert'],
        ['/ExpertGroupIntegrationLayer', 'bert'],
      ]);
      expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(
        /config hash: abc[\s\S]*\| test\/all_pass \| 0.5 \|/,
      );
      const fin = readCheckpointFile(join(out, 'FinalOutputLayer', 'model.safetensors'));
      expect([...fin.tensors.keys()].every((n) => n.startsWith('transformer.'))).toBe(true);
      expect(fin.tensors.get('transformer.wte.weight')!.data).toEqual(
        await model.variables.get('FinalOutputLayer.transformer.wte.weight')!.data(),
      );
      const root = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(root).toMatchObject({ model_type: 'ecode', ecode_variant: 'e-code', cross_attention_heads: 4 });
      const { model: back } = importHf(out);
      const a = (model as ECodeModel).logits(samples, false).logits;
      const b = (back as ECodeModel).logits(samples, false).logits;
      expect(await b.data()).toEqual(await a.data());
      a.dispose();
      b.dispose();
      back.dispose();
    } finally {
      model.dispose();
    }
  });

  it('plans how a checkpoint maps onto a variant without allocating it', () => {
    const spec = fixtureSpec('e-code', 4, false);
    const shapes = parameterShapes(spec);
    expect(shapes.get('ICLayer.wte.weight')).toEqual([300, 48]);
    expect(shapes.get('MultiHeadedAttentionMechanism.in_proj_weight')).toEqual([144, 48]);
    const neo = new Map(
      [...fixture('gpt_neo').tensors]
        .filter(([n]) => !n.startsWith('input.') && !n.startsWith('expected.'))
        .map(([n, t]) => [n, t.shape]),
    );
    expect(checkpointKind(neo.keys())).toBe('gpt-neo');
    const plans = pretrainedTargets('e-code', 'gpt-neo').map((t) => planLoad(neo, shapes, t));
    expect(plans.map((p) => [p.target, p.matched, p.missing.length, p.unexpected.length, p.mismatched.length])).toEqual(
      [
        ['ICLayer', 56, 0, 0, 0],
        ['ECLayer', 56, 0, 0, 0],
        ['FinalOutputLayer', 56, 0, 0, 0],
      ],
    );
    const small = parameterShapes({
      ...spec,
      maxIcTokens: 64,
      decoder: { ...spec.decoder, numLayers: 2, maxPositions: 64 },
    });
    const p = planLoad(neo, small, pretrainedTargets('e-code', 'gpt-neo')[0]);
    expect(p.unexpected.length).toBe(26); // layers 2 and 3
    expect(p.mismatched).toEqual([
      { name: 'transformer.wpe.weight', parameter: 'ICLayer.wpe.weight', checkpoint: [256, 48], model: [64, 48] },
    ]);
    expect(readdirSync(FIX)).toContain('hf-parity-bin');
  });
});
