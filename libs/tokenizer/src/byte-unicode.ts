/**
 * GPT-2's byte-to-unicode map: every byte gets a printable character so that byte-level tokens
 * can be written in vocab.json / merges.txt. Printable Latin-1 bytes map to themselves; the other
 * 68 bytes map to U+0100 onwards, in byte order.
 */

function buildByteToUnicode(): string[] {
  const direct: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) direct.push(b);
  for (let b = 0xa1; b <= 0xac; b++) direct.push(b);
  for (let b = 0xae; b <= 0xff; b++) direct.push(b);
  const table = new Array<string>(256);
  const isDirect = new Set(direct);
  for (const b of direct) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!isDirect.has(b)) table[b] = String.fromCharCode(256 + n++);
  }
  return table;
}

/** BYTE_TO_UNICODE[b] is the character that spells byte b. */
export const BYTE_TO_UNICODE: readonly string[] = buildByteToUnicode();

/** The inverse map: character code to byte, -1 when the character spells no byte. */
export const UNICODE_TO_BYTE: Int16Array = (() => {
  const inv = new Int16Array(512).fill(-1);
  BYTE_TO_UNICODE.forEach((ch, b) => (inv[ch.charCodeAt(0)] = b));
  return inv;
})();

/**
 * The 256 bytes in GPT-2's id order (GPT-2 ids 0..255): the directly printable bytes first
 * (`!` .. `~`, `¡` .. `¬`, `®` .. `ÿ`), then the remapped ones in byte order.
 */
export const GPT2_BYTE_ORDER: readonly number[] = (() => {
  const order: number[] = [];
  for (let c = 0; c < 512; c++) {
    const b = c < UNICODE_TO_BYTE.length ? UNICODE_TO_BYTE[c] : -1;
    if (b >= 0) order.push(b);
  }
  return order;
})();

export function bytesToUnicodeString(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_UNICODE[bytes[i]];
  return s;
}

/** Bytes spelled by a vocab string, or undefined if a character spells no byte. */
export function unicodeStringToBytes(s: string): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const b = c < UNICODE_TO_BYTE.length ? UNICODE_TO_BYTE[c] : -1;
    if (b < 0) return undefined;
    out.push(b);
  }
  return out;
}
