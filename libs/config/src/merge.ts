/**
 * Deep merge of config layers: mappings merge key by key, later layers win, arrays and scalars
 * replace what was there. The source positions follow the values, so that after merging a file
 * chain each value still points at the file and line that set it.
 */
import { childPointer } from './json-path.js';
import type { SourceLocation } from './problems.js';
import type { LocatedValue } from './yaml-source.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** `later` merged over `earlier` (neither is modified). */
export function deepMerge(earlier: unknown, later: unknown): unknown {
  if (isPlainObject(earlier) && isPlainObject(later)) {
    const out: Record<string, unknown> = { ...clone(earlier) };
    for (const [k, v] of Object.entries(later)) out[k] = k in out ? deepMerge(out[k], v) : clone(v);
    return out;
  }
  return clone(later);
}

export interface MergedValue {
  value: Record<string, unknown>;
  keyLocs: Map<string, SourceLocation>;
  valueLocs: Map<string, SourceLocation>;
}

function dropUnder(map: Map<string, SourceLocation>, pointer: string): void {
  const prefix = pointer + '/';
  for (const k of [...map.keys()]) if (k.startsWith(prefix)) map.delete(k);
}

function copyUnder(from: Map<string, SourceLocation>, to: Map<string, SourceLocation>, pointer: string): void {
  const prefix = pointer + '/';
  for (const [k, v] of from) if (k === pointer || k.startsWith(prefix)) to.set(k, v);
}

/** Merges layers in order (first = lowest priority). Non-mapping layers count as empty. */
export function mergeLayers(layers: LocatedValue[], rootLoc: SourceLocation): MergedValue {
  const out: MergedValue = { value: {}, keyLocs: new Map(), valueLocs: new Map([['', rootLoc]]) };
  const apply = (
    target: Record<string, unknown>,
    source: Record<string, unknown>,
    pointer: string,
    layer: LocatedValue,
  ): void => {
    for (const [key, v] of Object.entries(source)) {
      const p = childPointer(pointer, key);
      const keyLoc = layer.keyLocs.get(p);
      if (keyLoc) out.keyLocs.set(p, keyLoc);
      if (isPlainObject(v) && isPlainObject(target[key])) {
        const valueLoc = layer.valueLocs.get(p);
        if (valueLoc) out.valueLocs.set(p, valueLoc);
        apply(target[key] as Record<string, unknown>, v, p, layer);
      } else {
        target[key] = clone(v);
        dropUnder(out.keyLocs, p);
        dropUnder(out.valueLocs, p);
        copyUnder(layer.keyLocs, out.keyLocs, p);
        copyUnder(layer.valueLocs, out.valueLocs, p);
      }
    }
  };
  for (const layer of layers) if (isPlainObject(layer.value)) apply(out.value, layer.value, '', layer);
  return out;
}
