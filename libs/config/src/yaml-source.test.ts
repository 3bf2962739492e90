import { describe, expect, it, vi } from 'vitest';
import { parseOverrideValue } from './overrides.js';
import { parseYamlSource } from './yaml-source.js';

describe('parseYamlSource', () => {
  it('records the position of every key and value (1-based), through flow and block style', () => {
    const src = parseYamlSource('a:\n  b: 1\n  c: [x, {d: 2}]\n', 'f.yaml');
    expect(src.value).toEqual({ a: { b: 1, c: ['x', { d: 2 }] } });
    expect(src.problems).toEqual([]);
    expect(src.keyLocs.get('/a/b')).toEqual({ file: 'f.yaml', line: 2, column: 3 });
    expect(src.valueLocs.get('/a/b')).toEqual({ file: 'f.yaml', line: 2, column: 6 });
    expect(src.valueLocs.get('/a/c/0')).toEqual({ file: 'f.yaml', line: 3, column: 7 });
    expect(src.keyLocs.get('/a/c/1/d')).toEqual({ file: 'f.yaml', line: 3, column: 11 });
  });
  it('an empty value is null and located right after its key; an empty file is an empty mapping', () => {
    const src = parseYamlSource('a:\n', 'f.yaml');
    expect(src.value).toEqual({ a: null });
    expect(src.valueLocs.get('/a')).toEqual({ file: 'f.yaml', line: 1, column: 3 });
    expect(parseYamlSource('', 'e.yaml').value).toEqual({});
  });
  it('aliases resolve to their anchor', () => {
    const src = parseYamlSource('x: &h 5\ny: *h\n', 'f.yaml');
    expect(src.value).toEqual({ x: 5, y: 5 });
  });
  it('what the yaml package warns about is a located problem, never a line on stderr', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const src = parseYamlSource('a: 1\nb: !custom 3\n? [complex]\n: 2\n', 'f.yaml');
      expect(src.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
        '2:4 YAML error: Unresolved tag: !custom',
      ]);
      expect(() => parseOverrideValue('!custom 3')).toThrow('Unresolved tag: !custom');
      expect(parseOverrideValue('[1, x]')).toEqual([1, 'x']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
