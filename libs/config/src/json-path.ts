/**
 * Paths inside a config. Internally JSON Pointers (`/model/expert/hidden`, as ajv reports them);
 * in messages dotted paths (`model.expert.hidden`, `model.expert.fieldLengths[2]`).
 */

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `['model','expert','fieldLengths','2']` -> `model.expert.fieldLengths[2]`. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const seg of pointerSegments(pointer)) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The value at a pointer, or undefined. */
export function getAt(value: unknown, pointer: string): unknown {
  let v: unknown = value;
  for (const seg of pointerSegments(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}
