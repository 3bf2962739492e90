/** The sweep file: a base config, named variant overlays, seeds, and optional overrides for all runs. */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './schema.js';

export const BACKOFF_KINDS = ['exponential', 'fixed'] as const;

/**
 * How a queued sweep (`ecode sweep --queue`) retries a run. Not part of any run's hash: it says
 * how hard to try, not what is computed.
 */
export const SweepQueueSchema = Type.Object(
  {
    attempts: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 3,
      description:
        'Tries per run in all: a run that fails, or whose worker is lost (killed, machine down), is tried again until it has used this many; a config error is never retried.',
    }),
    backoff: Type.Object(
      {
        type: StringEnum(BACKOFF_KINDS, {
          default: 'exponential',
          description:
            'exponential: delaySeconds x 2^(failures - 1) before the next try; fixed: delaySeconds each time.',
        }),
        delaySeconds: Type.Number({
          minimum: 0,
          default: 30,
          description: "Wait before retrying a run that failed (a lost worker's run is retried at once).",
        }),
      },
      { additionalProperties: false, default: {}, description: 'Wait between tries of a failed run.' },
    ),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Retries when the sweep runs through a queue (ecode sweep --queue, ecode worker).',
  },
);

export type SweepQueueOptions = Static<typeof SweepQueueSchema>;

export const SweepSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      description: 'Sweep name (letters, digits, _ . -): prefixes run names.',
    }),
    description: Type.Optional(Type.String({ description: 'What the sweep compares.' })),
    base: Type.String({ minLength: 1, description: 'The config every run starts from, relative to the sweep file.' }),
    seeds: Type.Array(Type.Integer({ minimum: 0 }), {
      minItems: 1,
      uniqueItems: true,
      description: 'Each variant runs once per seed (sets experiment.seed).',
    }),
    variants: Type.Unsafe<Record<string, string | Record<string, unknown>>>({
      type: 'object',
      minProperties: 1,
      description:
        'name -> a config file (relative to the sweep file) or an inline overlay mapping, merged over the base.',
    }),
    overrides: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({
        type: 'object',
        description: 'Merged over every run after its variant (e.g. a step cap).',
      }),
    ),
    grid: Type.Optional(
      Type.Unsafe<Record<string, unknown[]>>({
        type: 'object',
        minProperties: 1,
        additionalProperties: { type: 'array', minItems: 1 },
        description:
          'Dotted config key -> the values to try (e.g. training.optimizer.lr: [1e-3, 5e-4]); every combination runs, crossed with variants and seeds.',
      }),
    ),
    sample: Type.Optional(
      Type.Object(
        {
          points: Type.Integer({ minimum: 1, maximum: 10000, description: 'How many random points.' }),
          seed: Type.Integer({
            minimum: 0,
            default: 0,
            description: "The random search's own seed (not experiment.seed): same seed, same points.",
          }),
          parameters: Type.Unsafe<Record<string, Record<string, unknown>>>({
            type: 'object',
            minProperties: 1,
            description:
              'Dotted config key -> its distribution: { choice: [..] }, { uniform: [lo, hi] }, { logUniform: [lo, hi] }, { intUniform: [lo, hi] }.',
          }),
        },
        {
          additionalProperties: false,
          description: 'Random search: N seeded points, crossed with the grid, variants and seeds.',
        },
      ),
    ),
    queue: Type.Optional(SweepQueueSchema),
  },
  {
    additionalProperties: false,
    description: 'An ecode sweep: base x variants x grid/sample points x seeds.',
    $id: 'ecode-sweep',
  },
);

export type SweepFile = Static<typeof SweepSchema>;
