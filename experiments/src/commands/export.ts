/**
 * `ecode export <run | checkpoint> --format hf --out DIR`: a run's (or a checkpoint's) model as
 * standard Hugging Face folders (see `exportHf` in @ecode/model): the whole E-code with
 * `model_type: "ecode"`, each GPT-Neo stack as a `gpt_neo` folder, each BERT as a `bert` folder
 * (the GPT-Neo baseline: one `gpt_neo` folder), with the tokenizers and a model card.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelSpec } from '@ecode/model';
import { EXIT_OK, UsageError, type Command } from '../cli.js';
import { DEFAULT_RUNS_DIR, runPaths } from '../runner/run-paths.js';

interface Source {
  model: string;
  tokenizers?: { code?: string; text?: string };
  runName?: string;
  configHash?: string;
  /** The run's evaluation.json, whose estimates the model card lists. */
  evaluation?: string;
}

/** Estimates in evaluation.json (`{..., metric: { estimate, ... }}`) as `path/metric: value`. */
function estimates(v: unknown, path: string[] = [], out: Record<string, number> = {}): Record<string, number> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.estimate === 'number' && Number.isFinite(o.estimate)) out[path.join('/')] = o.estimate;
    else for (const [k, x] of Object.entries(o)) if (path.length < 3) estimates(x, [...path, k], out);
  }
  return out;
}

function findSource(arg: string, runsDir: string): Source {
  const asRun = (dir: string): Source => {
    const status = existsSync(join(dir, 'status.json'))
      ? (JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { name?: string; hash?: string })
      : {};
    const evaluation = join(dir, 'evaluation.json');
    return {
      model: join(dir, 'model.safetensors'),
      tokenizers: { code: join(dir, 'tokenizers', 'code'), text: join(dir, 'tokenizers', 'text') },
      runName: status.name,
      configHash: status.hash,
      evaluation: existsSync(evaluation) ? evaluation : undefined,
    };
  };
  if (existsSync(arg) && statSync(arg).isFile()) return { model: resolve(arg) };
  if (existsSync(arg) && statSync(arg).isDirectory()) return asRun(resolve(arg));
  if (/^[0-9a-f]{8,64}$/.test(arg) && existsSync(runPaths(arg, runsDir).root))
    return asRun(runPaths(arg, runsDir).root);
  throw new UsageError(`'${arg}' is neither a checkpoint file, a run folder nor a run hash under ${runsDir}`);
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'A run or checkpoint as standard Hugging Face folders (gpt_neo, bert, ecode)',
  usage: [
    '<run-folder | run-hash | model.safetensors> --format hf --out DIR [--runs-dir DIR]',
    '',
    'Writes DIR/config.json (model_type "ecode": variant, vocabularies, special ids, heads and the',
    'whole ModelSpec as ecode_spec), DIR/model.safetensors under the original E-code tensor names,',
    'DIR/tokenizer/{code,text}, a model card (README.md: run, config hash, metrics), and one standard',
    'folder per stack: DIR/ICLayer, DIR/ECLayer, DIR/FinalOutputLayer (gpt_neo, loaded by',
    "transformers' GPTNeoForCausalLM) and DIR/TitleLayer, ... DIR/ExpertGroupIntegrationLayer (bert).",
    'The GPT-Neo baseline is written as one gpt_neo folder.',
    '',
    'Options:',
    '  --format hf      the only format',
    '  --out DIR        where to write (created)',
    `  --runs-dir DIR   where run hashes are looked up (default ${DEFAULT_RUNS_DIR})`,
  ].join('\n'),
  options: { format: { type: 'string' }, out: { type: 'string' }, 'runs-dir': { type: 'string' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    if (ctx.values.format !== 'hf') throw new UsageError(`--format: give --format hf (the only format)`);
    const out = ctx.values.out as string | undefined;
    if (!out) throw new UsageError('--out DIR is required');
    const src = findSource(ctx.positionals[0], (ctx.values['runs-dir'] as string | undefined) ?? DEFAULT_RUNS_DIR);
    if (!existsSync(src.model)) throw new Error(`${src.model}: no trained model (run the train stage first)`);
    // TensorFlow.js loads only when a command needs it (`ecode validate` stays quick).
    const { createModel, exportHf, initBackend, loadWeights, readSafetensors, specFromMetadata } =
      await import('@ecode/model');
    // An evaluation.json of any age: metrics under their ids (an old file's names read as them).
    const { readEvaluation } = await import('@ecode/evaluation');
    const metrics = src.evaluation
      ? estimates(readEvaluation(JSON.parse(readFileSync(src.evaluation, 'utf8'))))
      : undefined;
    const file = readSafetensors(new Uint8Array(readFileSync(src.model)), src.model);
    const spec = specFromMetadata(file) as ModelSpec | undefined;
    if (!spec) throw new Error(`${src.model}: its metadata holds no model spec (not written by ecode)`);
    await initBackend('cpu', () => {});
    const model = createModel(spec);
    try {
      loadWeights(model.variables, file, { requireAll: true }, src.model);
      const folders = await exportHf(model, spec, resolve(out), { ...src, metrics });
      for (const f of folders) ctx.stdout.write(`${f.modelType.padEnd(7)} ${f.dir} (${f.tensors} tensors)\n`);
    } finally {
      model.dispose();
    }
    return EXIT_OK;
  },
};
