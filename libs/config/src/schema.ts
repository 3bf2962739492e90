/**
 * The experiment config: ONE source of truth for its TypeScript type (`Static<...>`) and the JSON
 * Schema that ajv validates (with defaults). Every field carries a description and, unless it is
 * optional, a default. Defaults are the original E-code code's values (paper scale), so a config
 * file only says how it differs from the paper; see configs/presets for smaller shapes.
 *
 * Relative paths inside a config (data.path, tokenizer files, checkpoints) are resolved against
 * the working directory where `ecode` runs, so that a config hashes the same on every machine.
 */
import { Type, type Static, type TUnsafe } from '@sinclair/typebox';
import { METRIC_IDS } from './metric-ids.js';

/** A string enum emitted as `{ type: 'string', enum: [...] }` (clear ajv errors, no anyOf). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description: string; default?: T[number] },
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** An object section: closed (unknown keys are errors) and defaulting to `{}` so nested defaults apply. */
function Section<T extends Parameters<typeof Type.Object>[0]>(properties: T, description: string) {
  return Type.Object(properties, { additionalProperties: false, default: {}, description });
}

const PositiveInt = (description: string, def: number) => Type.Integer({ minimum: 1, default: def, description });
const NonNegativeInt = (description: string, def: number) => Type.Integer({ minimum: 0, default: def, description });
const FieldLength = () => Type.Integer({ minimum: 1 });
const Ratio = (description: string, def: number) => Type.Number({ minimum: 0, maximum: 1, default: def, description });

export const DATA_SOURCES = ['synthetic', 'gec', 'jsonl'] as const;
export const MODEL_VARIANTS = ['e-code', 'no-expert', 'gpt-neo'] as const;
export const ENLARGE_ACTIVATIONS = ['none', 'relu'] as const;
export const ATTENTION_KINDS = ['global', 'local'] as const;
export const INIT_KINDS = ['random', 'pretrained'] as const;
export const SCHEDULE_KINDS = ['constant', 'linear'] as const;
export const GENERATION_STRATEGIES = ['greedy', 'sample'] as const;
export const COST_MEASURES = ['cpu-time', 'instructions'] as const;
/** The metric ids (`metric-ids.ts`): the same strings in evaluation.json, MLflow and reports. */
export const METRICS = METRIC_IDS;
export const SANDBOX_MODES = ['pool', 'strict'] as const;
export const BACKENDS = ['auto', 'wasm', 'webgpu', 'tensorflow', 'cpu'] as const;

export const ExperimentSection = Section(
  {
    name: Type.String({
      minLength: 1,
      default: 'ecode',
      description: 'Run name shown in the tracker (not part of the run hash).',
    }),
    seed: Type.Integer({
      minimum: 0,
      default: 666,
      description: 'Master seed: data split, weight init, data order and sampling derive from it (original: 666).',
    }),
    tags: Type.Array(Type.String(), {
      default: [],
      description: 'Free-form labels recorded with the run (not part of the run hash).',
    }),
    description: Type.Optional(Type.String({ description: 'What the run is for (not part of the run hash).' })),
  },
  'Identity of the experiment.',
);

/**
 * Held out of training by default: two synthetic families whose tricks (a double-ended queue, a
 * moving window) have close relatives among the trained ones (sets, prefix sums), so transfer is
 * possible but not a copy.
 */
export const DEFAULT_HELD_OUT_FAMILIES = ['list-pop0-vs-deque', 'all-windows-vs-two-pointers'] as const;

