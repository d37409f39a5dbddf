// The bundled `accelmap` program (what package.json's bin points at): built here with the same esbuild options as
// scripts/build.mjs into a temp folder, then run as a child process — shebang, exit codes, stdout/stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import pkg from '../../../package.json';
import { SHARED_ONNX } from '../../shared-data';

const root = join(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'accelmap-bundle-'));
const cli = join(dir, 'cli.js');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test.before(async () => {
  await esbuild.build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    legalComments: 'none',
    entryPoints: [join(root, 'server/src/cli/main.ts')],
    outfile: cli,
    banner: { js: '#!/usr/bin/env node' },
  });
});

const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });

test('the bundle starts with a shebang and answers --version and bad commands', () => {
  assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.equal(v.stdout, `${pkg.version}\n`);
  const bad = run(['chek']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "accelmap: unknown command 'chek'; did you mean 'check'? (see accelmap --help)\n");
});

test('the bundle imports and simulates an ONNX model without a stack trace on failure', () => {
  const r = run(['simulate', join(SHARED_ONNX, 'resnet50-train.onnx'), '--batch', '32', '-t', 'ntx', '-f', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.network.name, 'resnet50-train');
  assert.equal(res.network.batch, 32);
  assert.equal(res.targets[0].layers.length, res.network.layerCount);
  const missing = run(['import', join(dir, 'none.onnx')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^accelmap: .*none\.onnx: cannot open the file \(ENOENT\)\n$/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  assert.ok(!existsSync(join(root, 'none.net.yaml')));
});

test('a reader that closes the pipe early (accelmap … | head -1) ends the command quietly with exit code 0', () => {
  const b = spawnSync(
    '/bin/bash',
    [
      '-c',
      `"${process.execPath}" "${cli}" simulate examples/resnet50.net.yaml --format json | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`,
    ],
    { encoding: 'utf8', cwd: root },
  );
  assert.equal(b.stdout.trim(), '0');
  assert.doesNotMatch(b.stderr, /EPIPE|Unhandled/);
});
