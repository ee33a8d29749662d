// The config file reader (smol-toml underneath): what it returns to the config readers, and how it
// says the text is wrong (the file, the line and the column) or a value is unusable (the key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ConfigSyntaxError } from '../../host/config/config-error.js';
import { isLocalDate, readConfigFile } from '../../host/config/config-file.js';
import { numberText } from '../../host/config/validate.js';

const read = (text: string) => readConfigFile(text, 'test.toml');

test('tables, arrays of tables, dotted names, comments and every supported scalar', () => {
  const doc = read(`# leading comment
title = "cost profiles"   # trailing comment
'literal key' = 'C:\\no\\escapes'
"quoted key" = "tab\\tquote\\"unicode\\u20B9\\U0001F600"
count = 1_000_000
negative = -42
plus = +7
ratio = 0.000_297
exp = 6.02e23
neg_exp = -1E-3
yes = true
no = false
day = 2024-10-01
list = [1, 2, 3]
mixed = [
  "a",   # comments and newlines inside arrays
  0.5,
  2026-04-01,
]
empty = []
inf = -inf

[server]
host = "localhost"
limits.ops = 10
limits."burst size" = 20

[a.b."c.d"]
x = 1

[[profiles.futures]]
effective_from = 2024-10-01

[[profiles.futures]]
effective_from = 2026-04-01
extra.note = "dotted key inside an array-of-tables element"

[profiles.futures.meta]
source = "subtable of the last element"
`);
  assert.deepEqual(doc, {
    title: 'cost profiles',
    'literal key': 'C:\\no\\escapes',
    'quoted key': 'tab\tquote"unicode₹😀',
    count: 1_000_000, negative: -42, plus: 7, ratio: 0.000297, exp: 6.02e23, neg_exp: -0.001,
    yes: true, no: false, day: '2024-10-01',
    list: [1, 2, 3], mixed: ['a', 0.5, '2026-04-01'], empty: [], inf: -Infinity,
    server: { host: 'localhost', limits: { ops: 10, 'burst size': 20 } },
    a: { b: { 'c.d': { x: 1 } } },
    profiles: {
      futures: [
        { effective_from: '2024-10-01' },
        { effective_from: '2026-04-01', extra: { note: 'dotted key inside an array-of-tables element' }, meta: { source: 'subtable of the last element' } },
      ],
    },
  });
});

test('numbers come back as doubles whose shortest text is the source\'s decimal; unsafe integers are refused by key', () => {
  const doc = read('a = 0.00297\nb = 1_000\nc = -0.02\nd = [0.1, 3e-5]\ns = "0.1"\n');
  assert.deepEqual(doc, { a: 0.00297, b: 1000, c: -0.02, d: [0.1, 3e-5], s: '0.1' });
  assert.deepEqual([doc['a'], doc['b'], doc['c'], ...(doc['d'] as number[])].map((n) => numberText(n as number)),
    ['0.00297', '1000', '-0.02', '0.1', '0.00003']);
  assert.equal(doc['s'], '0.1');
  assert.equal(JSON.stringify(doc['a']), '0.00297');
  assert.equal(numberText(1e21), '1000000000000000000000');
  assert.equal(numberText(-1.5e-7), '-0.00000015');
  // Integers beyond 2^53 cannot be held as numbers: refused naming the key, the value kept exactly as text.
  assert.throws(() => read('[t]\nbig = 9007199254740993'), (err: unknown) =>
    err instanceof ConfigError && err.key === 't.big' && err.message.includes('"9007199254740993"'));
});

test('CRLF line endings, a BOM and a file without a final newline', () => {
  assert.deepEqual(read('\uFEFFa = 1\r\n[t]\r\nb = "x"'), { a: 1, t: { b: 'x' } });
  assert.deepEqual(read(''), {});
  assert.deepEqual(read('\n\n# only comments\n'), {});
});

test('keys named like Object.prototype members are plain data', () => {
  const doc = read('__proto__ = 1\nconstructor = "x"\n[toString]\nv = 2\n');
  assert.equal(Object.getPrototypeOf(doc), Object.prototype);
  assert.deepEqual(Object.keys(doc), ['__proto__', 'constructor', 'toString']);
  assert.equal(doc['__proto__'], 1);
});

