// The host's view of the core is the type asc generates (build/core.d.ts, `--bindings raw`), so a call
// that does not exist or has the wrong arity must fail tsc. These tests compile small snippets in
// memory against host/core/core.ts with the TypeScript compiler API and assert the diagnostics, then
// check the generated type against a real instance: same export names, same parameter counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { testCore } from '../testkit/core.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SNIPPET = `${ROOT}tests/core/bindings-snippet.ts`;

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/** Type-checks `body` (after an import of CoreExports and a `core` of that type); returns the program and its errors. */
function check(body: string): { program: ts.Program; errors: { code: number; text: string }[] } {
  const text = `import type { CoreExports } from '../../host/core/core.js';\ndeclare const core: CoreExports;\n${body}\n`;
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) =>
    name === SNIPPET ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === SNIPPET || fileExists(name);
  const program = ts.createProgram([SNIPPET], OPTIONS, host);
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(SNIPPET))
    .map((d) => ({ code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
  return { program, errors };
}

test('well-typed core calls compile, i64 as bigint', () => {
  const { errors } = check(`
    const bytes: number = core.ringBytes(8);
    const events: bigint = core.oracleEvents(0);
    const id: number = core.matchSubmit(0, 0, 1, 2, 0, 0, 0, 1000, 5, 123n);
    core.memory.buffer;
  `);
  assert.deepEqual(errors, []);
});

test('a core function that does not exist fails tsc', () => {
  const { errors } = check('core.ringFrobnicate(1);');
  assert.deepEqual(errors.map((e) => e.code), [2339], JSON.stringify(errors));
  assert.match(errors[0]!.text, /Property 'ringFrobnicate' does not exist/);
});

test('a core call with the wrong arity fails tsc', () => {
  const { errors } = check('core.ringBytes();\ncore.ringInit(0, 8, 1);');
  assert.deepEqual(errors.map((e) => e.code), [2554, 2554], JSON.stringify(errors));
  assert.match(errors[0]!.text, /Expected 1 arguments, but got 0/);
  assert.match(errors[1]!.text, /Expected 2 arguments, but got 3/);
});

test('an i64 parameter or result is a bigint: a number in its place fails tsc', () => {
  const { errors } = check('core.matchSubmit(0, 0, 1, 2, 0, 0, 0, 1000, 5, 123);\nconst n: number = core.oracleEvents(0);');
  assert.deepEqual(errors.map((e) => e.code), [2345, 2322], JSON.stringify(errors));
  assert.match(errors[0]!.text, /'number' is not assignable to parameter of type 'bigint'/);
});

test('the generated types keep the core\'s own types in their doc comments', () => {
  const { program } = check('core.matchSubmit;');
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SNIPPET)!;
  const core = source.statements.find(ts.isVariableStatement)!.declarationList.declarations[0]!;
  const submit = checker.getTypeAtLocation(core).getProperty('matchSubmit')!;
  const tags = submit.getJsDocTags(checker).map((t) => `${t.name} ${ts.displayPartsToString(t.text)}`);
  assert.ok(tags.includes('param nowNs `i64`'), tags.join('\n'));
  assert.ok(tags.includes('param side `u32`'), tags.join('\n'));
  assert.ok(tags.includes('returns `i32`'), tags.join('\n'));
});

test('the generated type matches a real instance: every export, every parameter count', async () => {
  const { program } = check('core;');
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SNIPPET)!;
  const decl = source.statements.find(ts.isVariableStatement)!.declarationList.declarations[0]!;
  const typed = new Map<string, number | 'memory'>();
  for (const p of checker.getTypeAtLocation(decl).getProperties()) {
    const signatures = checker.getTypeOfSymbolAtLocation(p, decl).getCallSignatures();
    typed.set(p.name, signatures.length === 1 ? signatures[0]!.getParameters().length : 'memory');
  }
  const { core } = await testCore();
  const actual = new Map<string, number | 'memory'>();
  for (const [name, value] of Object.entries(core)) {
    actual.set(name, typeof value === 'function' ? value.length : 'memory');
  }
  assert.ok(typed.size > 100, `${typed.size} exports typed`);
  assert.deepEqual([...typed].sort(), [...actual].sort());
});
