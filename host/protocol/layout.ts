// Layouts: each record of the protocol (the frame header, every message, a Snapshot level) is described
// once, as its fields in byte-table order: name, type as docs/protocol.md writes it, and the rule
// validation applies. Everything else derives from that description when the module loads: offsets
// (packed in order; each field must sit naturally aligned), the size, one getter per field, the
// positional encoder, and the field checks (validate.ts).
//
// Getters, encoders and checks are compiled from the description with `new Function`, once: each is a
// small function with its offsets as literals — the code one would write by hand — so the hot path keeps
// its cost (no allocation, no lookup, monomorphic). Closures would not do: closures made from one
// function literal share their type feedback, so a generic encoder calling per-field writers goes
// megamorphic. The generated source can be read with `String(encodeNewOrder)`. (A browser page whose
// Content-Security-Policy forbids 'unsafe-eval' cannot load this module.)
import { readAscii, readId, writeAscii, writeId } from './field-encodings.js';

export type ScalarType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64';
/** A field's type as the doc writes it. `u8[n]` is for reserved bytes only. */
export type FieldType = ScalarType | `char[${number}]` | `u8[${number}]`;
/** `count` records of one layout back to back, written `name[count]` in the doc (Snapshot levels). */
export interface ArrayType<E extends Layout = Layout> {
  readonly element: E;
  readonly count: number;
}

/** What a field's value must satisfy (validate.ts compiles it into its checks). Either `test`, a JS
 *  expression over the value `x` that is true when the value is acceptable (else `reason`), or `check`,
 *  a function returning 0 or the RejectReason, for what no expression can say (a loop over levels).
 *  Either sees, after the value, the fields named in `uses` (by name in `test`; 'maxSymbol' is the
 *  validator's argument). A u64 value is a number, char[n] its first byte; an array field's `check`
 *  gets the view and the offset of the first element. `helpers`: functions `test` calls. */
export type Rule =
  | { readonly reason: number; readonly test: string; readonly uses: readonly string[]; readonly helpers: Readonly<Record<string, unknown>> }
  | { readonly check: (...args: never[]) => number; readonly uses: readonly string[] };

/** One field of a description: [name, type, rule]. Fields named `reserved` are written as 0 and
 *  have no getter, no encoder argument and no rule. */
export type FieldSpec = readonly [name: string, type: FieldType | ArrayType, rule?: Rule];

export const RESERVED = 'reserved';

/** A field with its place in the record. */
export interface Field {
  readonly name: string;
  /** As in the doc's byte table: 'u16', 'char[16]', 'u8[3]', 'level[20]', 'header'. */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly rule: Rule | null;
  /** A nested record (a message's header, count 1) or an array's element layout (count n). */
  readonly element: Layout | null;
  readonly count: number;
}

// ---- Types derived from a description ----

type ValueOf<T> = T extends `char[${number}]` ? string : T extends 'i64' ? bigint : number;
type Getter<V> = (view: DataView, at: number) => V;
type ElementGetters<E> = E extends RecordLayout<infer _N, infer F> ? { readonly [K in keyof Values<F>]: (view: DataView, at: number, i: number) => Values<F>[K] } : never;
/** Field name → value type, for the fields a caller reads and writes (not reserved, not arrays). */
export type Values<F extends readonly FieldSpec[]> = {
  [S in F[number] as S[0] extends typeof RESERVED ? never : S[1] extends string ? S[0] : never]: ValueOf<S[1]>;
};
/** The encoder's value arguments, in field order. */
export type EncoderArgs<F extends readonly FieldSpec[]> = F extends readonly [infer H extends FieldSpec, ...infer R extends readonly FieldSpec[]]
  ? H[0] extends typeof RESERVED ? EncoderArgs<R> : H[1] extends string ? [ValueOf<H[1]>, ...EncoderArgs<R>] : EncoderArgs<R>
  : [];
/** One getter per value field; an array field maps to its element getters, indexed. */
export type Getters<F extends readonly FieldSpec[]> = {
  readonly [S in F[number] as S[0] extends typeof RESERVED ? never : S[0]]: S[1] extends ArrayType<infer E> ? ElementGetters<E> : Getter<ValueOf<S[1]>>;
};

