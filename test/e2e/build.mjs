// Bundles the e2e suite (test/e2e/suite/index.ts) into dist/test/e2e/suite.js: CommonJS for the extension host,
// `vscode` provided by the host. Kept out of scripts/build.mjs: only the e2e harnesses need it.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['test/e2e/suite/index.ts'],
  outfile: 'dist/test/e2e/suite.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
