import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { DEMO_DURATION, demoCommand } from './demo.js';
import { captureIo } from './test-io.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('ecode demo: one measured duration', () => {
  it('--help and the README quote the same measured figure', async () => {
    const measured = /measured (\d+ min \d+ s)/.exec(DEMO_DURATION)?.[1];
    expect(measured).toBeDefined();
    const c = captureIo();
    expect(await runCli([demoCommand], ['demo', '--help'], c.io)).toBe(0);
    expect(c.out() + c.err()).toContain(`Duration: ${DEMO_DURATION}`);
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(`**${measured}**`);
    // No other demo duration left in the README's quick start.
    const quickStart = readme.slice(0, readme.indexOf('### What the demo shows'));
    expect(quickStart).toContain(DEMO_DURATION.replace(/ \(measured.*$/, ''));
  });
});
