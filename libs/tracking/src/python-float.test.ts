import { describe, expect, it } from 'vitest';
import { parsePythonFloat, pythonFloatRepr } from './python-float.js';

describe('pythonFloatRepr', () => {
  // Each right-hand side is Python 3's repr(float(x)).
  const cases: [number, string][] = [
    [0.1, '0.1'],
    [1, '1.0'],
    [0, '0.0'],
    [-2.5, '-2.5'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345e16, '1.2345e+16'],
    [1e22, '1e+22'],
    [123456789.123, '123456789.123'],
    [0.30000000000000004, '0.30000000000000004'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [x, s] of cases) {
    it(`${x} -> ${s}`, () => {
      expect(pythonFloatRepr(x)).toBe(s);
      expect(Object.is(parsePythonFloat(s), x) || (Number.isNaN(x) && Number.isNaN(parsePythonFloat(s)))).toBe(true);
    });
  }
  it('parses what MLflow accepts from other writers', () => {
    expect(parsePythonFloat('NaN')).toBeNaN();
    expect(parsePythonFloat('Infinity')).toBe(Infinity);
    expect(parsePythonFloat('3')).toBe(3);
    expect(() => parsePythonFloat('abc')).toThrow(/not a float/);
  });
});
