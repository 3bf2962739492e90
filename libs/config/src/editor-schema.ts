/**
 * JSON Schemas for editors (YAML language server): the config schema plus the file-level
 * `extends` key, and the sweep schema. Committed under libs/config/schema/ and kept in sync by a
 * test; regenerate with `npx tsx libs/config/scripts/write-json-schemas.ts`.
 */
import { experimentConfigJsonSchema } from './schema.js';
import { SweepSchema } from './sweep-schema.js';

/** Keys with a default are not required in a file (the loader fills them in): drop them from `required`. */
function optionalDefaults(schema: unknown): void {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  if (props && Array.isArray(s.required)) {
    const required = (s.required as string[]).filter((k) => props[k]?.default === undefined);
    if (required.length) s.required = required;
    else delete s.required;
  }
  for (const v of Object.values(s)) {
    if (Array.isArray(v)) v.forEach(optionalDefaults);
    else optionalDefaults(v);
  }
}

export function configFileJsonSchema(): Record<string, unknown> {
  const schema = experimentConfigJsonSchema();
  optionalDefaults(schema);
  const properties = schema.properties as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...schema,
    $id: 'ecode-config-file',
    properties: {
      extends: {
        description: 'Config file(s) this one builds on, relative to this file; merged in order, this file last.',
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      },
      ...properties,
    },
  };
}

export function sweepFileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(JSON.parse(JSON.stringify(SweepSchema)) as Record<string, unknown>),
  };
}