/** A layout as code generic over layouts sees it. */
export interface Layout {
  readonly name: string;
  /** Every field in byte order, reserved ones and a nested header included. */
  readonly fields: readonly Field[];
  /** Field name → offset (not reserved). */
  readonly offsets: Readonly<Record<string, number>>;
  /** Fixed size in bytes. */
  readonly bytes: number;
}
export interface RecordLayout<N extends string = string, F extends readonly FieldSpec[] = readonly FieldSpec[]> extends Layout {
  readonly name: N;
  readonly offsets: { readonly [K in F[number][0]]: number };
  readonly get: Getters<F>;
}

// ---- Building a layout ----

const SCALAR_BYTES: Readonly<Record<ScalarType, number>> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };

function isArray(type: FieldType | ArrayType): type is ArrayType {
  return typeof type === 'object';
}

function sizeOf(name: string, type: FieldType): number {
  if (type in SCALAR_BYTES) return SCALAR_BYTES[type as ScalarType];
  const bytes = /^(char|u8)\[(\d+)\]$/.exec(type);
  if (!bytes) throw new TypeError(`field ${name}: unknown type "${type}"`);
  if (bytes[1] === 'u8' && name !== RESERVED) throw new TypeError(`field ${name}: u8[n] is for reserved bytes only`);
  return Number(bytes[2]);
}

/** Describe a record: fields packed in order from offset 0, or after `head` (a message's header). */
export function record<const N extends string, const F extends readonly FieldSpec[]>(
  name: N, specs: F, head: Layout | null = null,
): RecordLayout<N, F> {
  const fields: Field[] = [];
  let offset = 0;
  if (head) {
    fields.push({ name: head.name, type: head.name, offset: 0, size: head.bytes, rule: null, element: head, count: 1 });
    offset = head.bytes;
  }
  for (const [fieldName, type, rule = null] of specs) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(fieldName)) throw new TypeError(`${name}: bad field name "${fieldName}"`);
    if (fieldName === RESERVED && rule) throw new TypeError(`${name}: a reserved field has no rule`);
    let field: Field;
    if (isArray(type)) {
      const { element, count } = type;
      field = { name: fieldName, type: `${element.name}[${count}]`, offset, size: element.bytes * count, rule, element, count };
    } else {
      const size = sizeOf(fieldName, type);
      const align = type in SCALAR_BYTES ? size : 1;
      if (offset % align !== 0) throw new TypeError(`${name}.${fieldName}: ${type} at ${offset} is not ${align}-byte aligned`);
      field = { name: fieldName, type, offset, size, rule, element: null, count: 1 };
    }
    fields.push(field);
    offset += field.size;
  }
  const offsets: Record<string, number> = {};
  for (const f of fields) if (f.name !== RESERVED) offsets[f.name] = f.offset;
  const layout = { name, fields, offsets, bytes: offset, get: {} };
  layout.get = compileGetters(layout);
  return layout as unknown as RecordLayout<N, F>;
}

/** An array field's type: `count` elements of `element`. */
export function array<E extends Layout>(element: E, count: number): ArrayType<E> {
  return { element, count };
}

/** True for a message's header field: a record nested once, typed by the record's name. */
export function isNested(f: Field): boolean {
  return f.element !== null && f.type === f.element.name;
}

/** The fields a caller reads and writes: not reserved, not nested, not arrays. */
export function valueFields(layout: Layout): Field[] {
  return layout.fields.filter((f) => f.name !== RESERVED && f.element === null);
}

// ---- Compiled code ----

/** Compile `source` (a function expression) with the field encodings in scope, plus `extra`. */
export function compile<T>(source: string, extra: Readonly<Record<string, unknown>> = {}): T {
  const scope: Record<string, unknown> = { readId, writeId, readAscii, writeAscii, ...extra };
  const names = Object.keys(scope);
  return new Function(...names, `'use strict';\nreturn ${source};`)(...names.map((n) => scope[n])) as T;
}

/** Source of an expression reading field `f` at byte `o` (an expression) of `view`. */
export function readSource(f: Field, o: string): string {
  switch (f.type) {
    case 'u8': return `view.getUint8(${o})`;
    case 'u16': return `view.getUint16(${o}, true)`;
    case 'u32': return `view.getUint32(${o}, true)`;
    case 'i32': return `view.getInt32(${o}, true)`;
    case 'i64': return `view.getBigInt64(${o}, true)`;
    case 'u64': return `readId(view, ${o})`;
    default: return `readAscii(view, ${o}, ${f.size})`;
  }
}

