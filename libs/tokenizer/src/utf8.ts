/**
 * UTF-8 that round-trips every JavaScript string. Well-formed text is plain UTF-8; a lone
 * surrogate (which UTF-8 cannot spell and TextEncoder would replace by U+FFFD) is written as the
 * three-byte generalised form (WTF-8), and read back as the same lone surrogate.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** Appends the (WTF-8) bytes of `s` to `out`. */
export function pushUtf8(s: string, out: number[]): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        continue;
      }
    }
    // Any other BMP unit, lone surrogates included.
    out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
}

/** String.prototype.isWellFormed (Node 20, ES2024; the workspace types stop at ES2023). */
export function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export function utf8Encode(s: string): Uint8Array {
  if (isWellFormed(s)) return encoder.encode(s);
  const out: number[] = [];
  pushUtf8(s, out);
  return Uint8Array.from(out);
}

/** True when the bytes hold a generalised-UTF-8 lone surrogate (ED A0..BF xx). */
function hasSurrogateBytes(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xed); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(0xed, i + 1)) {
    if (bytes[i + 1] >= 0xa0 && bytes[i + 1] <= 0xbf) return true;
  }
  return false;
}

/**
 * Decodes UTF-8, reading generalised-UTF-8 surrogates back as lone surrogates; any other
 * ill-formed sequence becomes U+FFFD (as Python's errors="replace" and TextDecoder do).
 */
export function utf8Decode(bytes: Uint8Array): string {
  if (!hasSurrogateBytes(bytes)) return decoder.decode(bytes);
  let out = '';
  let start = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0xed && bytes[i + 1] >= 0xa0 && bytes[i + 1] <= 0xbf && (bytes[i + 2] & 0xc0) === 0x80) {
      out += decoder.decode(bytes.subarray(start, i));
      out += String.fromCharCode(0xd000 | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
      i += 2;
      start = i + 1;
    }
  }
  return out + decoder.decode(bytes.subarray(start));
}
