// Functions stay small enough to read in one screen: no function, method or arrow function in the product's sources
// (server, client, webview) spans more than MAX_LINES lines, nested functions included. A longer one is split into
// named steps (ARCHITECTURE.md, "Functions").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_LINES = 100;
const ROOT = join(__dirname, '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (f.endsWith('.ts') && !f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every function-like node of a file longer than `max` lines: "path:line name (N lines)". */
export function longFunctions(file: string, text: string, max: number): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const first = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
      const last = src.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) {
        const named = (n as { name?: ts.Node }).name;
        const name =
          named?.getText(src) ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText(src) : '(anonymous)');
        out.push(`${file}:${first + 1} ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

test(`no function of the sources is longer than ${MAX_LINES} lines`, () => {
  const long = ['server/src', 'client/src', 'webview/src'].flatMap((d) =>
    files(join(ROOT, d)).flatMap((f) => longFunctions(relative(ROOT, f), readFileSync(f, 'utf8'), MAX_LINES)),
  );
  assert.deepEqual(long, [], `split these into named steps:\n${long.join('\n')}`);
});

test('the length check sees functions, methods and arrows, nested ones included', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
  const text = [
    `function f() {\n${body(5)}\n}`,
    `const g = () => {\n${body(8)}\n};`,
    `class C {\n  m() {\n${body(9)}\n  }\n}`,
    `function outer() {\n  const inner = function () {\n${body(7)}\n  };\n}`,
  ].join('\n');
  assert.deepEqual(longFunctions('x.ts', text, 8), [
    'x.ts:8 g (10 lines)',
    'x.ts:19 m (11 lines)',
    'x.ts:31 outer (11 lines)',
    'x.ts:32 inner (9 lines)',
  ]);
});