/** Source of a statement writing `value` (an expression) into field `f` at byte `o`. */
function writeSource(f: Field, o: string, value: string): string {
  switch (f.type) {
    case 'u8': return `view.setUint8(${o}, ${value});`;
    case 'u16': return `view.setUint16(${o}, ${value}, true);`;
    case 'u32': return `view.setUint32(${o}, ${value}, true);`;
    case 'i32': return `view.setInt32(${o}, ${value}, true);`;
    case 'i64': return `view.setBigInt64(${o}, ${value}, true);`;
    case 'u64': return `writeId(view, ${o}, ${value});`;
    default: return `writeAscii(view, ${o}, ${f.size}, ${value});`;
  }
}

/** Stores of zero over `size` reserved bytes at absolute offset `offset`: widest aligned stores first. */
function zeroSource(offset: number, size: number): string[] {
  const out: string[] = [];
  for (let o = offset, end = offset + size; o < end;) {
    const w = o % 4 === 0 && end - o >= 4 ? 4 : o % 2 === 0 && end - o >= 2 ? 2 : 1;
    out.push(w === 4 ? `view.setUint32(at + ${o}, 0, true);` : w === 2 ? `view.setUint16(at + ${o}, 0, true);` : `view.setUint8(at + ${o}, 0);`);
    o += w;
  }
  return out;
}

function getterName(layout: Layout, f: Field): string {
  return layout.name.charAt(0).toLowerCase() + layout.name.slice(1) + f.name.charAt(0).toUpperCase() + f.name.slice(1);
}

function compileGetters(layout: Layout): Record<string, unknown> {
  const get: Record<string, unknown> = {};
  for (const f of layout.fields) {
    if (f.name === RESERVED || isNested(f)) continue;
    if (f.element) {
      const element = f.element;
      const indexed: Record<string, unknown> = {};
      for (const e of valueFields(element)) {
        const o = `at + ${f.offset + e.offset} + i * ${element.bytes}`;
        indexed[e.name] = compile(`function ${getterName(layout, e)}(view, at, i) { return ${readSource(e, o)}; }`);
      }
      get[f.name] = indexed;
      continue;
    }
    get[f.name] = compile(`function ${getterName(layout, f)}(view, at) { return ${readSource(f, `at + ${f.offset}`)}; }`);
  }
  return get;
}

/**
 * Compile the positional encoder of `layout`: `(view, at, ...values) → bytes written`, writing every
 * byte but those of array fields (the message's own encoder writes those). Fields named in `fixed`
 * (the header's length, type, version) are written as those constants; the others, the nested
 * header's first, are the arguments, in byte order.
 */
export function compileEncoder(layout: Layout, fixed: Readonly<Record<string, number>>): unknown {
  const params: string[] = [];
  const constants: string[] = [];
  const body: string[] = [];
  const write = (fields: readonly Field[], base: number): void => {
    for (const f of fields) {
      const offset = base + f.offset;
      if (f.name === RESERVED) body.push(...zeroSource(offset, f.size));
      else if (isNested(f)) write(f.element!.fields, offset);
      else if (f.element) continue;
      else if (f.name in fixed) {
        body.push(writeSource(f, `at + ${offset}`, String(fixed[f.name])));
        constants.push(f.name);
      }
      else {
        params.push(f.name);
        body.push(writeSource(f, `at + ${offset}`, f.name));
      }
    }
  };
  write(layout.fields, 0);
  if (new Set(['view', 'at', ...params]).size !== params.length + 2) {
    throw new TypeError(`${layout.name}: encoder arguments ${params.join(', ')} repeat a name`);
  }
  if (constants.length !== Object.keys(fixed).length || new Set(constants).size !== constants.length) {
    throw new TypeError(`${layout.name}: constants ${Object.keys(fixed).join(', ')} must name one field each (found ${constants.join(', ')})`);
  }
  return compile(`function encode${layout.name}(view, at, ${params.join(', ')}) {\n  ${body.join('\n  ')}\n  return ${layout.bytes};\n}`);
}
