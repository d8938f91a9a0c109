// The report's shape as the types declare it (js/index.d.ts) equals the shape of real reports: every
// member path of the reports of the whole conformance corpus is declared, and every declared path
// occurs in some report. A field added to the core's report but not to the types (or the reverse)
// fails here. The declared shape is read with the TypeScript compiler's own type checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import * as cimd from 'cimd';
import { loadCases, root, run } from './corpus.mjs';

/** Member paths of a value (`diagnostics[].range.start.line`); the free-form `document` is a leaf. */
function pathsOf(value, prefix, out) {
  if (Array.isArray(value)) {
    for (const item of value) pathsOf(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object' && prefix !== 'document') {
    for (const [key, member] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      pathsOf(member, path, out);
    }
  }
  return out;
}

/** Member paths of a declared type, through unions (null left out) and arrays. */
function declaredPaths(checker, node, type, prefix, out) {
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) continue;
    if (checker.isArrayType(part)) {
      declaredPaths(checker, node, checker.getTypeArguments(part)[0], `${prefix}[]`, out);
    } else if (part.flags & ts.TypeFlags.Object && prefix !== 'document') {
      for (const prop of checker.getPropertiesOfType(part)) {
        const path = prefix ? `${prefix}.${prop.name}` : prop.name;
        out.add(path);
        declaredPaths(checker, node, checker.getTypeOfSymbolAtLocation(prop, node), path, out);
      }
    }
  }
  return out;
}

test('the types declare exactly the members real reports have', () => {
  const file = `${root}js/index.d.ts`;
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const report = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === 'Report');
  assert.ok(report, 'js/index.d.ts exports Report');
  const declared = declaredPaths(checker, source, checker.getDeclaredTypeOfSymbol(report), '', new Set());

  const seen = new Set();
  for (const c of loadCases()) {
    pathsOf(run(cimd, c), '', seen);
  }
  const undeclared = [...seen].filter((p) => !declared.has(p)).sort();
  const unseen = [...declared].filter((p) => !seen.has(p)).sort();
  assert.deepEqual(undeclared, [], 'members reports have that js/index.d.ts does not declare');
  assert.deepEqual(unseen, [], 'members js/index.d.ts declares that no corpus report has');
  assert.ok(declared.has('diagnostics[].range.start.column') && declared.has('fetch.cache_ttl_s'), [...declared].join(' '));
});
