// Runs the same e2e suite in a desktop VS Code downloaded by @vscode/test-electron (needs internet; on this
// project's offline machines use test/e2e/run.mjs instead). Usage: npm run build && node test/e2e/electron.mjs
// Env: VSCODE_VERSION (default 'stable'). Screenshots are only taken by run.mjs (the suite skips them here).
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const b = spawnSync(process.execPath, [join(ROOT, 'test/e2e/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (b.status !== 0) process.exit(1);
const ws = mkdtempSync(join(tmpdir(), 'accelmap-e2e-ws-'));
cpSync(join(ROOT, 'test/e2e/workspace'), ws, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'dist/test/e2e/suite.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error('e2e (electron) failed:', e);
  process.exit(1);
}
