/** Writes libs/config/schema/{config,sweep}.schema.json from the TypeBox schemas (Prettier-formatted). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { configFileJsonSchema, sweepFileJsonSchema } from '../src/editor-schema.js';

const dir = fileURLToPath(new URL('../schema/', import.meta.url));
const written: string[] = [];
for (const [name, schema] of [
  ['config.schema.json', configFileJsonSchema()],
  ['sweep.schema.json', sweepFileJsonSchema()],
] as const) {
  const path = `${dir}${name}`;
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(schema), { ...options, filepath: path }));
  written.push(path);
}
console.log(JSON.stringify({ written }));
