import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAllProblems } from '../store/dataset-reader.js';
import { importGec } from './gec-importer.js';
import { pyStrip, unescapeGecCode } from './python-text.js';
import { reindentLikeOriginal } from './reindent.js';
import { parseSolutionFileName } from './solution-file-name.js';

describe('reindentLikeOriginal', () => {
  // Expected outputs were produced by running the original E-code reindent.py (APPS reindent
  // with {"to": 4, "tabs": True}) on the same inputs with python3.
  it('matches the original on odd indentation, CR, blank and continuation lines', () => {
    const cases: [string, string][] = [
      [
        "n = int(input())\nfor i in range(n):\n  if i:\n    print(i)\n   # odd\n  x = 1\r\nprint( 'a\\tb' )",
        "n = int(input())\nfor i in range(n):\n\tif i:\n\t\tprint(i)\n\t # odd\n\tx = 1\nprint( 'a\\tb' )\n",
      ],
      ['', ''],
      ['x=1', 'x=1\n'],
      ['def f():\n\treturn 1\n\nprint(f())\n', 'def f():\n\treturn 1\n\nprint(f())\n'],
      ['if 1:\n        a = [1,\n  2]\n        \n', 'if 1:\n\ta = [1,\n  2]\n\t\n'],
      ['a\rb\nif 1:\n  c\r\r\n', 'a\rb\nif 1:\n\tc\n'],
    ];
    for (const [input, expected] of cases) expect(reindentLikeOriginal(input)).toBe(expected);
    expect(reindentLikeOriginal('if 1:\n  x\n', { indent: 'spaces' })).toBe('if 1:\n    x\n');
  });
});

describe('GEC text helpers', () => {
  it('replaces exactly the three two-character escapes, left to right', () => {
    expect(unescapeGecCode('a\\nb\\tc\\rd\\\\n\\x')).toBe('a\nb\tc\rd\\\n\\x');
    expect(pyStrip('\ufeff x \x1c')).toBe('\ufeff x');
  });
  it('parses solution file names', () => {
    expect(parseSolutionFileName('0,77 ms,284 KB.txt')).toEqual({ index: 0, runtimeMs: 77, memoryKb: 284, ext: 'txt' });
    expect(parseSolutionFileName('12,374 ms,1480 KB.json')?.index).toBe(12);
    expect(parseSolutionFileName('solution.py')).toBeUndefined();
  });
});

interface FolderSpec {
  accepted?: string | Buffer;
  metadata?: string;
  question?: string;
  io?: string;
  slow?: Record<string, string | Buffer> | null;
}

const GOOD_META = `{'title': 'Sum It', 'difficulty': 3}`;
const GOOD_Q = `{"NL": """Add the numbers.\n""", "input": 'One line: n', "output": "The sum", "IO test samples": 'Input\\n3\\nOutput\\n6', "note": ''}`;
const GOOD_IO = `{"inputs": ["3\\n", ["1", "2"]], "outputs": ["6\\n", "3\\n"]}`;

async function makeProblem(root: string, split: string, name: string, spec: FolderSpec): Promise<void> {
  const dir = join(root, split, name);
  await mkdir(dir, { recursive: true });
  if (spec.accepted !== undefined) await writeFile(join(dir, 'Accepted.json'), spec.accepted);
  if (spec.metadata !== undefined) await writeFile(join(dir, 'metadata.json'), spec.metadata);
  if (spec.question !== undefined) await writeFile(join(dir, 'question dictionary.txt'), spec.question);
  if (spec.io !== undefined) await writeFile(join(dir, 'IO Case Test Dictionary.txt'), spec.io);
  if (spec.slow !== null) {
    await mkdir(join(dir, 'Acc_tle_solutions'), { recursive: true });
    for (const [file, text] of Object.entries(spec.slow ?? {}))
      await writeFile(join(dir, 'Acc_tle_solutions', file), text);
  }
}

const base = (over: FolderSpec): FolderSpec => ({
  accepted: 'n = int(input())\\nfor i in range(n):\\n  if i:\\n    print(i)\\n',
  metadata: GOOD_META,
  question: GOOD_Q,
  io: GOOD_IO,
  slow: { '0,77 ms,284 KB.txt': 'x = 1\\nprint(x)' },
  ...over,
});

/** A stand-in token counter for the filter tests: whitespace-separated words. */
const countWords = (code: string) => code.split(/\s+/).filter(Boolean).length;

