/** The sweep file: a base config, named variant overlays, seeds, and optional overrides for all runs. */
import { Type, type Static } from '@sinclair/typebox';

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
  },
  { additionalProperties: false, description: 'An ecode sweep: base x variants x seeds.', $id: 'ecode-sweep' },
);

export type SweepFile = Static<typeof SweepSchema>;
