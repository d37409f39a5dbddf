// `npm test`: every tier, in order, stopping at the first failure.
// lint and types -> unit (spec core, simulator, importer, fuzz) -> language-server protocol over stdio
// -> webview in headless Chromium -> the extension inside a real VS Code (code-server build).
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit']],
  ['lsp', 'npm', ['run', '-s', 'test:lsp']],
  ['webview', 'npm', ['run', '-s', 'test:webview']],
  ['e2e', 'npm', ['run', '-s', 'test:e2e']],
];
const only = process.argv.slice(2);
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== accelmap test tier: ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n=== tier ${name} FAILED (exit ${r.status}) ===`);
    process.exit(r.status || 1);
  }
}
console.log('\n=== all test tiers passed ===');
