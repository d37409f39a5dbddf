// accelmap/importOnnx over the protocol: writes the spec, never overwrites unless asked, reports bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient, fileUri } from './client';
import { workspace } from './fixtures';
import { SHARED_ONNX } from '../shared-data';

const MODEL = join(SHARED_ONNX, 'alexnet.onnx');
let c: TestClient;
let ws: string;
before(async () => {
  ws = workspace({});
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
});
after(async () => {
  await c.stop();
});

test('imports an ONNX model into a network spec that analyses cleanly', async () => {
  const outPath = join(ws, 'alexnet.net.yaml');
  const r = await c.request<any>('accelmap/importOnnx', { path: MODEL, outPath, batch: 4, name: 'alex' });
  assert.equal(r.error, undefined);
  assert.equal(r.written, true);
  assert.equal(r.outPath, outPath);
  assert.ok(r.layerCount >= 8, String(r.layerCount)); // 5 conv + 3 linear at least
  const text = readFileSync(outPath, 'utf8');
  assert.match(text, /^kind: network$/m);
  assert.match(text, /^batch_size: 4$/m);
  assert.match(text, /^name: alex$/m);
  // No temp files left behind by the atomic write.
  assert.deepEqual(
    readdirSync(ws).filter((f) => f.endsWith('.tmp')),
    [],
  );
  const uri = fileUri(outPath);
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.filter((x) => x.severity === 1).map((x) => `${x.code} ${x.message}`),
    [],
  );
  c.close(uri);
});

test('an existing file is kept unless overwrite is set', async () => {
  const outPath = join(ws, 'keep.net.yaml');
  writeFileSync(outPath, '# mine\n');
  const r = await c.request<any>('accelmap/importOnnx', { path: MODEL, outPath });
  assert.deepEqual([r.written, r.reason], [false, 'exists']);
  assert.equal(readFileSync(outPath, 'utf8'), '# mine\n');
  const o = await c.request<any>('accelmap/importOnnx', { path: MODEL, outPath, overwrite: true });
  assert.equal(o.written, true);
  assert.match(readFileSync(outPath, 'utf8'), /^kind: network$/m);
});

test('a file that is not ONNX gives a clear error and writes nothing', async () => {
  const bogus = join(ws, 'bogus.onnx');
  writeFileSync(bogus, 'this is not a protobuf');
  const outPath = join(ws, 'bogus.net.yaml');
  const r = await c.request<any>('accelmap/importOnnx', { path: bogus, outPath });
  assert.deepEqual([r.written, r.reason], [false, 'error']);
  assert.ok(typeof r.error === 'string' && r.error.length > 10, r.error);
  assert.equal(existsSync(outPath), false);
  const missing = await c.request<any>('accelmap/importOnnx', { path: join(ws, 'nope.onnx'), outPath });
  assert.deepEqual([missing.written, missing.reason], [false, 'error']);
});

test('a model with a symbolic sequence length: the response names the missing dimension; with `dims` it imports', async () => {
  const gpt = join(__dirname, '..', 'corpus', 'onnx', 'gpt2_small.op17.onnx');
  const outPath = join(ws, 'gpt2.net.yaml');
  const r = await c.request<any>('accelmap/importOnnx', { path: gpt, outPath, batch: 2 });
  assert.equal(r.written, false);
  assert.equal(r.reason, 'error');
  assert.deepEqual(r.missingDims, ['seq']);
  assert.match(r.error, /symbolic dimension 'seq' at axis 1; pass --dim seq=N/);
  assert.equal(existsSync(outPath), false);
  const ok = await c.request<any>('accelmap/importOnnx', { path: gpt, outPath, batch: 2, dims: { seq: 64 } });
  assert.equal(ok.error, undefined);
  assert.equal(ok.written, true);
  assert.equal(ok.missingDims, undefined);
  assert.match(readFileSync(outPath, 'utf8'), /^input_shape: \[64\]$/m);
});
