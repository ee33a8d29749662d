// Frame validation: 0 or the RejectReason of the first failed check (docs/protocol.md, "Validation").
// Checks run in a fixed order — frame length, version, type, size for the type, then the body's
// fields in the order of the message's byte table — so one bad frame always gets the same code.
// The field checks are the rules in each message's description (messages.ts, field-rules.ts), compiled
// once into one function, validateBody (layout.ts says why). Allocation-free; safe on the hot path.
// Session state (login, sequence) and venue state (symbol config, band, lot, order ids, rate, pool,
// halt) are the receiver's checks, not this file's.
import { HEADER_BYTES, PROTOCOL_VERSION, frameLength, frameType, frameVersion } from './frame.js';
import { MAX_SYMBOL_ID } from './field-rules.js';
import { compile, readSource, type Field } from './layout.js';
import { FRAME_BYTES, MAX_FRAME_BYTES, MESSAGES, type MessageInfo } from './messages.js';
import { RejectReason } from '../model/reasons.js';

const R = RejectReason;

/**
 * Validate the frame at `at`, of which `available` bytes are readable. Returns 0 or a RejectReason:
 * BAD_LENGTH (fewer than 16 bytes, length field < 16, > MAX_FRAME_BYTES, > available, or not the
 * type's size), BAD_VERSION, UNKNOWN_TYPE, or a field reason from validateBody.
 * Symbol ids must be 1..maxSymbol (the count of the venue's SymbolDefinitions).
 */
export function validateFrame(view: DataView, at: number, available: number, maxSymbol: number = MAX_SYMBOL_ID): number {
  if (available < HEADER_BYTES) return R.BAD_LENGTH;
  const length = frameLength(view, at);
  if (length < HEADER_BYTES || length > MAX_FRAME_BYTES || length > available) return R.BAD_LENGTH;
  if (frameVersion(view, at) !== PROTOCOL_VERSION) return R.BAD_VERSION;
  const type = frameType(view, at);
  const size = FRAME_BYTES[type]!;
  if (size === 0) return R.UNKNOWN_TYPE;
  if (length !== size) return R.BAD_LENGTH;
  return validateBody(view, at, type, maxSymbol);
}

/** The field checks alone, for a frame whose header already passed (known type, right length). */
export const validateBody = compileChecks(MESSAGES) as
  (view: DataView, at: number, type: number, maxSymbol?: number) => number;

/** A field's value as its rule gets it: a u64 as a number, char[n] as its first byte (no string),
 *  an array as the offset of its first element. */
function valueSource(f: Field): string {
  const o = `at + ${f.offset}`;
  if (f.element) return o;
  if (f.type.startsWith('char[')) return `view.getUint8(${o})`;
  // readId's sum, written out: in this large function a call might not be inlined, and its result
  // (a double above 2^31) would then be boxed — an allocation per frame.
  if (f.type === 'u64') return `view.getUint32(${o}, true) + view.getUint32(at + ${f.offset + 4}, true) * 4294967296`;
  return readSource(f, o);
}

/** The name a rule's `check` has in the compiled code's scope (one per function, however many use it). */
function ruleName(scope: Record<string, unknown>, check: unknown): string {
  for (const [name, value] of Object.entries(scope)) if (value === check) return name;
  const name = `rule${Object.keys(scope).length}`;
  scope[name] = check;
  return name;
}

/** Source of one message's case: its rules in byte order, each field read just before the first rule
 *  that needs it (a bad field stops the reading, as it would by hand). */
function checkSource(m: MessageInfo, scope: Record<string, unknown>): string {
  const byName = new Map(m.fields.map((f) => [f.name, f]));
  const read = new Set<string>();
  const lines: string[] = [];
  const need = (name: string, user: string): string => {
    if (name === 'maxSymbol') return name;
    const f = byName.get(name);
    if (!f) throw new TypeError(`${m.name}.${user}: its rule uses no field "${name}"`);
    if (!read.has(name)) lines.push(`const $${name} = ${valueSource(f)};`);
    read.add(name);
    return `$${name}`;
  };
  for (const f of m.fields) {
    const rule = f.rule;
    if (rule === null) continue;
    const value = need(f.name, f.name);
    const uses = rule.uses.map((u) => need(u, f.name));
    if ('test' in rule) {
      Object.assign(scope, rule.helpers);
      const bindings = rule.uses.flatMap((u, i) => (u === 'maxSymbol' ? [] : [`, ${u} = ${uses[i]}`]));
      lines.push(`{ const x = ${value}${bindings.join('')}; if (!(${rule.test})) return ${rule.reason}; }`);
    } else {
      const args = [...(f.element ? ['view'] : []), value, ...uses];
      lines.push(`if ((e = ${ruleName(scope, rule.check)}(${args.join(', ')})) !== 0) return e;`);
    }
  }
  return `case ${m.type}: {\n      ${lines.join('\n      ')}\n      return 0;\n    }`;
}

/** validateBody: one switch on the type with every message's checks written out, the shape of the
 *  hand-written switch it replaces: too big to be inlined into its callers, it is optimised on its own,
 *  and with the rules as expressions (field-rules.ts says why) there is nothing left to inline. */
function compileChecks(messages: readonly MessageInfo[]): unknown {
  const scope: Record<string, unknown> = {};
  const cases = messages.map((m) => checkSource(m, scope));
  return compile(`function validateBody(view, at, type, maxSymbol = ${MAX_SYMBOL_ID}) {
  let e = 0;
  switch (type) {
    ${cases.join('\n    ')}
    default: return ${R.UNKNOWN_TYPE};
  }
}`, scope);
}
