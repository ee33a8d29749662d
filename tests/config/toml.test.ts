// The TOML subset reader: what it accepts, what it returns, and where it says the text is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalDate, parseToml, TomlError, TomlNumber } from '../../host/config/toml.js';

test('tables, arrays of tables, dotted names, comments and every supported scalar', () => {
  const doc = parseToml(`# leading comment
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

test('exactNumbers keeps the source text of every integer and float', () => {
  const doc = parseToml('a = 0.00297\nb = 1_000\nc = -0.02\nd = [0.1, 3e-5]\ns = "0.1"\n', { exactNumbers: true });
  assert.deepEqual(doc['a'], new TomlNumber('float', '0.00297', 0.00297));
  assert.deepEqual(doc['b'], new TomlNumber('integer', '1000', 1000));
  assert.deepEqual(doc['c'], new TomlNumber('float', '-0.02', -0.02));
  assert.deepEqual(doc['d'], [new TomlNumber('float', '0.1', 0.1), new TomlNumber('float', '3e-5', 3e-5)]);
  assert.equal(doc['s'], '0.1');
  assert.equal(JSON.stringify(doc['a']), '0.00297');
  // Integers beyond 2^53 are refused as numbers but kept exactly as text.
  assert.equal((parseToml('big = 9007199254740993', { exactNumbers: true })['big'] as TomlNumber).text, '9007199254740993');
});

test('CRLF line endings, a BOM and a file without a final newline', () => {
  assert.deepEqual(parseToml('\uFEFFa = 1\r\n[t]\r\nb = "x"'), { a: 1, t: { b: 'x' } });
  assert.deepEqual(parseToml(''), {});
  assert.deepEqual(parseToml('\n\n# only comments\n'), {});
});

test('keys named like Object.prototype members are plain data', () => {
  const doc = parseToml('__proto__ = 1\nconstructor = "x"\n[toString]\nv = 2\n');
  assert.equal(Object.getPrototypeOf(doc), Object.prototype);
  assert.deepEqual(Object.keys(doc), ['__proto__', 'constructor', 'toString']);
  assert.equal(doc['__proto__'], 1);
});

function fails(text: string, line: number, column: number, reason: RegExp): void {
  assert.throws(() => parseToml(text), (err: unknown) => {
    assert.ok(err instanceof TomlError, `TomlError, got ${String(err)}`);
    assert.equal(`${err.line}:${err.column}`, `${line}:${column}`, err.message);
    assert.match(err.reason, reason);
    assert.equal(err.message, `line ${line}, column ${column}: ${err.reason}`);
    return true;
  });
}

test('errors carry line and column', () => {
  fails('a = 1\nb = \n', 2, 5, /expected a value/);
  fails('a = 1\na = 2\n', 2, 1, /duplicate key "a"/);
  fails('[t]\nx = 1\n[t]\n', 3, 1, /table \[t\] is defined more than once/);
  fails('t = 1\n[t]\n', 2, 1, /"t" already holds a value/);
  fails('[[t]]\n[t]\n', 2, 1, /defined more than once/);
  fails('[t]\n[[t]]\n', 2, 1, /already defined as something other than an array of tables/);
  fails('a = [1, 2\n', 2, 1, /unterminated array/);
  fails('a = [1 2]\n', 1, 8, /expected "," or "]"/);
  fails('a = "open\n', 1, 5, /unterminated string/);
  fails("a = 'open", 1, 5, /unterminated string/);
  fails('a = "bad \\q"\n', 1, 10, /invalid escape \\q/);
  fails('a = 1 2\n', 1, 7, /expected the end of the line/);
  fails('a = 01\n', 1, 5, /invalid value "01"/);
  fails('a = 1__0\n', 1, 5, /invalid value/);
  fails('a = 1.\n', 1, 5, /invalid value/);
  fails('a = 2024-02-30\n', 1, 5, /not a calendar date/);
  fails('a = 1979-05-27T07:32:00\n', 1, 5, /date-times/);
  fails('a = 1979-05-27 07:32:00\n', 1, 5, /date-times/);
  fails('a = 0x1F\n', 1, 5, /hexadecimal/);
  fails('a = { b = 1 }\n', 1, 5, /inline tables/);
  fails('a = """x"""\n', 1, 5, /multi-line strings/);
  fails('a = [[1], [2]]\n', 1, 6, /nested arrays/);
  fails('a = 99999999999999999999\n', 1, 5, /64 bits/);
  fails('a = 9007199254740993\n', 1, 5, /2\^53/);
  fails('a b = 1\n', 1, 3, /expected "=" after the key, found "b"/);
  fails('[t\n', 1, 3, /expected "]"/);
  fails('[[t]\n', 1, 4, /expected "]]"/);
  fails('= 1\n', 1, 1, /invalid character "=" in a key/);
  fails('a = 1\rb = 2\n', 1, 6, /carriage return/);
  fails('x = 1\n\n\n   y = tru\n', 4, 8, /invalid value "tru"/);
  fails('[t]\na.b = 1\n[t.a]\n', 3, 1, /defined more than once/);
  fails('[t.a]\nb = 1\n[t]\na.c = 2\n', 4, 1, /cannot add to table "a" with a dotted key/);
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
