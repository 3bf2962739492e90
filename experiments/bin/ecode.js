#!/usr/bin/env node
// Entry point of the `ecode` command. The workspace runs from TypeScript sources through tsx,
// so `npx ecode` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
