/**
 * `ecode checkpoint inspect <path | hf:org/name[@rev]> [--file F] [--json] [--variant v]`: tensor
 * names, shapes and dtypes of a checkpoint (safetensors or pytorch_model.bin, local or from the
 * Hub through the shared cache), the commit it resolved to, and with `--variant` how it maps onto
 * that variant's parameters (missing / unexpected / shape mismatches): what to run before a long job.
 */
import { resolve } from 'node:path';
import { loadConfig, MODEL_VARIANTS } from '@ecode/config';
import { hubFile, hubModel, isHubId, parseHubId, type HubFile } from '@ecode/hub';
import type { LoadPlan, ModelVariant } from '@ecode/model';
import { EXIT_OK, UsageError, type Command } from '../cli.js';

const DEFAULT_CONFIG = 'configs/presets/paper.yaml';

export interface InspectReport {
  source: string;
  path: string;
  format: string;
  hub?: { repo: string; revision: string; commit: string; file: string; files: string[] };
  parameters: number;
  tensors: { name: string; dtype: string; shape: number[] }[];
  mapping?: { variant: ModelVariant; config: string; kind: string; targets: LoadPlan[] };
}

async function resolveSource(src: string, file: string | undefined, progress: NodeJS.WritableStream) {
  if (!isHubId(src)) return { path: resolve(src) };
  const id = parseHubId(src, 'checkpoint');
  const wanted = file ?? id.file;
  let f: HubFile;
  let files: HubFile[];
  if (wanted) {
    f = await hubFile({ ...id, file: wanted }, { progress });
    files = [f];
  } else {
    const m = await hubModel(id, { progress });
    f = m.weights;
    files = [m.weights, ...(m.config ? [m.config] : []), ...Object.values(m.tokenizer)];
  }
  return {
    path: f.path,
    hub: { repo: f.repo, revision: f.revision, commit: f.commit, file: f.file, files: files.map((x) => x.file) },
  };
}

const shapeText = (s: number[]) => `[${s.join(', ')}]`;

function describe(r: InspectReport): string {
  const lines = [`${r.source}`];
  if (r.hub)
    lines.push(
      `  ${r.hub.repo}@${r.hub.revision} = commit ${r.hub.commit}`,
      `  files in the cache: ${r.hub.files.join(', ')}`,
    );
  lines.push(`  ${r.path} (${r.format}): ${r.tensors.length} tensors, ${r.parameters.toLocaleString('en-US')} values`);
  const w = Math.max(...r.tensors.map((t) => t.name.length));
  for (const t of r.tensors) lines.push(`  ${t.name.padEnd(w)}  ${t.dtype.padEnd(4)}  ${shapeText(t.shape)}`);
  if (r.mapping) {
    lines.push('', `onto ${r.mapping.variant} (sizes from ${r.mapping.config}), as a ${r.mapping.kind} checkpoint:`);
    if (!r.mapping.targets.length) lines.push(`  ${r.mapping.variant} takes no ${r.mapping.kind} checkpoint`);
    for (const p of r.mapping.targets) {
      const ok = !p.missing.length && !p.mismatched.length;
      lines.push(
        `  ${p.target}: ${p.matched} matched, ${p.missing.length} missing, ${p.unexpected.length} unused, ${p.mismatched.length} shape mismatches${ok ? '' : ' <-'}`,
      );
      for (const m of p.mismatched.slice(0, 5))
        lines.push(`    ${m.name}: checkpoint ${shapeText(m.checkpoint)}, model ${m.parameter} ${shapeText(m.model)}`);
      if (p.missing.length)
        lines.push(`    missing: ${p.missing.slice(0, 5).join(', ')}${p.missing.length > 5 ? ', ...' : ''}`);
      if (p.unexpected.length)
        lines.push(`    unused: ${p.unexpected.slice(0, 5).join(', ')}${p.unexpected.length > 5 ? ', ...' : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const checkpointInspectCommand: Command = {
  name: 'checkpoint inspect',
  summary: 'Tensors of a checkpoint (local or hf:org/name), and how it maps onto a variant',
  usage: [
    '<path | hf:<org>/<name>[@<rev>][/<file>]> [--file F] [--variant V [--config FILE]] [--json]',
    '',
    'Lists tensor names, dtypes and shapes of a safetensors or pytorch_model.bin checkpoint. A Hub',
    'id is resolved through the shared Hugging Face cache (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT,',
    'HF_TOKEN, HF_HUB_OFFLINE=1), downloading what is missing: for a whole repo its weights',
    '(model.safetensors, else pytorch_model.bin), config.json and tokenizer files; the commit is shown.',
    '',
    'Options:',
    '  --file F        one file of the Hub repo instead of its weights',
    `  --variant V     also report how the checkpoint maps onto V's parameters (${MODEL_VARIANTS.join(', ')})`,
    `  --config FILE   the config whose model sizes to use with --variant (default ${DEFAULT_CONFIG})`,
    '  --json          the report as JSON',
  ].join('\n'),
  options: {
    file: { type: 'string' },
    variant: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const src = ctx.positionals[0];
    const variant = ctx.values.variant as string | undefined;
    if (variant !== undefined && !(MODEL_VARIANTS as readonly string[]).includes(variant))
      throw new UsageError(`--variant: '${variant}' is not one of ${MODEL_VARIANTS.join(', ')}`);
    if (ctx.values.file !== undefined && !isHubId(src)) throw new UsageError('--file goes with a hf: id');
    // TensorFlow.js loads only when a command needs it (`ecode validate` stays quick).
    const { checkpointKind, initBackend, parameterShapes, planLoad, pretrainedTargets, readCheckpointFile } =
      await import('@ecode/model');
    const { modelSpecFromConfig } = await import('../runner/model-spec.js');
    const where = await resolveSource(src, ctx.values.file as string | undefined, ctx.stderr);
    const file = readCheckpointFile(where.path);
    const tensors = [...file.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape }));
    const report: InspectReport = {
      source: src,
      path: where.path,
      format: file.format,
      ...(where.hub ? { hub: where.hub } : {}),
      parameters: tensors.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0),
      tensors,
    };
    if (variant) {
      const configPath = (ctx.values.config as string | undefined) ?? DEFAULT_CONFIG;
      const config = loadConfig(configPath);
      config.model.variant = variant as ModelVariant;
      const code = config.tokenizer.code.vocabSize;
      const spec = modelSpecFromConfig(config, {
        text: { vocabSize: config.tokenizer.text.vocabSize, padId: 0 },
        code: { vocabSize: code, padId: 0, startId: Math.min(102, code - 1), eosId: code - 1 },
      });
      await initBackend('cpu', () => {});
      const shapes = parameterShapes(spec);
      const kind = checkpointKind(file.tensors.keys());
      if (!kind)
        throw new Error(`${where.path}: neither a BERT, a GPT-Neo nor an E-code checkpoint (by its tensor names)`);
      const checkpoint = new Map(tensors.map((t) => [t.name, t.shape]));
      const targets =
        kind === 'ecode'
          ? [planLoad(checkpoint, shapes, { target: 'ecode', prefixMap: { '': '' } })]
          : pretrainedTargets(spec.variant, kind).map((t) => planLoad(checkpoint, shapes, t));
      report.mapping = { variant: spec.variant, config: configPath, kind, targets };
    }
    ctx.stdout.write(ctx.values.json ? JSON.stringify(report, null, 2) + '\n' : describe(report));
    return EXIT_OK;
  },
};