export const DataSection = Section(
  {
    source: StringEnum(DATA_SOURCES, {
      default: 'synthetic',
      description:
        'Where problems come from: synthetic (generated, seeded), gec (the GEC folder in its original layout), jsonl (an ecode dataset file).',
    }),
    path: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'GEC folder or JSONL file (required for gec and jsonl), relative to the working directory.',
      }),
    ),
    synthetic: Section(
      {
        problems: PositiveInt('How many synthetic problems to generate.', 200),
        seed: Type.Optional(
          Type.Integer({ minimum: 0, description: 'Seed of the generator (default: experiment.seed).' }),
        ),
        generator: Type.Optional(
          Type.Union([Type.Literal('corpus'), Type.Literal('families')], {
            description:
              "Which generator: 'corpus' (default) the idiom x context corpus (three test splits: in-distribution, unseen combinations, unseen idioms); 'families' generator version 1's 14 monolithic families (with data.heldOutFamilies as the second test split; the demo's data).",
          }),
        ),
        twoIdiomShare: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 1,
            description:
              'Share of corpus problems with two idioms in one context (default 0.2; the rest have one); two-idiom programs are about twice as long.',
          }),
        ),
      },
      'Synthetic problem generator (data.source = synthetic): the idiom x context corpus of @ecode/data.',
    ),
    split: Section(
      {
        train: Ratio('Share of problems for training.', 0.8),
        valid: Ratio('Share of problems for validation.', 0.1),
        test: Ratio('Share of problems for testing.', 0.1),
      },
      'Split by problem (never by pair, so no problem leaks across splits); the ratios sum to 1.',
    ),
    useSourceSplit: Type.Boolean({
      default: false,
      description:
        "Use the source's own train/test folders (GEC) instead of split ratios; valid is carved from train by split.valid.",
    }),
    maxEcTokens: PositiveInt(
      'Drop a problem whose efficient code has more GPT-2 tokens than this (original: 766).',
      766,
    ),
    maxIcTokens: PositiveInt('Drop an inefficient code with more GPT-2 tokens than this (original: 768).', 768),
    maxProblems: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Cap on problems read (first N by id), for quick runs.' }),
    ),
    heldOutFamilies: Type.Array(Type.String({ minLength: 1 }), {
      uniqueItems: true,
      default: [...DEFAULT_HELD_OUT_FAMILIES],
      description:
        'Synthetic families kept out of training and validation: every problem of these families forms a second test split (held-out families) that measures transfer to unseen kinds of problem, reported beside the in-family test split. [] turns it off; ignored for data without families (GEC).',
    }),
  },
  'Dataset source, split and length filters.',
);

export const TokenizerSection = Section(
  {
    code: Section(
      {
        kind: StringEnum(['byte-level-bpe'] as const, {
          default: 'byte-level-bpe',
          description: 'GPT-2 style byte-level BPE for code.',
        }),
        vocabSize: Type.Integer({
          minimum: 257,
          default: 50257,
          description: 'Vocabulary size to train (ignored when files are given; GPT-2: 50257).',
        }),
        files: Type.Optional(
          Type.Object(
            {
              vocab: Type.String({
                minLength: 1,
                description: 'vocab.json (GPT-2 format): a local file or hf:<org>/<name>[@<rev>][/vocab.json].',
              }),
              merges: Type.String({
                minLength: 1,
                description: 'merges.txt (GPT-2 format): a local file or hf:<org>/<name>[@<rev>][/merges.txt].',
              }),
            },
            { additionalProperties: false, description: 'Pretrained tokenizer files instead of training one.' },
          ),
        ),
        identifiers: Type.Optional(
          Type.Union([Type.Literal('keep'), Type.Literal('abstract')], {
            description:
              "'keep' (default): code is tokenized as written. 'abstract': each program's own names (variables, functions, parameters) become v0, v1, ... in order of first appearance in the slow code (the fast code continues its numbering) before tokenizing, and are restored in the generated program (identifier abstraction, Tufano et al. 2019; builtins, imports, attributes and library keyword arguments are kept).",
          }),
        ),
        target: Type.Optional(
          Type.Union([Type.Literal('program'), Type.Literal('edit')], {
            description:
              "What the code decoder writes (EC). 'program' (default): the whole fast program. 'edit': only the lines the rewrite changes, as hunks ('@@', the slow lines replaced as '-' lines, their replacement as '+' lines, without the indentation they share), applied to the slow code after generation; a hunk that matches no slow lines makes the program fail (libs/data line-edit.ts).",
          }),
        ),
      },
      'Tokenizer for code (inefficient and efficient code).',
    ),
    text: Section(
      {
        kind: StringEnum(['wordpiece'] as const, {
          default: 'wordpiece',
          description: 'BERT WordPiece for the problem statement.',
        }),
        vocabSize: Type.Integer({
          minimum: 10,
          default: 30522,
          description: 'Vocabulary size to train (ignored when files are given; bert-base-uncased: 30522).',
        }),
        lowercase: Type.Boolean({ default: true, description: 'Lower-case and strip accents (uncased BERT).' }),
        files: Type.Optional(
          Type.Object(
            {
              vocab: Type.String({
                minLength: 1,
                description: 'vocab.txt (BERT format): a local file or hf:<org>/<name>[@<rev>][/vocab.txt].',
              }),
            },
            { additionalProperties: false, description: 'Pretrained tokenizer files instead of training one.' },
          ),
        ),
      },
      'Tokenizer for the problem statement fields.',
    ),
  },
  'Tokenizers: trained on the training split, or loaded from pretrained files.',
);

