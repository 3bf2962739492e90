import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configFileJsonSchema, sweepFileJsonSchema } from './editor-schema.js';

const read = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../schema/${name}`, import.meta.url)), 'utf8')) as unknown;

describe('committed editor JSON Schemas', () => {
  it('match the TypeBox schemas (regenerate: npx tsx libs/config/scripts/write-json-schemas.ts)', () => {
    expect(read('config.schema.json')).toEqual(configFileJsonSchema());
    expect(read('sweep.schema.json')).toEqual(sweepFileJsonSchema());
  });
  it('the config file schema allows extends before the sections', () => {
    expect(Object.keys(configFileJsonSchema().properties as object).slice(0, 2)).toEqual(['extends', 'experiment']);
  });
});
