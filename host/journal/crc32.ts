// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320: zlib's, which the journal writer uses) in plain
// TypeScript, for the places without node:zlib (the playground reads an engine journal in the browser).
// Byte-at-a-time over a 256-entry table built on first use.

/** A CRC-32 of the bytes, as an unsigned 32-bit number. */
export type Crc32 = (bytes: Uint8Array) => number;

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

export const crc32: Crc32 = (bytes) => {
  const t = (table ??= crcTable());
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
