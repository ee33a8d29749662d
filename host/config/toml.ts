// A small TOML reader for the subset the engine's config files use. No dependency.
//
// Supported: `#` comments; `[table]` and `[[array.of.tables]]` headers with dotted, bare or quoted names;
// `key = value` with bare, quoted and dotted keys; basic strings (with escapes) and literal strings; decimal
// integers and floats with `_` separators, `inf` and `nan`; booleans; local dates `YYYY-MM-DD`, returned as
// the string itself; inline arrays of these scalars (may span lines, may end with a comma).
// Refused with a TomlError naming line and column: everything else (multi-line strings, inline tables,
// nested arrays, date-times and times, hex/octal/binary integers), duplicate keys and redefined tables.
//
// With `exactNumbers`, every integer and float comes back as a TomlNumber that keeps its source text, so a
// reader can convert "0.00297" to fixed point without a binary float in between.

export class TomlError extends Error {
  override readonly name = 'TomlError';
  constructor(readonly reason: string, readonly line: number, readonly column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** An integer or float with its source text (underscores removed), returned when `exactNumbers` is set. */
export class TomlNumber {
  constructor(readonly kind: 'integer' | 'float', readonly text: string, readonly value: number) {}
  toJSON(): number { return this.value; }
}

export type TomlScalar = string | number | boolean | TomlNumber;
export type TomlValue = TomlScalar | TomlScalar[] | TomlTable | TomlTable[];
export interface TomlTable { [key: string]: TomlValue }

export interface TomlOptions {
  /** Return integers and floats as TomlNumber (source text kept) instead of number. */
  readonly exactNumbers?: boolean;
}

type TableKind = 'implicit' | 'header' | 'dotted';

const BARE_KEY = /[A-Za-z0-9_-]/;
const TOKEN = /[A-Za-z0-9_+.:-]/;
const INTEGER = /^[+-]?(0|[1-9](_?[0-9])*)$/;
const FLOAT = /^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$/;
const SPECIAL_FLOAT = /^[+-]?(inf|nan)$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const I64_MAX = (1n << 63n) - 1n;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/** Own data property even for keys like `__proto__`. */
const define = (o: object, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
};

/** True for a real calendar date written YYYY-MM-DD. */
export function isLocalDate(text: string): boolean {
  const m = LOCAL_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

class Parser {
  private pos = 0;
  private readonly kinds = new WeakMap<TomlTable, TableKind>();
  private readonly tableArrays = new WeakSet<TomlTable[]>();
  private readonly root: TomlTable = {};
  private current: TomlTable = this.root;

  constructor(private readonly src: string, private readonly exact: boolean) {
    this.kinds.set(this.root, 'header');
  }

  fail(reason: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.src.length; i++) {
      if (this.src[i] === '\n') { line++; lineStart = i + 1; }
    }
    throw new TomlError(reason, line, at - lineStart + 1);
  }

  private peek(offset = 0): string { return this.src[this.pos + offset] ?? ''; }
  private eof(): boolean { return this.pos >= this.src.length; }
  private skipSpaces(): void { while (this.peek() === ' ' || this.peek() === '\t') this.pos++; }

  private skipComment(): void {
    if (this.peek() !== '#') return;
    while (!this.eof() && this.peek() !== '\n' && this.peek() !== '\r') {
      const c = this.src.charCodeAt(this.pos);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) this.fail('control character in a comment');
      this.pos++;
    }
  }

  /** After a header or key/value: spaces, an optional comment, then a newline or the end. */
  private endOfLine(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.eof()) return;
    if (!this.newline()) this.fail(`expected the end of the line, found ${JSON.stringify(this.peek())}`);
  }

  private newline(): boolean {
    if (this.peek() === '\n') { this.pos++; return true; }
    if (this.peek() === '\r') {
      if (this.peek(1) !== '\n') this.fail('a carriage return must be followed by a line feed');
      this.pos += 2;
      return true;
    }
    return false;
  }

  parse(): TomlTable {
    while (!this.eof()) {
      this.skipSpaces();
      if (this.eof()) break;
      if (this.peek() === '#') { this.skipComment(); this.endOfLine(); continue; }
      if (this.newline()) continue;
      if (this.peek() === '[') this.header();
      else this.keyValue();
      this.endOfLine();
    }
    return this.root;
  }

  // ── keys ──────────────────────────────────────────────────────────────────────────────────────────

