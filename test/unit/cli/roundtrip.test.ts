// Importing then simulating equals simulating the .onnx directly; imported specs pass `check`; the imported
// ResNet-50 has the conv/linear shapes and MACs of the hand-written examples/resnet50.net.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { analyze } from '../../../server/src/spec/index';
import type { LayerModel } from '../../../server/src/spec/types';
import { importOnnxFileSync } from '../../../server/src/onnx/index';
import { model, zeros } from '../onnx/onnx-writer';
import { SHARED_ONNX } from '../../shared-data';

const ONNX = SHARED_ONNX;
const dir = mkdtempSync(join(tmpdir(), 'accelmap-rt-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const BATCH: Record<string, number> = { alexnet: 128, vgg16: 32, resnet50: 32, mobilenet_v2: 64 };

for (const net of Object.keys(BATCH)) {
  for (const variant of ['', '-train']) {
    const model = join(ONNX, `${net}${variant}.onnx`);
    test(`${net}${variant}: import -> check has no errors; simulate spec == simulate .onnx`, () => {
      const spec = join(dir, `${net}${variant}.net.yaml`);
      const b = String(BATCH[net]);
      assert.equal(runCli(['import', model, '--batch', b, '-o', spec]).code, 0);
      const c = runCli(['check', spec]);
      assert.equal(c.code, 0, c.out);
      assert.doesNotMatch(c.out, /error/);
      const targets = ['-t', 'ntx', '-t', 'h100-sxm', '-t', 'gradpim', '--baseline', 'h100-sxm'];
      const fromSpec = runCli(['simulate', spec, ...targets, '--batch', b, '-f', 'json']);
      const fromOnnx = runCli(['simulate', model, ...targets, '--batch', b, '-f', 'json']);
      assert.equal(fromSpec.code, 0, fromSpec.err);
      assert.equal(fromOnnx.code, 0, fromOnnx.err);
      assert.equal(fromOnnx.out, fromSpec.out);
      const r = JSON.parse(fromSpec.out);
      assert.equal(r.network.batch, BATCH[net]);
      assert.ok(r.targets[0].totals.timeS > 0);
    });
  }
}

test('simulate on .onnx: a fixed exported batch is kept; a dynamic batch needs --batch (error says so)', () => {
  const r = runCli(['simulate', join(ONNX, 'alexnet.onnx'), '-t', 'ntx', '-f', 'json']);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.out).network.batch, 1);
  const dyn = join(dir, 'dyn.onnx');
  writeFileSync(
    dyn,
    model({
      nodes: [{ op: 'Gemm', name: '/fc/Gemm', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB: { i: 1 } } }],
      initializers: [
        { name: 'w', dims: [10, 20], raw: zeros([10, 20]) },
        { name: 'b', dims: [10], raw: zeros([10]) },
      ],
      inputs: [{ name: 'x', dims: ['N', 20] }],
      outputs: [{ name: 'y', dims: ['N', 10] }],
    }),
  );
  const e = runCli(['simulate', dyn, '-t', 'ntx']);
  assert.equal(e.code, 1);
  assert.match(
    e.err,
    /dyn\.onnx has 1 error:\n.*dyn\.onnx:1:1: error ONNX001 graph input 'x' has a dynamic batch dimension 'N'; pass --batch N/,
  );
  const ok = runCli(['simulate', dyn, '-t', 'ntx', '--batch', '4', '-f', 'json']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).targets[0].layers[0].name, 'fc');
});

const convLinear = (ls: LayerModel[]) =>
  ls
    .filter((l) => l.type === 'conv2d' || l.type === 'linear')
    .map((l) => ({
      type: l.type,
      in: l.inShapes[0],
      out: l.outShape,
      macs: l.macs,
      params: l.params,
      k: l.attrs.kernel,
      s: l.attrs.stride,
      p: l.attrs.padding,
      g: l.attrs.groups,
      of: l.attrs.outFeatures,
    }));

for (const net of ['resnet50', 'mobilenet_v2', 'alexnet', 'vgg16']) {
  test(`imported ${net}-train matches the hand-written examples/${net}.net.yaml (conv/linear shapes, MACs)`, () => {
    const hand = analyze(
      `file:///examples/${net}.net.yaml`,
      readFileSync(join(__dirname, `../../../examples/${net}.net.yaml`), 'utf8'),
    );
    assert.ok(hand.network, 'the example parses');
    const imported = analyze(
      `file:///${net}.net.yaml`,
      importOnnxFileSync(join(ONNX, `${net}-train.onnx`), { batch: hand.network!.batch }).yaml,
    );
    assert.deepEqual(
      imported.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const a = convLinear(imported.network!.layers),
      h = convLinear(hand.network!.layers);
    assert.equal(a.length, h.length);
    a.forEach((x, i) => assert.deepEqual(x, h[i], `conv/linear #${i}`));
    const total = (ls: LayerModel[]) => ls.reduce((s, l) => s + l.macs, 0);
    assert.equal(total(imported.network!.layers), total(hand.network!.layers));
    const types = (ls: LayerModel[]) => ls.filter((l) => l.type === 'batchnorm').length;
    assert.equal(types(imported.network!.layers), types(hand.network!.layers));
  });
}
