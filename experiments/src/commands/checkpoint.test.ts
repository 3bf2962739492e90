import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ecode/config';
import { parseHubId, startStubHub, type StubHub } from '@ecode/hub';
import {
  createModel,
  ECodeModel,
  importHf,
  initBackend,
  saveWeights,
  train,
  type EncodedSample,
  type ModelSpec,
} from '@ecode/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { resolveHubRefs, hubParams } from '../runner/hub-refs.js';
import { commands } from './index.js';
import { captureIo } from './test-io.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PAPER = join(ROOT, 'configs/presets/paper.yaml');
// Tiny stand-ins served under the paper preset's repo and file names: the parity fixtures' BERT as
// pytorch_model.bin (python3-torch) and GPT-Neo as model.safetensors.
const FIX = join(ROOT, 'libs/model/fixtures');
const bytes = (p: string) => new Uint8Array(readFileSync(p));
const text = (s: string) => new TextEncoder().encode(s);

const paper = loadConfig(PAPER);
const bert = parseHubId(paper.model.init.bert!);
const neo = parseHubId(paper.model.init.gptNeo!);

const ENV = ['HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_OFFLINE'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let hub: StubHub;
const cache = mkdtempSync(join(tmpdir(), 'ecode-hfcache-'));

const serve = () =>
  startStubHub({
    [bert.repo]: {
      refs: { main: bert.revision! },
      files: {
        'pytorch_model.bin': bytes(join(FIX, 'hf-parity-bin/bert.bin')),
        'vocab.txt': text('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n'),
        'config.json': text('{"model_type": "bert"}\n'),
      },
    },
    [neo.repo]: {
      refs: { main: neo.revision! },
      files: {
        'model.safetensors': bytes(join(FIX, 'hf-parity/gpt_neo.safetensors')),
        'vocab.json': text('{"!": 0}'),
        'merges.txt': text('#version: 0.2\n'),
        'config.json': text('{"model_type": "gpt_neo"}\n'),
      },
    },
  });

async function ecode(...argv: string[]) {
  const c = captureIo();
  const code = await runCli(commands, argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

beforeAll(async () => {
  hub = await serve();
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_HUB_CACHE = cache;
  process.env.HF_TOKEN_PATH = join(cache, 'no-token');
  delete process.env.HF_TOKEN;
  delete process.env.HF_HUB_OFFLINE;
  await initBackend('cpu', () => {});
});

afterAll(async () => {
  await hub.close();
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe("ecode checkpoint inspect against a stub Hub serving the paper preset's repos", () => {
  const inspect = async (id: string) => {
    const r = await ecode('checkpoint', 'inspect', id, '--variant', 'e-code', '--config', PAPER, '--json');
    expect([r.code, r.err.replace(/downloading .*\n/g, '')]).toEqual([0, '']);
    return JSON.parse(r.out);
  };

  it('downloads every file the paper preset names into the HF cache layout, reports the mapping, then answers offline and downloads nothing again', async () => {
    const b = await inspect(paper.model.init.bert!);
    expect(b.hub).toEqual({
      repo: bert.repo,
      revision: bert.revision,
      commit: bert.revision,
      file: 'pytorch_model.bin',
      files: ['pytorch_model.bin', 'config.json', 'vocab.txt'],
    });
    expect(b.format).toBe('pytorch');
    expect(b.mapping.kind).toBe('bert');
    expect(b.mapping.targets.map((t: { target: string }) => t.target)).toEqual([
      'TitleLayer',
      'ProblemDescriptionBodyLayer',
      'InputDescriptionLayer',
      'OutputDescriptionLayer',
      'IOSampleTestingAndNoteDescriptionLayer',
    ]);
    // The stand-in is a 32-wide BERT, the paper's experts are BERT-tiny (128 wide): every shape differs.
    expect(b.mapping.targets[0].mismatched[0]).toEqual({
      name: 'embeddings.LayerNorm.bias',
      parameter: 'TitleLayer.embeddings.LayerNorm.bias',
      checkpoint: [32],
      model: [128],
    });
    expect(b.mapping.targets[0].unexpected).toEqual(['embeddings.position_ids']);
    const n = await inspect(paper.model.init.gptNeo!);
    expect(n.hub.files).toEqual(['model.safetensors', 'config.json', 'vocab.json', 'merges.txt']);
    expect(
      n.mapping.targets.map((t: { target: string; unexpected: string[] }) => [t.target, t.unexpected.length]),
    ).toEqual([
      ['ICLayer', 5], // the fixture's input.* and expected.* tensors
      ['ECLayer', 5],
      ['FinalOutputLayer', 5],
    ]);

    // Every file the preset names is in the cache, as huggingface_hub lays it out.
    const named = [
      paper.model.init.bert!,
      paper.model.init.gptNeo!,
      paper.tokenizer.code.files!.vocab,
      paper.tokenizer.code.files!.merges,
      paper.tokenizer.text.files!.vocab,
    ].map((s) => parseHubId(s));
    for (const id of named) {
      const folder = join(cache, `models--${id.repo.replace('/', '--')}`);
      const file = id.file ?? (id.repo === bert.repo ? 'pytorch_model.bin' : 'model.safetensors');
      const snap = join(folder, 'snapshots', id.revision!, file);
      expect(lstatSync(snap).isSymbolicLink()).toBe(true);
      expect(readlinkSync(snap)).toMatch(/^\.\.\/\.\.\/blobs\/[0-9a-f]{40,64}$/);
    }
    // A branch name writes refs/<branch>.
    expect((await ecode('checkpoint', 'inspect', `hf:${bert.repo}`)).code).toBe(0);
    expect(readFileSync(join(cache, `models--${bert.repo.replace('/', '--')}`, 'refs', 'main'), 'utf8')).toBe(
      bert.revision,
    );

    // Server stopped, HF_HUB_OFFLINE=1: the same answers from the cache.
    await hub.close();
    process.env.HF_HUB_OFFLINE = '1';
    expect(await inspect(paper.model.init.bert!)).toEqual(b);
    expect(await inspect(paper.model.init.gptNeo!)).toEqual(n);
    const missing = await ecode(
      'checkpoint',
      'inspect',
      `hf:${neo.repo}@${neo.revision}`,
      '--file',
      'flax_model.msgpack',
    );
    expect(missing.code).toBe(1);
    // (files the Hub said a repo lacks are remembered, .no_exist/, as huggingface_hub does)
    expect(missing.err).toMatch(
      /HF_HUB_OFFLINE is set and flax_model.msgpack of EleutherAI\/gpt-neo-125m@21def0189f57\w* is not in the cache/,
    );

    // Online again: the pinned commits are cached, so nothing is requested at all.
    delete process.env.HF_HUB_OFFLINE;
    hub = await serve();
    process.env.HF_ENDPOINT = hub.url;
    await inspect(paper.model.init.bert!);
    await inspect(paper.model.init.gptNeo!);
    expect(hub.requests).toEqual([]);

    // A run resolves the same ids to the cached files and records their commits.
    const { config, refs } = await resolveHubRefs(paper, ROOT);
    expect(refs.map((r) => [r.key, r.commit, r.file])).toEqual([
      ['model.init.bert', bert.revision, 'pytorch_model.bin'],
      ['model.init.gptNeo', neo.revision, 'model.safetensors'],
      ['tokenizer.code.files.vocab', neo.revision, 'vocab.json'],
      ['tokenizer.code.files.merges', neo.revision, 'merges.txt'],
      ['tokenizer.text.files.vocab', bert.revision, 'vocab.txt'],
    ]);
    expect(readFileSync(config.tokenizer.code.files!.merges, 'utf8')).toBe('#version: 0.2\n');
    expect(hubParams(refs)['hub.model.init.bert.commit']).toBe(bert.revision);
  });

  it('names what is wrong', async () => {
    const r = await ecode('checkpoint', 'inspect', 'hf:EleutherAI', '--json');
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/'hf:EleutherAI' must name a repo/)]);
    expect((await ecode('checkpoint', 'inspect', 'x.bin', '--variant', 'bart')).code).toBe(2);
  });
});

describe('ecode export', () => {
  it('a trained tiny E-code run exports to HF folders and re-imports with identical logits', async () => {
    const spec: ModelSpec = {
      variant: 'e-code',
      textVocabSize: 40,
      codeVocabSize: 50,
      special: { pad: 0, start: 1, eos: 49 },
      textPad: 0,
      expert: { hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32, maxPositions: 16 },
      fieldMaxTokens: [8, 8, 8, 8, 8],
      integration: { hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32, maxPositions: 64 },
      decoder: { hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 32, maxPositions: 32, windowSize: 4 },
      crossAttentionHeads: 2,
      mlpActivation: 'none',
      maxIcTokens: 16,
      maxStatementCodeTokens: 16,
      dropout: { bert: 0, decoder: 0, crossAttention: 0 },
      seed: 3,
    };
    const seq = (n: number, mod: number, off: number) =>
      Array.from({ length: n }, (_, j) => 2 + ((j * 5 + off) % (mod - 3)));
    const samples: EncodedSample[] = [0, 1, 2, 3].map((i) => ({
      id: `s${i}`,
      problemId: `p${i}`,
      fields: [3, 5, 4, 3, 6].map((n, k) => seq(n, 40, i + k)),
      statement: seq(8, 40, i),
      ic: seq(6, 50, i * 2),
      ec: seq(5, 50, i * 3 + 1),
    }));
    const model = createModel(spec);
    await train(model, samples, [], { seed: 1, batchSize: 2, maxSteps: 3, lr: 1e-2, progress: false });
    const run = mkdtempSync(join(tmpdir(), 'ecode-run-'));
    await saveWeights(model.variables, { spec, path: join(run, 'model.safetensors') });
    writeFileSync(join(run, 'status.json'), JSON.stringify({ hash: 'feedbeef', name: 'e-code-s1' }));
    writeFileSync(
      join(run, 'evaluation.json'),
      // Written before the metric ids were unified: the all-pass rate under its old name.
      JSON.stringify({ metrics: { strictPassRate: { estimate: 0.25, lower: 0, upper: 0.5, n: 4 } } }),
    );
    mkdirSync(join(run, 'tokenizers', 'code'), { recursive: true });
    writeFileSync(join(run, 'tokenizers', 'code', 'vocab.json'), '{}');
    const out = join(run, 'hf');
    const r = await ecode('export', run, '--format', 'hf', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`ecode   ${out} (${model.variables.size} tensors)`);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(
      /config hash: feedbeef\n- run: e-code-s1[\s\S]*\| metrics\/allPassRate \| 0.25 \|/,
    );
    expect(existsSync(join(out, 'tokenizer', 'code', 'vocab.json'))).toBe(true);
    expect(existsSync(join(out, 'ICLayer', 'vocab.json'))).toBe(true);
    const { model: back } = importHf(out);
    const a = (model as ECodeModel).logits(samples, false).logits;
    const b = (back as ECodeModel).logits(samples, false).logits;
    expect(await b.data()).toEqual(await a.data());
    a.dispose();
    b.dispose();
    back.dispose();
    model.dispose();
    expect((await ecode('export', run, '--format', 'onnx', '--out', out)).code).toBe(2);
  });
});