describe('importGec', () => {
  it('imports good folders byte-exactly and skips broken ones with named reasons', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-gec-'));
    await makeProblem(
      root,
      'train',
      'p1',
      base({
        slow: {
          '1,374 ms,1480 KB.json': 'a = [int(x) for x in input().split()]\\r\\nif a:\\n        print(sum(a))\\n',
          '0,977 ms,284 KB.txt': 's = 0\r\nfor v in range(3):\r\n  s += v\r\nprint(s)\r\n',
          '2,10 ms,1 KB.txt': Array(900).fill('x').join(' '),
        },
      }),
    );
    await makeProblem(
      root,
      'test',
      'p2',
      base({
        metadata: `{'title': "Call", 'difficulty': 'hard', 'tags': ['x']}`,
        io: `{'inputs': [[1, 2], [(3, 4), True]], 'outputs': [3, [7]], 'fn_name': 'add'}`,
      }),
    );
    await makeProblem(root, 'train', 'p3-no-meta', base({ metadata: undefined }));
    await makeProblem(root, 'train', 'p4-bad-question', base({ question: `{'NL': f'{x}'}` }));
    await makeProblem(root, 'train', 'p5-long', base({ accepted: Array(800).fill('y').join(' ') }));
    await makeProblem(
      root,
      'train',
      'p6-bad-utf8',
      base({
        slow: { '0,5 ms,1 KB.txt': Buffer.from([0x70, 0xff, 0xfe]), 'odd-name.py': 'print(1)' },
      }),
    );
    await makeProblem(root, 'train', 'p7-io-mismatch', base({ io: `{"inputs": ["1"], "outputs": []}` }));
    await makeProblem(root, 'train', 'p8-no-slow-dir', base({ slow: null }));
    await makeProblem(
      root,
      'train',
      'p9-missing-key',
      base({ question: `{"NL": "x", "input": "i", "output": "o", "note": ""}` }),
    );
    await writeFile(join(root, 'train', '.DS_Store'), 'junk');

    const out = join(root, 'gec.jsonl');
    const { manifest, report } = await importGec(root, out, { countTokens: countWords });
    expect(report.problemsSeen).toBe(9);
    expect(report.problemsWritten).toBe(3);
    expect(report.skipped).toEqual({
      'missing:metadata.json': 1,
      'malformed:question dictionary.txt': 1,
      'fast-too-long': 1,
      'invalid-utf8:Acc_tle_solutions/*': 1,
      'malformed:IO Case Test Dictionary.txt': 1,
      'missing-dir:Acc_tle_solutions': 1,
      'missing-key:question dictionary.txt:IO test samples': 1,
      'slow-too-long': 1,
    });
    expect(report.warnings).toEqual({ 'not-a-problem-folder': 1, 'solution-name-unparsed': 1 });
    expect(report.details.find((d) => d.reason === 'malformed:question dictionary.txt')?.detail).toMatch(
      /question dictionary\.txt:1:8: f-strings are not literals/,
    );
    expect(manifest.bySplit).toEqual({ test: 1, train: 2 });
    expect(manifest.provenance.skipped).toEqual(report.skipped);

    const problems = await readAllProblems(out);
    expect(problems.map((p) => p.id)).toEqual(['gec/train/p1', 'gec/train/p6-bad-utf8', 'gec/test/p2']);
    const p1 = problems[0];
    expect(p1.fields).toEqual({
      titleDifficulty: 'Title:Sum It\nDifficulty:3',
      body: 'Add the numbers.',
      inputSpec: 'Input:One line: n',
      outputSpec: 'Output:The sum',
      samplesNote: 'I/O test:Input\n3\nOutput\n6\nNote:',
    });
    expect(p1.difficulty).toBe('3');
    expect(p1.tests).toEqual([
      { input: '3\n', output: '6\n' },
      { input: '1\n2', output: '3\n' },
    ]);
    expect(p1.solutions.map((s) => [s.role, s.origin, s.reportedRuntimeMs, s.reportedMemoryKb])).toEqual([
      ['fast', 'Accepted.json', undefined, undefined],
      ['slow', '0,977 ms,284 KB.txt', 977, 284],
      ['slow', '1,374 ms,1480 KB.json', 374, 1480],
    ]);
    expect(p1.solutions[0].code).toBe('n = int(input())\nfor i in range(n):\n\tif i:\n\t\tprint(i)');
    expect(p1.solutions[1].code).toBe('s = 0\nfor v in range(3):\n\ts += v\nprint(s)');
    // '\r\n' escapes become CR LF; re-indenting drops the CR at the line end, as the original does.
    expect(p1.solutions[2].code).toBe('a = [int(x) for x in input().split()]\nif a:\n\tprint(sum(a))');
    const p2 = problems[2];
    expect(p2.tests).toEqual([
      { input: '[1,2]', output: '3', kind: 'call', fnName: 'add' },
      { input: '[[3,4],true]', output: '[7]', kind: 'call', fnName: 'add' },
    ]);
    expect(problems[1].solutions.map((s) => s.origin)).toEqual(['Accepted.json', 'odd-name.py']);
  });

  it('keeps 4-space or raw code when asked, and fails clearly on a folder without train/test', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-gec-'));
    await makeProblem(root, 'train', 'p1', base({}));
    const out = join(root, 'o.jsonl');
    await importGec(root, out, { indent: 'spaces' });
    expect((await readAllProblems(out))[0].solutions[0].code).toBe(
      'n = int(input())\nfor i in range(n):\n    if i:\n        print(i)',
    );
    await importGec(root, out, { indent: 'none', splits: ['train'] });
    expect((await readAllProblems(out))[0].solutions[0].code).toBe(
      'n = int(input())\nfor i in range(n):\n  if i:\n    print(i)',
    );
    await expect(importGec(join(root, 'train'), out)).rejects.toThrow(/no problem folders under train\/ or test\//);
  });
});