export const ModelSection = Section(
  {
    variant: StringEnum(MODEL_VARIANTS, {
      default: 'e-code',
      description:
        'e-code: five expert encoders; no-expert: one BERT over the whole statement; gpt-neo: a single decoder over statement + slow code -> fast code.',
    }),
    expert: Section(
      {
        hidden: PositiveInt('Hidden size of each expert BERT (BERT-tiny: 128).', 128),
        layers: PositiveInt('Layers per expert.', 2),
        heads: PositiveInt('Attention heads per expert (must divide hidden).', 2),
        intermediate: PositiveInt('Feed-forward size.', 512),
        maxPositions: PositiveInt('Position embeddings per expert.', 512),
        fieldLengths: Type.Tuple([FieldLength(), FieldLength(), FieldLength(), FieldLength(), FieldLength()], {
          default: [512, 512, 512, 512, 512],
          description:
            'Token limit per statement field: title+difficulty, body, input, output, I/O samples+note (each <= maxPositions).',
        }),
      },
      'The expert encoder group: five BERT encoders of this size, one per statement field.',
    ),
    integration: Section(
      {
        layers: PositiveInt('Layers of the integration BERT (hidden size = expert.hidden).', 2),
        heads: PositiveInt('Its attention heads (must divide expert.hidden).', 2),
        intermediate: PositiveInt('Its feed-forward size.', 512),
        maxPositions: PositiveInt(
          'Its positions: the concatenated expert outputs are truncated to this (original: 2048).',
          2048,
        ),
      },
      'The integration layer over the concatenated expert outputs (randomly initialised BERT).',
    ),
    statementMaxTokens: PositiveInt(
      "The whole statement is truncated to this many tokens: WordPiece for the No-expert variant (original: 2048), the code tokenizer for the GPT-Neo baseline's prompt (ModelSpec.maxStatementCodeTokens).",
      2048,
    ),
    enlargeActivation: StringEnum(ENLARGE_ACTIVATIONS, {
      default: 'none',
      description:
        'Activation after MLP enlarge (expert.hidden -> codeDecoder.hidden): none (E-code) or relu (the RELU ablation).',
    }),
    codeDecoder: Section(
      {
        hidden: PositiveInt('Hidden size of the three GPT-Neo stacks (IC encoder, EC decoder, output LM).', 768),
        layers: PositiveInt('Layers per stack.', 12),
        heads: PositiveInt('Attention heads (must divide hidden).', 12),
        intermediate: PositiveInt('Feed-forward size.', 3072),
        window: PositiveInt('Window of the local attention layers.', 256),
        attentionPattern: Type.Array(StringEnum(ATTENTION_KINDS, { description: 'global or local attention.' }), {
          minItems: 1,
          default: ['global', 'local'],
          description: 'Attention kinds, repeated cyclically over the layers (GPT-Neo: global, local).',
        }),
        maxPositions: PositiveInt('Position embeddings of each stack (GPT-Neo-125M: 2048).', 2048),
      },
      'The GPT-Neo stacks: inefficient-code encoder, efficient-code decoder and final output LM.',
    ),
    icMaxTokens: PositiveInt('Inefficient code is truncated to this many tokens (original: 768).', 768),
    ecMaxTokens: PositiveInt('Target length: [CLS] + efficient code + <|endoftext|> (original: 766 + 2).', 768),
    crossAttentionHeads: PositiveInt(
      'Heads of the cross attention (must divide codeDecoder.hidden; E-code: 48, ablation: 8).',
      48,
    ),
    dropout: Type.Number({
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0.1,
      description: 'Dropout probability in every block during training.',
    }),
    init: Section(
      {
        kind: StringEnum(INIT_KINDS, {
          default: 'random',
          description: 'random, or pretrained: load the checkpoints below (safetensors or pytorch_model.bin).',
        }),
        bert: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'BERT-tiny checkpoint for the five experts: a local file or hf:<org>/<name>[@<rev>][/<file>].',
          }),
        ),
        gptNeo: Type.Optional(
          Type.String({
            minLength: 1,
            description:
              'GPT-Neo checkpoint for the three code stacks: a local file or hf:<org>/<name>[@<rev>][/<file>].',
          }),
        ),
      },
      'Initialisation of the weights.',
    ),
  },
  'The E-code model and its variants.',
);

