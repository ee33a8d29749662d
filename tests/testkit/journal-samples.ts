// Sample records for the journal tests: every record type with values at the edges of its field types
// (seeded, so a failure repeats), and a temporary directory per test file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_TYPES, flatFields, type RecordInfo } from '../../host/journal/records.js';
import type { JournalWriter } from '../../host/journal/journal-writer.js';
import { rng } from './core.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Edge and middle values of a field type (as numbers). */
export function edges(type: string): number[] {
  switch (type) {
    case 'u8': return [0, 1, 127, 255];
    case 'u16': return [0, 1, 0x7fff, 0xffff];
    case 'u32': return [0, 1, 0x7fffffff, 0xffffffff];
    case 'i32': return [-0x80000000, -1, 0, 1, 0x7fffffff];
    case 'u64': return [0, 1, 2 ** 32 - 1, 2 ** 32, MAX_SAFE];
    case 'i64': return [-MAX_SAFE, -(2 ** 32), -1, 0, 1, 2 ** 32 - 1, 2 ** 32, MAX_SAFE];
    default: throw new Error(`no edges for ${type}`);
  }
}

export interface Sample {
  readonly info: RecordInfo;
  /** timestampNs, then the fields in byte order. */
  readonly values: readonly number[];
}


/** `n` samples per record type: the first few walk every field through its edges, the rest pick at random. */
export function samples(n: number, seed = 1): Sample[] {
  const next = rng(seed);
  const out: Sample[] = [];
  for (const info of RECORD_TYPES) {
    const fields = flatFields(info.layout).filter((f) => f.name !== 'reserved' && f.name !== 'type');
    const ts = fields.find((f) => f.name === 'timestampNs')!;
    for (let i = 0; i < n; i++) {
      out.push({
        info,
        values: fields.map((f) => {
          const e = edges(f.type);
          if (f === ts) return i < e.length ? Math.abs(e[i]!) : Math.floor(next() * MAX_SAFE);
          return i < e.length * 2 ? e[i % e.length]! : e[Math.floor(next() * e.length)]!;
        }),
      });
    }
  }
  return out;
}

/** Appends a sample through the writer's method of its type. */
export function append(w: JournalWriter, s: Sample): void {
  (w[s.info.name] as unknown as (...v: number[]) => void)(...s.values);
}

/** The sample as the reader decodes it. */
export function expected(s: Sample): { type: string; timestampNs: number; fields: Record<string, number> } {
  const fields: Record<string, number> = {};
  s.info.args.forEach((name, i) => { fields[name] = s.values[i + 1]!; });
  return { type: s.info.name, timestampNs: s.values[0]!, fields };
}

export function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'journal-test-')), name);
}
