// Bundles the programs of accelmap with esbuild. Types are checked separately (`npm run typecheck`).
//   dist/client.js   the VS Code extension (node, cjs, `vscode` external)
//   dist/server.js   the language server (node, cjs)
//   dist/cli.js      the `accelmap` command line (node, cjs, with a shebang)
//   dist/mapworker.js the mapper's worker thread (loaded by the server and the CLI)
//   dist/webview.js  the dashboard inside the webview (browser, iife, chart.js bundled)
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
// mainFields: prefer ESM builds; jsonc-parser's UMD `main` uses a dynamic require esbuild cannot bundle.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

mkdirSync('dist', { recursive: true });
await Promise.all([
  esbuild.build({ ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...node, entryPoints: ['server/src/sim/nest/poolWorker.ts'], outfile: 'dist/mapworker.js' }),
  esbuild.build({
    ...node,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview.js',
  }),
]);
chmodSync('dist/cli.js', 0o755);
