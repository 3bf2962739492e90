/**
 * The re-indentation the original E-code loaders apply to every code (APPS' `reindent.run` with
 * `{"to": 4, "from": -1, "tabs": True, "all-tabs": False}`). Despite "to": 4, `"tabs": True`
 * makes the new indent ONE TAB per level: verified by running the original reindent.py.
 *
 * Algorithm (line-based, no tokenizer): the first line that starts with a space or tab and is not
 * all whitespace fixes the old indent unit (its whole leading whitespace; tabs if it starts with a
 * tab). Lines before it pass unchanged. Every line then has its leading repeats of that unit
 * replaced by the new unit; the rest of the line is kept. Lines are split on '\n' only, trailing
 * '\r'/'\n' characters are removed, and every output line ends with '\n'.
 */
import { pyIsSpace } from './python-text.js';

export interface ReindentOptions {
  /** `tab` (the original's behaviour) or `spaces` (4 spaces per level). */
  indent?: 'tab' | 'spaces';
}

export function reindentLikeOriginal(code: string, options: ReindentOptions = {}): string {
  const newUnit = options.indent === 'spaces' ? '    ' : '\t';
  if (code === '') return '';
  const parts = code.split('\n');
  // `readline` yields no empty last line after a final '\n'.
  if (parts[parts.length - 1] === '') parts.pop();
  let unit: string | undefined;
  const out: string[] = [];
  for (const rawLine of parts) {
    const line = rawLine.replace(/[\r\n]+$/, '');
    if (unit === undefined) {
      if (line.length > 0 && (line[0] === ' ' || line[0] === '\t') && !pyIsSpace(line)) {
        let width = 0;
        while (line[width] === ' ' || line[width] === '\t') width++;
        unit = (line[0] === '\t' ? '\t' : ' ').repeat(width);
      } else {
        out.push(line + '\n');
        continue;
      }
    }
    let level = 0;
    while (line.startsWith(unit.repeat(level + 1))) level++;
    out.push(newUnit.repeat(level) + line.slice(unit.length * level) + '\n');
  }
  return out.join('');
}
