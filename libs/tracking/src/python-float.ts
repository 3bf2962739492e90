/**
 * Python's `repr(float)`: the text MLflow's file store writes for a metric value
 * (`f"{timestamp} {value} {step}"`). Shortest round-trip digits, like JavaScript, but fixed notation
 * only for decimal exponents in [-4, 16), a `.0` on integral values, `e-05` style exponents, and
 * `nan` / `inf` / `-inf`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1; // position of the decimal point relative to the digit string
  if (decpt > -4 && decpt <= 16) {
    let body: string;
    if (decpt <= 0) body = '0.' + '0'.repeat(-decpt) + digits;
    else if (decpt >= digits.length) body = digits + '0'.repeat(decpt - digits.length) + '.0';
    else body = digits.slice(0, decpt) + '.' + digits.slice(decpt);
    return sign + body;
  }
  const frac = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return `${sign}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : String(e)}`;
}

/** Parse a metric value as Python's `float()` does for the texts MLflow and we write. */
export function parsePythonFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  const v = Number(t.replace(/_/g, ''));
  if (t === '' || Number.isNaN(v)) throw new Error(`not a float: '${text}'`);
  return v;
}
