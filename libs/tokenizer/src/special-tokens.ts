/**
 * Added (special) tokens are matched in the raw text before any pre-tokenisation, longest first,
 * as Hugging Face tokenizers do: `a[PAD]b` is `a`, `[PAD]`, `b`.
 */

export type TextSegment = { special: false; text: string } | { special: true; text: string; id: number };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class SpecialTokenSplitter {
  private readonly ids: Map<string, number>;
  private readonly pattern: RegExp | undefined;

  constructor(tokens: ReadonlyMap<string, number>) {
    this.ids = new Map(tokens);
    const contents = [...tokens.keys()].filter((t) => t.length > 0);
    contents.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    this.pattern = contents.length > 0 ? new RegExp(contents.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  get size(): number {
    return this.ids.size;
  }

  /** Cuts the text at every special token; returns text as one segment when there are none. */
  split(text: string): TextSegment[] {
    if (this.pattern === undefined) return text.length > 0 ? [{ special: false, text }] : [];
    const out: TextSegment[] = [];
    let last = 0;
    this.pattern.lastIndex = 0;
    for (let m = this.pattern.exec(text); m !== null; m = this.pattern.exec(text)) {
      if (m.index > last) out.push({ special: false, text: text.slice(last, m.index) });
      out.push({ special: true, text: m[0], id: this.ids.get(m[0]) as number });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push({ special: false, text: text.slice(last) });
    return out;
  }
}
