// Runs the node:test files under the given folders (TypeScript through tsx). Node 20's `--test` takes no globs,
// so the files are listed here. Usage: node scripts/run-tests.mjs test/unit [more folders or files]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(p, out) {
  if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) collect(join(p, f), out);
  else if (/\.test\.(ts|mjs)$/.test(p)) out.push(p);
  return out;
}
const files = process.argv.slice(2).flatMap((p) => collect(p, []));
if (!files.length) {
  console.error('no test files under', process.argv.slice(2).join(' '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
