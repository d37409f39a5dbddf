// The folder rules of ARCHITECTURE.md, checked on every import of the sources: data flows one way, the spec core
// never reaches the simulator, the simulator never the editor, and the client and webview take only types (and the
// pure wire decoder) from the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
/** Every relative import of a file: the imported path (repo-relative, no extension) and whether it is type-only. */
function imports(file: string): { to: string; typeOnly: boolean }[] {
  const src = readFileSync(file, 'utf8');
  const out: { to: string; typeOnly: boolean }[] = [];
  for (const m of src.matchAll(/^(import|export)(\s+type)?\b[^'"]*?from\s+'(\.[^']+)'/gm)) {
    out.push({ to: relative(ROOT, resolve(dirname(file), m[3])).replace(/\\/g, '/'), typeOnly: !!m[2] });
  }
  // import('x') in a type position (`import('x').Name`) is a type; anything else is a runtime dynamic import
  for (const m of src.matchAll(/import\('(\.[^']+)'\)(\.[A-Z])?/g))
    out.push({ to: relative(ROOT, resolve(dirname(file), m[1])).replace(/\\/g, '/'), typeOnly: !!m[2] });
  return out;
}
const under = (p: string, dir: string) => p === dir || p.startsWith(dir + '/');

/** [folder, what its files may not import (runtime imports; type-only imports of result/protocol types are fine)]. */
const RULES: { from: string; not: string[]; except?: (from: string, to: string) => boolean; typesOk?: boolean }[] = [
  {
    from: 'server/src/spec',
    not: [
      'server/src/sim',
      'server/src/lsp',
      'server/src/cli',
      'server/src/onnx',
      'server/src/sweep',
      'server/src/timeloop',
    ],
    // the spec core reads the kinds' parameter data, never their models
    except: () => false,
  },
  {
    from: 'server/src/sim',
    not: ['server/src/lsp', 'server/src/cli', 'server/src/onnx', 'server/src/sweep', 'server/src/timeloop'],
  },
  {
    from: 'server/src/kinds',
    not: ['server/src/lsp', 'server/src/cli', 'server/src/onnx', 'server/src/sweep', 'server/src/timeloop'],
  },
  // the layer modules are pure: types from elsewhere, code only from their own folder
  {
    from: 'server/src/layers',
    not: ['server/src', 'client/src', 'webview/src'],
    except: (_f, to) => under(to, 'server/src/layers'),
    typesOk: true,
  },
  { from: 'server/src/onnx', not: ['server/src/sim', 'server/src/lsp', 'server/src/cli', 'server/src/kinds'] },
  // the result contract (sim/types.ts: types and the phase list), the pure wire decoder and number formatting
  {
    from: 'webview/src',
    not: ['server/src', 'client/src'],
    except: (_f, to) => ['server/src/lsp/wireDecode', 'server/src/sim/types', 'server/src/sim/units'].includes(to),
    typesOk: true,
  },
  // the protocol (request names, types), the result contract, the wire codec and the pieces that exist once for
  // both sides: settings parsing and spec-file naming
  {
    from: 'client/src',
    not: ['server/src'],
    except: (_f, to) =>
      [
        'server/src/lsp/protocol',
        'server/src/sim/types',
        'server/src/lsp/resultWire',
        'server/src/lsp/wireDecode',
        'server/src/lsp/settings',
        'server/src/spec/files',
      ].includes(to),
    typesOk: true,
  },
];

test('every source import follows the folder rules of ARCHITECTURE.md', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const r of RULES) {
    for (const f of files(join(ROOT, r.from))) {
      const from = relative(ROOT, f).replace(/\\/g, '/');
      for (const i of imports(f)) {
        checked++;
        if (r.typesOk && i.typeOnly) continue;
        if (r.not.some((n) => under(i.to, n)) && !r.except?.(from, i.to))
          broken.push(`${from} imports ${i.to}${i.typeOnly ? ' (types)' : ''}`);
      }
    }
  }
  // the spec core may read kinds/params.ts and kinds/<kind>/params.ts only
  for (const f of files(join(ROOT, 'server/src/spec'))) {
    for (const i of imports(f)) {
      if (under(i.to, 'server/src/kinds') && !/^server\/src\/kinds\/(params|[a-z]+\/params)$/.test(i.to))
        broken.push(`${relative(ROOT, f)} imports the model ${i.to}`);
    }
  }
  // a kind's parameter file is data: it imports nothing but spec/params
  for (const f of files(join(ROOT, 'server/src/kinds')).filter(
    (x) => x.endsWith('/params.ts') && !x.endsWith('kinds/params.ts'),
  )) {
    for (const i of imports(f))
      if (i.to !== 'server/src/spec/params' && !i.typeOnly) broken.push(`${relative(ROOT, f)} imports ${i.to}`);
  }
  // kinds do not reach into each other (the system kind simulates its device through kinds/models.ts)
  for (const f of files(join(ROOT, 'server/src/kinds'))) {
    const own = relative(ROOT, f).split('/')[3];
    for (const i of imports(f)) {
      const m = /^server\/src\/kinds\/([a-z]+)\//.exec(i.to);
      if (m && own !== m[1] && !f.endsWith('kinds/params.ts') && !f.endsWith('kinds/models.ts'))
        broken.push(`${relative(ROOT, f)} imports another kind's ${i.to}`);
    }
  }
  assert.ok(checked > 400, `${checked} imports checked`);
  assert.deepEqual(broken, []);
});
