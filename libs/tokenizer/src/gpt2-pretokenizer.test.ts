/**
 * GPT-2's pre-tokenisation regex runs under Python's `regex` module. When python3 with `regex` is
 * available, the JavaScript port is compared with it piece for piece, including the two
 * characters where JavaScript's own `\s` differs (U+0085, U+FEFF).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { syntheticCorpus } from './corpus.js';
import { gpt2PreTokenize } from './gpt2-pretokenizer.js';

const PY = String.raw`
import json, sys, regex
pat = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
text = json.loads(sys.stdin.read())
sys.stdout.write(json.dumps(pat.findall(text)))
`;

function pythonPieces(text: string): string[] | undefined {
  const r = spawnSync('python3', ['-c', PY], { input: JSON.stringify(text), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as string[];
}
const havePythonRegex = spawnSync('python3', ['-c', 'import regex'], { encoding: 'utf8' }).status === 0;

describe('GPT-2 pre-tokenisation', () => {
  it('cuts contractions, letters, digits, punctuation and whitespace runs as GPT-2 does', () => {
    expect(gpt2PreTokenize("He's  here:\n\n  x=12.5 it'S")).toEqual([
      'He',
      "'s",
      ' ',
      ' here',
      ':',
      '\n\n ',
      ' x',
      '=',
      '12',
      '.',
      '5',
      ' it',
      "'",
      'S',
    ]);
    // U+0085 is whitespace for Python (White_Space), U+FEFF is not.
    expect(gpt2PreTokenize('a\u0085b \ufeffc')).toEqual(['a', '\u0085', 'b', ' \ufeff', 'c']);
    expect(gpt2PreTokenize('a b').join('')).toBe('a b');
  });

  it.skipIf(!havePythonRegex)("matches Python's regex module on 300 KB with the edge characters", () => {
    const text = syntheticCorpus({ bytes: 300_000, seed: 77, includeRegexEdgeCases: true });
    expect(text).toContain('\u0085');
    expect(text).toContain('\ufeff');
    const expected = pythonPieces(text);
    expect(expected).toBeDefined();
    const got = gpt2PreTokenize(text);
    expect(got.length).toBe((expected as string[]).length);
    expect(got).toEqual(expected);
  });
});
