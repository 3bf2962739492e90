/**
 * Seeded fuzzing of what users and queues hand to ecode: 1,000 mutated config and sweep files
 * (the project's own configs with keys deleted, added, duplicated or retyped, broken syntax, merge
 * keys and anchors, bad `extends`, truncations, other encodings, garbage, and files that are
 * missing, directories, FIFOs, devices or symbolic links) through `ecode validate`, and 30 GEC
 * folders with 1-5 damaged problems each (truncated or random files, BOMs, wrong literal shapes,
 * directories or symbolic links in place of files, malformed solution names) through `ecode data
 * import-gec`. Every input must get exit code 0 or 1, a message naming the file (with its line
 * where the problem has one) and no stack trace; every intact GEC problem must be imported.
 * The commands run in-process through the CLI's entry function (the same exit codes and messages
 * as the `ecode` process, checked on a few cases with real processes at the end).
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '@ecode/data';
import { runCli } from './cli.js';
import { dataImportGecCommand } from './commands/data.js';
import { captureIo } from './commands/test-io.js';
import { validateCommand } from './commands/validate.js';
import { spawnEcode } from './queue/test-process.js';

const CONFIGS = fileURLToPath(new URL('../../configs/', import.meta.url));
const SEED = 25;
const CONFIG_CASES = 1000;
const GEC_FOLDERS = 30;

const root = mkdtempSync(join(tmpdir(), 'ecode-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STACK = /^\s+at .+(\(|:\d+:\d+)/m;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await runCli([validateCommand, dataImportGecCommand], args, c.io);
  return { code, out: c.out(), err: c.err() };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

const ODD_VALUES = [
  '"abc"',
  '-1',
  '0',
  '1e309',
  '.nan',
  'true',
  'null',
  '~',
  '[]',
  '{}',
  '[1, [2, [3]]]',
  '{ a: 1 }',
  "'x'",
  '0x1F',
  '2026-12-05',
  '!!binary aGk=',
  '!custom 3',
  '"' + 'x'.repeat(5000) + '"',
  '|\n  block\n  text',
  '&anchor 5',
  '*nowhere',
];
const ODD_KEYS = ['modle', 'extends', '<<', '"quoted key"', '? complex', '1', 'true', 'null', 'ünïcode', 'a b'];
const SYNTAX_BITS = [
  ':',
  '{',
  '}',
  '[',
  ']',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '\t',
  '#',
  ',',
  '- ',
  '? ',
];

/** One mutation of a config's text (a string) or bytes (a Buffer). */
function mutate(rng: Rng, text: string, self: string): { what: string; data: string | Buffer } {
  const lines = text.split('\n');
  const line = rng.int(0, Math.max(0, lines.length - 1));
  const setLine = (l: string) => [...lines.slice(0, line), l, ...lines.slice(line + 1)].join('\n');
  const indentOf = (l: string) => /^\s*/.exec(l)![0];
  const kinds = [
    'delete-line',
    'retype',
    'unknown-key',
    'syntax',
    'duplicate-line',
    'truncate',
    'encoding',
    'extends',
    'merge-key',
    'garbage',
    'swap-lines',
    'reindent',
  ] as const;
  const kind = rng.pick(kinds);
  switch (kind) {
    case 'delete-line':
      return { what: kind, data: lines.filter((_, i) => i !== line).join('\n') };
    case 'retype': {
      const m = /^(\s*(?:- )?[^:#\n]+:)\s*(.*)$/.exec(lines[line]);
      const value = rng.pick(ODD_VALUES).replace(/\n/g, '\n' + indentOf(lines[line]));
      return { what: kind, data: m ? setLine(`${m[1]} ${value}`) : setLine(`${lines[line]} ${value}`) };
    }
    case 'unknown-key':
      return {
        what: kind,
        data: setLine(`${indentOf(lines[line])}${rng.pick(ODD_KEYS)}: ${rng.pick(ODD_VALUES)}\n${lines[line]}`),
      };
    case 'syntax': {
      const l = lines[line];
      const at = rng.int(0, l.length);
      return { what: kind, data: setLine(l.slice(0, at) + rng.pick(SYNTAX_BITS) + l.slice(at)) };
    }
    case 'duplicate-line':
      return { what: kind, data: setLine(`${lines[line]}\n${lines[line]}`) };
    case 'truncate':
      return { what: kind, data: Buffer.from(text).subarray(0, rng.int(0, text.length)) };
    case 'encoding': {
      const enc = rng.int(0, 4);
      if (enc === 0) return { what: 'utf16le', data: Buffer.from('\ufeff' + text, 'utf16le') };
      if (enc === 1) return { what: 'latin1', data: Buffer.from(text.replace(/#/, '# é ü'), 'latin1') };
      if (enc === 2) return { what: 'nul', data: setLine(lines[line] + '\0') };
      if (enc === 3) return { what: 'bom', data: '\ufeff' + text };
      const bytes = Buffer.from(text);
      bytes[rng.int(0, Math.max(0, bytes.length - 1))] = 0xc3 + rng.int(0, 60);
      return { what: 'bad-byte', data: bytes };
    }
    case 'extends': {
      const target = rng.pick([
        '/dev/zero',
        '/dev/null',
        'no-such-file.yaml',
        '.',
        '../',
        basename(self),
        '"[1, 2]"',
        '[base.yaml, 3]',
        '[]',
        '{ a: 1 }',
        '42',
        'fifo.yaml',
        'dangling.yaml',
        'loop.yaml',
        'linked-dir.yaml',
        'big.yaml',
      ]);
      const body = lines.filter((l) => !l.startsWith('extends:')).join('\n');
      return { what: `extends ${target}`, data: `extends: ${target}\n${body}` };
    }
    case 'merge-key':
      return {
        what: kind,
        data: `defaults: &d { lr: 0.1, seed: 1 }\n${text}\nexperiment:\n  <<: *d\n  <<: [*d, *d]\n`,
      };
    case 'garbage': {
      const n = rng.int(0, 400);
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = rng.int(0, 255);
      return { what: kind, data: rng.bool() ? bytes : Buffer.concat([Buffer.from(text), bytes]) };
    }
    case 'swap-lines': {
      const other = rng.int(0, Math.max(0, lines.length - 1));
      const copy = [...lines];
      [copy[line], copy[other]] = [copy[other], copy[line]];
      return { what: kind, data: copy.join('\n') };
    }
    case 'reindent':
      return { what: kind, data: setLine(' '.repeat(rng.int(0, 7)) + lines[line].trimStart()) };
  }
}

/** Checks one validate outcome: 0 or 1, the file named, problem lines with file:line:column, no stack. */
function expectClean(r: { code: number; out: string; err: string }, file: string, what: string): void {
  const all = r.out + r.err;
  const label = `${what} (${file}):\n${all.slice(0, 2000)}`;
  expect([0, 1], label).toContain(r.code);
  expect(all, label).not.toMatch(STACK);
  expect(all, label).not.toContain('ECODE_DEBUG');
  expect(all, label).toContain(basename(file));
  if (r.code === 1) {
    const named = r.out.includes(`FAIL  ${file}`) || r.err.includes(`no file matches ${file}`);
    expect(named, label).toBe(true);
    for (const l of r.err.split('\n').filter((x) => x && !x.startsWith('no file matches')))
      expect(l, label).toMatch(/^[^\n]+?:\d+:\d+: \S/);
  }
}

describe('fuzz: config and sweep files through ecode validate', () => {
  it(`${CONFIG_CASES} seeded mutations of the project's configs: exit 0 or 1, the file and line named, no stack`, async () => {
    const t0 = Date.now();
    const tree = join(root, 'configs');
    cpSync(CONFIGS, tree, { recursive: true });
    const seeds = yamlFiles(tree);
    // Odd neighbours for `extends:` mutations, in every folder of the tree.
    for (const dir of new Set(seeds.map(dirname))) {
      execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
      symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'));
      symlinkSync(join(dir, 'loop.yaml'), join(dir, 'loop.yaml'));
      symlinkSync(dir, join(dir, 'linked-dir.yaml'));
      writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1 << 20)}\n`);
    }
    const rng = new Rng('config-fuzz', SEED);
    const outcomes = { ok: 0, refused: 0 };
    const kinds = new Map<string, number>();
    for (let i = 0; i < CONFIG_CASES; i++) {
      const seed = rng.pick(seeds);
      const file = join(dirname(seed), `case-${i}.yaml`);
      let what: string;
      const special = rng.int(0, 19);
      if (special === 0) {
        what = rng.pick(['missing', 'directory', 'symlink', 'dangling-symlink', 'fifo', 'device', 'unreadable']);
        if (what === 'directory') mkdirSync(file);
        else if (what === 'symlink') symlinkSync(seed, file);
        else if (what === 'dangling-symlink') symlinkSync(join(root, 'gone.yaml'), file);
        else if (what === 'fifo') execFileSync('mkfifo', [file]);
        else if (what === 'device') symlinkSync('/dev/zero', file);
        else if (what === 'unreadable') {
          // Root reads it anyway; anyone else gets "permission denied".
          writeFileSync(file, readFileSync(seed), { mode: 0o000 });
        }
      } else {
        const m = mutate(rng, readFileSync(seed, 'utf8'), file);
        what = m.what;
        writeFileSync(file, m.data);
      }
      kinds.set(what.split(' ')[0], (kinds.get(what.split(' ')[0]) ?? 0) + 1);
      const r = await cli(['validate', file]);
      expectClean(r, file, `case ${i}: ${what} of ${relative(tree, seed)}`);
      outcomes[r.code === 0 ? 'ok' : 'refused']++;
    }
    // Both outcomes happen, and every kind of mutation was tried.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(kinds.size).toBeGreaterThanOrEqual(18);
    process.stderr.write(
      `config fuzz: ${CONFIG_CASES} files (${outcomes.ok} valid, ${outcomes.refused} refused) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  }, 120_000);
});

// --- GEC folders ---

const META = `{'title': 'Sum It', 'difficulty': 3}`;
const QUESTION = `{"NL": """Add the numbers.\n""", "input": 'One line: n', "output": "The sum", "IO test samples": 'Input\\n3\\nOutput\\n6', "note": ''}`;
const IO = `{"inputs": ["3\\n", ["1", "2"]], "outputs": ["6\\n", "3\\n"]}`;
const FILES = ['Accepted.json', 'metadata.json', 'question dictionary.txt', 'IO Case Test Dictionary.txt'] as const;

function writeProblem(dir: string, rng: Rng): void {
  mkdirSync(join(dir, 'Acc_tle_solutions'), { recursive: true });
  writeFileSync(join(dir, 'Accepted.json'), `n = int(input())\\nprint(n * ${rng.int(1, 9)})\\n`);
  writeFileSync(join(dir, 'metadata.json'), META);
  writeFileSync(join(dir, 'question dictionary.txt'), QUESTION);
  writeFileSync(join(dir, 'IO Case Test Dictionary.txt'), IO);
  for (let s = 0; s < rng.int(1, 3); s++)
    writeFileSync(
      join(dir, 'Acc_tle_solutions', `${s},${rng.int(10, 900)} ms,${rng.int(100, 9000)} KB.txt`),
      `x = ${s}\\nprint(x)`,
    );
}

/** Damages one file (or the solutions folder) of a problem folder. */
function damage(dir: string, rng: Rng): string {
  const file = join(dir, rng.pick(FILES));
  const text = readFileSync(file);
  const how = rng.int(0, 9);
  switch (how) {
    case 0:
      writeFileSync(file, text.subarray(0, rng.int(0, text.length - 1)));
      return 'truncated';
    case 1: {
      const bytes = Buffer.alloc(rng.int(1, 300));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
      writeFileSync(file, bytes);
      return 'random bytes';
    }
    case 2:
      writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text, Buffer.from([0xff])]));
      return 'BOM + invalid byte';
    case 3:
      writeFileSync(file, rng.pick(['[1, 2, 3]', "{'inputs': 1}", '{"NL": 1}', "{'title': None}", '"str"', '{', '']));
      return 'wrong literal shape';
    case 4:
      rmSync(file);
      mkdirSync(file);
      return 'directory in place of a file';
    case 5:
      rmSync(file);
      symlinkSync(join(dir, 'nowhere'), file);
      return 'dangling symlink';
    case 6:
      rmSync(file);
      symlinkSync('/dev/zero', file);
      return 'symlink to /dev/zero';
    case 7:
      rmSync(join(dir, 'Acc_tle_solutions'), { recursive: true });
      writeFileSync(join(dir, 'Acc_tle_solutions'), 'not a folder');
      return 'file in place of the solutions folder';
    case 8:
      rmSync(file);
      return 'missing file';
    default:
      rmSync(join(dir, 'Acc_tle_solutions'), { recursive: true });
      mkdirSync(join(dir, 'Acc_tle_solutions', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'Acc_tle_solutions', 'no metadata.py'), Buffer.from([0xff, 0xfe]));
      return 'no usable solution (a folder, a bad file, odd names)';
  }
}

describe('fuzz: GEC folders through ecode data import-gec', () => {
  it(`${GEC_FOLDERS} folders with 1-5 damaged problems: every intact problem imported, every skip named`, async () => {
    const t0 = Date.now();
    const rng = new Rng('gec-fuzz', SEED);
    let intactTotal = 0;
    for (let f = 0; f < GEC_FOLDERS; f++) {
      const gec = join(root, `gec-${f}`);
      const intact: string[] = [];
      const damaged: string[] = [];
      const n = rng.int(4, 9);
      const broken = new Set(rng.sample([...Array(n).keys()], rng.int(1, Math.min(5, n - 1))));
      for (let p = 0; p < n; p++) {
        const split = rng.pick(['train', 'test'] as const);
        const name = `p${p}`;
        const dir = join(gec, split, name);
        writeProblem(dir, rng);
        if (broken.has(p)) {
          const what = damage(dir, rng);
          damaged.push(`gec/${split}/${name} (${what})`);
        } else intact.push(`gec/${split}/${name}`);
      }
      // A stray file beside the problem folders, and a symlinked problem folder.
      writeFileSync(join(gec, 'train', 'README'), 'not a problem');
      intactTotal += intact.length;
      const out = join(gec, 'out.jsonl');
      const r = await cli(['data', 'import-gec', gec, '--out', out]);
      const label = `folder ${f}, damaged: ${damaged.join(', ')}:\n${r.out}${r.err}`;
      expect([0, 1], label).toContain(r.code);
      expect(r.out + r.err, label).not.toMatch(STACK);
      expect(r.out + r.err, label).not.toContain('ECODE_DEBUG');
      expect(r.code, label).toBe(0);
      const ids = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id);
      for (const id of intact) expect(ids, label).toContain(id);
      // Every skip names its file or folder inside this GEC folder.
      const skips = r.err.split('\n').filter((l) => l.startsWith('  '));
      for (const l of skips)
        expect(l, label).toMatch(new RegExp(`^  ${gec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S`));
    }
    expect(intactTotal).toBeGreaterThan(60);
    process.stderr.write(
      `GEC fuzz: ${GEC_FOLDERS} folders, ${intactTotal} intact problems all imported, in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  }, 120_000);
});

describe('fuzz: the same answers from the ecode process', () => {
  it('a few hostile files give the same exit code and messages as in-process', async () => {
    const dir = join(root, 'proc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'zero.yaml'), 'extends: /dev/zero\n');
    writeFileSync(join(dir, 'deep.yaml'), `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    writeFileSync(join(dir, 'garbage.yaml'), Buffer.from([0x80, 0x81, 0x0a, 0x3a, 0x7b]));
    const files = ['zero.yaml', 'deep.yaml', 'garbage.yaml'].map((n) => join(dir, n));
    const inProcess = await cli(['validate', ...files]);
    // One process for the three (each start of `ecode` costs seconds).
    const p = spawnEcode(['validate', ...files], process.cwd());
    const code = await p.code;
    expect(code, p.out()).toBe(inProcess.code);
    expect(code).toBe(1);
    const lines = (inProcess.out + inProcess.err).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const l of lines) expect(p.out()).toContain(l);
    for (const f of files) expect(p.out()).toContain(`FAIL  ${f}`);
    expect(p.out()).not.toMatch(STACK);
    expect(statSync(join(dir, 'zero.yaml')).isFile()).toBe(true);
  }, 120_000);
});
