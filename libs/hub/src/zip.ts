/** A reader for stored (uncompressed) zip archives, the container of PyTorch's checkpoint format. */

export interface ZipEntry {
  name: string;
  /** The entry's bytes (a view into the archive). */
  data: Uint8Array;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads the central directory; every entry must be stored (method 0), as torch.save writes them. */
export function readZip(bytes: Uint8Array, source: string): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new Error(`${source}: not a readable PyTorch zip archive: ${why}`);
  };
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--)
    if (dv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) fail('no end-of-central-directory record (truncated file?)');
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== EOCD64_LOCATOR) fail('zip64 archive without its locator');
    const e64 = Number(dv.getBigUint64(loc + 8, true));
    count = Number(dv.getBigUint64(e64 + 32, true));
    cdOffset = Number(dv.getBigUint64(e64 + 48, true));
  }
  const out = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${k} is damaged`);
    const method = dv.getUint16(p + 10, true);
    let size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extra field: the 0xffffffff fields, in order (uncompressed, compressed, offset).
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(dv.getBigUint64(q, true));
          q += 16; // uncompressed and compressed sizes
        }
        if (local === 0xffffffff) local = Number(dv.getBigUint64(q, true));
      }
      e += 4 + len;
    }
    if (method !== 0) fail(`entry '${name}' is compressed (method ${method}); torch.save stores entries uncompressed`);
    if (dv.getUint32(local, true) !== LOCAL) fail(`entry '${name}' has no local header`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (start + size > bytes.length) fail(`entry '${name}' runs past the end of the file (truncated?)`);
    out.set(name, { name, data: bytes.subarray(start, start + size) });
    p = eEnd + commentLen;
  }
  return out;
}
