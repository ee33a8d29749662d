// The trading vocabulary is written once per language: wasm-core/vocabulary.ts for the core,
// host/model/vocabulary.ts for the host and the wire. This test reads the core's file with the
// TypeScript compiler API (AssemblyScript is TypeScript syntax) and compares it with everything the
// host's module exports, name for name and value for value. Parsing the source, rather than exporting
// probe functions from the core, keeps test-only exports out of core.wasm and checks names as well as
// values: a member missing or added on either side fails as surely as a changed code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import * as hostVocabulary from '../../host/model/vocabulary.js';

const CORE_VOCABULARY = new URL('../../../wasm-core/vocabulary.ts', import.meta.url);

/** AssemblyScript built-ins a constant may be written as. */
const BUILTINS: Record<string, number> = { 'i32.MIN_VALUE': -2147483648, 'i32.MAX_VALUE': 2147483647 };

type Vocabulary = Record<string, number | Record<string, number>>;

function valueOf(node: ts.Expression): number {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node)) return valueOf(node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return -valueOf(node.operand);
  const text = node.getText();
  if (text in BUILTINS) return BUILTINS[text]!;
  throw new Error(`wasm-core/vocabulary.ts: cannot read the value \`${text}\``);
}

function constants(statement: ts.Statement, into: Record<string, number>): void {
  if (!ts.isVariableStatement(statement)) throw new Error(`wasm-core/vocabulary.ts: unexpected \`${statement.getText()}\``);
  for (const d of statement.declarationList.declarations) into[d.name.getText()] = valueOf(d.initializer!);
}

/** Top-level constants as numbers, namespaces as objects of their constants. */
function readCoreVocabulary(text: string): Vocabulary {
  const source = ts.createSourceFile('vocabulary.ts', text, ts.ScriptTarget.Latest, true);
  const out: Vocabulary = {};
  for (const st of source.statements) {
    if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
      const members: Record<string, number> = {};
      for (const m of st.body.statements) constants(m, members);
      out[st.name.text] = members;
    } else {
      const one: Record<string, number> = {};
      constants(st, one);
      Object.assign(out, one);
    }
  }
  return out;
}

function hostVocabularyObject(): Vocabulary {
  return Object.fromEntries(Object.entries(hostVocabulary)) as Vocabulary;
}

test('the core and the host define the same vocabulary (every name, every value)', async () => {
  const core = readCoreVocabulary(await readFile(CORE_VOCABULARY, 'utf8'));
  assert.deepEqual(Object.keys(core).sort(), ['NO_PRICE', 'OrderKind', 'OrderState', 'RejectReason', 'RiskRefusal', 'Side', 'TimeInForce', 'TradingState', 'TradingStateReason']);
  assert.deepEqual(core, hostVocabularyObject());
});

test('the comparison fails on a changed code, a missing member or an extra one', async () => {
  const text = await readFile(CORE_VOCABULARY, 'utf8');
  const changed = text.replace(/(export const SELL: u32 = )1;/, '$12;');
  const missing = text.replace(/\n\s*export const POST_ONLY: u32 = 2;/, '');
  const extra = text.replace(/(export const MARKET: u32 = 1;)/, '$1\n  export const STOP: u32 = 2;');
  for (const variant of [changed, missing, extra]) {
    assert.notEqual(variant, text, 'the mutation applies');
    assert.throws(() => assert.deepEqual(readCoreVocabulary(variant), hostVocabularyObject()));
  }
});