export const TrainingSection = Section(
  {
    optimizer: Section(
      {
        lr: Type.Number({ exclusiveMinimum: 0, default: 2e-5, description: 'AdamW learning rate (original: 2e-5).' }),
        betas: Type.Tuple(
          [Type.Number({ minimum: 0, exclusiveMaximum: 1 }), Type.Number({ minimum: 0, exclusiveMaximum: 1 })],
          {
            default: [0.9, 0.999],
            description: 'AdamW betas.',
          },
        ),
        eps: Type.Number({ exclusiveMinimum: 0, default: 1e-8, description: 'AdamW epsilon.' }),
        weightDecay: Type.Number({ minimum: 0, default: 0, description: 'Decoupled weight decay (original: 0).' }),
      },
      'AdamW settings.',
    ),
    epochs: PositiveInt('Passes over the training split (original: 15).', 15),
    maxSteps: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Stop after this many optimizer steps (whichever of epochs and maxSteps comes first).',
      }),
    ),
    batchSize: PositiveInt('Samples per micro-batch (original: 1).', 1),
    gradientAccumulation: PositiveInt('Micro-batches per optimizer step (original: 32).', 32),
    dataParallel: Type.Integer({
      minimum: 1,
      maximum: 8,
      default: 1,
      description:
        'Gradient shards per micro-batch, computed at once by this many model replicas (worker threads, one core each on wasm; one after another on other backends). The update equals the unsharded one up to rounding, but dropout draws differ, so results depend on this value, never on the machine.',
    }),
    maxGradNorm: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Global gradient-norm clip (0 = off; original: 1.0).',
    }),
    schedule: Section(
      {
        kind: StringEnum(SCHEDULE_KINDS, {
          default: 'constant',
          description: 'constant, or linear warm-up then linear decay to 0.',
        }),
        warmupSteps: NonNegativeInt('Linear warm-up steps.', 0),
      },
      'Learning-rate schedule (original: constant, no warm-up).',
    ),
    evalEvery: NonNegativeInt('Validation loss every N optimizer steps (0 = once per epoch).', 0),
    checkpointEvery: NonNegativeInt('Checkpoint every N optimizer steps (0 = once per epoch).', 0),
    earlyStopping: Type.Optional(
      Type.Object(
        {
          patience: PositiveInt('Stop after this many evaluations without improvement.', 3),
          minDelta: Type.Number({
            minimum: 0,
            default: 0,
            description: 'An improvement is a validation-loss drop of more than this.',
          }),
        },
        {
          additionalProperties: false,
          description: 'Stop when the validation loss stops improving (off when absent).',
        },
      ),
    ),
  },
  'Training loop.',
);

export const GenerationSection = Section(
  {
    strategy: StringEnum(GENERATION_STRATEGIES, {
      default: 'sample',
      description: 'greedy, or sample (temperature, then top-k, then top-p).',
    }),
    temperature: Type.Number({
      exclusiveMinimum: 0,
      default: 0.25,
      description: 'Softmax temperature (original: 0.25).',
    }),
    topK: NonNegativeInt('Keep the k most likely tokens (0 = off; original: 3).', 3),
    topP: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.7,
      description: 'Nucleus: keep the smallest set with this probability mass (1 = off; original: 0.7).',
    }),
    maxNewTokens: PositiveInt('At most this many generated tokens (original: 748).', 748),
    samplesPerInput: PositiveInt('Programs generated per input (original: 1).', 1),
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'Sampling seed (default: experiment.seed).' })),
    useKvCache: Type.Boolean({
      default: true,
      description: 'Cache keys and values in the code decoders (the original re-runs the whole model per token).',
    }),
  },
  'Decoding.',
);

