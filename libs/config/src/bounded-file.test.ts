/**
 * Hostile config files are refused quickly with a clear message: an alias bomb, `extends:
 * /dev/zero`, 5,000-deep nesting, oversized files, directories, FIFOs, broken links, UTF-16.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile } from './check-file.js';
import { formatProblems } from './problems.js';
import { inspectSweepFile } from './sweep.js';
import { nestingTooDeep } from './yaml-source.js';

const dir = mkdtempSync(join(tmpdir(), 'ecode-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems of checking `name` (written first when `text` is given), and how long it took. */
function check(name: string, text?: string | Buffer): { report: string; ms: number } {
  if (text !== undefined) writeFileSync(join(dir, name), text);
  const t0 = performance.now();
  const report = formatProblems(checkFile(name, { cwd: dir }).problems);
  return { report, ms: performance.now() - t0 };
}

/** Nine levels of nine aliases: 323 bytes naming 9^9 scalars. */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const cur = String.fromCharCode(98 + i);
    return `${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

describe('bounded config input', () => {
  it('refuses the alias bomb, extends: /dev/zero and 5,000-deep nesting, each in under 2 s', () => {
    expect(BOMB.length).toBeLessThan(350);
    const bomb = check('bomb.yaml', BOMB + '\n');
    expect(bomb.report).toBe(
      'bomb.yaml:1:1: YAML aliases expand too far (more than the 100 alias uses the yaml package allows): an alias bomb?',
    );
    expect(bomb.ms).toBeLessThan(2000);

    const zero = check('zero.yaml', 'extends: /dev/zero\n');
    expect(zero.report).toBe('zero.yaml:1:10: cannot read /dev/zero: is a character device, not a file');
    expect(zero.ms).toBeLessThan(2000);

    for (const [name, text, line] of [
      ['deep-flow.yaml', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 1],
      ['deep-map.yaml', `a: ${'{b: '.repeat(5000)}1${'}'.repeat(5000)}\n`, 1],
      ['deep-dash.yaml', `${'- '.repeat(5000)}x\n`, 1],
      ['deep-block.yaml', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n', 65],
    ] as const) {
      const deep = check(name, text);
      expect(deep.report).toBe(
        `${name}:${line}:1: nesting deeper than 64 levels (mappings and lists inside each other); a config nests a few`,
      );
      expect(deep.ms).toBeLessThan(2000);
    }
  });

  it('refuses what is not a regular UTF-8 file under 1 MiB, naming the file', () => {
    mkdirSync(join(dir, 'folder.yaml'));
    expect(check('folder.yaml').report).toBe('folder.yaml:1:1: cannot read folder.yaml: is a directory, not a file');
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'));
    expect(check('dangling.yaml').report).toBe(
      'dangling.yaml:1:1: cannot read dangling.yaml: is a broken symbolic link',
    );
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    expect(check('fifo.yaml').report).toBe('fifo.yaml:1:1: cannot read fifo.yaml: is a named pipe, not a file');
    expect(check('big.yaml', `# ${'x'.repeat(1 << 20)}\n`).report).toBe(
      'big.yaml:1:1: cannot read big.yaml: is 1 MiB, over the 1 MiB limit of a config file',
    );
    expect(check('utf16.yaml', Buffer.from('\ufeffexperiment: {}\n', 'utf16le')).report).toBe(
      'utf16.yaml:1:1: cannot read utf16.yaml: is UTF-16 text; save it as UTF-8',
    );
    expect(check('latin1.yaml', Buffer.from('experiment:\n  name: caf\xe9\n', 'latin1')).report).toBe(
      'latin1.yaml:2:1: cannot read latin1.yaml: is not valid UTF-8 text (line 2)',
    );
    // An extends target that is a directory: the problem is at the line that names it.
    expect(check('ext-dir.yaml', 'experiment: {}\nextends: folder.yaml\n').report).toBe(
      'ext-dir.yaml:2:10: cannot read folder.yaml: is a directory, not a file',
    );
    // A UTF-8 byte order mark is fine.
    expect(check('bom.yaml', '\ufeffexperiment: { name: x }\n').report).toBe('');
  });

  it('sweep files get the same bounds', () => {
    writeFileSync(join(dir, 'sweep-zero.yaml'), 'name: s\nbase: /dev/zero\nvariants: { a: {} }\nseeds: [1]\n');
    const r = inspectSweepFile(join(dir, 'sweep-zero.yaml'), { cwd: dir });
    expect(formatProblems(r.problems)).toContain('cannot read /dev/zero: is a character device, not a file');
    writeFileSync(join(dir, 'sweep-bomb.yaml'), BOMB + '\n');
    expect(formatProblems(inspectSweepFile(join(dir, 'sweep-bomb.yaml'), { cwd: dir }).problems)).toContain(
      'YAML aliases expand too far',
    );
  });

  it('counts nesting the way YAML nests, not brackets inside quotes or comments', () => {
    expect(nestingTooDeep(`a: "${'['.repeat(100)}"\nb: '${'{'.repeat(100)}'\n# ${'['.repeat(100)}\n`)).toBeUndefined();
    expect(nestingTooDeep(`a: ${'['.repeat(64)}${']'.repeat(64)}\n`, 64)).toEqual({ line: 1, depth: 65 });
    // root, a, b's list, its entry, d's list, {e}: 6 levels.
    expect(nestingTooDeep('a:\n  b:\n    - c: 1\n      d: [1, {e: 2}]\n', 6)).toBeUndefined();
    expect(nestingTooDeep('a:\n  b:\n    - c: 1\n      d: [1, {e: 2}]\n', 5)).toEqual({ line: 4, depth: 6 });
  });
});
