/**
 * The time predictor's config: one TypeBox schema gives both the TypeScript type and the JSON
 * Schema that ajv validates (defaults filled in). Loaded from YAML; errors name the file and the
 * JSON path of every wrong value, with what was found and what is allowed.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { BoundedFileError, MAX_CONFIG_FILE_BYTES, MAX_NESTING, nestingTooDeep, readBoundedText } from '@ecode/config';
import { parseDocument } from 'yaml';

const Section = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, default: {}, description });
const Enum = <const T extends readonly string[]>(values: T, def: T[number], description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], default: def, description });
const Int = (min: number, def: number, description: string) =>
  Type.Integer({ minimum: min, default: def, description });
const Num = (min: number, max: number, def: number, description: string) =>
  Type.Number({ minimum: min, maximum: max, default: def, description });

export const TIME_VIEWS = ['ori', 'uni', 'looprec', 'randdel'] as const;
export type TimeView = (typeof TIME_VIEWS)[number];

export const TimePredictorConfigSchema = Type.Object(
  {
    experiment: Section(
      {
        name: Type.String({ minLength: 1, default: 'timedb', description: 'Run name (tracker run, output folder).' }),
        seed: Int(0, 42, 'Master seed: split, RandDel deletions, weight init, data order, dropout.'),
      },
      'Identity of the run.',
    ),
    data: Section(
      {
        timedb: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'A built CodeExecTimeDB folder (rows.jsonl): used as is, nothing is measured.',
          }),
        ),
        dataset: Type.Optional(
          Type.String({ minLength: 1, description: 'A dataset JSONL (@ecode/data) whose solutions are measured.' }),
        ),
        checkSet: Type.Boolean({
          default: true,
          description:
            'Also measure and score the built-in check set of realistic programs in styles the synthetic corpus does not use (never trained on).',
        }),
        synthetic: Section(
          {
            problems: Int(1, 200, 'Synthetic problems to generate when neither timedb nor dataset is given.'),
            seed: Int(0, 1, 'Seed of the synthetic generator.'),
          },
          'Synthetic data (the default source).',
        ),
        split: Section(
          {
            mode: Enum(
              ['source', 'by-problem'] as const,
              'by-problem',
              'source: keep the dataset split; by-problem: re-split problems with seed and fractions.',
            ),
            seed: Int(0, 7, 'Seed of the by-problem split.'),
            valid: Num(0, 0.5, 0.1, 'Fraction of problems for validation.'),
            test: Num(0, 0.9, 0.2, 'Fraction of problems held out for testing.'),
          },
          'Split by problem: no problem has solutions on both sides.',
        ),
      },
      'Where the programs come from.',
    ),
    measurement: Section(
      {
        costMeasure: Enum(
          ['cpu-time', 'instructions'] as const,
          'cpu-time',
          'cpu-time: median CPU µs; instructions: also count instructions (cachegrind, slow).',
        ),
        repeats: Int(1, 3, 'Runs per solution (median and spread).'),
        largestTests: Int(1, 1, 'Measure on this many largest tests (flagged large first, then by input size).'),
        concurrency: Int(1, 2, 'Solutions measured at once.'),
        deleteFraction: Num(0, 1, 0.2, 'RandDel view: fraction of tokens deleted.'),
        cacheDir: Type.String({
          default: '.cache/timedb',
          description: 'Where built databases of synthetic/dataset sources are kept and reused.',
        }),
      },
      'How programs are timed.',
    ),
    model: Section(
      {
        hidden: Int(8, 64, 'Encoder hidden size.'),
        layers: Int(1, 2, 'Encoder layers.'),
        heads: Int(1, 4, 'Attention heads (must divide hidden).'),
        intermediate: Int(8, 128, 'Feed-forward size.'),
        maxTokens: Int(8, 256, 'Code tokens kept (with [CLS]); longer code is truncated.'),
        vocabSize: Int(300, 1000, 'Byte-level BPE vocabulary trained on the training code.'),
        dropout: Num(0, 0.9, 0.1, 'Hidden and attention dropout.'),
      },
      'The encoder.',
    ),
    training: Section(
      {
        lr: Num(0, 1, 0.001, 'Peak AdamW learning rate.'),
        epochs: Int(1, 6, 'Passes over the training rows.'),
        batchSize: Int(1, 16, 'Rows per step (whole problems are kept together for the ranking loss).'),
        weightDecay: Num(0, 1, 0.01, 'AdamW decoupled weight decay.'),
        warmupRatio: Num(0, 1, 0.05, 'Linear warm-up as a fraction of all steps, then linear decay.'),
        clipNorm: Num(0, 1e9, 1, 'Global gradient-norm clip (0: off).'),
        rankLossWeight: Num(0, 100, 1, 'Weight of the pairwise ranking loss within a problem (0: regression only).'),
        costModel: Type.Boolean({
          default: false,
          description:
            'Fit the cost model (cost-structure features of the code, priced on the training problems) and add its score to the encoder, which then learns the rest.',
        }),
        views: Type.Array(Enum(TIME_VIEWS, 'ori', 'A view.'), {
          minItems: 1,
          uniqueItems: true,
          default: ['ori'],
          description: 'Views of the code the model trains on (every view is evaluated).',
        }),
        backend: Enum(['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'] as const, 'auto', 'tfjs backend.'),
      },
      'Optimisation.',
    ),
    tracking: Section(
      {
        uri: Type.Optional(
          Type.String({ description: 'MLflow tracking URI (default: $MLFLOW_TRACKING_URI, else file:./mlruns).' }),
        ),
        experimentName: Type.String({ minLength: 1, default: 'timedb', description: 'MLflow experiment.' }),
        enabled: Type.Boolean({ default: true, description: 'Log to MLflow.' }),
      },
      'MLflow.',
    ),
  },
  { additionalProperties: false },
);

export type TimePredictorConfig = Static<typeof TimePredictorConfigSchema>;

export class TimePredictorConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid time-predictor config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true });
const validate = ajv.compile(JSON.parse(JSON.stringify(TimePredictorConfigSchema)) as TSchema);

function pathOf(e: ErrorObject): string {
  return e.instancePath === '' ? '/' : e.instancePath;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const sub = subSchemaAt(e.schemaPath);
    const allowed = sub?.properties ? Object.keys(sub.properties).join(', ') : '?';
    const at = e.instancePath === '' ? '' : e.instancePath;
    return `${at}/${String(p.additionalProperty)}: unknown key (allowed here: ${allowed})`;
  }
  if (e.keyword === 'enum')
    return `${pathOf(e)}: must be one of ${(p.allowedValues as string[]).join(', ')}, found ${JSON.stringify(e.data)}`;
  return `${pathOf(e)}: ${e.message ?? e.keyword}${e.data !== undefined && typeof e.data !== 'object' ? `, found ${JSON.stringify(e.data)}` : ''}`;
}

function subSchemaAt(schemaPath: string): { properties?: Record<string, unknown> } | undefined {
  // '#/properties/model/additionalProperties' -> the schema of /properties/model
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = TimePredictorConfigSchema;
  for (const part of parts) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as { properties?: Record<string, unknown> } | undefined;
}

/** Validates a plain object (defaults filled in, in a copy); throws `TimePredictorConfigError`. */
export function resolveTimePredictorConfig(value: unknown, source = '<config>'): TimePredictorConfig {
  const copy = value === undefined || value === null ? {} : JSON.parse(JSON.stringify(value));
  if (typeof copy !== 'object' || Array.isArray(copy))
    throw new TimePredictorConfigError(source, ['/: must be a mapping of sections']);
  if (!validate(copy)) {
    const problems = [...new Set((validate.errors ?? []).map(describe))].sort();
    throw new TimePredictorConfigError(source, problems);
  }
  const c = copy as TimePredictorConfig;
  const extra: string[] = [];
  if (c.model.hidden % c.model.heads !== 0)
    extra.push(`/model/heads: ${c.model.heads} does not divide /model/hidden ${c.model.hidden}`);
  if (c.data.timedb && c.data.dataset) extra.push('/data: give either timedb or dataset, not both');
  if (c.data.split.valid + c.data.split.test >= 1)
    extra.push(`/data/split: valid + test must be < 1, found ${c.data.split.valid + c.data.split.test}`);
  if (extra.length) throw new TimePredictorConfigError(source, extra);
  return c;
}

/** Reads a YAML config file and validates it. */
export function loadTimePredictorConfig(path: string): TimePredictorConfig {
  let text: string;
  try {
    text = readBoundedText(path, MAX_CONFIG_FILE_BYTES, 'a config file');
  } catch (e) {
    const why = e instanceof BoundedFileError ? e.reason : (e as Error).message;
    throw new TimePredictorConfigError(path, [`cannot read the file (${why})`]);
  }
  const deep = nestingTooDeep(text);
  if (deep) throw new TimePredictorConfigError(path, [`line ${deep.line}: nesting deeper than ${MAX_NESTING} levels`]);
  // logLevel 'error': the yaml package prints nothing itself; its warnings (an unknown tag, which
  // it would read as a string) are reported with its errors.
  const doc = parseDocument(text, { logLevel: 'error' });
  const wrong = [...doc.errors, ...doc.warnings];
  if (wrong.length)
    throw new TimePredictorConfigError(
      path,
      wrong.map((e) => `not valid YAML: ${e.message}`),
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new TimePredictorConfigError(path, [`not valid YAML: ${(e as Error).message}`]);
  }
  return resolveTimePredictorConfig(value, path);
}