  private keyPath(): { parts: string[]; at: number } {
    const at = this.pos;
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      parts.push(this.simpleKey());
      this.skipSpaces();
      if (this.peek() !== '.') return { parts, at };
      this.pos++;
    }
  }

  private simpleKey(): string {
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    const start = this.pos;
    while (BARE_KEY.test(this.peek()) && !this.eof()) this.pos++;
    if (this.pos === start) this.fail(c === '' || c === '\n' || c === '\r' ? 'expected a key' : `invalid character ${JSON.stringify(c)} in a key`);
    return this.src.slice(start, this.pos);
  }

  // ── tables ────────────────────────────────────────────────────────────────────────────────────────

  private header(): void {
    const start = this.pos;
    const isArray = this.peek(1) === '[';
    this.pos += isArray ? 2 : 1;
    const { parts } = this.keyPath();
    if (isArray) {
      if (this.peek() !== ']' || this.peek(1) !== ']') this.fail('expected "]]" to close the array-of-tables header');
      this.pos += 2;
    } else {
      if (this.peek() !== ']') this.fail('expected "]" to close the table header');
      this.pos++;
    }
    const name = parts.join('.');
    let table = this.root;
    for (const part of parts.slice(0, -1)) table = this.descend(table, part, 'implicit', start);
    const last = parts[parts.length - 1]!;
    if (isArray) {
      const fresh: TomlTable = {};
      this.kinds.set(fresh, 'header');
      if (!hasOwn(table, last)) {
        const arr: TomlTable[] = [fresh];
        this.tableArrays.add(arr);
        define(table, last, arr);
      } else {
        const existing = table[last];
        if (!Array.isArray(existing) || !this.tableArrays.has(existing as TomlTable[])) {
          this.fail(`[[${name}]]: "${last}" is already defined as something other than an array of tables`, start);
        }
        (existing as TomlTable[]).push(fresh);
      }
      this.current = fresh;
      return;
    }
    if (!hasOwn(table, last)) {
      const fresh: TomlTable = {};
      this.kinds.set(fresh, 'header');
      define(table, last, fresh);
      this.current = fresh;
      return;
    }
    const existing = table[last];
    if (!this.isTable(existing) && !Array.isArray(existing)) this.fail(`"${last}" already holds a value, it cannot also be a table`, start);
    if (!this.isTable(existing) || this.kinds.get(existing) !== 'implicit') {
      this.fail(`table [${name}] is defined more than once`, start);
    }
    this.kinds.set(existing, 'header');
    this.current = existing;
  }

  private isTable(v: TomlValue | undefined): v is TomlTable {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof TomlNumber);
  }

  /** The table under `key` in `table`, created as `kind` if missing; the last table of an array of tables. */
  private descend(table: TomlTable, key: string, kind: TableKind, at: number): TomlTable {
    if (!hasOwn(table, key)) {
      const fresh: TomlTable = {};
      this.kinds.set(fresh, kind);
      define(table, key, fresh);
      return fresh;
    }
    const v = table[key];
    if (Array.isArray(v) && this.tableArrays.has(v as TomlTable[])) return (v as TomlTable[])[v.length - 1]!;
    if (this.isTable(v)) {
      if (kind === 'dotted' && this.kinds.get(v) === 'header') this.fail(`cannot add to table "${key}" with a dotted key: it was defined by a header`, at);
      return v;
    }
    this.fail(`"${key}" already holds a value, it cannot also be a table`, at);
  }

  // ── key = value ───────────────────────────────────────────────────────────────────────────────────

  private keyValue(): void {
    const { parts, at } = this.keyPath();
    if (this.peek() !== '=') this.fail(this.eof() || this.peek() === '\n' || this.peek() === '\r' ? 'expected "=" after the key' : `expected "=" after the key, found ${JSON.stringify(this.peek())}`);
    this.pos++;
    this.skipSpaces();
    let table = this.current;
    for (const part of parts.slice(0, -1)) table = this.descend(table, part, 'dotted', at);
    const last = parts[parts.length - 1]!;
    if (hasOwn(table, last)) this.fail(`duplicate key "${parts.join('.')}"`, at);
    define(table, last, this.value());
  }

  private value(): TomlScalar | TomlScalar[] {
    const c = this.peek();
    if (c === '' || c === '\n' || c === '\r' || c === '#') this.fail('expected a value');
    if (c === '"') {
      if (this.src.startsWith('"""', this.pos)) this.fail('multi-line strings are not supported');
      return this.basicString();
    }
    if (c === "'") {
      if (this.src.startsWith("'''", this.pos)) this.fail('multi-line strings are not supported');
      return this.literalString();
    }
    if (c === '[') return this.array();
    if (c === '{') this.fail('inline tables are not supported');
    return this.scalarToken();
  }

  private array(): TomlScalar[] {
    const out: TomlScalar[] = [];
    this.pos++;
    for (;;) {
      this.skipBlank();
      if (this.peek() === ']') { this.pos++; return out; }
      if (this.eof()) this.fail('unterminated array');
      if (this.peek() === '[') this.fail('nested arrays are not supported');
      out.push(this.value() as TomlScalar);
      this.skipBlank();
      if (this.peek() === ',') { this.pos++; continue; }
      if (this.peek() === ']') { this.pos++; return out; }
      this.fail(this.eof() ? 'unterminated array' : `expected "," or "]" in an array, found ${JSON.stringify(this.peek())}`);
    }
  }

  /** Spaces, newlines and comments (allowed between array elements). */
  private skipBlank(): void {
    for (;;) {
      this.skipSpaces();
      if (this.peek() === '#') { this.skipComment(); continue; }
      if (!this.newline()) return;
    }
  }

  // ── strings ───────────────────────────────────────────────────────────────────────────────────────

  private basicString(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.eof() || this.peek() === '\n' || this.peek() === '\r') this.fail('unterminated string', start);
      const c = this.peek();
      if (c === '"') { this.pos++; return out; }
      if (c === '\\') {
        const e = this.peek(1);
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) { out += simple[e]; this.pos += 2; continue; }
        if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          const hex = this.src.slice(this.pos + 2, this.pos + 2 + n);
          if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) this.fail(`\\${e} needs ${n} hex digits`);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail(`\\${e}${hex} is not a Unicode scalar value`);
          out += String.fromCodePoint(cp);
          this.pos += 2 + n;
          continue;
        }
        this.fail(`invalid escape \\${e}`);
      }
      const code = this.src.charCodeAt(this.pos);
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) this.fail('control character in a string');
      out += c;
      this.pos++;
    }
  }

  private literalString(): string {
    const start = this.pos;
    this.pos++;
    const from = this.pos;
    for (;;) {
      if (this.eof() || this.peek() === '\n' || this.peek() === '\r') this.fail('unterminated string', start);
      if (this.peek() === "'") { this.pos++; return this.src.slice(from, this.pos - 1); }
      const code = this.src.charCodeAt(this.pos);
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) this.fail('control character in a string');
      this.pos++;
    }
  }

  // ── numbers, booleans, dates ──────────────────────────────────────────────────────────────────────

  private scalarToken(): TomlScalar {
    const start = this.pos;
    while (!this.eof() && TOKEN.test(this.peek())) this.pos++;
    const tok = this.src.slice(start, this.pos);
    if (tok === '') this.fail(`invalid value starting with ${JSON.stringify(this.peek())}`);
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (LOCAL_DATE.test(tok)) {
      if (!isLocalDate(tok)) this.fail(`${tok} is not a calendar date`, start);
      if (this.peek() === ' ' && /^\d{2}:/.test(this.src.slice(this.pos + 1, this.pos + 4))) this.fail('date-times are not supported', start);
      return tok;
    }
    if (/^\d{4}-\d{2}-\d{2}[Tt]/.test(tok) || /^\d{2}:\d{2}/.test(tok)) this.fail('date-times and times are not supported', start);
    if (/^[+-]?0[xob]/.test(tok)) this.fail('hexadecimal, octal and binary integers are not supported', start);
    if (INTEGER.test(tok)) {
      const text = tok.replace(/_/g, '');
      const big = BigInt(text);
      if (big > I64_MAX || big < -I64_MAX - 1n) this.fail(`integer ${tok} does not fit in 64 bits`, start);
      const value = Number(text);
      if (this.exact) return new TomlNumber('integer', text, value);
      if (!Number.isSafeInteger(value)) this.fail(`integer ${tok} is beyond ±(2^53 − 1) and cannot be held exactly`, start);
      return value;
    }
    if (FLOAT.test(tok) || SPECIAL_FLOAT.test(tok)) {
      const text = tok.replace(/_/g, '');
      const value = text.endsWith('inf') ? (text.startsWith('-') ? -Infinity : Infinity) : text.endsWith('nan') ? NaN : Number(text);
      return this.exact ? new TomlNumber('float', text, value) : value;
    }
    this.fail(`invalid value ${JSON.stringify(tok)}`, start);
  }
}

/** Parses TOML text (the subset above) into plain objects; throws TomlError with line and column. */
export function parseToml(text: string, options: TomlOptions = {}): TomlTable {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return new Parser(src, options.exactNumbers === true).parse();
}