function fails(text: string, line: number, column: number, reason: RegExp): void {
  assert.throws(() => read(text), (err: unknown) => {
    assert.ok(err instanceof ConfigSyntaxError, `ConfigSyntaxError, got ${String(err)}`);
    assert.equal(err.key, 'test.toml');
    assert.equal(`${err.line}:${err.column}`, `${line}:${column}`, err.message);
    assert.match(err.reason, reason);
    assert.equal(err.where, `line ${line}, column ${column}: ${err.reason}`);
    assert.equal(err.message, `test.toml must be valid TOML, got ${JSON.stringify(err.where)}`);
    return true;
  });
}

function refusedKey(text: string, key: string, message: RegExp): void {
  assert.throws(() => read(text), (err: unknown) => {
    assert.ok(err instanceof ConfigError && !(err instanceof ConfigSyntaxError), `ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.match(err.message, message);
    return true;
  });
}

test('errors carry the file, the line and the column', () => {
  fails('a = 1\nb = \n', 2, 5, /invalid value/);
  fails('a = 1\na = 2\n', 2, 1, /redefine an already defined/);
  fails('[t]\nx = 1\n[t]\n', 3, 2, /redefine an already defined table/);
  fails('t = 1\n[t]\n', 2, 2, /redefine an already defined/);
  fails('[[t]]\n[t]\n', 2, 2, /redefine an already defined/);
  fails('[t]\n[[t]]\n', 2, 3, /redefine an already defined/);
  fails('a = [1, 2\n', 2, 1, /expected comma or end of structure/);
  fails('a = [1 2]\n', 1, 8, /expected comma or end of structure/);
  fails('a = "open\n', 1, 10, /control characters are not allowed in strings/);
  fails("a = 'open", 1, 5, /unfinished string/);
  fails('a = "bad \\q"\n', 1, 11, /unrecognised escape sequence/);
  fails('a = 1 2\n', 1, 7, /must be followed by an end-of-line/);
  fails('a = 01\n', 1, 5, /illegal leading zero/);
  fails('a = 1__0\n', 1, 7, /illegal underscore/);
  fails('a = 1.\n', 1, 5, /unfinished numeric value/);
  fails('a = 2024-02-30\n', 1, 5, /2024-02-30 is not a calendar date/);
  fails('d = [2024-01-31, 2024-02-30]\n', 1, 18, /2024-02-30 is not a calendar date/);
  fails('a b = 1\n', 1, 3, /illegal character in key/);
  fails('[t\n', 1, 3, /illegal character in key/);
  fails('[[t]\n', 1, 5, /expected end of table array declaration/);
  fails('= 1\n', 1, 1, /unexpected end of key/);
  fails('a = 1\rb = 2\n', 1, 6, /must be followed by an end-of-line/);
  fails('x = 1\n\n\n   y = tru\n', 4, 8, /invalid value/);
  fails('[t]\na.b = 1\n[t.a]\n', 3, 2, /redefine an already defined/);
  fails('[t.a]\nb = 1\n[t]\na.c = 2\n', 4, 1, /redefine an already defined/);
  // Values no config uses are refused naming their key.
  refusedKey('[t]\na = 1979-05-27T07:32:00\n', 't.a', /must be a local date YYYY-MM-DD \(no times or date-times\), got "1979-05-27T07:32:00.000"/);
  refusedKey('a = 1979-05-27 07:32:00\n', 'a', /no times or date-times/);
  refusedKey('a = [1, 99999999999999999999]\n', 'a[1]', /within ±\(2\^53 − 1\).*got "99999999999999999999"/);
  // A date inside a string is text, not a date.
  assert.deepEqual(read('x = "2024-02-30"'), { x: '2024-02-30' });
});

test('isLocalDate knows the calendar', () => {
  assert.ok(isLocalDate('2024-02-29'));
  assert.ok(!isLocalDate('2023-02-29'));
  assert.ok(isLocalDate('2000-02-29'));
  assert.ok(!isLocalDate('1900-02-29'));
  assert.ok(!isLocalDate('2024-04-31'));
  assert.ok(!isLocalDate('2024-00-10'));
  assert.ok(!isLocalDate('2024-1-10'));
});