export const EvaluationSection = Section(
  {
    timeoutSeconds: Type.Number({
      exclusiveMinimum: 0,
      default: 5,
      description: 'Time limit per test case (original: 5 s).',
    }),
    repeats: PositiveInt(
      'Timed runs per program for the cost measurement (the median is reported, with the spread).',
      5,
    ),
    costMeasure: StringEnum(COST_MEASURES, {
      default: 'cpu-time',
      description: 'cpu-time (child CPU time via wait4) or instructions (valgrind, deterministic, slow).',
    }),
    largestTests: NonNegativeInt(
      'Measure the cost on this many largest tests of a problem (flagged large first, then by input size; 0 = every test). A program must still pass every test to be measured. The small tests only check correctness: timing them adds the per-test launch cost of the host to both programs and pulls speedups towards 1.',
      1,
    ),
    metrics: Type.Array(StringEnum(METRICS, { description: 'A metric id.' }), {
      uniqueItems: true,
      default: ['passRate', 'compileRate', 'allPassRate', 'bleu', 'lineBleu', 'improvement', 'speedup', 'optRate'],
      description:
        'Metrics to compute and report, by id (the keys of evaluation.json and the MLflow names; see @ecode/evaluation). The kebab-case ids of older configs (pass-all, ...) are read as these, with a warning.',
    }),
    maxProblems: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Evaluate only the first N problems of each test split (the main one, and held-out families or the corpus splits unseen-combination and unseen-idiom).',
      }),
    ),
    timePredictor: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A trained execution-time predictor (the folder `ecode timedb train` wrote): outputs that do not compile get a predicted CPU time, reported separately and labelled predicted (cpu-time measure only).',
      }),
    ),
    bootstrapSamples: NonNegativeInt('Bootstrap resamples for confidence intervals (0 = none).', 1000),
  },
  'Judging generated programs and computing metrics.',
);

export const SandboxSection = Section(
  {
    mode: StringEnum(SANDBOX_MODES, {
      default: 'pool',
      description:
        'pool: a fork-per-test worker inside one sandbox per core (fast); strict: one bubblewrap sandbox per test.',
    }),
    concurrency: PositiveInt('Parallel workers.', 2),
    memoryMb: PositiveInt('Address-space limit per program (MiB).', 1024),
    cpuSeconds: PositiveInt('CPU-time limit per test (s).', 10),
    fileSizeMb: PositiveInt('Largest file a program may write (MiB).', 16),
    maxProcesses: PositiveInt('Process limit per program.', 16),
    outputLimitKb: PositiveInt('Stdout/stderr captured per test (KiB); more is a failure.', 1024),
    wallTimeoutSeconds: Type.Number({
      exclusiveMinimum: 0,
      default: 10,
      description: 'Wall-clock limit per test, enforced from outside (s).',
    }),
  },
  'Isolation and resource limits for running generated Python.',
);

export const TrackingSection = Section(
  {
    uri: Type.String({
      minLength: 1,
      default: 'file:./mlruns',
      description: 'MLflow tracking URI: file:<dir> (file store) or http(s)://host (REST).',
    }),
    experimentName: Type.String({ minLength: 1, default: 'ecode', description: 'MLflow experiment the runs go to.' }),
  },
  'Experiment tracking (not part of the run hash).',
);

export const ExperimentConfigSchema = Type.Object(
  {
    experiment: ExperimentSection,
    data: DataSection,
    tokenizer: TokenizerSection,
    model: ModelSection,
    training: TrainingSection,
    generation: GenerationSection,
    evaluation: EvaluationSection,
    sandbox: SandboxSection,
    tracking: TrackingSection,
    backend: StringEnum(BACKENDS, {
      default: 'auto',
      description: 'tfjs backend: auto picks tensorflow, then webgpu, then wasm; cpu only on request.',
    }),
  },
  {
    additionalProperties: false,
    description: 'An ecode experiment: one training + generation + evaluation run.',
    $id: 'ecode-experiment-config',
  },
);

export type ExperimentConfig = Static<typeof ExperimentConfigSchema>;
export type ExperimentSectionConfig = Static<typeof ExperimentSection>;
export type DataConfig = Static<typeof DataSection>;
export type TokenizerConfig = Static<typeof TokenizerSection>;
export type ModelConfig = Static<typeof ModelSection>;
export type TrainingConfig = Static<typeof TrainingSection>;
export type GenerationConfig = Static<typeof GenerationSection>;
export type EvaluationConfig = Static<typeof EvaluationSection>;
export type SandboxConfig = Static<typeof SandboxSection>;
export type TrackingConfig = Static<typeof TrackingSection>;
export type Backend = (typeof BACKENDS)[number];
export type MetricName = (typeof METRICS)[number];

/** The JSON Schema as plain JSON (TypeBox's symbols stripped), e.g. for editors or docs. */
export function experimentConfigJsonSchema(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(ExperimentConfigSchema)) as Record<string, unknown>;
}
