/** Plain-words descriptions of values ("found ...") and of schemas ("expected ..."). */

type Schema = Record<string, unknown>;

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const json = JSON.stringify(v);
    return json.length <= 48 ? `a list ${json}` : `a list of ${v.length} items`;
  }
  const keys = Object.keys(v as object);
  return keys.length === 0 ? 'an empty mapping' : `a mapping (keys: ${keys.join(', ')})`;
}

function fmtNum(n: number): string {
  return String(n);
}

function describeNumber(s: Schema, noun: string): string {
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  const loEx = s.exclusiveMinimum !== undefined;
  const hiEx = s.exclusiveMaximum !== undefined;
  if (typeof lo === 'number' && typeof hi === 'number') {
    return `${noun} in ${loEx ? '(' : '['}${fmtNum(lo)}, ${fmtNum(hi)}${hiEx ? ')' : ']'}`;
  }
  if (typeof lo === 'number') return `${noun} ${loEx ? '>' : '>='} ${fmtNum(lo)}`;
  if (typeof hi === 'number') return `${noun} ${hiEx ? '<' : '<='} ${fmtNum(hi)}`;
  return noun;
}

/** What a schema allows, e.g. `an integer >= 1`, `one of: greedy, sample`. */
export function describeSchema(schema: unknown): string {
  const s = (schema ?? {}) as Schema;
  if (Array.isArray(s.enum)) return `one of: ${(s.enum as unknown[]).map((e) => String(e)).join(', ')}`;
  switch (s.type) {
    case 'integer':
      return describeNumber(s, 'an integer');
    case 'number':
      return describeNumber(s, 'a number');
    case 'string':
      if (typeof s.pattern === 'string') return `a string matching ${s.pattern}`;
      return typeof s.minLength === 'number' && s.minLength > 0 ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'object': {
      const keys = Object.keys((s.properties ?? {}) as object);
      if (keys.length) return `a mapping with keys: ${keys.join(', ')}`;
      return typeof s.minProperties === 'number' && s.minProperties > 0
        ? `a mapping of at least ${s.minProperties} entr${s.minProperties === 1 ? 'y' : 'ies'}`
        : 'a mapping';
    }
    case 'array': {
      const items = s.items ?? s.prefixItems;
      if (Array.isArray(items)) {
        const descs = items.map(describeSchema);
        const same = descs.every((d) => d === descs[0]);
        return same
          ? `a list of exactly ${items.length} items, each ${descs[0]}`
          : `a list of exactly ${items.length} items: ${descs.join('; ')}`;
      }
      let out = 'a list';
      const min = s.minItems;
      const max = s.maxItems;
      if (typeof min === 'number' && typeof max === 'number')
        out += min === max ? ` of exactly ${min} items` : ` of ${min} to ${max} items`;
      else if (typeof min === 'number' && min > 0)
        out += min === 1 ? ' of at least 1 item' : ` of at least ${min} items`;
      else if (typeof max === 'number') out += ` of at most ${max} items`;
      if (s.uniqueItems) out += ' without repeats';
      if (items && typeof items === 'object') out += `, each ${describeSchema(items)}`;
      return out;
    }
    default:
      return 'a value';
  }
}
