// Reads the byte tables of a Markdown document (docs/protocol.md, docs/journal.md, docs/telemetry.md) so
// each doc test can hold its document against the code's one description of the bytes.
import assert from 'node:assert/strict';

/** One table row: its cells, trimmed. */
export type Row = string[];

/** A heading (## or ###) and the tables under it, before the next heading. */
export interface Section {
  heading: string;
  tables: Row[][];
}

/** Headings (## and ###) with the tables under each, cells trimmed, header and separator rows dropped. */
export function sections(md: string): Section[] {
  const out: Section[] = [];
  let current: Section | null = null;
  let table: Row[] | null = null;
  for (const line of md.split('\n')) {
    const h = /^#{2,3} (.+)$/.exec(line);
    if (h) {
      current = { heading: h[1]!.trim(), tables: [] };
      out.push(current);
      table = null;
      continue;
    }
    if (line.startsWith('|') && current) {
      const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
      if (!table) {
        table = []; // first row: column names
        current.tables.push(table);
        continue;
      }
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
      table.push(cells);
      continue;
    }
    table = null;
  }
  return out;
}

/** One row of a byte table, as the doc writes it. */
export interface DocField {
  offset: number;
  size: number;
  type: string;
  name: string;
}

/**
 * Checks a byte table (columns: offset | size | type | name | meaning) and returns its rows: offsets
 * contiguous from 0, each size the size of its type (`typeBytes`, the document's own type names),
 * integers naturally aligned, sizes summing to `bytes`. With `u8ArraysReservedOnly`, `u8[n]` may only
 * name reserved bytes.
 */
export function checkByteTable(
  rows: Row[], bytes: number, what: string, typeBytes: (type: string) => number,
  opts: { readonly u8ArraysReservedOnly?: boolean } = {},
): DocField[] {
  let next = 0;
  const out: DocField[] = [];
  for (const r of rows) {
    assert.equal(r.length, 5, `${what}: row "${r.join(' | ')}" should have 5 cells`);
    const [offset, size, type, name] = [Number(r[0]), Number(r[1]), r[2]!, r[3]!];
    assert.equal(offset, next, `${what}.${name}: offset ${offset}, but the fields before it end at ${next}`);
    assert.equal(size, typeBytes(type), `${what}.${name}: size ${size} is not the size of ${type}`);
    const align = /^[ui](8|16|32|64)$/.test(type) ? size : 1;
    assert.equal(offset % align, 0, `${what}.${name}: ${type} at ${offset} is not ${align}-byte aligned`);
    if (opts.u8ArraysReservedOnly && type.startsWith('u8[')) assert.equal(name, 'reserved', `${what}: u8[n] is for reserved bytes only`);
    out.push({ offset, size, type, name });
    next += size;
  }
  assert.equal(next, bytes, `${what}: field sizes sum to ${next}, the code says ${bytes}`);
  return out;
}
